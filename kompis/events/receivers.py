"""What events do when the participants app tells them something (connected in EventsConfig.ready)."""

from __future__ import annotations

from typing import Any

from kompis.audit.actors import Actor
from kompis.events.services import cancel_registrations_of
from kompis.participants.models import Participant
from kompis.participants.signals import WithdrawalCounts


def on_participant_withdrawing(
    *, actor: Actor, participant: Participant, **kwargs: Any
) -> WithdrawalCounts | None:
    """The person leaves everything: each registration of theirs is cancelled (in the same transaction).
    Leaving friend matching alone keeps them (the signal then says `everything=False`)."""
    if kwargs.get("everything", True) is False:
        return None
    cancel_registrations_of(actor=actor, participant=participant, reason="withdrawn")
    return None
