"""Every change to events and registrations: typed, in one transaction, audited.

Staff (a coordinator in scope, an admin) create events and register people; a person cancels their own
registration from their page (`ParticipantActor`); leaving everything cancels every registration
(`receivers.on_participant_withdrawing`). #13 adds the waiting list (moved up in `cancel_registration`),
public registration, reminders and attendance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from kompis.accounts.models import User
from kompis.audit.actors import Actor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.events.models import Event, EventRegistration, RegistrationStatus
from kompis.organisations.models import Organisation, Project, Region
from kompis.participants.models import Participant


class RegistrationRefused(ValueError):
    """The registration cannot be made; `code` says why ("full", "over", "other_organisation")."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class EventData:
    """What staff fill in for an event (checked by the form: ends after it starts, a place or online)."""

    title: str
    starts_at: datetime
    ends_at: datetime
    region: Region | None
    project: Project | None = None
    place: str = ""
    online: bool = False
    video_link: str = ""
    capacity: int | None = None


@transaction.atomic
def create_event(*, actor: User, organisation: Organisation, data: EventData) -> Event:
    event = Event(
        organisation=organisation,
        region=data.region,
        project=data.project,
        title=data.title,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        place=data.place,
        online=data.online,
        video_link=data.video_link,
        capacity=data.capacity,
        created_by=actor,
    )
    event.full_clean(exclude=["uid"])
    event.save()
    record(
        actor=actor,
        action=EventType.EVENT_CREATED,
        obj=event,
        data={
            "region": str(data.region.uid) if data.region else None,
            "project": str(data.project.uid) if data.project else None,
            "online": data.online,
            "capacity": data.capacity,
        },
    )
    return event


def places_taken(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


@transaction.atomic
def register_person(*, actor: Actor, event: Event, participant: Participant) -> EventRegistration:
    """Register the person for the event (again, if they had cancelled). Already registered: the same
    registration, nothing written. Refused (nothing written) when the event is full or over, or belongs to
    another organisation. The event's row is locked, so two registrations cannot both take the last place."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if participant.organisation_id != locked.organisation_id:
        raise RegistrationRefused("other_organisation")
    existing = EventRegistration.objects.filter(event=locked, participant=participant).first()
    if existing is not None and existing.is_active:
        return existing
    if locked.ends_at < timezone.now():
        raise RegistrationRefused("over")
    if locked.capacity is not None and places_taken(locked) >= locked.capacity:
        raise RegistrationRefused("full")  # #13: a place on the waiting list instead
    now = timezone.now()
    if existing is None:
        registration = EventRegistration.objects.create(
            event=locked, participant=participant, registered_at=now
        )
    else:
        registration = existing
        registration.status = RegistrationStatus.REGISTERED
        registration.registered_at, registration.cancelled_at = now, None
        registration.save(update_fields=["status", "registered_at", "cancelled_at"])
    record(
        actor=actor,
        action=EventType.EVENT_REGISTERED,
        obj=locked,
        data={"participant": str(participant.uid), "registration": str(registration.uid)},
    )
    return registration


@transaction.atomic
def cancel_registration(*, actor: Actor, registration: EventRegistration, reason: str = "cancelled") -> bool:
    """Cancel one registration (by staff, or by the person from their page). False if it was cancelled
    already. `reason` is a code for the log ("cancelled"; "withdrawn" when the person left everything)."""
    row = (
        EventRegistration.objects.select_for_update()
        .select_related("event", "participant")
        .get(pk=registration.pk)
    )
    if not row.is_active:
        return False
    row.status = RegistrationStatus.CANCELLED
    row.cancelled_at = timezone.now()
    row.save(update_fields=["status", "cancelled_at"])
    registration.status, registration.cancelled_at = row.status, row.cancelled_at
    record(
        actor=actor,
        action=EventType.EVENT_REGISTRATION_CANCELLED,
        obj=row.event,
        data={"participant": str(row.participant.uid), "registration": str(row.uid), "reason": reason},
    )
    # #13: the first on the waiting list moves up here.
    return True


def cancel_registrations_of(*, actor: Actor, participant: Participant, reason: str = "withdrawn") -> int:
    """Cancel every active registration of the person (inside the caller's transaction): how many."""
    active = EventRegistration.objects.filter(participant=participant, status=RegistrationStatus.REGISTERED)
    return sum(cancel_registration(actor=actor, registration=r, reason=reason) for r in active)
