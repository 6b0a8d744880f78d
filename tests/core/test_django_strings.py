"""Django's own form messages in Somali (issue 9): Django has no Somali catalogue, so the messages Kompis's
forms show are listed in kompis/core/django_strings.py and translated in Kompis's Somali catalogue."""

from __future__ import annotations

import pytest
from django.utils import translation

from kompis.core.django_strings import DJANGO_FORM_MESSAGES, DJANGO_FORM_PLURAL_MESSAGES


@pytest.mark.parametrize("message", DJANGO_FORM_MESSAGES)
def test_each_listed_message_is_djangos_own_and_has_somali(message):
    with translation.override("sv"):  # Django translates it: the msgid is exactly Django's
        assert translation.gettext(message) != message
    with translation.override("so"):  # and Kompis's Somali catalogue has it
        assert translation.gettext(message) != message


def test_the_length_message_has_somali_plural_forms():
    (message,) = DJANGO_FORM_PLURAL_MESSAGES
    with translation.override("so"):
        one = message % {"limit_value": 1, "show_value": 3}
        many = message % {"limit_value": 200, "show_value": 250}
    assert one == "Qoraalku waa inuu ahaadaa ugu badnaan 1 xaraf (hadda waa 3)."
    assert many == "Qoraalku waa inuu ahaadaa ugu badnaan 200 xaraf (hadda waa 250)."
