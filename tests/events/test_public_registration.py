"""Issue #13: public registration for an event: a name, an e-mail address, a language and the consent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.events import services
from kompis.events.models import Event, EventRegistration
from kompis.events.services import EventData
from kompis.outbox.models import OutboxMessage
from kompis.participants.models import Consent, Participant
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def event_of(world, capacity=None, days=7) -> Event:
    starts = timezone.now().replace(microsecond=0) + timedelta(days=days)
    data = EventData(
        title="Språkcafé",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        region=world.uppsala,
        online=True,
        video_link="https://meet.example/cafe",
        capacity=capacity,
    )
    return services.create_event(actor=world.admin, organisation=world.org, data=data)


def form(**changes):
    data = {"name": "Amina Yusuf", "email": "Amina@Example.org", "language": "ar", "consent": "on"}
    data.update(changes)
    return data


def url(world, event):
    return reverse("public_events:register", args=[world.org.slug, event.uid])


def test_the_list_shows_upcoming_events_only(client, world):
    upcoming, cancelled = event_of(world), event_of(world)
    services.cancel_event(actor=world.admin, event=cancelled)
    html = client.get(reverse("public_events:list", args=[world.org.slug])).content.decode()
    assert str(upcoming.uid) in html and str(cancelled.uid) not in html
    assert client.get(url(world, cancelled)).status_code == 404


@pytest.mark.parametrize("language", ["sv", "en", "ar", "fa", "so", "uk"])
def test_the_form_opens_in_each_language(client, world, language):
    event = event_of(world)
    response = client.get(url(world, event), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200 and 'name="email"' in response.content.decode()


def test_a_name_an_address_and_a_language_register_a_new_person(client, world):
    event = event_of(world)
    response = client.post(url(world, event), form())
    assert response.status_code == 302 and "waiting" not in response["Location"]
    person = Participant.objects.get(email="amina@example.org")
    assert (person.first_name, person.last_name, person.preferred_language) == ("Amina", "Yusuf", "ar")
    assert person.birth_year is None and person.gender == "" and person.region == world.uppsala
    assert Consent.objects.filter(participant=person, kind="data_processing").count() == 1
    registration = EventRegistration.objects.get(participant=person, event=event)
    assert registration.status == "registered"
    mail = OutboxMessage.objects.get(template="event_registered")
    assert mail.language == "ar" and "/me/" in mail.context["self_service_url"]
    assert AuditEvent.objects.get(action="event.registered").actor_label == "participant"
    # the personal link in the mail opens her page, where she can cancel
    page = client.get(mail.context["self_service_url"])
    assert page.status_code == 200 and str(registration.uid) in page.content.decode()


def test_a_known_address_reuses_the_person(client, world):
    known = ParticipantFactory(organisation=world.org, region=world.uppsala, email="amina@example.org")
    before = Participant.objects.count()
    client.post(url(world, event_of(world)), form())
    assert Participant.objects.count() == before
    assert EventRegistration.objects.get().participant == known


def test_a_full_event_puts_her_on_the_waiting_list(client, world):
    event = event_of(world, capacity=1)
    services.register_person(
        actor=world.admin, event=event, participant=ParticipantFactory(organisation=world.org)
    )
    response = client.post(url(world, event), form())
    assert "waiting=1" in response["Location"]
    assert EventRegistration.objects.get(participant__email="amina@example.org").status == "waiting_list"
    assert OutboxMessage.objects.filter(template="event_waiting").count() == 1
    thanks = client.get(response["Location"]).content.decode()
    assert "waiting list" in thanks


@pytest.mark.parametrize(
    "bad",
    [
        {"email": "not-an-address"},
        {"name": "   "},
        {"consent": ""},
        {"language": "xx"},
    ],
)
def test_bad_input_writes_nothing(client, world, bad):
    event = event_of(world)
    before = (Participant.objects.count(), AuditEvent.objects.count())
    response = client.post(url(world, event), form(**bad))
    assert response.status_code == 200
    assert (Participant.objects.count(), AuditEvent.objects.count()) == before
    assert not EventRegistration.objects.exists() and not OutboxMessage.objects.exists()


def test_an_event_that_is_over_writes_not_even_the_person(client, world):
    event = event_of(world)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    before = AuditEvent.objects.count()
    response = client.post(url(world, event), form())
    assert response.status_code == 200 and "The event is over." in response.content.decode()
    assert not Participant.objects.filter(email="amina@example.org").exists()
    assert AuditEvent.objects.count() == before and not Consent.objects.exists()


def test_a_name_an_address_and_a_language_are_enough(client, world):
    event = event_of(world)
    html = client.get(url(world, event)).content.decode()
    assert 'name="municipality"' not in html
    response = client.post(url(world, event), form())
    assert response.status_code == 302
    person = Participant.objects.get(email="amina@example.org")
    assert person.municipality is None and person.birth_year is None and person.gender == ""
    assert person.region == world.uppsala  # the event's region
    assert EventRegistration.objects.get(participant=person).status == "registered"


def test_the_list_and_the_form_show_a_full_event_and_say_online(client, world):
    full, open_one = event_of(world, capacity=1), event_of(world, capacity=2, days=8)
    for event in (full, open_one):
        services.register_person(
            actor=world.admin, event=event, participant=ParticipantFactory(organisation=world.org)
        )
    html = client.get(reverse("public_events:list", args=[world.org.slug]), HTTP_ACCEPT_LANGUAGE="en")
    cards = html.content.decode().split('<section class="card">')[1:]
    assert len(cards) == 2
    assert "Full — waiting list" in cards[0] and "Full — waiting list" not in cards[1]
    assert all("Online" in card and "Yes" not in card for card in cards)
    assert "Full — waiting list" in client.get(url(world, full), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Full — waiting list" not in client.get(url(world, open_one)).content.decode()
