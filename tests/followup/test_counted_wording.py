"""The waiting times participants read come from the settings, with plural forms (issue 9 translators'
review): the introduction names the organisation's follow-up days, the "not yet" page the days until
the question is asked again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from kompis.followup import services
from kompis.followup.models import FollowUp
from kompis.outbox.models import OutboxMessage
from kompis.outbox.rendering import render

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "days, wording", [(10, "In 10 days we will ask you both"), (1, "In 1 day we will ask")]
)
def test_introduction_names_the_organisations_followup_days(world, make_match, days, wording):
    world.org.followup_days = days
    world.org.save()
    match = make_match()
    message = OutboxMessage.objects.filter(template="introduction", participant=match.established).get()
    assert message.context["followup_days"] == days
    message.language = "en"
    _subject, text, html = render(message)
    for part in (text, html):
        assert wording in part
        assert "two weeks" not in part and "1 days" not in part


def test_introduction_queued_before_the_change_still_renders(world, make_match):
    match = make_match()
    message = OutboxMessage.objects.filter(template="introduction", participant=match.established).get()
    message.context.pop("followup_days")
    message.language = "en"
    _subject, text, _html = render(message)
    assert "In 14 days we will ask you both" in text


def test_not_yet_page_names_the_configured_days(make_match, settings):
    settings.FOLLOWUP_NOT_YET_DAYS = 3
    match = make_match()
    services.ask_due_followups(now=match.introduced_at + timedelta(days=14, minutes=1))
    question = FollowUp.objects.get(match=match, participant=match.established)
    question.participant.preferred_language = "en"
    question.participant.save()
    browser = Client(enforce_csrf_checks=True)
    url = services.answer_url(question, "not_yet").split("8000", 1)[1]
    browser.get(url)
    page = browser.post(url, {"comment": "", "csrfmiddlewaretoken": browser.cookies["csrftoken"].value})
    html = page.content.decode()
    assert "We will ask again in 3 days." in html
    assert "in a week" not in html
