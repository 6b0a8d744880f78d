"""The participants' periodic work, registered with the core sweep registry (imported from the AppConfig)."""

from __future__ import annotations

from datetime import datetime

from kompis.core.sweeps import register
from kompis.participants.services import expire_unconfirmed, resume_due_pauses


@register("participants.expire_unconfirmed")
def _expire_unconfirmed(now: datetime) -> int:
    return expire_unconfirmed(now=now)


@register("participants.resume_due_pauses")
def _resume_due_pauses(now: datetime) -> int:
    return resume_due_pauses(now=now)
