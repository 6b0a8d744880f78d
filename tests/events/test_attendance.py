"""Attendance (issue #13): an upsert per event and person, idempotent ticks, only registered people, the
plain form without JavaScript, no-shows after the event, and the audit holding ids and codes only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.events import attendance
from kompis.events.attendance import AttendanceRefused
from kompis.events.models import Attendance, Event, EventRegistration
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def make_event(world, *, starts_in: timedelta = timedelta(minutes=-30), region=None) -> Event:
    starts = timezone.now() + starts_in
    return Event.objects.create(
        organisation=world.org,
        region=region or world.uppsala,
        title="Language café",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Stadsbiblioteket",
    )


def register(event, person) -> EventRegistration:
    return EventRegistration.objects.create(event=event, participant=person)


def test_same_tick_twice_is_one_row_and_one_log(world, uppsala_participant):
    event = make_event(world)
    register(event, uppsala_participant)
    uid = str(uppsala_participant.uid)
    first = attendance.mark_attendance(
        actor=world.admin, event=event, participant_uid=uid, state="present", key="k1"
    )
    again = attendance.mark_attendance(
        actor=world.admin, event=event, participant_uid=uid, state="present", key="k1"
    )
    assert first.changed and not again.changed
    assert Attendance.objects.filter(event=event).count() == 1
    logged = AuditEvent.objects.filter(action="event.attendance_marked")
    assert logged.count() == 1
    assert logged.get().data == {"participant": uid, "state": "present"}


def test_untick_then_tick_again_updates_the_one_row(world, uppsala_participant):
    event = make_event(world)
    register(event, uppsala_participant)
    uid = str(uppsala_participant.uid)
    for key, state in (("a", "present"), ("b", "absent"), ("c", "present")):
        attendance.mark_attendance(actor=world.admin, event=event, participant_uid=uid, state=state, key=key)
    row = Attendance.objects.get(event=event)
    assert row.state == "present" and row.last_key == "c" and row.marked_by == world.admin
    # a stale re-send of the same last tick changes nothing
    assert not attendance.mark_attendance(
        actor=world.admin, event=event, participant_uid=uid, state="present", key="c"
    ).changed
    assert AuditEvent.objects.filter(action="event.attendance_marked").count() == 3


def test_a_person_not_registered_is_refused_and_nothing_written(world, uppsala_participant):
    event = make_event(world)
    stranger = ParticipantFactory(organisation=world.org, region=world.uppsala)
    cancelled = register(event, uppsala_participant)
    cancelled.status = "cancelled"
    cancelled.save()
    for uid in (str(stranger.uid), str(uppsala_participant.uid), "not-a-uuid"):
        with pytest.raises(AttendanceRefused) as refused:
            attendance.mark_attendance(actor=world.admin, event=event, participant_uid=uid, state="present")
        assert refused.value.code == "not_registered"
    assert not Attendance.objects.exists()
    assert not AuditEvent.objects.filter(action="event.attendance_marked").exists()


def test_an_event_next_week_and_an_unknown_state_are_refused(world, uppsala_participant):
    event = make_event(world, starts_in=timedelta(days=7))
    register(event, uppsala_participant)
    with pytest.raises(AttendanceRefused, match="not_started"):
        attendance.mark_attendance(
            actor=world.admin, event=event, participant_uid=str(uppsala_participant.uid), state="present"
        )
    with pytest.raises(AttendanceRefused, match="bad_state"):
        attendance.mark_attendance(
            actor=world.admin, event=event, participant_uid=str(uppsala_participant.uid), state="maybe"
        )
    assert not Attendance.objects.exists()


def test_no_shows_are_the_registered_not_present_after_the_event(world):
    event = make_event(world, starts_in=timedelta(hours=-3))
    came, absent, silent = (
        ParticipantFactory(organisation=world.org, region=world.uppsala) for _ in range(3)
    )
    for person in (came, absent, silent):
        register(event, person)
    attendance.mark_attendance(actor=world.admin, event=event, participant_uid=str(came.uid), state="present")
    attendance.mark_attendance(
        actor=world.admin, event=event, participant_uid=str(absent.uid), state="absent"
    )
    assert {p.pk for p in attendance.no_shows(event)} == {absent.pk, silent.pk}
    assert attendance.summary(event) == attendance.Summary(registered=3, present=1, no_shows=2)
    running = make_event(world)
    register(running, silent)
    assert attendance.no_shows(running) == [] and attendance.summary(running).no_shows == 0


def test_tick_endpoint_json_and_refusal(client, world, uppsala_coordinator, uppsala_participant):
    event = make_event(world)
    register(event, uppsala_participant)
    client.force_login(uppsala_coordinator)
    url = reverse("event_attendance:mark", args=[event.uid])
    body = {"participant": str(uppsala_participant.uid), "state": "present", "key": "tick-1"}
    assert client.post(url, body).json() == {"state": "present", "changed": True}
    assert client.post(url, body).json() == {"state": "present", "changed": False}
    stranger = ParticipantFactory(organisation=world.org, region=world.uppsala)
    refused = client.post(url, {**body, "participant": str(stranger.uid)})
    assert refused.status_code == 404 and "not registered" in refused.json()["message"]
    assert Attendance.objects.count() == 1
    assert client.get(url).status_code == 405


def test_tick_list_requests_get_json_when_logged_out_or_not_allowed(client, world, uppsala_participant):
    event = make_event(world)
    register(event, uppsala_participant)
    url = reverse("event_attendance:mark", args=[event.uid])
    body = {"participant": str(uppsala_participant.uid), "state": "present", "key": "k"}
    logged_out = client.post(url, body, headers={"Accept": "application/json"})
    assert logged_out.status_code == 401 and logged_out["Content-Type"] == "application/json"
    page = reverse("event_attendance:register", args=[event.uid])
    assert logged_out.json()["error"] == "login" and logged_out.json()["login"].endswith(f"?next={page}")
    assert client.post(url, body).status_code == 302  # a plain request still goes to the login page
    client.force_login(world.viewer)
    forbidden = client.post(url, body, headers={"Accept": "application/json"})
    assert forbidden.status_code == 403 and forbidden.json()["error"] == "forbidden"
    refused = client.post(url, {**body, "state": "maybe"}, headers={"Accept": "application/json"})
    assert refused.status_code == 403
    client.force_login(world.uppsala_coordinator)
    refused = client.post(url, {**body, "state": "maybe"}, headers={"Accept": "application/json"})
    assert refused.status_code == 400 and refused.json()["error"] == "bad_state" and refused.json()["message"]
    assert not Attendance.objects.exists()


def test_plain_form_marks_ticked_present_and_unticked_absent(client, world, uppsala_coordinator):
    event = make_event(world)
    a, b = (ParticipantFactory(organisation=world.org, region=world.uppsala) for _ in range(2))
    register(event, a), register(event, b)
    client.force_login(uppsala_coordinator)
    url = reverse("event_attendance:register", args=[event.uid])
    page = client.get(url)
    assert page.status_code == 200 and a.full_name in page.content.decode()
    rows = [str(a.uid), str(b.uid)]
    client.post(url, {"row": rows, "present": [str(a.uid), str(b.uid)]})
    assert set(Attendance.objects.values_list("state", flat=True)) == {"present"}
    client.post(url, {"row": rows, "present": [str(a.uid)]})
    assert Attendance.objects.get(participant=b).state == "absent"
    assert Attendance.objects.get(participant=a).state == "present"


def test_plain_form_with_a_stranger_writes_nothing(client, world, uppsala_coordinator):
    event = make_event(world)
    a = ParticipantFactory(organisation=world.org, region=world.uppsala)
    stranger = ParticipantFactory(organisation=world.org, region=world.uppsala)
    register(event, a)
    client.force_login(uppsala_coordinator)
    url = reverse("event_attendance:register", args=[event.uid])
    response = client.post(
        url, {"row": [str(a.uid)], "present": [str(a.uid), str(stranger.uid)]}, follow=True
    )
    assert "not registered" in response.content.decode()
    assert not Attendance.objects.exists()


def test_register_of_another_regions_event_is_404(client, world, danderyd_coordinator):
    event = make_event(world)
    client.force_login(danderyd_coordinator)
    assert client.get(reverse("event_attendance:register", args=[event.uid])).status_code == 404
