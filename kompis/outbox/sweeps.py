"""The outbox's periodic work, registered with the core sweep registry (imported from the AppConfig)."""

from __future__ import annotations

from datetime import datetime

from kompis.core.sweeps import register
from kompis.outbox.delivery import deliver_due


@register("outbox.deliver")
def _deliver(now: datetime) -> int:
    return deliver_due(now=now)
