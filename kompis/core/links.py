"""Absolute links for mails, built fast (URL reversing is slow when thousands of mails are queued)."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.urls import reverse


@cache
def _pattern(name: str, arity: int) -> str:
    return reverse(name, args=[f"__arg{i}__" for i in range(arity)])


def absolute_url(name: str, *args: str) -> str:
    """SITE_ROOT + reverse(name, args); args must be URL-safe (slugs, signed tokens)."""
    path = _pattern(name, len(args))
    for i, value in enumerate(args):
        path = path.replace(f"__arg{i}__", value, 1)
    return settings.SITE_ROOT + path
