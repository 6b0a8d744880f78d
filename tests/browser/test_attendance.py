"""The attendance tick-list on a phone (390 px) with the network cut: ticks are kept in the page, sent when
the connection returns, and arrive once (a re-sent tick with the same key changes nothing)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.events.models import Attendance, Event, EventRegistration
from tests.factories import PASSWORD, ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_ticks_made_offline_arrive_once(live_server, world, page, shot):
    starts = timezone.now() - timedelta(minutes=10)
    event = Event.objects.create(
        organisation=world.org,
        region=world.uppsala,
        title="Språkcafé",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Stadsbiblioteket",
    )
    people = [
        ParticipantFactory(organisation=world.org, region=world.uppsala, first_name=name, last_name="Test")
        for name in ("Amal", "Bashir", "Cecilia")
    ]
    for person in people:
        EventRegistration.objects.create(event=event, participant=person)

    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", world.uppsala_coordinator.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/staff/")
    page.goto(f"{base}/staff/events/{event.uid}/attendance/")
    status = page.locator("#attendance-status")
    page.wait_for_function("document.getElementById('attendance-status').textContent.length > 0")

    page.context.set_offline(True)
    page.get_by_label("Amal Test").check()
    page.get_by_label("Cecilia Test").check()
    page.wait_for_function("document.getElementById('attendance-form').dataset.pending === '2'")
    shot(page, "attendance-offline-390")
    assert not Attendance.objects.exists()
    box = page.get_by_label("Amal Test").bounding_box()
    assert box is not None and box["width"] >= 24  # a big tick box to hit with a thumb

    page.context.set_offline(False)
    page.wait_for_function(
        "document.getElementById('attendance-form').dataset.pending === '0'", timeout=15_000
    )
    assert status.text_content()
    present = set(
        Attendance.objects.filter(event=event, state="present").values_list("participant_id", flat=True)
    )
    assert present == {people[0].pk, people[2].pk}

    # the same ticks sent again (as after a lost answer) change nothing
    store = f"kompis-attendance:{event.uid}"
    queue = json.loads(page.evaluate("k => localStorage.getItem(k) || '[]'", store))
    assert queue == []
    row = Attendance.objects.get(participant=people[0])
    again = [{"participant": str(people[0].uid), "state": "present", "key": row.last_key}] * 2
    page.evaluate(
        "([k, v]) => { localStorage.setItem(k, v); window.dispatchEvent(new Event('online')); }",
        [store, json.dumps(again)],
    )
    page.wait_for_function("k => (localStorage.getItem(k) || '[]') === '[]'", arg=store, timeout=15_000)
    assert Attendance.objects.filter(event=event).count() == 2
    assert AuditEvent.objects.filter(action="event.attendance_marked").count() == 2
