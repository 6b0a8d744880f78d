"""The waves' sweep (issue #14): at most two reminders, none to those who answered, in the invitation's
language with the same link; a call task per non-respondent after the last reminder (once); waves close."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.outbox.models import OutboxMessage
from kompis.outbox.rendering import render
from kompis.surveys import sweeps, waves
from kompis.surveys.models import Invitation, WaveKind, WaveStatus
from kompis.surveys.worklist_kinds import SURVEY_NO_ANSWER
from kompis.worklist.models import Task
from kompis.worklist.services import resolve_task
from tests.surveys.wave_fixtures import cohort_of, enrolled, open_survey

pytestmark = pytest.mark.django_db


def sent_wave(world, n=3, **kw):
    survey = open_survey(world)
    cohort = cohort_of(world)
    people = [enrolled(world, cohort, preferred_language="en") for _ in range(n)]
    kw.setdefault("closes_at", timezone.now() + timedelta(days=60))
    wave = waves.create_wave(
        actor=world.admin,
        survey=survey,
        kind=WaveKind.BASELINE,
        name="Start",
        cohort=cohort,
        reminder_days=7,
        **kw,
    )
    waves.send_wave(actor=world.admin, wave=wave)
    return wave, people


def reminders():
    return OutboxMessage.objects.filter(template=waves.REMINDER_TEMPLATE)


def test_two_reminders_at_most_none_to_those_who_answered_then_a_call_task(world):
    wave, (answered, quiet, other) = sent_wave(world, phone_follow_up=True)
    Invitation.objects.filter(participant=answered).update(used=True)
    start = timezone.now()

    assert sweeps.run_waves(now=start + timedelta(days=3))["reminded"] == 0
    assert sweeps.run_waves(now=start + timedelta(days=8))["reminded"] == 2
    assert sweeps.run_waves(now=start + timedelta(days=9))["reminded"] == 0  # not again the next day
    assert sweeps.run_waves(now=start + timedelta(days=16))["reminded"] == 2
    counts = sweeps.run_waves(now=start + timedelta(days=40))
    assert counts["reminded"] == 0 and counts["tasks"] == 2  # no third reminder: a call to each instead
    assert set(reminders().values_list("participant_id", flat=True)) == {quiet.pk, other.pk}
    assert reminders().count() == 4
    assert set(Invitation.objects.filter(wave=wave).values_list("reminders_sent", flat=True)) == {0, 2}


def test_call_tasks_come_reminder_days_after_the_last_reminder_and_only_once(world):
    _wave, (answered, quiet) = sent_wave(world, n=2, phone_follow_up=True)
    Invitation.objects.filter(participant=answered).update(used=True)
    start = timezone.now()
    sweeps.run_waves(now=start + timedelta(days=8))
    sweeps.run_waves(now=start + timedelta(days=16))
    assert sweeps.run_waves(now=start + timedelta(days=20))["tasks"] == 0  # 4 days after the last reminder
    assert sweeps.run_waves(now=start + timedelta(days=24))["tasks"] == 1
    task = Task.objects.get(kind=SURVEY_NO_ANSWER)
    assert task.participant_id == quiet.pk
    resolve_task(actor=world.admin, task=task, outcome="not_reached")
    assert sweeps.run_waves(now=start + timedelta(days=30))["tasks"] == 0  # done tasks are not made again
    assert AuditEvent.objects.filter(action="survey.wave_no_answer_tasks").count() == 1


def test_no_call_tasks_without_phone_follow_up(world):
    _wave, _people = sent_wave(world, n=1)
    start = timezone.now()
    for day in (8, 16, 24, 32):
        sweeps.run_waves(now=start + timedelta(days=day))
    assert reminders().count() == 2
    assert not Task.objects.filter(kind=SURVEY_NO_ANSWER).exists()


def test_a_reminder_carries_the_invitations_link_in_the_persons_language(world):
    _wave, (_person,) = sent_wave(world, n=1)
    invitation = OutboxMessage.objects.get(template=waves.INVITATION_TEMPLATE)
    sweeps.run_waves(now=timezone.now() + timedelta(days=8))
    reminder = reminders().get()
    assert reminder.language == "en" and reminder.context["url"] == invitation.context["url"]
    assert reminder.context["title"] == "How is it going?"
    subject, text, html = render(reminder)
    assert (
        subject == "Reminder: How is it going?"
        and reminder.context["url"] in text
        and "Answer the survey" in html
    )


def test_one_reminder_when_the_wave_says_one(world):
    _wave, _people = sent_wave(world, n=1, max_reminders=1)
    start = timezone.now()
    for day in (8, 16, 24):
        sweeps.run_waves(now=start + timedelta(days=day))
    assert reminders().count() == 1


def test_waves_past_their_end_close_and_get_no_more_reminders(world):
    wave, _people = sent_wave(world, n=1, closes_at=timezone.now() + timedelta(days=5))
    assert sweeps.run_waves(now=timezone.now() + timedelta(days=6))["closed"] == 1
    wave.refresh_from_db()
    assert wave.status == WaveStatus.CLOSED
    assert sweeps.run_waves(now=timezone.now() + timedelta(days=9)) == {
        "closed": 0,
        "reminded": 0,
        "tasks": 0,
    }
    assert not reminders().exists()
    assert AuditEvent.objects.filter(action="survey.wave_closed").count() == 1


def test_when_the_invitations_mail_is_gone_the_reminder_carries_a_new_working_link(world):
    from kompis.surveys.tokens import find_invitation

    _wave, (person,) = sent_wave(world, n=1)
    old = OutboxMessage.objects.get(template=waves.INVITATION_TEMPLATE)
    old_url = old.context["url"]
    old.delete()
    sweeps.run_waves(now=timezone.now() + timedelta(days=8))
    new_url = reminders().get().context["url"]
    token = new_url.rstrip("/").rsplit("/", 1)[1]
    assert new_url != old_url and find_invitation(token).participant_id == person.pk
    assert find_invitation(old_url.rstrip("/").rsplit("/", 1)[1]) is None
    assert Invitation.objects.get().reminders_sent == 1
