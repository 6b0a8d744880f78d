"""What the follow-up app does when the apps below it report a change (connected in the AppConfig; those
apps import nothing of the follow-up). Receivers run in the sender's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q

from kompis.audit.actors import Actor
from kompis.followup.leaving import end_matches_of_leaver
from kompis.followup.services import introduce_match
from kompis.matching.models import Match
from kompis.outbox.models import OutboxMessage
from kompis.outbox.services import cancel_queued_for
from kompis.participants.models import Participant
from kompis.participants.signals import WithdrawalCounts


def on_match_approved(*, actor: Actor, match: Match, **_: Any) -> None:
    """A match was approved: both participants get their introduction (outbox rows, same transaction)."""
    introduce_match(actor=actor, match=match)


def on_participant_withdrawing(
    *,
    actor: Actor,
    participant: Participant,
    cancelled: Sequence[OutboxMessage] = (),
    everything: bool = True,
    **_: Any,
) -> WithdrawalCounts:
    """A participant leaves: the introductions that name her are cancelled (rows queued before mails
    carried `about` are found by key) and her active matches end (partners back to the pool), in the
    sender's transaction. Returns what was done, for her `withdrawn` event."""
    matches = Match.objects.active().filter(Q(newcomer=participant) | Q(established=participant))
    partner_intros = tuple(
        f"introduction:{m.uid}:{m.established.uid if m.newcomer_id == participant.pk else m.newcomer.uid}"
        for m in matches.select_related("newcomer", "established")
    )
    # only introductions: she may be leaving friend matching alone, keeping her other mails
    more = (
        cancel_queued_for(
            participant_id=participant.pk, dedupe_keys=partner_intros, templates=("introduction",)
        )
        if partner_intros
        else []
    )
    ended = end_matches_of_leaver(
        actor=actor, participant=participant, cancelled=[*cancelled, *more], everything=everything
    )
    return {"mails_cancelled": len(more), "matches_ended": len(ended)}
