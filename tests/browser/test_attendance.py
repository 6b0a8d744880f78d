"""The attendance tick-list on a phone (390 px) with the network cut: ticks are kept in the page, sent when
the connection returns, and arrive once (a re-sent tick with the same key changes nothing). A tick sent
after the login expired stays queued and the page says so; a tick the server refuses is un-ticked and its
reason stays on the page."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from kompis.audit.models import AuditEvent
from kompis.events.attendance_views import REFUSALS
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


def _sent() -> str:
    with translation.override("sv"):
        return gettext("Everything is sent.")


def _open_register(live_server, world, page, *, starts_in: timedelta):
    starts = timezone.now() + starts_in
    event = Event.objects.create(
        organisation=world.org,
        region=world.uppsala,
        title="Språkcafé",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Stadsbiblioteket",
    )
    person = ParticipantFactory(
        organisation=world.org, region=world.uppsala, first_name="Amal", last_name="T"
    )
    EventRegistration.objects.create(event=event, participant=person)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", world.uppsala_coordinator.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/staff/")
    page.goto(f"{base}/staff/events/{event.uid}/attendance/")
    page.wait_for_function("document.getElementById('attendance-status').textContent.length > 0")
    return event, person


def test_a_tick_after_the_login_expired_stays_queued_and_says_so(live_server, world, page, shot):
    event, person = _open_register(live_server, world, page, starts_in=timedelta(minutes=-10))
    page.context.clear_cookies(name="sessionid")
    page.get_by_label("Amal T").check()
    status = page.locator("#attendance-status")
    page.wait_for_selector("#attendance-status a")
    page.wait_for_timeout(6_000)  # the timer tries again, and the message stays
    shot(page, "attendance-logged-out-390")
    assert _sent() not in (status.text_content() or "")
    assert page.locator("#attendance-status a").get_attribute("href").startswith("/accounts/login/?next=")
    store = f"kompis-attendance:{event.uid}"
    queue = json.loads(page.evaluate("k => localStorage.getItem(k) || '[]'", store))
    assert [(t["participant"], t["state"]) for t in queue] == [(str(person.uid), "present")]
    assert page.get_by_label("Amal T").is_checked()
    assert not Attendance.objects.exists()


def test_a_refused_tick_is_unticked_and_its_reason_stays(live_server, world, page, shot):
    _open_register(live_server, world, page, starts_in=timedelta(hours=5))
    page.get_by_label("Amal T").check()
    page.wait_for_function("document.getElementById('attendance-form').dataset.pending === '0'")
    page.wait_for_timeout(6_000)  # past the 5 s timer that used to write "Everything is sent." over it
    shot(page, "attendance-refused-390")
    problems = page.locator("#attendance-problems")
    assert problems.is_visible()
    with translation.override("sv"):  # the browser asks for Swedish
        reason = REFUSALS["not_started"]()
    assert problems.text_content() == f"Amal T: {reason}"
    assert _sent() not in (page.locator("#attendance-status").text_content() or "")
    assert not page.get_by_label("Amal T").is_checked()
    assert not Attendance.objects.exists()
