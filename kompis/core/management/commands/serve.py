from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from kompis.core.hooks import start_messages


def gunicorn_command(bind: str) -> list[str]:
    """The web server; tokens in request paths are masked in its access and error logs."""
    return [
        *(
            sys.executable,
            "-m",
            "gunicorn",
            "kompis.wsgi",
            "--bind",
            bind,
            "--workers",
            "2",
            "--threads",
            "4",
        ),
        *("--access-logfile", "-", "--logger-class", "kompis.core.logs.GunicornLogger"),
    ]


def development_site_root(bind: str) -> str | None:
    """In development without SITE_ROOT: http:// and the bound address ("0.0.0.0:8765" → 127.0.0.1:8765)."""
    if not settings.DEVELOPMENT or os.environ.get("SITE_ROOT") or bind.startswith(("unix:", "fd:")):
        return None
    host, _sep, port = bind.rpartition(":")
    if not host or not port.isdigit():
        return None
    if host in ("0.0.0.0", "[::]", "::"):
        host = "127.0.0.1"
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = (
        "Start the web server and the task worker, and in development (KOMPIS_ENV=development) the local "
        "mail catcher; Ctrl-C stops all."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default=os.environ.get("KOMPIS_BIND", "127.0.0.1:8000"))
        parser.add_argument("--no-mail-catcher", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        # On a laptop without SITE_ROOT the links in mails and the first-run link use the address served here.
        root = development_site_root(options["bind"])
        env = {**os.environ, "SITE_ROOT": root} if root else None
        kompis = [sys.executable, "-m", "kompis.cli"]
        commands = [
            ("worker", [*kompis, "worker"]),
            ("web", gunicorn_command(options["bind"])),
        ]
        # Development mode (KOMPIS_ENV=development, as `make run` sets): a local mail catcher keeps the mails.
        catcher = (
            settings.DEVELOPMENT
            and not options["no_mail_catcher"]
            and settings.EMAIL_HOST in ("127.0.0.1", "localhost")
        )
        if catcher:
            commands.insert(0, ("mail", [*kompis, "mail-catcher"]))
        children = [(name, subprocess.Popen(cmd, env=env)) for name, cmd in commands]
        where = f"Kompis runs at http://{options['bind']}/"
        self.stdout.write(f"{where}  (mails: http://{options['bind']}/dev/mail/)" if catcher else where)
        self.stdout.write("Press Ctrl-C to stop.")
        # e.g. while no organisation exists, a one-time link to the set-up page (kompis.organisations)
        for line in start_messages(site_root=root):
            self.stdout.write(line)

        def stop(*_: Any) -> None:
            for _name, child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, lambda *a: stop())
        try:
            while all(child.poll() is None for _name, child in children):
                time.sleep(0.5)
            for name, child in children:
                if child.poll() is not None:
                    self.stderr.write(f"{name} stopped with exit code {child.returncode}")
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for _name, child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
