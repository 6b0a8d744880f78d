from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kompis.core import sweeps


class Command(BaseCommand):
    help = "Run the periodic sweeps once (expire unconfirmed sign-ups, deliver due mail, ...)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", help="Pretend it is this time (ISO 8601), e.g. 2026-12-24T09:00")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            try:
                now = datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(f"--now: {options['now']!r} is not an ISO 8601 time") from exc
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        for name, count in sweeps.run_all(now=now).items():
            self.stdout.write(f"{name}: {count if count >= 0 else 'failed (see log)'}")
