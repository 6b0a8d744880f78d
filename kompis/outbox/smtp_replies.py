"""What an SMTP failure means for a mail: a bounce, a refusal by the server, or a temporary failure.

Only a permanent refusal of the recipient (a 5xx reply to RCPT TO for that address) can be a bounce.
A 5xx reply to MAIL FROM, DATA, HELO or AUTH is the server refusing our mail (content, policy or
configuration): nobody's address is at fault. Connection errors, timeouts and 4xx replies are temporary.
"""

from __future__ import annotations

import re
import smtplib
from dataclasses import dataclass

from kompis.outbox.models import Failure

_ADDRESS = re.compile(r"<?[^\s<>@\"']+@[^\s<>@\"']+>?")


@dataclass(frozen=True)
class Outcome:
    failure: str  # a Failure value
    code: int | None
    reply: str  # the server's reply, addresses masked: safe to show staff and to compare between mails


def _text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(_ADDRESS.sub("<address>", text).split())[:500]


def _reply(code: int, raw: bytes | str) -> str:
    return f"{code} {_text(raw)}".strip()


def classify(exc: BaseException) -> Outcome:
    """The meaning of an exception raised while opening a connection or sending one mail."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, raw = next(iter(exc.recipients.values()), (0, b""))
        kind = Failure.RECIPIENT if 500 <= code < 600 else Failure.TEMPORARY
        return Outcome(kind, code, _reply(code, raw))
    if isinstance(exc, smtplib.SMTPResponseException):  # MAIL FROM, DATA, HELO, AUTH, greeting
        code = int(exc.smtp_code)
        kind = Failure.SERVER if 500 <= code < 600 else Failure.TEMPORARY
        return Outcome(kind, code, _reply(code, exc.smtp_error))
    # SMTPServerDisconnected, refused connections, timeouts (OSError), anything else from smtplib
    return Outcome(Failure.TEMPORARY, None, _text(f"{type(exc).__name__}: {exc}"))
