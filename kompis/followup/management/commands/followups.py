from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kompis.core.timeutil import parse_now
from kompis.followup.services import run_followups


class Command(BaseCommand):
    help = 'The follow-up sweep: ask "did you meet?", remind, ask again, and create tasks for staff.'

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--now", help="Pretend it is this time (ISO 8601), e.g. 2026-12-24T09:00")

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_now(options["now"])
        for name, count in run_followups(now=now).items():
            self.stdout.write(f"{name}: {count}")
