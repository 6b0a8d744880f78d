"""Translation fallback: a string missing from a language's catalogue is shown in English, never Swedish.

Django falls back to LANGUAGE_CODE (Swedish here) for every string a catalogue lacks. Django itself has
no Somali catalogue, so a Somali speaker saw Django's form errors ("This field is required.") in Swedish.
Kompis's source strings are English, so "no fallback" means English: installed from CoreConfig.ready().

Django's own form messages that Kompis shows are listed in `kompis/core/django_strings.py`, so that
`makemessages` keeps them and the Somali catalogue can translate them.
"""

from __future__ import annotations

from typing import Any


def _no_default_language_fallback(self: Any, localedirs: Any = None) -> None:
    """Replaces DjangoTranslation._add_fallback: missing strings stay in English (the source language)."""
    return None


def install_english_fallback() -> None:
    from django.utils.translation import trans_real

    setattr(trans_real.DjangoTranslation, "_add_fallback", _no_default_language_fallback)  # noqa: B010
    setattr(trans_real, "_translations", {})  # noqa: B010  (catalogues loaded before are built again)
