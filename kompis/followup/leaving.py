"""What a participant's leaving does to her matches: each ends with reason "withdrew", the partner goes back
to the pool first in line and gets a short neutral mail (no details), and the match's open tasks close.

Called by `kompis.participants.services.withdraw_participant` inside its transaction, after the mails to
and about her have been cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q
from django.utils import timezone

from kompis.audit.actors import Actor, SystemActor
from kompis.followup.models import Answer, CallOutcome, FollowUp, TaskKind, TaskOutcome
from kompis.followup.services import (
    MATCH_SUBJECT,
    _base_context,
    _call_instead,
    _mailable,
    end_match,
    has_left,
    needs_call,
)
from kompis.matching.models import Match
from kompis.outbox.models import MailState, OutboxMessage
from kompis.outbox.services import queue_mail
from kompis.participants.models import FriendParticipation, Participant
from kompis.worklist.models import Task
from kompis.worklist.services import close_moot_tasks

WITHDREW = "withdrew"
PARTNER_LEFT_TEMPLATE = "partner_left"
LEAVING = SystemActor("followup.leaving")


def _told_by_phone(match: Match, person: Participant) -> bool:
    """Staff told the person about the match on the phone, or the person has answered "did you meet?"."""
    told = Task.objects.about(match).filter(
        participant=person, kind=TaskKind.CALL_INTRODUCTION, outcome=CallOutcome.TOLD
    )
    answered = FollowUp.objects.filter(match=match, participant=person, answer__in=Answer.values)
    return told.exists() or answered.exists()


def end_matches_of_leaver(
    *,
    actor: Actor,
    participant: Participant,
    cancelled: Sequence[OutboxMessage] = (),
    everything: bool = True,
) -> list[Match]:
    """End every active match of a participant who has left friend matching; returns the ended matches.
    `everything`: she left every activity, so her own tasks all close; leaving only friend matching closes
    her tasks about friend matching and keeps those about herself (a bouncing address).

    The partner is told only if their introduction actually went out: a partner whose introduction was
    still queued (and is now cancelled) never heard of the match, so a mail about its end would only
    confuse. Either way the partner is first in line at the next matching run.
    """
    cancelled_keys = {row.dedupe_key for row in cancelled}
    now = timezone.now()
    ended = []
    matches = (
        Match.objects.active()
        .filter(Q(newcomer=participant) | Q(established=participant))
        .select_related("organisation", "newcomer", "established")
        .order_by("id")
    )
    for match in matches:
        partner = match.established if match.newcomer_id == participant.pk else match.newcomer
        end_match(actor=actor, match=match, reason=WITHDREW, return_to_pool=True, priority_for=partner)
        # end_match gives priority only to a partner it moves back to waiting; one who still had room
        # for another match (or is paused) is first in line too.
        partner = Participant.objects.select_related("organisation", "friend_matching").get(pk=partner.pk)
        if not has_left(partner) and not partner.friend_matching.rematch_priority:
            FriendParticipation.objects.filter(pk=partner.pk).update(rematch_priority=True, updated_at=now)
            partner.friend_matching.rematch_priority = True
        close_moot_tasks(
            Task.objects.about(match), actor=LEAVING, outcome=TaskOutcome.NONE, because=WITHDREW, now=now
        )
        introduction = f"introduction:{match.uid}:{partner.uid}"
        told = introduction not in cancelled_keys and (
            OutboxMessage.objects.filter(dedupe_key=introduction).exclude(state=MailState.CANCELLED).exists()
        )
        if needs_call(partner):
            # No e-mail address: staff call, if the partner was ever told of the match (on the phone).
            if _told_by_phone(match, partner):
                _call_instead(
                    actor=LEAVING, match=match, person=partner, template=PARTNER_LEFT_TEMPLATE, when=now
                )
        elif told and _mailable(partner):
            queue_mail(
                to_email=partner.email,
                template=PARTNER_LEFT_TEMPLATE,
                language=partner.preferred_language,
                context=_base_context(partner),
                dedupe_key=f"{PARTNER_LEFT_TEMPLATE}:{match.uid}:{partner.uid}",
                organisation=match.organisation,
                participant=partner,
            )
        ended.append(match)
    # Her own open tasks (e.g. a bouncing address) need no work any more; if she stays in other activities,
    # only those about friend matching.
    own = Task.objects.filter(participant=participant)
    if not everything:
        own = own.filter(subject_type=MATCH_SUBJECT)
    close_moot_tasks(
        own,
        actor=LEAVING,
        outcome=TaskOutcome.NONE,
        because=WITHDREW,
        now=now,
    )
    return ended
