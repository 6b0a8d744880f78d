"""Translation fallback: a string missing from a language's catalogue is shown in English, never Swedish.

Django falls back to LANGUAGE_CODE (Swedish here) for every string a catalogue lacks. Django itself has
no Somali catalogue, so a Somali speaker saw Django's form errors ("This field is required.") in Swedish.
Kompis's source strings are English, so "no fallback" means English: installed from CoreConfig.ready().

Django's own messages that Kompis's public forms show, for translators who add them to a catalogue
(they are listed here so that `makemessages` keeps them in Kompis's catalogues):
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_FORM_MESSAGES = (
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a list of values."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
)
DJANGO_FORM_PLURAL_MESSAGES = (
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
)


def _no_default_language_fallback(self: Any, localedirs: Any = None) -> None:
    """Replaces DjangoTranslation._add_fallback: missing strings stay in English (the source language)."""
    return None


def install_english_fallback() -> None:
    from django.utils.translation import trans_real

    setattr(trans_real.DjangoTranslation, "_add_fallback", _no_default_language_fallback)  # noqa: B010
    setattr(trans_real, "_translations", {})  # noqa: B010  (catalogues loaded before are built again)
