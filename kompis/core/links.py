"""Absolute links for mails, built fast (URL reversing is slow when thousands of mails are queued), and
the language of the pages those links open."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation


@cache
def _pattern(name: str, arity: int) -> str:
    return reverse(name, args=[f"__arg{i}__" for i in range(arity)])


def absolute_url(name: str, *args: str) -> str:
    """SITE_ROOT + reverse(name, args); args must be URL-safe (slugs, signed tokens)."""
    path = _pattern(name, len(args))
    for i, value in enumerate(args):
        path = path.replace(f"__arg{i}__", value, 1)
    return settings.SITE_ROOT + path


# --- pages opened from a participant's mail link ------------------------------------------------------

#: Set (for the browser session only) by the language switcher: the visitor chose a language on this visit.
LANGUAGE_CHOSEN_COOKIE = "kompis_language_chosen"


def page_language(request: HttpRequest, preferred: str) -> str:
    """The language of a page reached from a participant's mail link: the participant's own, unless the
    visitor has switched language during this visit (the switcher's choice wins until the browser closes).
    """
    supported = dict(settings.LANGUAGES)
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if request.COOKIES.get(LANGUAGE_CHOSEN_COOKIE) and chosen in supported:
        return chosen
    if preferred in supported:
        return preferred
    return translation.get_language() or settings.LANGUAGE_CODE


def render_in(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    language: str,
    status: int = 200,
) -> HttpResponse:
    """Render a public page in `language` (messages added before are shown in it too)."""
    with translation.override(language):
        request.LANGUAGE_CODE = language
        response = render(request, template, context, status=status)
    response.headers["Content-Language"] = language
    return response
