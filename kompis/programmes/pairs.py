"""Mentor pairs: the engine proposes, staff approve, reject or choose another mentor, and end pairs.

Every change is one transaction with an audit event holding uids and codes only (the mentee as
`participant`, the mentor as `other`). The cohort's row is locked while pairs are proposed, approved or
chosen, so two staff members cannot give a mentor more mentees than places or a mentee two mentors.
Approving a pair starts it today, ends it after the programme's duration and queues an introduction mail
to both (in each one's language, naming the other).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from kompis.accounts.models import User
from kompis.audit.actors import Actor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.matching.engine import match
from kompis.outbox.services import ABOUT, queue_mail
from kompis.participants.models import Participant
from kompis.participants.names import partner_contact
from kompis.programmes.models import Cohort, Enrolment, EnrolmentStatus, Programme, Role
from kompis.programmes.pair_models import OPEN_PAIR_STATUSES, MentorPair, PairEndReason, PairStatus
from kompis.programmes.pairing import PairingRules, PairPerson, add_months, engine_input, pair_reasons


class PairRefused(ValueError):
    """The pair cannot be made or changed; `code` says why: "stale" (already decided), "mentee_paired"
    (the mentee has an active pair), "no_place" (the mentor has no place left), "not_active" (one of them
    is not an active enrolment), "wrong_roles" (not a mentee and a mentor of the same cohort)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def rules_of(programme: Programme) -> PairingRules:
    return PairingRules.from_json(programme.pairing_rules)


def pair_person(enrolment: Enrolment, *, places: int = 1) -> PairPerson:
    p = enrolment.participant
    return PairPerson(
        id=str(enrolment.pk),
        field=enrolment.field,
        languages=tuple(p.languages or ()),
        municipality_code=p.municipality_id or "",
        postal_code=p.postal_code or "",
        meeting_mode=enrolment.meeting_mode,
        enrolled_on=timezone.localtime(enrolment.enrolled_at).date(),
        places=places,
    )


def open_pair_counts(cohort: Cohort, *, statuses: tuple[str, ...] = OPEN_PAIR_STATUSES) -> Counter[int]:
    """Mentor enrolment pk -> number of their pairs in `statuses`."""
    rows = cohort.pairs.filter(status__in=statuses).values_list("mentor_id", flat=True)
    return Counter(rows)


def active_mentees(cohort: Cohort) -> QuerySet[Enrolment]:
    return cohort.enrolments.filter(role=Role.MENTEE, status=EnrolmentStatus.ACTIVE).select_related(
        "participant"
    )


def active_mentors(cohort: Cohort) -> QuerySet[Enrolment]:
    return cohort.enrolments.filter(role=Role.MENTOR, status=EnrolmentStatus.ACTIVE).select_related(
        "participant"
    )


def earlier_pairs(cohort: Cohort) -> set[tuple[str, str]]:
    """(mentee pk, mentor pk) of pairs never to propose again: rejected by staff or ended."""
    rows = cohort.pairs.filter(status__in=[PairStatus.REJECTED, PairStatus.ENDED])
    return {(str(m), str(t)) for m, t in rows.values_list("mentee_id", "mentor_id")}


def _lock_cohort(cohort: Cohort) -> Cohort:
    return Cohort.objects.select_for_update().select_related("programme").get(pk=cohort.pk)


def _data(pair: MentorPair, **extra: Any) -> dict[str, Any]:
    return {
        "cohort": str(pair.cohort.uid),
        "pair": str(pair.uid),
        "participant": str(pair.mentee.participant.uid),
        "other": str(pair.mentor.participant.uid),
        **extra,
    }


@dataclass(frozen=True)
class ProposalResult:
    proposed: int
    replaced: int
    #: active mentees left without a proposal
    unmatched: int


@transaction.atomic
def propose_pairs(*, actor: Actor, cohort: Cohort) -> ProposalResult:
    """Run the engine over the cohort's active mentees without an active pair and its active mentors with
    places left; the cohort's earlier still-proposed pairs are replaced."""
    locked = _lock_cohort(cohort)
    replaced, _ = locked.pairs.filter(status=PairStatus.PROPOSED).delete()
    rules = rules_of(locked.programme)
    paired = set(locked.pairs.filter(status=PairStatus.ACTIVE).values_list("mentee_id", flat=True))
    mentees = {e.pk: e for e in active_mentees(locked) if e.pk not in paired}
    taken = open_pair_counts(locked)
    mentors = {e.pk: e for e in active_mentors(locked) if e.max_mentees - taken[e.pk] > 0}
    people = {
        **{pk: pair_person(e) for pk, e in mentees.items()},
        **{pk: pair_person(e, places=e.max_mentees - taken[pk]) for pk, e in mentors.items()},
    }
    proposed = 0
    if mentees and mentors:
        data = engine_input(
            rules,
            [people[pk] for pk in mentees],
            [people[pk] for pk in mentors],
            exclude=earlier_pairs(locked),
        )
        result = match(
            data.newcomers,
            data.established,
            weights=data.weights,
            exclude=data.exclude,
            solver="exact",
            today=timezone.localdate(),
        )
        rows = [
            MentorPair(
                cohort=locked,
                mentee=mentees[int(p.newcomer_id)],
                mentor=mentors[int(p.established_id)],
                score=round(p.score, 2),
                reasons=pair_reasons(
                    rules, people[int(p.newcomer_id)], people[int(p.established_id)], p.reasons
                ),
            )
            for p in result.pairs
        ]
        MentorPair.objects.bulk_create(rows)
        proposed = len(rows)
    outcome = ProposalResult(proposed=proposed, replaced=replaced, unmatched=len(mentees) - proposed)
    record(
        actor=actor,
        action=EventType.PROGRAMME_PAIRS_PROPOSED,
        obj=locked.programme,
        data={
            "cohort": str(locked.uid),
            "pairs": outcome.proposed,
            "replaced": outcome.replaced,
            "unmatched": outcome.unmatched,
        },
    )
    return outcome


def _lock_pair(pair: MentorPair) -> MentorPair:
    """The pair's cohort and the pair, locked; a proposal withdrawn meanwhile (someone dropped out, the
    engine ran again) is stale."""
    _lock_cohort(pair.cohort)
    row = (
        MentorPair.objects.select_for_update()
        .select_related("cohort__programme__organisation", "mentee__participant", "mentor__participant")
        .filter(pk=pair.pk)
        .first()
    )
    if row is None:
        raise PairRefused("stale")
    return row


def _check_can_start(pair: MentorPair) -> None:
    """Both active, the mentee without another active pair, the mentor with a place (this pair aside)."""
    if pair.mentee.status != EnrolmentStatus.ACTIVE or pair.mentor.status != EnrolmentStatus.ACTIVE:
        raise PairRefused("not_active")
    others = MentorPair.objects.exclude(pk=pair.pk)
    if others.filter(mentee=pair.mentee, status=PairStatus.ACTIVE).exists():
        raise PairRefused("mentee_paired")
    if others.filter(mentor=pair.mentor, status=PairStatus.ACTIVE).count() >= pair.mentor.max_mentees:
        raise PairRefused("no_place")


def _start(*, actor: User, pair: MentorPair) -> None:
    today = timezone.localdate()
    pair.status = PairStatus.ACTIVE
    pair.decided_at, pair.decided_by = timezone.now(), actor
    pair.started_on = today
    pair.ends_on = add_months(today, pair.cohort.programme.pair_duration_months)
    pair.save()
    _introduce(pair)


def _introduce(pair: MentorPair) -> None:
    programme = pair.cohort.programme
    people = (pair.mentee.participant, pair.mentor.participant)
    for me, other, role in ((people[0], people[1], "mentee"), (people[1], people[0], "mentor")):
        if not _mailable(me):
            continue
        contact = partner_contact(other, me)
        queue_mail(
            to_email=me.email,
            template="programme_pair_introduction",
            language=me.preferred_language,
            context={
                "first_name": me.first_name,
                "organisation": programme.organisation.name,
                "programme": programme.name,
                "role": role,
                "other": contact,
                "ends_on": pair.ends_on.isoformat() if pair.ends_on else "",
                "months": programme.pair_duration_months,
                "min_meetings": programme.min_meetings_per_month,
                ABOUT: [str(other.uid)],
            },
            dedupe_key=f"programme_pair_introduction:{pair.uid}:{me.uid}",
            organisation=programme.organisation,
            participant=me,
        )


def _mailable(person: Participant) -> bool:
    return bool(person.email) and not person.email_bouncing


@transaction.atomic
def approve_pair(*, actor: User, pair: MentorPair) -> MentorPair:
    """A proposed pair becomes active (refused when decided already, the mentee has an active pair, the
    mentor has no place left or one of them is no longer active)."""
    row = _lock_pair(pair)
    if row.status != PairStatus.PROPOSED:
        raise PairRefused("stale")
    _check_can_start(row)
    _start(actor=actor, pair=row)
    record(
        actor=actor,
        action=EventType.PROGRAMME_PAIR_APPROVED,
        obj=row.cohort.programme,
        data=_data(row, score=row.score),
    )
    return row


def approve_all(*, actor: User, cohort: Cohort) -> tuple[int, int]:
    """Approve every proposed pair of the cohort that can start; (approved, refused). Each pair is its
    own transaction: one refused pair does not undo the others."""
    approved = refused = 0
    for pair in list(cohort.pairs.filter(status=PairStatus.PROPOSED).order_by("-score", "id")):
        try:
            approve_pair(actor=actor, pair=pair)
            approved += 1
        except PairRefused:
            refused += 1
    return approved, refused


@transaction.atomic
def reject_pair(*, actor: User, pair: MentorPair) -> MentorPair:
    """A proposed pair is rejected: the engine will not propose it again."""
    row = _lock_pair(pair)
    if row.status != PairStatus.PROPOSED:
        raise PairRefused("stale")
    row.status, row.decided_at, row.decided_by = PairStatus.REJECTED, timezone.now(), actor
    row.save(update_fields=["status", "decided_at", "decided_by"])
    record(actor=actor, action=EventType.PROGRAMME_PAIR_REJECTED, obj=row.cohort.programme, data=_data(row))
    return row


@transaction.atomic
def choose_mentor(
    *,
    actor: User,
    mentee: Enrolment,
    mentor: Enrolment,
    score: float = 0,
    reasons: list[dict[str, Any]] | None = None,
) -> MentorPair:
    """Staff pair a mentee with a mentor of their choice (from the ranked candidates): the pair starts at
    once. The mentee's proposed pair, if any, is rejected; refused when the mentee has an active pair or
    the mentor no place left."""
    if mentee.cohort_id != mentor.cohort_id or mentee.role != Role.MENTEE or mentor.role != Role.MENTOR:
        raise PairRefused("wrong_roles")
    locked = _lock_cohort(mentee.cohort)
    mentee = Enrolment.objects.select_related("participant").get(pk=mentee.pk)
    mentor = Enrolment.objects.select_related("participant").get(pk=mentor.pk)
    now = timezone.now()
    for old in locked.pairs.filter(mentee=mentee, status=PairStatus.PROPOSED).select_related(
        "mentee__participant", "mentor__participant", "cohort"
    ):
        old.status, old.decided_at, old.decided_by = PairStatus.REJECTED, now, actor
        old.save(update_fields=["status", "decided_at", "decided_by"])
        record(actor=actor, action=EventType.PROGRAMME_PAIR_REJECTED, obj=locked.programme, data=_data(old))
    pair = MentorPair(
        cohort=locked, mentee=mentee, mentor=mentor, score=score, reasons=reasons or [], chosen_by_staff=True
    )
    pair.cohort = locked
    _check_can_start(pair)
    _start(actor=actor, pair=pair)
    record(actor=actor, action=EventType.PROGRAMME_PAIR_CHOSEN, obj=locked.programme, data=_data(pair))
    return pair


@transaction.atomic
def end_pair(*, actor: Actor, pair: MentorPair, reason: str) -> MentorPair:
    """An active pair ends with a coded reason (refused when it is not active)."""
    code = PairEndReason(reason)
    row = _lock_pair(pair)
    if row.status != PairStatus.ACTIVE:
        raise PairRefused("stale")
    row.status, row.ended_at, row.end_reason = PairStatus.ENDED, timezone.now(), code
    row.save(update_fields=["status", "ended_at", "end_reason"])
    record(
        actor=actor,
        action=EventType.PROGRAMME_PAIR_ENDED,
        obj=row.cohort.programme,
        data=_data(row, reason=code.value),
    )
    return row


def end_pairs_of(*, actor: Actor, enrolment: Enrolment) -> int:
    """The enrolment left the programme (inside the caller's transaction): its active pairs end ("one of
    them left"), its proposed pairs are withdrawn. Returns the number of pairs ended."""
    mine = Q(mentee=enrolment) | Q(mentor=enrolment)
    MentorPair.objects.filter(mine, status=PairStatus.PROPOSED).delete()
    ended = 0
    for pair in MentorPair.objects.filter(mine, status=PairStatus.ACTIVE):
        end_pair(actor=actor, pair=pair, reason=PairEndReason.DROPPED_OUT)
        ended += 1
    return ended


@transaction.atomic
def save_rules(*, actor: User, programme: Programme, rules: PairingRules) -> Programme:
    programme.pairing_rules = rules.to_json()
    programme.save(update_fields=["pairing_rules"])
    record(
        actor=actor,
        action=EventType.PROGRAMME_PAIRING_RULES_CHANGED,
        obj=programme,
        data={k: v for k, v in rules.to_json().items()},
    )
    return programme
