import re
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from kompis.outbox.models import OutboxMessage
from kompis.outbox.services import render


@pytest.fixture(autouse=True)
def _clean_cache(db):
    cache.clear()  # rate limits
    yield
    cache.clear()


def mail_link(template: str, to: str) -> str:
    """The one link to Kompis in the newest mail of this template to this address (the text part)."""
    message = OutboxMessage.objects.filter(template=template, to_email=to).order_by("-id").first()
    assert message is not None, f"no {template} mail to {to}"
    _subject, text, _html = render(message)
    links = re.findall(r"https?://\S+/(?:accounts/invitation|accounts/password/reset)/\S+/", text)
    assert len(links) == 1, text
    return urlsplit(links[0]).path
