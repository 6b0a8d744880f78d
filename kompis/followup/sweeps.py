from __future__ import annotations

from datetime import datetime

from kompis.core.sweeps import register


@register("followup.run")
def _followups(now: datetime) -> int:
    from kompis.followup.services import run_followups

    return sum(run_followups(now=now).values())
