"""Silent pairs (issue #13): an active pair that has logged no meeting for the programme's
`silent_pair_days` (counted from the start when none is logged) gets one open staff task about the pair;
never a second; a meeting that brings them back closes it; the sweep is idempotent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kompis.audit.actors import ParticipantActor
from kompis.audit.models import AuditEvent
from kompis.core import sweeps
from kompis.programmes.meetings import log_meeting
from kompis.programmes.models import MentorPair
from kompis.programmes.sweeps import open_silent_pair_task, open_silent_pair_tasks
from kompis.worklist.access import tasks_for_user
from kompis.worklist.models import Task
from kompis.worklist.services import resolve_task
from tests.programmes.meeting_fixtures import make_pair

pytestmark = pytest.mark.django_db


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def silent_tasks():
    return Task.objects.filter(kind="silent_pair")


def test_a_pair_silent_since_its_start_gets_one_task_about_the_pair(world):
    w = make_pair(world, started_days_ago=46)
    assert open_silent_pair_tasks(now=timezone.now()) == 1
    task = silent_tasks().get()
    assert task.is_about(w.pair) and task.participant == w.mentee and task.region == world.uppsala
    assert task.is_open and task.due_on == timezone.localdate()
    # the Uppsala coordinator sees it; Danderyd's does not
    assert task in tasks_for_user(world.uppsala_coordinator)
    assert task not in tasks_for_user(world.danderyd_coordinator)
    # the sweep again (and the registered sweep): still one task
    assert open_silent_pair_tasks(now=timezone.now()) == 0
    sweeps.run_all()
    assert silent_tasks().count() == 1


def test_the_limit_is_the_programmes_own(world):
    w = make_pair(world, started_days_ago=45)  # exactly 45 days: not yet
    assert open_silent_pair_tasks(now=timezone.now()) == 0
    w.programme.silent_pair_days = 30
    w.programme.save()
    assert open_silent_pair_tasks(now=timezone.now()) == 1


def test_a_pair_that_met_lately_gets_no_task_one_that_met_long_ago_does(world):
    w = make_pair(world, started_days_ago=100)
    log_meeting(actor=ParticipantActor(w.mentee.pk), pair=w.pair, met_on=days_ago(20))
    assert open_silent_pair_tasks(now=timezone.now()) == 0
    MentorPair.objects.filter(pk=w.pair.pk).update(last_met_on=days_ago(50))
    assert open_silent_pair_tasks(now=timezone.now()) == 1


def test_only_active_pairs(world):
    make_pair(world, started_days_ago=100, status="ended", ended_at=timezone.now())
    assert open_silent_pair_tasks(now=timezone.now()) == 0
    assert not silent_tasks().exists()


def test_a_meeting_that_brings_them_back_closes_the_task(world):
    w = make_pair(world, started_days_ago=60)
    open_silent_pair_tasks(now=timezone.now())
    task = silent_tasks().get()
    # a meeting long ago (still silent) closes nothing
    log_meeting(actor=ParticipantActor(w.mentor.pk), pair=w.pair, met_on=days_ago(50))
    task.refresh_from_db()
    assert task.is_open
    log_meeting(actor=ParticipantActor(w.mentor.pk), pair=w.pair, met_on=days_ago(2))
    task.refresh_from_db()
    assert not task.is_open and task.outcome == "met_again"
    closed = AuditEvent.objects.get(action="worklist.task_resolved", object_id=str(task.uid))
    assert closed.data["because"] == "meeting_logged"
    assert open_silent_pair_tasks(now=timezone.now()) == 0


def test_after_staff_close_it_a_still_silent_pair_gets_a_new_task_at_the_next_sweep(world):
    make_pair(world, started_days_ago=60)
    open_silent_pair_tasks(now=timezone.now())
    first = silent_tasks().get()
    resolve_task(actor=world.uppsala_coordinator, task=first, outcome="contacted")
    assert open_silent_pair_tasks(now=timezone.now()) == 1
    assert silent_tasks().filter(resolved_at__isnull=True).count() == 1


def test_opening_the_task_twice_for_one_pair_gives_one_task(world):
    w = make_pair(world, started_days_ago=60)
    assert open_silent_pair_task(pair_id=w.pair.pk, today=timezone.localdate()) is not None
    assert open_silent_pair_task(pair_id=w.pair.pk, today=timezone.localdate()) is None
    assert silent_tasks().count() == 1


# --- pairs past their end date end as "completed"; a silent task of an ended pair closes --------------------


def test_a_pair_past_its_end_date_ends_completed_once(world):
    from kompis.programmes.sweeps import end_finished_pairs

    w = make_pair(world, started_days_ago=200, ends_on=days_ago(1))
    today_ends = make_pair(world, started_days_ago=200, ends_on=timezone.localdate(), region=world.danderyd)
    assert end_finished_pairs(now=timezone.now()) == 1
    w.pair.refresh_from_db()
    assert (w.pair.status, w.pair.end_reason) == ("ended", "completed") and w.pair.ended_at is not None
    today_ends.pair.refresh_from_db()
    assert today_ends.pair.status == "active"  # its last day is today
    event = AuditEvent.objects.get(action="programme.pair_ended")
    assert event.actor_label == "system:programmes.pairs_ended" and event.data["reason"] == "completed"
    assert end_finished_pairs(now=timezone.now()) == 0
    assert AuditEvent.objects.filter(action="programme.pair_ended").count() == 1


def test_the_silent_task_of_a_pair_that_ended_is_closed(world):
    w = make_pair(world, started_days_ago=200, ends_on=days_ago(1))
    open_silent_pair_tasks(now=timezone.now())
    task = silent_tasks().get()
    sweeps.run_all()  # ends the pair, then closes its task
    task.refresh_from_db()
    assert not task.is_open and task.outcome == "none"
    w.pair.refresh_from_db()
    assert w.pair.status == "ended"
    assert not silent_tasks().filter(resolved_at__isnull=True).exists()


def test_the_work_list_names_the_pair_and_links_to_its_meetings(client, world):
    from django.urls import reverse

    w = make_pair(world, started_days_ago=60)
    open_silent_pair_tasks(now=timezone.now())
    task = silent_tasks().get()
    client.force_login(world.uppsala_coordinator)
    html = client.get(reverse("worklist:tasks")).content.decode()
    assert "Amal – Britt" in html
    assert reverse("programmes:pair_meeting", kwargs={"pair_id": w.pair.uid}) in html
    detail = client.get(reverse("worklist:task", kwargs={"task_id": task.uid})).content.decode()
    assert "has logged no meeting for a long time" in detail
    client.force_login(world.danderyd_coordinator)
    assert client.get(reverse("worklist:task", kwargs={"task_id": task.uid})).status_code == 404
