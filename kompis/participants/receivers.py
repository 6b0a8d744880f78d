"""What the participants app does when the outbox reports on a participant's mail (connected in the AppConfig;
the outbox imports nothing of the participants)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kompis.audit.actors import SystemActor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.participants.models import Participant

#: the actor of what the outbox's delivery reports back
DELIVERY = SystemActor("outbox.delivery")


@transaction.atomic
def on_mail_bounced(*, participant_id: int, **_: Any) -> None:
    """The mail server refuses the participant's address for good: flag it as bouncing (once, audited)."""
    if Participant.objects.filter(pk=participant_id, email_bouncing=False).update(email_bouncing=True):
        participant = Participant.objects.get(pk=participant_id)
        record(actor=DELIVERY, action=EventType.PARTICIPANT_EMAIL_BOUNCING, obj=participant)
