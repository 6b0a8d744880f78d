"""A cohort's session on a phone (390 px): the coordinator goes from the cohort page to the session's
tick-list, loses the connection, ticks, gets it back, and the ticks arrive once; the cohort page then shows
who attended how many of the sessions held."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.events.models import Attendance, Event
from kompis.programmes import sessions
from kompis.programmes.models import Cohort, Enrolment, Programme
from tests.factories import PASSWORD, ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_session_ticks_made_offline_arrive_once(live_server, world, page, shot):
    today = timezone.localdate()
    programme = Programme.objects.create(
        organisation=world.org, region=world.uppsala, name="Mentorskap", min_sessions_attended=1
    )
    cohort = Cohort.objects.create(
        programme=programme,
        name="Höst",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
    )
    people = [
        ParticipantFactory(organisation=world.org, region=world.uppsala, first_name=name, last_name="Test")
        for name in ("Amal", "Bashir", "Cecilia")
    ]
    for person, role in zip(people, ("mentee", "mentee", "mentor"), strict=True):
        Enrolment.objects.create(cohort=cohort, participant=person, role=role)
    starts = timezone.now() + timedelta(days=1)
    session = sessions.create_session(
        actor=world.admin,
        cohort=cohort,
        data=sessions.SessionData(
            kind="group_session",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="Stadsbiblioteket",
        ),
    )
    # the session began ten minutes ago
    began = timezone.now() - timedelta(minutes=10)
    Event.objects.filter(pk=session.event_id).update(starts_at=began, ends_at=began + timedelta(hours=2))

    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", world.uppsala_coordinator.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/staff/")
    page.goto(f"{base}/staff/programmes/cohorts/{cohort.uid}/")
    shot(page, "cohort-sessions-390")
    wide = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    wide.add_cookies(page.context.cookies())
    wide_page = wide.new_page()
    wide_page.goto(f"{base}/staff/programmes/cohorts/{cohort.uid}/")
    shot(wide_page, "cohort-sessions-1280")
    wide.close()
    page.locator(f"#sessions a[href$='/events/{session.event.uid}/attendance/']").click()
    page.wait_for_url(f"**/events/{session.event.uid}/attendance/")
    page.wait_for_function("document.getElementById('attendance-status').textContent.length > 0")

    page.context.set_offline(True)
    page.get_by_label("Amal Test").check()
    page.get_by_label("Cecilia Test").check()
    page.wait_for_function("document.getElementById('attendance-form').dataset.pending === '2'")
    shot(page, "session-attendance-offline-390")
    assert not Attendance.objects.exists()

    page.context.set_offline(False)
    page.wait_for_function(
        "document.getElementById('attendance-form').dataset.pending === '0'", timeout=15_000
    )
    present = set(
        Attendance.objects.filter(event=session.event, state="present").values_list(
            "participant_id", flat=True
        )
    )
    assert present == {people[0].pk, people[2].pk}
    assert AuditEvent.objects.filter(action="event.attendance_marked").count() == 2

    # reloading the page (and its kept queue) sends nothing twice
    page.reload()
    page.wait_for_function("document.getElementById('attendance-form').dataset.pending === '0'")
    assert page.get_by_label("Amal Test").is_checked() and not page.get_by_label("Bashir Test").is_checked()
    assert Attendance.objects.filter(event=session.event).count() == 2
    assert AuditEvent.objects.filter(action="event.attendance_marked").count() == 2
