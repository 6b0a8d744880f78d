"""Subject, text and HTML of an outbox mail, in its language."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.template.loader import get_template
from django.utils import translation

from kompis.outbox.models import OutboxMessage

RTL_LANGUAGES = {"ar", "fa"}


def render(message: OutboxMessage) -> tuple[str, str, str]:
    """Subject, text and HTML of a mail, in its language (the contact block comes from the row's context,
    written when the mail was queued)."""
    context = {
        **message.context,
        "language": message.language,
        "direction": "rtl" if message.language in RTL_LANGUAGES else "ltr",
        "site_root": settings.SITE_ROOT,
    }
    with translation.override(message.language):
        subject = _template(f"{message.template}.subject.txt").render(context).strip()
        text = _template(f"{message.template}.txt").render(context)
        html = _template(f"{message.template}.html").render({**context, "subject": subject})
    return " ".join(subject.split()), text, html


@cache
def _template(name: str) -> Any:
    return get_template(f"outbox/mail/{name}")
