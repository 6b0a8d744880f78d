"""Numbers in participant pages and mails come from the settings and are shown with plural forms
(translators' review, issue 9): no "7 days" written into the text, no "1 days"."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.core import mail

from kompis.participants import services
from tests.participants.test_confirmation import signed_up  # noqa: F401  (fixture)
from tests.participants.test_signup import SIGNUP, VALID

pytestmark = pytest.mark.django_db


def test_signup_thanks_page_tells_the_configured_lifetime(client, world, settings):
    settings.SIGNUP_CONFIRM_DAYS = 3
    client.get("/language/en/?next=/")
    response = client.post(SIGNUP, VALID, follow=True)
    page = response.content.decode()
    assert "The link works for 3 days." in page
    assert "7 days" not in page


def test_one_day_is_singular_in_page_and_mail(client, world, settings, django_capture_on_commit_callbacks):
    settings.SIGNUP_CONFIRM_DAYS = 1
    client.get("/language/en/?next=/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, VALID, follow=True)
    assert "The link works for 1 day." in response.content.decode()
    message = mail.outbox[-1]
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "The link works for 1 day." in part and "1 days" not in part
        assert "If you did not sign up, you can ignore this e-mail" in part


def test_expired_page_names_the_configured_days_not_seven(client, signed_up, settings):  # noqa: F811
    settings.SIGNUP_CONFIRM_DAYS = 3
    p, _path = signed_up()
    long_ago = time.time() - 4 * 86400
    with mock.patch("time.time", return_value=long_ago):
        old_token = services.confirmation_token(p)
    response = client.post(f"/kompisforeningen/signup/confirm/{old_token}/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "not confirmed within 3 days are removed" in page
    assert "7 days" not in page
