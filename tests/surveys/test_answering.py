"""Answering a personal survey link: pages and conditions decided on the server, required answers, partial
answers kept and resumed, submit once, thank-you, and links that must change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.surveys.models import AnonymousPending, Invitation, Response, WaveStatus
from kompis.surveys.tokens import hash_token
from tests.surveys.answer_fixtures import invite, open_wave, two_page_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def wave(world):
    return open_wave(two_page_survey(world))


def _url(token: str) -> str:
    return reverse("surveys_public:respond", args=[token])


def _page1(client, token, **fields):
    data = {"page": "1", "next": "1", **fields}
    return client.post(_url(token), data)


def _snapshot(invitation: Invitation) -> tuple:
    invitation.refresh_from_db()
    return (invitation.partial, invitation.page, invitation.used, invitation.submitted_at)


def test_token_is_stored_as_its_hash_only(world, wave):
    token, invitation = invite(wave, world=world)
    assert invitation.token_hash == hash_token(token) and token not in invitation.token_hash
    assert len(token) == 32


def test_first_page_shows_questions_without_condition_and_get_changes_nothing(client, world, wave):
    token, invitation = invite(wave, world=world)
    before = _snapshot(invitation)
    page = client.get(_url(token))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Do you have a job?" in html and "Which lessons?" in html
    assert "Hours a week?" not in html  # shown only when has_job = yes
    assert "Page 1 of 2" in html
    client.head(_url(token))
    assert _snapshot(invitation) == before


def test_required_answer_missing_names_the_question_and_keeps_the_page(client, world, wave):
    token, invitation = invite(wave, world=world)
    page = _page1(client, token, **{"q-lessons": ["swedish"]})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Do you have a job?: This question needs an answer." in html
    invitation.refresh_from_db()
    assert invitation.page == 1
    assert invitation.partial == {"lessons": ["swedish"]}  # what was valid is kept


def test_bad_option_code_and_bad_number_are_refused_naming_the_question(client, world, wave):
    token, invitation = invite(wave, world=world)
    html = _page1(client, token, **{"q-has_job": "maybe", "q-lessons": ["latin"]}).content.decode()
    assert "Do you have a job?: Choose yes or no." in html
    assert "Which lessons?: Choose one of the answers shown." in html
    invitation.refresh_from_db()
    assert invitation.partial == {} and invitation.page == 1


def test_condition_on_the_same_page_shows_the_question_before_moving_on(client, world, wave):
    token, invitation = invite(wave, world=world)
    moved = _page1(client, token, **{"q-has_job": "yes"})
    assert moved.status_code == 302 and moved["Location"].endswith("?more=1")
    invitation.refresh_from_db()
    assert invitation.page == 1 and invitation.partial == {"has_job": "yes"}
    html = client.get(moved["Location"]).content.decode()
    assert "Hours a week?" in html and "added a question" in html
    data = {"page": "1", "next": "1", "q-has_job": "yes"}
    html = client.post(_url(token), data).content.decode()
    assert "Hours a week?: This question needs an answer." in html
    data["q-hours"] = "12,5"
    assert client.post(_url(token), data).status_code == 302
    invitation.refresh_from_db()
    assert invitation.page == 2 and invitation.partial == {"has_job": "yes", "hours": 12.5}


def test_changing_an_answer_drops_the_answers_it_no_longer_shows(client, world, wave):
    token, invitation = invite(wave, world=world)
    invitation.partial = {"has_job": "yes", "hours": 20}
    invitation.save()
    _page1(client, token, **{"q-has_job": "no"})
    invitation.refresh_from_db()
    assert invitation.partial == {"has_job": "no"} and invitation.page == 2


def test_partial_answers_are_kept_and_resumed_on_the_page_reached(client, world, wave):
    token, invitation = invite(wave, world=world)
    _page1(client, token, **{"q-has_job": "no", "q-lessons": ["swedish", "english"]})
    other_visit = client.__class__()
    html = other_visit.get(_url(token)).content.decode()
    assert "Page 2 of 2" in html and "How satisfied are you?" in html
    # back keeps page 2's valid answers and shows page 1 with the answers given
    other_visit.post(
        _url(token),
        {"page": "2", "back": "1", "q-satisfied": "4"},
    )
    invitation.refresh_from_db()
    assert invitation.page == 1 and invitation.partial["satisfied"] == 4
    html = other_visit.get(_url(token)).content.decode()
    assert 'value="no" checked' in html and 'value="english" checked' in html


def test_submit_writes_one_identified_response_and_then_shows_thank_you(client, world, wave):
    token, invitation = invite(wave, world=world)
    _page1(client, token, **{"q-has_job": "no"})
    last = {
        "page": "2",
        "next": "1",
        "q-satisfied": "5",
        "q-started": "2026-09-01",
        "q-comment": "Bra",
    }
    assert client.post(_url(token), last).status_code == 302
    again = client.post(_url(token), last)  # sent twice: thank you, nothing more written
    assert again.status_code == 200 and "Thank you" in again.content.decode()
    response = Response.objects.get()
    assert response.participant_id == invitation.participant_id and response.invitation_id == invitation.pk
    assert response.answers == {"has_job": "no", "satisfied": 5, "started": "2026-09-01", "comment": "Bra"}
    invitation.refresh_from_db()
    assert invitation.used and invitation.submitted_at is not None and invitation.partial == {}
    html = client.get(_url(token)).content.decode()
    assert "Thank you" in html and "How satisfied" not in html and '<form method="post"' not in html
    events = AuditEvent.objects.filter(action="survey.response_submitted")
    assert events.count() == 1 and events.get().data["wave"] == str(wave.uid)


def test_bad_date_and_scale_point_are_refused(client, world, wave):
    token, _ = invite(wave, world=world)
    _page1(client, token, **{"q-has_job": "no"})
    html = client.post(
        _url(token),
        {
            "page": "2",
            "next": "1",
            "q-satisfied": "9",
            "q-started": "1 Sept",
        },
    ).content.decode()
    assert "How satisfied are you?: Choose a point on the scale." in html
    assert "When did you start?: Write a date as year-month-day" in html
    assert not Response.objects.exists()


@pytest.mark.parametrize("token", ["tampered-token-that-is-not-ours-at-all", "x", "a" * 200])
def test_unknown_or_tampered_token_shows_a_friendly_page_and_changes_nothing(client, world, wave, token):
    real, invitation = invite(wave, world=world)
    before = _snapshot(invitation)
    for response in (client.get(_url(token)), _page1(client, token, **{"q-has_job": "no"})):
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
    changed = real[:-1] + ("A" if real[-1] != "A" else "B")
    assert _page1(client, changed, **{"q-has_job": "no"}).status_code == 404
    assert _snapshot(invitation) == before


def test_closed_or_expired_wave_shows_closed_and_changes_nothing(client, world, wave):
    token, invitation = invite(wave, world=world)
    wave.status = WaveStatus.CLOSED
    wave.save()
    before = _snapshot(invitation)
    assert "This survey is closed" in client.get(_url(token)).content.decode()
    assert _page1(client, token, **{"q-has_job": "no"}).status_code == 410
    wave.status = WaveStatus.OPEN
    wave.closes_at = timezone.now() - timedelta(minutes=1)
    wave.opens_at = wave.closes_at - timedelta(days=3)
    wave.save()
    assert _page1(client, token, **{"q-has_job": "no"}).status_code == 410
    assert _snapshot(invitation) == before and not Response.objects.exists()


def test_foreign_token_of_another_wave_answers_that_wave_only(client, world, wave):
    """A token is the invitation: posting another wave's page numbers or questions to it changes only its
    own invitation, and another organisation's survey is untouched."""
    other_wave = open_wave(two_page_survey(world))
    token, invitation = invite(wave, world=world)
    _, foreign = invite(other_wave, world=world)
    before = _snapshot(foreign)
    _page1(client, token, **{"q-has_job": "no", "page": "7"})
    assert _snapshot(foreign) == before
    invitation.refresh_from_db()
    assert invitation.partial == {"has_job": "no"}


def test_page_opens_in_the_invitations_language_right_to_left_for_arabic(client, world, wave):
    token, _ = invite(wave, world=world, language="ar")
    html = client.get(_url(token)).content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html and "هل لديك عمل؟" in html
    token, _ = invite(wave, world=world, language="uk")
    html = client.get(_url(token)).content.decode()
    assert 'dir="ltr"' in html and "Чи маєте ви роботу?" in html


def test_anonymous_submission_keeps_no_time_and_waits(client, world):
    wave = open_wave(two_page_survey(world, anonymous=True, k_min=3))
    token, invitation = invite(wave, world=world)
    _page1(client, token, **{"q-has_job": "no"})
    sent = client.post(_url(token), {"page": "2", "next": "1", "q-satisfied": "3"})
    assert sent.status_code == 302, sent.content.decode()
    invitation.refresh_from_db()
    assert invitation.used, (invitation.page, invitation.partial, sent["Location"])
    assert invitation.submitted_at is None and invitation.partial == {}
    assert AnonymousPending.objects.get().answers == {"has_job": "no", "satisfied": 3}
    assert not Response.objects.exists()
    assert "Thank you" in client.get(_url(token)).content.decode()


def test_staff_preview_shows_a_page_in_any_language_and_writes_nothing(client, world):
    survey = two_page_survey(world)
    survey.region = world.uppsala
    survey.save()
    url = reverse("surveys_public:preview", args=[survey.uid])
    rows_before = (Invitation.objects.count(), Response.objects.count(), AuditEvent.objects.count())
    client.force_login(world.uppsala_coordinator)
    html = client.get(url, {"lang": "ar", "page": "1"}).content.decode()
    assert 'dir="rtl"' in html and "هل لديك عمل؟" in html and "كم ساعة في الأسبوع؟" in html
    html = client.get(url, {"lang": "uk", "page": "2"}).content.decode()
    # page 2 in Ukrainian: its question, and the link back to page 1 (the page's words are in Ukrainian)
    assert "Наскільки ви задоволені?" in html and "?lang=uk&amp;page=1" in html
    assert client.get(url, {"lang": "fa"}).status_code == 200  # not a survey language: its first one
    assert client.post(url, {"q-has_job": "yes"}).status_code == 405
    assert (Invitation.objects.count(), Response.objects.count(), AuditEvent.objects.count()) == rows_before


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("admin", 200),
        ("uppsala_coordinator", 200),
        ("danderyd_coordinator", 404),  # another region's survey
        ("other_coordinator", 404),  # another organisation
        ("viewer", 403),  # results only
    ],
)
def test_preview_access_for_every_persona(client, world, persona, status):
    survey = two_page_survey(world)
    survey.region = world.uppsala
    survey.save()
    url = reverse("surveys_public:preview", args=[survey.uid])
    assert client.get(url).status_code == 302  # not logged in: to the log-in page
    client.force_login(getattr(world, persona))
    assert client.get(url).status_code == status


@pytest.mark.parametrize(
    ("language", "direction"),
    [("sv", "ltr"), ("en", "ltr"), ("ar", "rtl"), ("fa", "rtl"), ("so", "ltr"), ("uk", "ltr")],
)
def test_every_language_opens_in_its_direction(client, world, language, direction):
    survey = two_page_survey(world)
    survey.languages = ["sv", "en", "ar", "fa", "so", "uk"]
    survey.save()
    token, _ = invite(open_wave(survey), world=world, language=language)
    html = client.get(_url(token)).content.decode()
    assert f'lang="{language}" dir="{direction}"' in html
