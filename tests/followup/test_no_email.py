"""A person without an e-mail address (signed up on paper, imported) still takes part: wherever a mail would
go to them, staff get a task to call instead, and the answer they record there counts like a clicked one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.audit.selectors import history_of
from kompis.audit.sentences import history_lines
from kompis.followup import services
from kompis.followup.models import FollowUp, TaskKind
from kompis.matching.models import Match, MatchStatus
from kompis.outbox.models import OutboxMessage
from kompis.participants.services import withdraw_participant
from kompis.reports import selectors as figures
from kompis.reports.periods import parse_period
from kompis.reports.scope import ReportScope
from kompis.worklist import services as worklist
from kompis.worklist.models import Task
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper_match(world):
    """Samir signed up on paper (a phone number, no e-mail address); Britt has an address."""
    newcomer = ParticipantFactory(
        organisation=world.org,
        region=world.uppsala,
        role="newcomer",
        status="matched",
        first_name="Samir",
        email="",
        phone="070-1112233",
        source="import",
    )
    established = ParticipantFactory(
        organisation=world.org, region=world.uppsala, role="established", status="matched", first_name="Britt"
    )
    match = Match.objects.create(
        organisation=world.org,
        newcomer=newcomer,
        established=established,
        mode="physical",
        created_by=world.uppsala_coordinator,
    )
    services.introduce_match(actor=world.uppsala_coordinator, match=match)
    match.refresh_from_db()
    return match


def asked_on(match):
    return match.introduced_at + timedelta(days=match.organisation.followup_days, minutes=1)


def calls(match, kind):
    return Task.objects.about(match).filter(participant=match.newcomer, kind=kind)


def test_the_introduction_is_a_call_for_the_person_without_an_address_and_a_mail_for_the_other(paper_match):
    match = paper_match
    assert match.status == MatchStatus.INTRODUCED
    mails = OutboxMessage.objects.filter(template="introduction")
    assert [m.participant_id for m in mails] == [match.established_id]
    task = calls(match, TaskKind.CALL_INTRODUCTION).get()
    assert task.is_open and task.region == match.newcomer.region and task.assignee is None
    assert task.due_on == timezone.localdate(match.introduced_at)
    assert Task.objects.count() == 1  # nothing for Britt, and the match is not escalated by it


def test_did_you_meet_is_a_call_task_due_when_the_mail_would_have_gone_and_never_twice(paper_match):
    match = paper_match
    now = asked_on(match)
    assert services.ask_due_followups(now=now) == 1
    questions = OutboxMessage.objects.filter(template="followup_question")
    assert [m.participant_id for m in questions] == [match.established_id]  # Britt's mail is unchanged
    task = calls(match, TaskKind.CALL_QUESTION).get()
    assert task.due_on == timezone.localdate(now) and task.region == match.newcomer.region
    assert services.ask_due_followups(now=now + timedelta(days=1)) == 0
    # The reminder while the call is still to be made opens no second task for the same question.
    services.send_due_reminders(now=now + timedelta(days=match.organisation.reminder_days, minutes=1))
    assert (
        Task.objects.about(match).filter(participant=match.newcomer).open().count() == 2
    )  # intro + question
    assert not calls(match, TaskKind.CALL_REMINDER).exists()


def test_not_reached_leads_to_a_call_for_the_reminder(paper_match, world):
    match = paper_match
    now = asked_on(match)
    services.ask_due_followups(now=now)
    worklist.resolve_task(
        actor=world.uppsala_coordinator,
        task=calls(match, TaskKind.CALL_QUESTION).get(),
        outcome="not_reached",
    )
    question = FollowUp.objects.get(match=match, participant=match.newcomer)
    assert question.answer == ""
    later = now + timedelta(days=match.organisation.reminder_days, minutes=1)
    services.send_due_reminders(now=later)
    task = calls(match, TaskKind.CALL_REMINDER).get()
    assert task.is_open and task.due_on == timezone.localdate(later)
    assert not OutboxMessage.objects.filter(template="followup_reminder", participant=match.newcomer).exists()


def test_met_recorded_on_the_call_task_counts_exactly_like_a_clicked_answer(paper_match, world, client):
    match = paper_match
    now = asked_on(match)
    services.ask_due_followups(now=now)
    task = calls(match, TaskKind.CALL_QUESTION).get()
    client.force_login(world.uppsala_coordinator)
    page = client.get(f"/staff/tasks/{task.uid}/").content.decode()
    for choice in ('value="met"', 'value="not_yet"', 'value="will_not_meet"', "070-1112233"):
        assert choice in page
    response = client.post(f"/staff/tasks/{task.uid}/", {"outcome": "met", "note": "Ringde Samir."})
    assert response.status_code == 302

    question = FollowUp.objects.get(match=match, participant=match.newcomer, round=1)
    assert question.answer == "met" and question.answered_at is not None
    match.refresh_from_db()
    assert match.status == MatchStatus.MET and match.met_at is not None
    assert not Task.objects.about(match).open().exists()  # the introduction call is moot too
    event = AuditEvent.objects.get(action="followup.answered")
    assert event.actor_id == world.uppsala_coordinator.pk
    assert event.data["by"] == "phone" and event.data["answer"] == "met"
    assert event.data["participant"] == str(match.newcomer.uid)

    period = parse_period(
        f"{timezone.localdate(now).year - 1}-01-01..{timezone.localdate(now).year + 1}-12-31"
    )
    counts = figures.match_counts(ReportScope(organisation=world.org), period)
    assert counts["followed_up"] == 1 and counts["followed_up_met"] == 1
    assert figures.met_rate(counts).value == 1.0
    answers = figures.followup_answers(ReportScope(organisation=world.org), period)
    assert answers["answered"]["newcomer"] == 1 and answers["met"]["newcomer"] == 1


def test_will_not_meet_by_phone_opens_the_task_a_click_would(paper_match, world):
    match = paper_match
    services.ask_due_followups(now=asked_on(match))
    worklist.resolve_task(
        actor=world.uppsala_coordinator,
        task=calls(match, TaskKind.CALL_QUESTION).get(),
        outcome="will_not_meet",
    )
    match.refresh_from_db()
    assert match.status == MatchStatus.ESCALATED
    assert calls(match, TaskKind.WILL_NOT_MEET).get().is_open


def test_not_yet_by_phone_asks_again_by_phone(paper_match, world, settings):
    match = paper_match
    now = asked_on(match)
    services.ask_due_followups(now=now)
    worklist.resolve_task(
        actor=world.uppsala_coordinator, task=calls(match, TaskKind.CALL_QUESTION).get(), outcome="not_yet"
    )
    match.refresh_from_db()
    assert match.status == MatchStatus.NOT_YET
    services.reask_not_yet(now=timezone.now() + timedelta(days=settings.FOLLOWUP_NOT_YET_DAYS, minutes=1))
    assert FollowUp.objects.filter(match=match, participant=match.newcomer, round=2).exists()
    assert calls(match, TaskKind.CALL_QUESTION).open().count() == 1


def test_a_person_who_has_left_gets_no_call(paper_match):
    match = paper_match
    friend = match.newcomer.friend_matching
    friend.status = "withdrawn"
    friend.save()
    Task.objects.all().delete()
    services.ask_due_followups(now=asked_on(match))
    assert not Task.objects.exists()


def test_the_introduction_call_shows_what_the_mail_would_have_said(paper_match, world, client):
    match = paper_match
    task = calls(match, TaskKind.CALL_INTRODUCTION).get()
    client.force_login(world.uppsala_coordinator)
    page = client.get(f"/staff/tasks/{task.uid}/").content.decode()
    assert match.established.email in page and "070-1112233" in page  # Britt's address, Samir's number
    for choice in ('value="told"', 'value="not_reached"'):
        assert choice in page
    client.post(f"/staff/tasks/{task.uid}/", {"outcome": "told"})
    task.refresh_from_db()
    match.refresh_from_db()
    assert task.outcome == "told" and match.status == MatchStatus.INTRODUCED


def test_the_history_says_the_answer_came_on_the_phone(paper_match, world):
    match = paper_match
    services.ask_due_followups(now=asked_on(match))
    worklist.resolve_task(
        actor=world.uppsala_coordinator, task=calls(match, TaskKind.CALL_QUESTION).get(), outcome="not_yet"
    )
    lines = [line.text for line in history_lines(world.uppsala_coordinator, history_of(match))]
    assert any("on the phone" in text for text in lines), lines
    assert any("by phone to whoever has no e-mail address" in text for text in lines), lines


@pytest.mark.parametrize("told", [True, False])
def test_partner_leaving_is_a_call_if_they_were_told_of_the_match(paper_match, world, told):
    match = paper_match
    intro = calls(match, TaskKind.CALL_INTRODUCTION).get()
    if told:
        worklist.resolve_task(actor=world.uppsala_coordinator, task=intro, outcome="told")
    withdraw_participant(actor=world.admin, participant=match.established)
    match.refresh_from_db()
    assert match.status == MatchStatus.ENDED
    assert not OutboxMessage.objects.filter(template="partner_left").exists()
    left = calls(match, TaskKind.CALL_PARTNER_LEFT)
    assert (left.get().is_open and left.get().region == match.newcomer.region) if told else not left.exists()
    intro.refresh_from_db()
    assert not intro.is_open  # a never-made introduction call is moot
