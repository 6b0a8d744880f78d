"""Logging without secrets: signed links (tokens) in request paths are masked in every log record.

Tokens are bearer credentials: whoever has `/demo/me/<token>/` acts as that participant. They reach
logs through the access log (gunicorn, runserver) and Django's "Not Found" / "Bad Request" warnings.
`configure_logging` (settings.LOGGING_CONFIG) installs a record factory that passes every record
through `MaskTokens`, so no handler, not even one added later (pytest's caplog, gunicorn's own),
sees a token. `GunicornLogger` does the same in gunicorn's master process. Stdlib only (the gunicorn
master imports this module before Django is set up).
"""

from __future__ import annotations

import logging
import logging.config
import re
from typing import Any

MASK = "[masked]"

# A segment after one of these path words is a token, whatever it looks like
# (/demo/signup/confirm/<t>/, /demo/me/<t>/, /f/<t>/, /accounts/password/reset/<t>/, /accounts/invitation/<t>/).
_ROUTE_WORDS = ("confirm", "me", "f", "reset", "invitation", "invite", "setup", "first-run", "start")
_WORDS = "|".join(map(re.escape, _ROUTE_WORDS))
_ROUTE = re.compile(rf"(/(?:{_WORDS})/)(?!{re.escape(MASK)})[^/?#\s\"'<>]+")
# Anything shaped like a django.core.signing value: parts joined by ':' (also URL-encoded), ending in a
# signature of exactly 43 (sha256) or 27 (sha1) URL-safe base64 characters.
_SIGNED = re.compile(
    r"[A-Za-z0-9_\-.]+(?:(?::|%3[Aa])[A-Za-z0-9_\-]+){0,2}(?::|%3[Aa])"
    r"(?:[A-Za-z0-9_\-]{43}|[A-Za-z0-9_\-]{27})(?![A-Za-z0-9_\-])"
)
# Query parameters that carry secrets.
_QUERY = re.compile(r"([?&;](?:token|key|code|signature)=)([^&;#\s\"']+)", re.IGNORECASE)


def mask_tokens(text: str) -> str:
    """`text` with every token masked: route segments, signed values and secret query parameters."""
    if not text:
        return text
    text = _ROUTE.sub(lambda m: m.group(1) + MASK, text)
    text = _SIGNED.sub(MASK, text)
    return _QUERY.sub(lambda m: m.group(1) + MASK, text)


class MaskTokens(logging.Filter):
    """Rewrites the record's message with tokens masked (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    if getattr(record, "_kompis_masked", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # a broken format string is the logging module's to report, not ours
        return record
    masked = mask_tokens(message)
    if masked != message:
        record.msg, record.args = masked, ()
    # The request object Django attaches is kept, but its path no longer shows in a formatter.
    setattr(record, "_kompis_masked", True)  # noqa: B010
    return record


_previous_factory = None


def install_record_factory() -> None:
    """Mask every record at creation, whichever logger or handler it goes to. Idempotent."""
    global _previous_factory
    if _previous_factory is not None:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(previous(*args, **kwargs))

    _previous_factory = previous
    logging.setLogRecordFactory(factory)


def configure_logging(config: dict[str, Any]) -> None:
    """settings.LOGGING_CONFIG: the dictConfig of settings.LOGGING plus the masking record factory."""
    install_record_factory()
    logging.config.dictConfig(config)


try:  # gunicorn is a run dependency, but keep this module importable without it
    from gunicorn.glogging import Logger as _GunicornBase
except ImportError:  # pragma: no cover
    _GunicornBase = object


# gunicorn has no type hints, so its Logger is Any to mypy (subclassing Any is [misc]).
class GunicornLogger(_GunicornBase):  # type: ignore[misc]
    """`gunicorn --logger-class kompis.core.logs.GunicornLogger`: the access and error logs masked."""

    def __init__(self, cfg: Any) -> None:
        install_record_factory()
        super().__init__(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(MaskTokens())
