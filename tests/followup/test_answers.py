"""Follow-up answers are recorded only by pressing the button (issue 10 §4): opening a link (GET or HEAD,
as mail scanners do) only shows the chosen answer; the latest deliberate answer counts, the timeline keeps
every answer, and a match is never both "met" and the subject of an open "will not meet" task."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from kompis.audit.models import AuditEvent
from kompis.followup import services
from kompis.followup.models import FollowUp, TaskKind
from kompis.matching.models import MatchStatus
from kompis.worklist.models import Task

pytestmark = pytest.mark.django_db


def link(followup, value: str) -> str:
    return services.answer_url(followup, value).split("8000", 1)[1]


@pytest.fixture
def asked(make_match):
    match = make_match()
    services.ask_due_followups(now=match.introduced_at + timedelta(days=14, minutes=1))
    newcomer_q = FollowUp.objects.get(match=match, participant=match.newcomer)
    established_q = FollowUp.objects.get(match=match, participant=match.established)
    return match, newcomer_q, established_q


def press(followup, value: str, comment: str = ""):
    """A fresh browser opens the link, gets the page (and its CSRF cookie) and presses the button."""
    browser = Client(enforce_csrf_checks=True)
    url = link(followup, value)
    page = browser.get(url)
    assert page.status_code == 200
    token = browser.cookies["csrftoken"].value
    return browser.post(url, {"comment": comment, "csrfmiddlewaretoken": token})


@pytest.mark.parametrize("value", ["met", "not_yet", "will_not_meet"])
@pytest.mark.parametrize("method", ["get", "head"])
def test_opening_an_answer_link_records_nothing(client, asked, value, method):
    match, question, _other = asked
    response = getattr(client, method)(link(question, value))
    assert response.status_code == 200
    question.refresh_from_db()
    match.refresh_from_db()
    assert question.answer == "" and question.answered_at is None
    assert match.status == MatchStatus.FOLLOWUP_ASKED
    assert not Task.objects.exists()
    assert not AuditEvent.objects.filter(action="followup.answered").exists()


def test_the_page_shows_the_chosen_answer_in_the_participants_language_with_one_button(client, asked):
    _match, question, _other = asked
    html = Client().get(link(question, "will_not_meet")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html  # Samir reads Arabic, whatever the browser says
    assert html.count('type="submit"') == 1 and 'name="csrfmiddlewaretoken"' in html
    assert "/f/" in html  # links to the other two answers (pages, not actions)


def test_pressing_the_button_in_a_fresh_browser_records_the_answer(asked):
    match, question, _other = asked
    response = press(question, "met", comment="Vi fikade.")
    assert response.status_code == 200
    question.refresh_from_db()
    match.refresh_from_db()
    assert question.answer == "met" and question.comment == "Vi fikade."
    assert match.status == MatchStatus.MET and match.met_at


def test_a_post_without_the_csrf_token_is_refused(asked):
    _match, question, _other = asked
    response = Client(enforce_csrf_checks=True).post(link(question, "met"), {"comment": ""})
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.answer == ""


def test_latest_deliberate_answer_wins_and_the_history_is_kept(client, asked, world):
    match, question, _other = asked
    press(question, "not_yet")
    press(question, "met")
    question.refresh_from_db()
    match.refresh_from_db()
    assert question.answer == "met" and match.status == MatchStatus.MET
    events = AuditEvent.objects.filter(action="followup.answered", object_id=str(match.uid)).order_by("id")
    assert [(e.data["previous"], e.data["answer"]) for e in events] == [("", "not_yet"), ("not_yet", "met")]
    client.force_login(world.admin)
    page = client.get(reverse("followup:match", args=[match.uid])).content.decode()
    # the match's timeline shows both answers, newest first
    first, latest = page.find("answered “Not yet”"), page.find("answered “Yes, we met”")
    assert first > 0 and latest > 0 and latest < first


def test_met_after_will_not_meet_resolves_the_task(asked):
    match, question, other = asked
    press(question, "will_not_meet")
    task = Task.objects.get(kind=TaskKind.WILL_NOT_MEET)
    assert task.is_open
    press(other, "met")  # the partner says they met: the latest word
    task.refresh_from_db()
    match.refresh_from_db()
    assert match.status == MatchStatus.MET and not task.is_open and task.outcome == "met"


def test_will_not_meet_after_met_takes_the_match_out_of_met(asked):
    match, question, _other = asked
    press(question, "met")
    press(question, "will_not_meet")  # the same person changes her mind
    match.refresh_from_db()
    assert match.status != MatchStatus.MET and match.met_at is None
    assert Task.objects.filter(kind=TaskKind.WILL_NOT_MEET, resolved_at__isnull=True).count() == 1


def test_not_yet_takes_back_a_will_not_meet(asked):
    match, question, _other = asked
    press(question, "will_not_meet")
    press(question, "not_yet")
    match.refresh_from_db()
    assert match.status == MatchStatus.NOT_YET
    assert not Task.objects.filter(resolved_at__isnull=True).exists()


@pytest.mark.parametrize(
    "answers",
    [
        ["met", "will_not_meet"],
        ["will_not_meet", "met"],
        ["met", "not_yet", "will_not_meet", "met"],
        ["will_not_meet", "not_yet", "met", "will_not_meet"],
    ],
)
def test_never_met_with_an_open_will_not_meet_task(asked, answers):
    match, newcomer_q, established_q = asked
    for i, value in enumerate(answers):
        press(newcomer_q if i % 2 == 0 else established_q, value)
        match.refresh_from_db()
        open_wnm = Task.objects.about(match).filter(kind=TaskKind.WILL_NOT_MEET, resolved_at__isnull=True)
        assert not (match.status == MatchStatus.MET and open_wnm.exists()), (answers[: i + 1], match.status)
