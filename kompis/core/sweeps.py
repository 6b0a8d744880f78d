"""Periodic work. Each app registers its own idempotent sweep functions here (from its `sweeps` module,
imported by its AppConfig.ready); core registers only its own; the worker runs them on a timer
(and `kompis sweep` runs them once), so a sweep that was missed during downtime simply catches up."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

log = logging.getLogger(__name__)
Sweep = Callable[[datetime], int]
_SWEEPS: dict[str, Sweep] = {}


def register(name: str) -> Callable[[Sweep], Sweep]:
    def decorator(fn: Sweep) -> Sweep:
        _SWEEPS[name] = fn
        return fn

    return decorator


def run_all(*, now: datetime | None = None) -> dict[str, int]:
    """Run every registered sweep; one failing sweep does not stop the others."""
    now = now or timezone.now()
    results = {}
    for name, fn in sorted(_SWEEPS.items()):
        try:
            results[name] = fn(now)
        except Exception:  # logged and retried at the next sweep
            log.exception("sweep %s failed", name)
            results[name] = -1
    return results


@register("core.rate_counters")
def _sweep_rate_counters(now: datetime) -> int:
    from kompis.core.ratelimit import sweep_expired

    return sweep_expired(now=now.timestamp())
