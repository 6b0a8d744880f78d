"""What the follow-up app does when the apps below it report a change (connected in the AppConfig; those
apps import nothing of the follow-up). Receivers run in the sender's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kompis.followup.leaving import end_matches_of_leaver
from kompis.followup.services import introduce_match
from kompis.matching.models import Match
from kompis.outbox.models import OutboxMessage
from kompis.participants.models import Participant


def on_match_approved(*, actor: Any, match: Match, **_: Any) -> None:
    """A match was approved: both participants get their introduction (outbox rows, same transaction)."""
    introduce_match(actor=actor, match=match)


def on_participant_withdrawing(
    *, actor: Any, participant: Participant, cancelled: Sequence[OutboxMessage] = (), **_: Any
) -> None:
    """A participant leaves: her active matches end (partners back to the pool), same transaction."""
    end_matches_of_leaver(actor=actor, participant=participant, cancelled=cancelled)
