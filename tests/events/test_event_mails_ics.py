"""Registration mails carry the event's .ics; moving or cancelling an event mails everyone registered or
waiting, with an updated .ics (same UID, higher SEQUENCE) or a cancellation (METHOD:CANCEL)."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from kompis.events import services
from kompis.events.models import Event
from kompis.events.services import EventData
from kompis.outbox.models import OutboxAttachment, OutboxMessage
from kompis.outbox.rendering import render
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def an_event(world, capacity=None) -> Event:
    starts = timezone.now().replace(microsecond=0) + timedelta(days=7)
    data = EventData(
        title="Språkcafé",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        region=world.uppsala,
        place="Stadsbiblioteket",
        capacity=capacity,
    )
    return services.create_event(actor=world.admin, organisation=world.org, data=data)


def person(world, email, language="sv"):
    return ParticipantFactory(
        organisation=world.org, region=world.uppsala, email=email, preferred_language=language
    )


def ics_of(message: OutboxMessage) -> str:
    row = OutboxAttachment.objects.get(message=message)
    assert row.filename == "event.ics"
    return bytes(row.content).decode("utf-8")


def test_a_public_registration_mail_carries_the_event(world):
    event = an_event(world)
    services.register_publicly(
        organisation=world.org,
        event=event,
        name="Amina Yusuf",
        email="amina@example.org",
        language="ar",
        municipality=None,
    )
    mail = OutboxMessage.objects.get(template="event_registered")
    body = ics_of(mail)
    row = OutboxAttachment.objects.get(message=mail)
    assert row.content_type == "text/calendar; method=PUBLISH"
    assert f"UID:{event.uid}@kompis" in body and "SEQUENCE:0" in body and "METHOD:PUBLISH" in body


def test_moving_mails_registered_and_waiting_once_per_move_with_a_higher_sequence(world):
    event = an_event(world, capacity=1)
    anna, omar = person(world, "anna@example.org", "sv"), person(world, "omar@example.org", "ar")
    services.register_person(actor=world.admin, event=event, participant=anna)
    services.register_person(actor=world.admin, event=event, participant=omar)  # waiting
    later = event.starts_at + timedelta(days=1)
    services.move_event(actor=world.admin, event=event, starts_at=later, ends_at=later + timedelta(hours=2))
    # the same move again (a retried request): nothing new
    services.move_event(actor=world.admin, event=event, starts_at=later, ends_at=later + timedelta(hours=2))
    mails = OutboxMessage.objects.filter(template="event_moved").order_by("to_email")
    assert [(m.to_email, m.language) for m in mails] == [
        ("anna@example.org", "sv"),
        ("omar@example.org", "ar"),
    ]
    local = timezone.localtime(later).strftime("%Y-%m-%d %H:%M")
    assert all(m.context["starts"] == local for m in mails)
    body = ics_of(mails[0])
    assert f"UID:{event.uid}@kompis" in body and "SEQUENCE:1" in body
    assert f"DTSTART:{later.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}" in body
    # a second move: a second mail each, SEQUENCE 2
    services.move_event(actor=world.admin, event=event, starts_at=event.starts_at, ends_at=event.ends_at)
    second = OutboxMessage.objects.filter(template="event_moved", to_email="anna@example.org")
    assert second.count() == 2
    assert "SEQUENCE:2" in ics_of(second.order_by("-id")[0])


def test_cancelling_mails_a_cancellation_to_registered_and_waiting(world):
    event = an_event(world, capacity=1)
    anna, omar = person(world, "anna@example.org"), person(world, "omar@example.org", "fa")
    services.register_person(actor=world.admin, event=event, participant=anna)
    services.register_person(actor=world.admin, event=event, participant=omar)
    assert services.cancel_event(actor=world.admin, event=event)
    assert not services.cancel_event(actor=world.admin, event=event)
    mails = OutboxMessage.objects.filter(template="event_cancelled").order_by("to_email")
    assert [(m.to_email, m.language) for m in mails] == [
        ("anna@example.org", "sv"),
        ("omar@example.org", "fa"),
    ]
    body = ics_of(mails[0])
    assert "METHOD:CANCEL" in body and "STATUS:CANCELLED" in body and "SEQUENCE:1" in body
    assert OutboxAttachment.objects.get(message=mails[0]).content_type == "text/calendar; method=CANCEL"
    # nobody moved up into a cancelled event, so no "you have a place" mail
    assert not OutboxMessage.objects.filter(template="event_place_free").exists()


def test_moving_up_from_the_waiting_list_mails_the_event(world):
    event = an_event(world, capacity=1)
    anna, omar = person(world, "anna@example.org"), person(world, "omar@example.org")
    first = services.register_person(actor=world.admin, event=event, participant=anna)
    services.register_person(actor=world.admin, event=event, participant=omar)
    services.cancel_registration(actor=world.admin, registration=first)
    mail = OutboxMessage.objects.get(template="event_place_free")
    assert mail.to_email == "omar@example.org" and "METHOD:PUBLISH" in ics_of(mail)


def an_online_event(world, capacity=1) -> Event:
    starts = timezone.now().replace(microsecond=0) + timedelta(days=7)
    data = EventData(
        title="Online café",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        region=world.uppsala,
        online=True,
        video_link=LINK,
        capacity=capacity,
    )
    return services.create_event(actor=world.admin, organisation=world.org, data=data)


LINK = "https://meet.example.org/secret-room"


def rendered(message: OutboxMessage) -> str:
    subject, text, html = render(message)
    return f"{subject}\n{text}\n{html}"


def test_the_video_link_goes_only_to_people_with_a_place(world):
    event = an_online_event(world, capacity=1)
    anna = person(world, "anna@example.org")
    services.register_person(actor=world.admin, event=event, participant=anna)
    services.register_publicly(
        organisation=world.org,
        event=event,
        name="Omar Ali",
        email="omar@example.org",
        language="ar",
        municipality=None,
    )
    waiting = OutboxMessage.objects.get(template="event_waiting")
    assert LINK not in rendered(waiting)
    later = event.starts_at + timedelta(days=1)
    services.move_event(actor=world.admin, event=event, starts_at=later, ends_at=later + timedelta(hours=1))
    moved_waiting = OutboxMessage.objects.get(template="event_moved", to_email="omar@example.org")
    assert LINK not in rendered(moved_waiting) and LINK not in ics_of(moved_waiting)
    moved_anna = OutboxMessage.objects.get(template="event_moved", to_email="anna@example.org")
    assert LINK in rendered(moved_anna) and LINK in ics_of(moved_anna)
    # Anna cancels: Omar moves up, and the "you have a place" mail brings the link
    registration = event.registrations.get(participant=anna)
    services.cancel_registration(actor=world.admin, registration=registration)
    place_free = OutboxMessage.objects.get(template="event_place_free")
    assert LINK in rendered(place_free) and LINK in ics_of(place_free)


@pytest.mark.parametrize("change", ["move", "cancel"])
def test_moved_and_cancelled_mails_name_the_contact(world, change):
    world.uppsala.contact_name, world.uppsala.contact_email = "Sara Kontakt", "sara@kompis.example"
    world.uppsala.save()
    event = an_event(world)
    services.register_person(
        actor=world.admin, event=event, participant=person(world, "anna@example.org", "en")
    )
    if change == "move":
        later = event.starts_at + timedelta(days=1)
        services.move_event(
            actor=world.admin, event=event, starts_at=later, ends_at=later + timedelta(hours=2)
        )
    else:
        services.cancel_event(actor=world.admin, event=event)
    mail = OutboxMessage.objects.get(template=f"event_{change}d" if change == "move" else "event_cancelled")
    _subject, text, html = render(mail)
    for body in (text, html):
        assert "Questions?" in body and "Sara Kontakt" in body and "sara@kompis.example" in body
