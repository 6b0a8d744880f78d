"""Reads for the follow-up staff pages: what a page about a match may show of whom."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from kompis.accounts.models import User
from kompis.followup.models import FollowUp
from kompis.matching.models import Match
from kompis.outbox.models import OutboxMessage
from kompis.participants.access import PersonView, visible_people

#: copies of copies of a mail are followed this deep (staff resend a mail a handful of times at most)
MAX_RESEND_DEPTH = 10


def match_mails(match: Match) -> list[OutboxMessage]:
    """The mails of this match only, to either side, newest first: its introductions, its questions and
    reminders, and copies staff sent again. A mail belongs to a match when its dedupe key names the match or
    one of its follow-up questions (`introduction:<match>:<person>`, `followup_question:<follow-up>`)."""
    people = OutboxMessage.objects.filter(participant_id__in=[match.newcomer_id, match.established_id])
    keys = [
        str(match.uid),
        *(str(uid) for uid in FollowUp.objects.filter(match=match).values_list("uid", flat=True)),
    ]
    named = Q()
    for key in keys:
        named |= Q(dedupe_key__contains=key)
    found = {m.pk: m for m in people.filter(named).select_related("participant__region")}
    frontier = list(found.values())
    for _depth in range(MAX_RESEND_DEPTH):
        if not frontier:
            break
        copies = Q()
        for mail in frontier:
            copies |= Q(dedupe_key__startswith=f"resend:{mail.uid}:")
        frontier = [
            m for m in people.filter(copies).select_related("participant__region") if m.pk not in found
        ]
        found.update((m.pk, m) for m in frontier)
    return sorted(found.values(), key=lambda m: (m.created_at, m.pk), reverse=True)


@dataclass(frozen=True)
class MailRow:
    """One mail as a staff user may see it: in full for a person in their scope, else only its date."""

    mail: OutboxMessage
    person: PersonView | None
    full: bool


def mail_rows(user: User, mails: Iterable[OutboxMessage]) -> list[MailRow]:
    mails = list(mails)
    people = visible_people(user, [m.participant for m in mails if m.participant is not None])
    rows = []
    for mail in mails:
        person = people.get(mail.participant_id) if mail.participant_id else None
        rows.append(MailRow(mail=mail, person=person, full=person is not None and person.full))
    return rows


@dataclass(frozen=True)
class MatchPage:
    """Everything a page about one match shows, decided per person by `visible_people`."""

    match: Match
    newcomer: PersonView
    established: PersonView
    people: dict[int, PersonView]

    def person(self, participant_id: int | None) -> PersonView | None:
        return self.people.get(participant_id) if participant_id is not None else None

    @property
    def crosses_scope(self) -> bool:
        return not (self.newcomer.full and self.established.full)


def match_page(user: User, match: Match) -> MatchPage:
    people = visible_people(user, [match.newcomer, match.established])
    return MatchPage(
        match=match,
        newcomer=people[match.newcomer_id],
        established=people[match.established_id],
        people=people,
    )


@dataclass(frozen=True)
class AnswerRow:
    followup: FollowUp
    person: PersonView | None

    @property
    def comment(self) -> str:
        """A partner outside the user's scope wrote the comment to their own coordinator: not shown."""
        return self.followup.comment if self.person is not None and self.person.full else ""


def answer_rows(page: MatchPage, followups: Iterable[FollowUp]) -> list[AnswerRow]:
    return [AnswerRow(followup=f, person=page.person(f.participant_id)) for f in followups]
