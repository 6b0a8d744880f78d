"""Django's own form messages, listed so that `makemessages` keeps them in Kompis's catalogues.

Django ships no Somali catalogue, so without help a Somali speaker sees Django's form errors ("This
field is required.") untranslated. The fix is to translate them in Kompis's own catalogue
(`kompis/locale/so/LC_MESSAGES/django.po`), which Django consults before its own (LOCALE_PATHS wins).
But `makemessages` drops every msgid it cannot find in Kompis's source, so the exact msgids are
listed here, copied from `django/conf/locale/en/LC_MESSAGES/django.po` (the `forms/` and
`core/validators` sections), limited to the messages a public or staff form of Kompis can show:
required fields, e-mail, URL, numbers with limits, dates, choices, the hidden UUID of a chosen
partner, file uploads (import, logo) and the length limits of text fields.

For every other language leave these msgstr empty: gettext leaves empty translations out of the
compiled catalogue, so the lookup falls through to Django's own, better-maintained translation.
Only Somali (no Django catalogue) fills them in.

The texts must stay byte-for-byte equal to Django's msgids (curly quotes included); when Django
changes a message, update it here and in `so`. Nothing imports this module at run time: the strings
are marked with `gettext_noop` (a no-op at import), and the one plural message with `ngettext_lazy`
inside a tuple, which `makemessages` extracts with its plural form (Django has no `ngettext_noop`;
the lazy object is never evaluated here).
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_FORM_MESSAGES: tuple[str, ...] = (
    # django/forms/fields.py
    gettext_noop("This field is required."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid UUID."),
    gettext_noop("Enter a list of values."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("No file was submitted. Check the encoding type on the form."),
    gettext_noop("No file was submitted."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("Please either submit a file or check the clear checkbox, not both."),
    # django/forms/models.py (ModelChoiceField, ModelMultipleChoiceField)
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("“%(pk)s” is not a valid value."),
    # django/core/validators.py
    gettext_noop("Enter a valid value."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Null characters are not allowed."),
)

DJANGO_FORM_PLURAL_MESSAGES = (
    # django/core/validators.py MaxLengthValidator (CharField max_length)
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
)
