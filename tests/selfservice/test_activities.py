"""The person's own page lists every activity they take part in (issue #12): friend matching and their
event registrations, each with its state and its own actions, plus "leave everything"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.events import services as events
from kompis.events.models import Event, EventRegistration
from kompis.participants.models import Consent, FriendParticipation
from kompis.participants.services import self_service_url
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def path_of(url: str) -> str:
    return url.split("127.0.0.1:8000", 1)[1]


def make_event(world, title="Language café", days=7, **extra):
    starts = timezone.now() + timedelta(days=days)
    return Event.objects.create(
        organisation=world.org,
        region=world.uppsala,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Stadsbiblioteket",
        **extra,
    )


@pytest.fixture
def layla(world):
    person = ParticipantFactory(
        organisation=world.org, region=world.uppsala, first_name="Layla", email="layla@example.org"
    )
    Consent.objects.create(participant=person, kind="data_processing", policy_version="2026-01")
    return person


def friend_status(person) -> str:
    return FriendParticipation.objects.get(pk=person.pk).status


def page(client, person) -> str:
    client.get("/language/en/")
    response = client.get(path_of(self_service_url(person)))
    assert response.status_code == 200
    return response.content.decode()


def test_waiting_then_paused_in_friend_matching_while_registered_for_an_event(client, world, layla):
    """The issue's "done when": both activities with their states on her page; cancelling the event keeps
    friend matching; leaving friend matching keeps the event registration."""
    cafe = make_event(world, "Language café")
    walk = make_event(world, "Autumn walk", days=10)
    events.register_person(actor=world.admin, event=cafe, participant=layla)
    events.register_person(actor=world.admin, event=walk, participant=layla)
    url = path_of(self_service_url(layla))

    html = page(client, layla)
    assert "Friend matching" in html and "You are on the waiting list." in html
    assert "Language café" in html and "Autumn walk" in html and "You are registered." in html

    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    assert client.post(url, {"action": "pause", "until": until}).status_code == 302
    assert friend_status(layla) == "paused"
    html = page(client, layla)
    assert f'Your participation is paused until <span class="ltr">{until}</span>.' in html
    assert "Language café" in html and "You are registered." in html

    # cancelling the café keeps friend matching (and the walk)
    cafe_registration = EventRegistration.objects.get(event=cafe, participant=layla)
    response = client.post(url, {"action": "cancel_registration", "target": str(cafe_registration.uid)})
    assert response.status_code == 302
    cafe_registration.refresh_from_db()
    assert cafe_registration.status == "cancelled"
    assert friend_status(layla) == "paused"
    assert EventRegistration.objects.get(event=walk, participant=layla).status == "registered"

    # leaving friend matching keeps the walk
    assert client.post(url, {"action": "leave_friend_matching"}).status_code == 302
    assert friend_status(layla) == "withdrawn"
    assert EventRegistration.objects.get(event=walk, participant=layla).status == "registered"
    html = page(client, layla)
    assert "You have left friend matching." in html and "Autumn walk" in html

    actions = set(AuditEvent.objects.filter(actor_label="participant").values_list("action", flat=True))
    assert {"participant.paused", "event.registration_cancelled"} <= actions


def test_leaving_everything_cancels_every_registration(client, world, layla):
    cafe = make_event(world)
    registration = events.register_person(actor=world.admin, event=cafe, participant=layla)
    url = path_of(self_service_url(layla))
    assert client.post(url, {"action": "withdraw", "reason": ""}).status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled" and friend_status(layla) == "withdrawn"
    event = AuditEvent.objects.get(action="event.registration_cancelled")
    assert event.actor_label == "participant" and event.data["reason"] == "withdrawn"
    # her link now shows the "you have left" page and does nothing
    html = page(client, layla)
    assert "Language café" not in html


def test_a_person_only_registered_for_an_event(client, world):
    person = ParticipantFactory(
        organisation=world.org, region=world.uppsala, friend_matching=False, birth_year=None, gender=""
    )
    cafe = make_event(world, online=True, video_link="https://video.example.org/cafe")
    events.register_person(actor=world.admin, event=cafe, participant=person)
    html = page(client, person)
    assert "Language café" in html and "https://video.example.org/cafe" in html
    assert "Friend matching" not in html
    assert 'name="availability"' not in html  # friend matching's fields are not asked


def test_only_her_own_registrations_can_be_cancelled(client, world, layla):
    other = ParticipantFactory(organisation=world.org, region=world.uppsala)
    cafe = make_event(world)
    hers = events.register_person(actor=world.admin, event=cafe, participant=other)
    url = path_of(self_service_url(layla))
    response = client.post(url, {"action": "cancel_registration", "target": str(hers.uid)})
    assert response.status_code == 200  # not offered to her: the page again, nothing changed
    hers.refresh_from_db()
    assert hers.status == "registered"


def test_a_get_changes_nothing(client, world, layla):
    cafe = make_event(world)
    registration = events.register_person(actor=world.admin, event=cafe, participant=layla)
    url = path_of(self_service_url(layla))
    before = AuditEvent.objects.count()
    client.get(url, {"action": "cancel_registration", "target": str(registration.uid)})
    client.get(url, {"action": "leave_friend_matching"})
    registration.refresh_from_db()
    assert registration.status == "registered" and friend_status(layla) == "waiting"
    assert AuditEvent.objects.count() == before


def test_past_events_are_not_listed(client, world, layla):
    past = Event.objects.create(
        organisation=world.org,
        region=world.uppsala,
        title="Old picnic",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
        place="Park",
    )
    EventRegistration.objects.create(event=past, participant=layla)
    assert "Old picnic" not in page(client, layla)
