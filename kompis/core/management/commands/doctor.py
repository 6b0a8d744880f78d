from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kompis.core.doctor import all_checks, report


class Command(BaseCommand):
    help = (
        "List every external program and service Kompis and its tests use, found or missing, "
        "with the command that installs each (exit code 1 when something is missing)."
    )
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        text, code = report(all_checks())
        self.stdout.write(text, ending="")
        if code:
            raise CommandError("something is missing (see above)", returncode=code)
