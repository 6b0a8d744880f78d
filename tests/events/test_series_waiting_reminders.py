"""Issue #13: weekly series with exceptions, the waiting list moving up, reminders the day before."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.events import services
from kompis.events.models import Event, EventRegistration, EventSeries
from kompis.events.services import EventData, RegistrationRefused, SeriesData
from kompis.outbox.models import OutboxMessage
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def series_data(world, **changes) -> SeriesData:
    values = {
        "title": "Language café",
        "weekday": 2,  # Wednesday
        "start_time": time(18, 0),
        "duration_minutes": 90,
        "starts_on": date(2027, 3, 1),  # a Monday
        "ends_on": date(2027, 4, 30),
        "region": world.uppsala,
        "online": True,
        "video_link": "https://meet.example/cafe",
        "capacity": 1,
    }
    values.update(changes)
    return SeriesData(**values)


def person(world, email="") -> object:
    return ParticipantFactory(organisation=world.org, region=world.uppsala, email=email)


def small_event(world, capacity: int = 1, days: int = 7) -> Event:
    starts = timezone.now().replace(microsecond=0) + timedelta(days=days)
    data = EventData(
        title="Café",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        region=world.uppsala,
        place="Stadsbiblioteket",
        capacity=capacity,
    )
    return services.create_event(actor=world.admin, organisation=world.org, data=data)


def test_a_series_makes_its_weekly_occurrences_in_local_time(world):
    series = services.create_series(actor=world.admin, organisation=world.org, data=series_data(world))
    occurrences = list(series.occurrences.order_by("starts_at"))
    # Wednesdays 3 March .. 28 April 2027: 9 of them, 18:00 local also after the change to summer time
    assert len(occurrences) == 9
    local = [timezone.localtime(e.starts_at) for e in occurrences]
    assert local[0].date() == date(2027, 3, 3) and local[-1].date() == date(2027, 4, 28)
    assert {(t.weekday(), t.hour, t.minute) for t in local} == {(2, 18, 0)}
    assert all(e.ends_at - e.starts_at == timedelta(minutes=90) for e in occurrences)
    assert all(e.capacity == 1 and e.online and e.region == world.uppsala for e in occurrences)
    logged = AuditEvent.objects.get(action="event.series_created")
    assert logged.data["occurrences"] == 9 and "café" not in str(logged.data)


def test_a_series_without_end_has_52_weeks(world):
    series = services.create_series(
        actor=world.admin, organisation=world.org, data=series_data(world, ends_on=None)
    )
    assert series.occurrences.count() == 52


def test_a_bad_series_writes_nothing(world):
    with pytest.raises(ValidationError):
        services.create_series(
            actor=world.admin, organisation=world.org, data=series_data(world, online=False, place="")
        )
    assert not EventSeries.objects.exists() and not Event.objects.exists() and not AuditEvent.objects.exists()


def test_cancelling_one_occurrence_mails_the_registered_and_keeps_the_rest(world):
    series = services.create_series(
        actor=world.admin,
        organisation=world.org,
        data=series_data(
            world, starts_on=timezone.localdate() + timedelta(days=1), ends_on=None, capacity=None
        ),
    )
    first, second = series.occurrences.order_by("starts_at")[:2]
    anna = person(world, "anna@example.org")
    registration = services.register_person(actor=world.admin, event=first, participant=anna)
    assert services.cancel_event(actor=world.admin, event=first)
    assert not services.cancel_event(actor=world.admin, event=first)  # once
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    mail = OutboxMessage.objects.get(template="event_cancelled")
    assert mail.to_email == "anna@example.org" and mail.context["video_link"] == "https://meet.example/cafe"
    second.refresh_from_db()
    assert second.cancelled_at is None and series.occurrences.filter(cancelled_at__isnull=True).count() == 51
    with pytest.raises(RegistrationRefused) as refused:
        services.register_person(actor=world.admin, event=first, participant=person(world))
    assert refused.value.code == "cancelled"
    # moving one occurrence keeps it in its series
    moved = services.move_event(
        actor=world.admin,
        event=second,
        starts_at=second.starts_at + timedelta(days=1),
        ends_at=second.ends_at + timedelta(days=1),
    )
    assert moved.series_id == series.pk and AuditEvent.objects.filter(action="event.moved").count() == 1


def test_the_first_waiting_moves_up_once_with_a_mail(world):
    event = small_event(world, capacity=1)
    a, b, c = (person(world, f"p{i}@example.org") for i in range(3))
    first = services.register_person(actor=world.admin, event=event, participant=a)
    second = services.register_person(actor=world.admin, event=event, participant=b)
    third = services.register_person(actor=world.admin, event=event, participant=c)
    assert (second.status, third.status) == ("waiting_list", "waiting_list")
    assert services.cancel_registration(actor=world.admin, registration=first)
    assert not services.cancel_registration(actor=world.admin, registration=first)  # not twice
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == "registered" and third.status == "waiting_list"
    moved = AuditEvent.objects.filter(action="event.moved_up")
    assert moved.count() == 1 and moved.get().data["participant"] == str(b.uid)
    assert moved.get().actor_label.startswith("system")
    assert list(
        OutboxMessage.objects.filter(template="event_place_free").values_list("to_email", flat=True)
    ) == ["p1@example.org"]
    # a waiting person who leaves the list frees no place: nobody moves up
    assert services.cancel_registration(actor=world.admin, registration=third)
    assert AuditEvent.objects.filter(action="event.moved_up").count() == 1


def test_cancel_from_her_own_page_frees_a_place(client, world):
    from kompis.participants.services import self_service_url

    event = small_event(world, capacity=1)
    a, b = person(world, "a@example.org"), person(world, "b@example.org")
    mine = services.register_person(actor=world.admin, event=event, participant=a)
    waiting = services.register_person(actor=world.admin, event=event, participant=b)
    url = self_service_url(a)
    response = client.post(url, {"action": "cancel_registration", "target": str(mine.uid)}, follow=True)
    assert response.status_code == 200
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == "cancelled" and waiting.status == "registered"


def test_the_reminder_goes_once_the_day_before(world):
    event = small_event(world, capacity=None, days=3)
    anna = person(world, "anna@example.org")
    registration = services.register_person(actor=world.admin, event=event, participant=anna)
    assert services.send_reminders(event.starts_at - timedelta(days=2)) == 0  # too early
    day_before = event.starts_at - timedelta(hours=20)
    assert services.send_reminders(day_before) == 1
    assert services.send_reminders(day_before + timedelta(hours=1)) == 0
    mail = OutboxMessage.objects.get(template="event_reminder")
    assert (
        mail.context["place"] == "Stadsbiblioteket"
        and mail.dedupe_key == f"event_reminder:{registration.uid}"
    )
    registration.refresh_from_db()
    assert registration.reminded_at == day_before


def test_the_reminder_sweep_is_registered(world):
    from kompis.core import sweeps

    assert "events.reminders" in sweeps._SWEEPS


def test_staff_create_a_series_from_the_page(client, world):
    client.force_login(world.uppsala_coordinator)
    start = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("events:series_new"),
        {
            "title": "Café",
            "weekday": str(start.weekday()),
            "start_time": "18:00",
            "duration_minutes": "60",
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(weeks=3)).isoformat(),
            "region": str(world.uppsala.pk),
            "place": "Biblioteket",
        },
    )
    assert response.status_code == 302
    assert EventSeries.objects.get().occurrences.count() == 4
    bad = client.post(reverse("events:series_new"), {"title": "Café", "weekday": "1"})
    assert bad.status_code == 200 and EventSeries.objects.count() == 1
    assert EventRegistration.objects.count() == 0


def test_staff_move_one_occurrence(client, world):
    series = services.create_series(
        actor=world.admin,
        organisation=world.org,
        data=series_data(world, starts_on=timezone.localdate() + timedelta(days=1), ends_on=None),
    )
    first = series.occurrences.order_by("starts_at").first()
    client.force_login(world.uppsala_coordinator)
    page = client.get(reverse("events:detail", args=[first.uid])).content.decode()
    assert "Move this occurrence" in page
    new_start = timezone.localtime(first.starts_at + timedelta(days=1))
    client.post(
        reverse("events:move", args=[first.uid]),
        {
            "starts_at": new_start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (new_start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    first.refresh_from_db()
    assert first.starts_at == new_start and first.series_id == series.pk
    before = AuditEvent.objects.count()
    client.post(reverse("events:move", args=[first.uid]), {"starts_at": "2020-01-01T10:00", "ends_at": "x"})
    first.refresh_from_db()
    assert first.starts_at == new_start and AuditEvent.objects.count() == before


def test_a_move_that_ends_when_it_starts_is_refused_naming_the_field(client, world):
    starts = timezone.now().replace(second=0, microsecond=0) + timedelta(days=3)
    event = Event.objects.create(
        organisation=world.org,
        region=world.uppsala,
        title="Café",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Biblioteket",
    )
    client.force_login(world.uppsala_coordinator)
    new_start = timezone.localtime(starts + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    for ends in (new_start, timezone.localtime(starts).strftime("%Y-%m-%dT%H:%M")):
        response = client.post(
            reverse("events:move", args=[event.uid]), {"starts_at": new_start, "ends_at": ends}, follow=True
        )
        assert "Ends: The event must end after it starts." in response.content.decode()
    event.refresh_from_db()
    assert event.starts_at == starts and not AuditEvent.objects.filter(action="event.moved").exists()
    with pytest.raises(ValidationError) as refused:
        services.move_event(actor=world.admin, event=event, starts_at=starts, ends_at=starts)
    assert "ends_at" in refused.value.message_dict
