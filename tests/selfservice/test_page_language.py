"""Pages reached from a participant's mail link open in her language (issue 9), whatever the browser's
Accept-Language or an old language cookie says; a language chosen with the switcher on this visit wins.
Django's own form messages never fall back to Swedish for a non-Swedish speaker (Somali)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils.translation import trans_real

from kompis.followup import services as followup
from kompis.followup.models import FollowUp
from kompis.matching.models import Match
from kompis.participants import services
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

SWEDISH_REQUIRED = "Detta fält måste fyllas i."


def path_of(url: str) -> str:
    return url.split("127.0.0.1:8000", 1)[1]


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def english_browser():
    """A browser that asks for English and once chose English on the site long ago (a year-long cookie)."""
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.cookies["kompis_language"] = "en"
    return browser


@pytest.fixture
def arabic_pending(world):
    return ParticipantFactory(organisation=world.org, status="pending", preferred_language="ar")


def test_confirm_page_from_an_arabic_mail_is_arabic(english_browser, arabic_pending):
    url = path_of(services.confirmation_url(arabic_pending))
    page = english_browser.get(url)
    assert html_lang(page) == "ar" and 'dir="rtl"' in page.content.decode()
    assert page["Content-Language"] == "ar"
    done = english_browser.post(url)
    assert html_lang(done) == "ar"


def test_self_service_page_from_an_arabic_mail_is_arabic(english_browser, world):
    person = ParticipantFactory(organisation=world.org, preferred_language="ar")
    url = path_of(services.self_service_url(person))
    assert html_lang(english_browser.get(url)) == "ar"
    # the confirmation message after a button press is in her language too
    page = english_browser.post(url, {"action": "unsubscribe"}, follow=True)
    assert html_lang(page) == "ar"
    assert "You will not get any more questions" not in page.content.decode()


@pytest.mark.parametrize("language", ["sv", "ar", "fa", "so", "uk"])
def test_followup_answer_and_thanks_pages_are_in_the_participants_language(english_browser, world, language):
    newcomer = ParticipantFactory(organisation=world.org, status="matched", preferred_language=language)
    established = ParticipantFactory(organisation=world.org, status="matched", role="established")
    match = Match.objects.create(
        organisation=world.org, newcomer=newcomer, established=established, created_by=world.admin
    )
    followup.introduce_match(actor=world.admin, match=match)
    match.refresh_from_db()
    followup.ask_due_followups(now=match.introduced_at + timedelta(days=15))
    question = FollowUp.objects.get(match=match, participant=newcomer)
    url = path_of(followup.answer_url(question, "met"))
    assert html_lang(english_browser.get(url)) == language
    assert html_lang(english_browser.post(url, {"comment": ""})) == language


def test_the_language_switcher_wins_for_this_visit(english_browser, arabic_pending):
    url = path_of(services.confirmation_url(arabic_pending))
    english_browser.get(f"/language/uk/?next={url}")
    assert html_lang(english_browser.get(url)) == "uk"
    english_browser.get(f"/language/sv/?next={url}")
    assert html_lang(english_browser.get(url)) == "sv"


def test_somali_form_errors_are_never_swedish(client, world, settings):
    settings.LANGUAGE_CODE = "sv"  # production: Swedish is the site's default language
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)  # catalogues are loaded afresh under it
    assert trans_real._translations == {}
    client.cookies["kompis_language"] = "so"
    page = client.post("/kompisforeningen/signup/", {"email": "not-an-address", "capacity": "1"})
    html = page.content.decode()
    assert page.status_code == 200 and html_lang(page) == "so"
    assert SWEDISH_REQUIRED not in html and "Ange en giltig e-postadress." not in html
    # Django has no Somali catalogue: its messages are translated in Kompis's (kompis/core/django_strings.py)
    assert "Geli cinwaan iimayl oo sax ah." in html and "Goobtan waa in la buuxiyaa." in html


def test_somali_participant_page_errors_are_never_swedish(world, settings):
    settings.LANGUAGE_CODE = "sv"
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)
    person = ParticipantFactory(organisation=world.org, preferred_language="so")
    page = Client().post(path_of(services.self_service_url(person)), {"action": "pause", "until": "nonsense"})
    html = page.content.decode()
    assert html_lang(page) == "so"
    assert "Ange ett giltigt datum." not in html and SWEDISH_REQUIRED not in html
    assert "Geli taariikh sax ah." in html  # Django's "Enter a valid date." from Kompis's Somali catalogue
