"""Results' one state change: the audit line of an export."""

from __future__ import annotations

from django.db import transaction

from kompis.accounts.models import User
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.surveys.models import Wave


@transaction.atomic
def record_export(*, actor: User, wave: Wave, fmt: str, count: int) -> None:
    """The wave, the format and how many responses were written (never an answer)."""
    record(
        actor=actor,
        action=EventType.SURVEY_RESULTS_EXPORTED,
        obj=wave,
        organisation=wave.survey.organisation,
        data={"format": fmt, "count": count},
    )
