from __future__ import annotations

from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone


def parse_now(value: str | None) -> datetime:
    """The `--now` option of the sweep commands: an ISO 8601 time (local time if no offset), or now."""
    if not value:
        return timezone.now()
    try:
        now = datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--now: {value!r} is not an ISO 8601 time, e.g. 2026-12-24T09:00") from exc
    return timezone.make_aware(now) if timezone.is_naive(now) else now
