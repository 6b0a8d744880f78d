"""What the participants app does when the outbox reports on a participant's mail (connected in the AppConfig;
the outbox imports nothing of the participants)."""

from __future__ import annotations

from typing import Any

from kompis.participants.models import Participant


def on_mail_bounced(*, participant_id: int, **_: Any) -> None:
    """The mail server refuses the participant's address for good: flag it as bouncing."""
    Participant.objects.filter(pk=participant_id).update(email_bouncing=True)
