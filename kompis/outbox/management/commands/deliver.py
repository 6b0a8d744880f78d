from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from kompis.outbox.services import deliver_due


class Command(BaseCommand):
    help = "Send the mail that is due in the outbox (safe to run several at once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--loop", action="store_true", help="Keep running, checking every --interval seconds."
        )
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", type=int, default=50)

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            close_old_connections()
            sent = deliver_due(limit=options["batch"])
            if options["verbosity"] > 1 or not options["loop"]:
                self.stdout.write(f"sent {sent}")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
