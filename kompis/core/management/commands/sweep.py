from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kompis.core import sweeps
from kompis.core.timeutil import parse_now


class Command(BaseCommand):
    help = "Run the periodic sweeps once (expire unconfirmed sign-ups, deliver due mail, ...)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", help="Pretend it is this time (ISO 8601), e.g. 2026-12-24T09:00")

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_now(options["now"])
        for name, count in sweeps.run_all(now=now).items():
            self.stdout.write(f"{name}: {count if count >= 0 else 'failed (see log)'}")
