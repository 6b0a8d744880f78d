"""The attendance register reads its attendance rows without the model's ordering (by event, then person),
which would join the events and every participant of the organisation (bench/bench_programmes.py: the
register of a session at national scale)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kompis.events import attendance
from kompis.events.models import Attendance, Event, EventRegistration
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_the_register_reads_attendance_without_joining_people_or_events(client, world, org_admin):
    starts = timezone.now() - timedelta(hours=3)
    event = Event.objects.create(
        organisation=world.org,
        region=world.uppsala,
        title="Group session",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Stadsbiblioteket",
        public=False,
    )
    people = [ParticipantFactory(organisation=world.org, region=world.uppsala) for _ in range(3)]
    for person in people:
        EventRegistration.objects.create(event=event, participant=person)
    Attendance.objects.create(event=event, participant=people[0], state="present")
    Attendance.objects.create(event=event, participant=people[1], state="absent")
    client.force_login(org_admin)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("event_attendance:register", args=[event.uid]))
    assert response.status_code == 200
    reads = [q["sql"] for q in ctx.captured_queries if 'FROM "events_attendance"' in q["sql"]]
    assert reads  # the register does read its attendance
    for sql in reads:
        assert "JOIN" not in sql, sql
    # and what it shows is unchanged: one present, the other two no-shows once the event is over
    assert attendance.summary(event).present == 1
    assert {p.pk for p in attendance.no_shows(event)} == {people[1].pk, people[2].pk}
