from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kompis.demo import build as demo


class Command(BaseCommand):
    help = (
        "Create the demo organisation 'Kompisföreningen Demo' with staff logins and generated participants. "
        "The same --seed gives the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--participants", type=int, default=2000, help="How many participants (default 2000)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Create nothing if any organisation exists already (used by `make run`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:  # Any: parsed options, as BaseCommand declares them
        if options["participants"] < 0:
            raise CommandError("--participants cannot be negative")
        if options["if_empty"] and demo.any_organisation_exists():
            if demo.demo_exists():
                self.stdout.write("The demo organisation exists already; nothing created.")
                demo.write_logins(self.stdout)
            else:
                self.stdout.write("Organisations exist already; no demo data created.")
            return
        try:
            demo.create_demo(seed=options["seed"], participants=options["participants"], stdout=self.stdout)
        except demo.DemoError as exc:
            raise CommandError(str(exc)) from exc
