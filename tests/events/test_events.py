"""Events (issue #12, minimal; #13 grows them): staff create an event, register people in their scope,
cancel registrations; every change a service with audit; coordinators see their regions' events only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kompis.audit.models import AuditEvent
from kompis.audit.selectors import history_of
from kompis.audit.sentences import history_lines
from kompis.events import services
from kompis.events.models import Event, EventRegistration
from kompis.events.services import EventData, RegistrationRefused
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def soon(days: int = 7):
    return timezone.now().replace(microsecond=0) + timedelta(days=days)


def cafe(world, region=None) -> Event:
    data = EventData(
        title="Language café",
        starts_at=soon(),
        ends_at=soon() + timedelta(hours=2),
        region=region or world.uppsala,
        place="Stadsbiblioteket",
    )
    return services.create_event(actor=world.admin, organisation=world.org, data=data)


def test_create_event_is_audited_with_ids_only(world):
    event = cafe(world)
    logged = AuditEvent.objects.get(action="event.created")
    assert logged.object_id == str(event.uid) and logged.data["region"] == str(world.uppsala.uid)
    assert "café" not in str(logged.data)


def test_an_event_needs_a_place_or_to_be_online(world):
    from django.core.exceptions import ValidationError

    data = EventData(title="Nowhere", starts_at=soon(), ends_at=soon() + timedelta(hours=1), region=None)
    with pytest.raises(ValidationError):
        services.create_event(actor=world.admin, organisation=world.org, data=data)
    assert not Event.objects.exists()


def test_register_cancel_and_register_again(world, uppsala_participant):
    event = cafe(world)
    first = services.register_person(actor=world.admin, event=event, participant=uppsala_participant)
    again = services.register_person(actor=world.admin, event=event, participant=uppsala_participant)
    assert first.pk == again.pk and AuditEvent.objects.filter(action="event.registered").count() == 1
    assert services.cancel_registration(actor=world.admin, registration=first)
    assert not services.cancel_registration(actor=world.admin, registration=first)  # once
    back = services.register_person(actor=world.admin, event=event, participant=uppsala_participant)
    assert back.pk == first.pk and back.status == "registered" and back.cancelled_at is None
    assert EventRegistration.objects.count() == 1
    codes = list(history_of(event).values_list("action", flat=True))
    assert codes.count("event.registered") == 2 and codes.count("event.registration_cancelled") == 1


def test_a_full_event_puts_the_next_on_its_waiting_list(world):
    event = cafe(world)
    Event.objects.filter(pk=event.pk).update(capacity=1)
    event.refresh_from_db()
    a, b = (ParticipantFactory(organisation=world.org, region=world.uppsala) for _ in range(2))
    services.register_person(actor=world.admin, event=event, participant=a)
    waiting = services.register_person(actor=world.admin, event=event, participant=b)
    assert waiting.status == "waiting_list" and services.places_taken(event) == 1
    assert AuditEvent.objects.filter(action="event.waiting_listed").count() == 1
    again = services.register_person(actor=world.admin, event=event, participant=b)  # nothing written
    assert again.pk == waiting.pk and AuditEvent.objects.filter(action="event.waiting_listed").count() == 1


def test_another_organisations_person_is_refused(world):
    event = cafe(world)
    outsider = ParticipantFactory(organisation=world.other_org)
    with pytest.raises(RegistrationRefused):
        services.register_person(actor=world.admin, event=event, participant=outsider)


def test_history_sentences(world, uppsala_participant):
    world.admin.first_name, world.admin.last_name = "Anna", "Lund"
    world.admin.save()
    event = cafe(world)
    registration = services.register_person(actor=world.admin, event=event, participant=uppsala_participant)
    services.cancel_registration(actor=world.admin, registration=registration)
    lines = [line.text for line in history_lines(world.admin, history_of(event))]
    assert "Amal Haddad was registered by Anna Lund" in lines
    assert "The registration of Amal Haddad was cancelled by Anna Lund" in lines
    assert "Event created by Anna Lund" in lines


# --- staff pages ------------------------------------------------------------------------------------


def test_coordinator_creates_an_event_in_her_region(client, world):
    client.force_login(world.uppsala_coordinator)
    starts = soon()
    form = {
        "title": "Fika",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "region": world.uppsala.pk,
        "place": "Café Linné",
    }
    response = client.post(reverse("events:new"), form)
    event = Event.objects.get()
    assert response.status_code == 302 and event.region == world.uppsala
    assert event.created_by == world.uppsala_coordinator
    # another region's is not hers to choose
    response = client.post(reverse("events:new"), {**form, "region": world.danderyd.pk})
    assert response.status_code == 200 and Event.objects.count() == 1


def test_the_form_refuses_a_start_in_the_past_and_no_place(client, world):
    client.force_login(world.admin)
    past = timezone.now() - timedelta(days=1)
    response = client.post(
        reverse("events:new"),
        {
            "title": "Late",
            "starts_at": past.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (past - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Event.objects.exists()
    assert "cannot start in the past" in html and "end after it starts" in html and "tick" in html


def test_staff_register_a_person_found_by_name_and_cancel(
    client, world, uppsala_participant, danderyd_participant
):
    event = cafe(world)
    client.force_login(world.uppsala_coordinator)
    page = client.get(reverse("events:detail", args=[event.uid]), {"q": "Amal"}).content.decode()
    assert "Amal Haddad" in page
    # a person outside her scope is not found, and cannot be registered
    page = client.get(reverse("events:detail", args=[event.uid]), {"q": "Karin"}).content.decode()
    assert "Karin Lind" not in page and "Nobody found." in page
    url = reverse("events:register", args=[event.uid])
    assert client.post(url, {"participant": str(danderyd_participant.uid)}).status_code == 404
    assert client.post(url, {"participant": "not-a-uuid"}).status_code == 404
    assert client.post(url, {"participant": str(uppsala_participant.uid)}).status_code == 302
    registration = EventRegistration.objects.get()
    assert registration.participant == uppsala_participant
    page = client.get(reverse("events:detail", args=[event.uid])).content.decode()
    assert "Amal Haddad" in page and "Amal Haddad was registered" in page
    assert client.post(reverse("events:cancel", args=[registration.uid])).status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_coordinators_see_their_regions_events_only(client, world):
    ours, theirs = cafe(world), cafe(world, region=world.danderyd)
    client.force_login(world.uppsala_coordinator)
    html = client.get(reverse("events:list")).content.decode()
    assert str(ours.uid) in html and str(theirs.uid) not in html
    assert client.get(reverse("events:detail", args=[theirs.uid])).status_code == 404
    client.force_login(world.viewer)
    assert client.get(reverse("events:list")).status_code == 403


def test_a_full_event_says_so(client, world, uppsala_participant):
    event = cafe(world)
    Event.objects.filter(pk=event.pk).update(capacity=0)
    client.force_login(world.admin)
    response = client.post(
        reverse("events:register", args=[event.uid]),
        {"participant": str(uppsala_participant.uid)},
        follow=True,
    )
    assert "The event is full" in response.content.decode() and "waiting list" in response.content.decode()
    assert EventRegistration.objects.get().status == "waiting_list"


def test_her_staff_page_shows_her_registrations(client, world, uppsala_participant):
    event = cafe(world)
    services.register_person(actor=world.admin, event=event, participant=uppsala_participant)
    client.force_login(world.uppsala_coordinator)
    html = client.get(reverse("participants:detail", args=[uppsala_participant.uid])).content.decode()
    assert reverse("events:detail", args=[event.uid]) in html and "Language café" in html
