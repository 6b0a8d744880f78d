from __future__ import annotations

import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections


class Command(BaseCommand):
    help = "Run the task worker (django-tasks-db) and enqueue the periodic sweep on a timer."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--sweep-interval", type=float, default=60.0, help="Seconds between sweeps.")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        interval = options["sweep_interval"]

        def scheduler() -> None:
            from kompis.core.tasks import run_sweeps

            while not stop.is_set():
                close_old_connections()
                try:
                    run_sweeps.enqueue()
                except Exception as exc:  # the database may be briefly unavailable
                    self.stderr.write(f"could not enqueue the sweep: {exc}")
                stop.wait(interval)

        thread = threading.Thread(target=scheduler, name="kompis-sweep", daemon=True)
        thread.start()
        try:
            call_command("db_worker", reload=False, interval=1, verbosity=options["verbosity"])
        finally:
            stop.set()
