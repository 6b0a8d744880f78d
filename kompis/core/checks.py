"""System checks of the production settings that Django's own `check --deploy` does not know about."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0")


@register(Tags.security, deploy=True)
def site_root_is_public(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """SITE_ROOT starts every link in a mail (sign-up confirmation, personal page, follow-up answers, staff
    invitations): on a server it must be the public HTTPS address, not this machine's."""
    if settings.DEVELOPMENT:
        return []
    root = urlsplit(settings.SITE_ROOT)
    if root.scheme == "https" and root.hostname and root.hostname not in LOCAL_HOSTS:
        return []
    return [
        Warning(
            f"SITE_ROOT is {settings.SITE_ROOT}: the links in every mail Kompis sends would point there, "
            "and participants could not open them.",
            hint="Set SITE_ROOT to the public HTTPS address of this server, e.g. https://kompis.example.org.",
            id="kompis.W001",
        )
    ]
