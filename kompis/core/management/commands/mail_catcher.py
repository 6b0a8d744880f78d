from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class SaveToFolder:
    """An SMTP handler that stores every message as an .eml file (shown at /dev/mail/)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        name = f"{time.time_ns()}.eml"
        (self.folder / name).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


class Command(BaseCommand):
    help = "A local SMTP server that keeps mails for the browser (used by `make run`)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.EMAIL_PORT)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEVELOPMENT:
            raise CommandError(
                "The mail catcher is for development only (KOMPIS_ENV=development, as `make run` sets).",
                returncode=2,
            )
        controller = Controller(
            SaveToFolder(settings.MAIL_CATCHER_DIR), hostname=options["host"], port=options["port"]
        )
        controller.start()
        self.stdout.write(
            f"Mail catcher on {options['host']}:{options['port']}; see /dev/mail/ in the browser."
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
