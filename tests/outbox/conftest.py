from __future__ import annotations

import asyncio
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Recorder:
    """An aiosmtpd handler that records what the server accepted."""

    delay: float = 0.0
    received: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Replies a test sets to play a failing server (None: behave normally).
    mail_from_reply: str | None = None  # e.g. "553 5.7.1 Sender not allowed"
    rcpt_reply: str | None = (
        None  # for every recipient ({address} is filled in), e.g. "554 5.7.1 Relay access denied", "451 ..."
    )
    data_reply: str | None = None  # e.g. "554 5.7.1 Message rejected by policy"

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail_from_reply:
            return self.mail_from_reply
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply.format(address=address)
        if address.endswith("@bounce.invalid"):
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        if self.delay:
            await asyncio.sleep(self.delay)
        msg = message_from_bytes(envelope.original_content or envelope.content)
        with self.lock:
            self.received.append(
                {
                    "message_id": msg["Message-ID"],
                    "to": ",".join(envelope.rcpt_tos),
                    "subject": msg["Subject"],
                    "reply_to": msg["Reply-To"] or "",
                    "raw": (envelope.original_content or envelope.content).decode("utf-8", "replace"),
                }
            )
        return "250 Message accepted for delivery"

    def messages(self) -> list[dict[str, str]]:
        with self.lock:
            return list(self.received)

    def message_ids(self) -> list[str]:
        with self.lock:
            return [r["message_id"] for r in self.received]


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.handler = Recorder()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free local port; the app is pointed at it."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    # Delivery happens only where a test says so (not from the queueing transaction's on_commit).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    yield server
    server.stop()
