"""Every change to events and registrations: typed, in one transaction, audited.

Staff (a coordinator in scope, an admin) create events and register people; a person cancels their own
registration from their page (`ParticipantActor`); leaving everything cancels every registration
(`receivers.on_participant_withdrawing`). #13 adds the waiting list (moved up in `cancel_registration`),
public registration, reminders and attendance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from kompis.accounts.models import User
from kompis.audit.actors import Actor, ParticipantActor, SystemActor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.events.mails import event_ics, mail_person, sequences
from kompis.events.models import Event, EventRegistration, EventSeries, RegistrationStatus
from kompis.municipalities.models import Municipality
from kompis.organisations.models import Organisation, Project, Region
from kompis.participants.models import Participant
from kompis.participants.people import find_or_create_person

#: the actor of moving up from the waiting list (it happens because someone else cancelled)
WAITING_LIST_ACTOR = SystemActor("events.waiting_list")
#: a series without an end date makes this many weeks of occurrences
SERIES_MAX_WEEKS = 52


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
    #: on the public events page and open for public registration
    public: bool = True


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
        public=data.public,
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
            "public": data.public,
        },
    )
    return event


def places_taken(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def _has_free_place(event: Event) -> bool:
    return event.capacity is None or places_taken(event) < event.capacity


@transaction.atomic
def register_person(*, actor: Actor, event: Event, participant: Participant) -> EventRegistration:
    """Register the person for the event (again, if they had cancelled); a full event puts them on its
    waiting list. Already registered or waiting: the same registration, nothing written. Refused (nothing
    written) when the event is cancelled or over, or belongs to another organisation. The event's row is locked, so two registrations cannot both take the last place."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if participant.organisation_id != locked.organisation_id:
        raise RegistrationRefused("other_organisation")
    existing = EventRegistration.objects.filter(event=locked, participant=participant).first()
    if existing is not None and existing.is_active:
        return existing
    if existing is not None and existing.is_waiting:
        return existing
    if locked.cancelled_at is not None:
        raise RegistrationRefused("cancelled")
    if locked.ends_at < timezone.now():
        raise RegistrationRefused("over")
    status = RegistrationStatus.REGISTERED if _has_free_place(locked) else RegistrationStatus.WAITING
    now = timezone.now()
    if existing is None:
        registration = EventRegistration.objects.create(
            event=locked, participant=participant, registered_at=now, status=status
        )
    else:
        registration = existing
        registration.status = status
        registration.registered_at, registration.cancelled_at = now, None
        registration.save(update_fields=["status", "registered_at", "cancelled_at"])
    record(
        actor=actor,
        action=EventType.EVENT_REGISTERED
        if status == RegistrationStatus.REGISTERED
        else EventType.EVENT_WAITING_LISTED,
        obj=locked,
        data={"participant": str(participant.uid), "registration": str(registration.uid)},
    )
    return registration


@transaction.atomic
def cancel_registration(*, actor: Actor, registration: EventRegistration, reason: str = "cancelled") -> bool:
    """Cancel one registration (by staff, or by the person from their page). False if it was cancelled
    already. `reason` is a code for the log ("cancelled"; "withdrawn" when the person left everything)."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)  # as register_person does
    row = (
        EventRegistration.objects.select_for_update()
        .select_related("event", "participant")
        .get(pk=registration.pk)
    )
    if not row.is_open:
        return False
    freed = row.is_active
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
    if freed and reason != "event_cancelled":
        move_up(event=event)
    return True


def move_up(*, event: Event) -> list[EventRegistration]:
    """While the event has a free place, the first on its waiting list (the earliest) gets it: audited, and
    mailed "you have a place". Called inside the transaction that holds the event's row locked."""
    moved = []
    while _has_free_place(event):
        first = (
            event.registrations.select_for_update()
            .select_related("participant__organisation", "event")
            .filter(status=RegistrationStatus.WAITING)
            .order_by("registered_at", "id")
            .first()
        )
        if first is None:
            break
        first.status = RegistrationStatus.REGISTERED
        first.save(update_fields=["status"])
        record(
            actor=WAITING_LIST_ACTOR,
            action=EventType.EVENT_MOVED_UP,
            obj=event,
            data={"participant": str(first.participant.uid), "registration": str(first.uid)},
        )
        mail_person(
            first, "event_place_free", key=f":{first.registered_at.isoformat()}", calendar=event_ics(event)
        )
        moved.append(first)
    return moved


def cancel_registrations_of(*, actor: Actor, participant: Participant, reason: str = "withdrawn") -> int:
    """Cancel every active registration of the person (inside the caller's transaction): how many."""
    active = EventRegistration.objects.filter(
        participant=participant, status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING]
    )
    return sum(cancel_registration(actor=actor, registration=r, reason=reason) for r in active)


@dataclass(frozen=True)
class SeriesData:
    """A weekly series: every `weekday` at `start_time` for `duration_minutes`, from `starts_on` until
    `ends_on` (or 52 weeks)."""

    title: str
    weekday: int
    start_time: time
    duration_minutes: int
    starts_on: date
    region: Region | None
    ends_on: date | None = None
    project: Project | None = None
    place: str = ""
    online: bool = False
    video_link: str = ""
    capacity: int | None = None
    #: on the public events page and open for public registration
    public: bool = True


def occurrence_dates(*, weekday: int, starts_on: date, ends_on: date | None) -> list[date]:
    """The weekly dates of a series: the first `weekday` on or after `starts_on`, then every 7 days up to
    `ends_on` (inclusive), at most 52 of them."""
    first = starts_on + timedelta(days=(weekday - starts_on.weekday()) % 7)
    dates = [first + timedelta(weeks=n) for n in range(SERIES_MAX_WEEKS)]
    return [d for d in dates if ends_on is None or d <= ends_on]


@transaction.atomic
def create_series(*, actor: User, organisation: Organisation, data: SeriesData) -> EventSeries:
    """The series and its occurrences (one `Event` each, in local time: 18:00 stays 18:00 across the change
    to summer time). Invalid data (no place and not online, ends before it starts): nothing written."""
    series = EventSeries(
        organisation=organisation,
        region=data.region,
        project=data.project,
        title=data.title,
        weekday=data.weekday,
        start_time=data.start_time,
        duration_minutes=data.duration_minutes,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        place=data.place,
        online=data.online,
        video_link=data.video_link,
        capacity=data.capacity,
        public=data.public,
        created_by=actor,
    )
    series.full_clean(exclude=["uid"])
    series.save()
    tz = timezone.get_current_timezone()
    events = []
    for day in occurrence_dates(weekday=data.weekday, starts_on=data.starts_on, ends_on=data.ends_on):
        starts = timezone.make_aware(datetime.combine(day, data.start_time), tz)
        events.append(
            Event(
                organisation=organisation,
                region=data.region,
                project=data.project,
                series=series,
                title=data.title,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=data.duration_minutes),
                place=data.place,
                online=data.online,
                video_link=data.video_link,
                capacity=data.capacity,
                public=data.public,  # an occurrence takes its series' flag
                created_by=actor,
            )
        )
    Event.objects.bulk_create(events)
    record(
        actor=actor,
        action=EventType.EVENT_SERIES_CREATED,
        obj=series,
        data={
            "region": str(data.region.uid) if data.region else None,
            "project": str(data.project.uid) if data.project else None,
            "weekday": data.weekday,
            "occurrences": len(events),
            "capacity": data.capacity,
            "public": data.public,
        },
    )
    return series


@transaction.atomic
def cancel_event(*, actor: User, event: Event) -> bool:
    """Cancel one event (an occurrence of a series, or a one-off): kept and shown as cancelled; each open
    registration is cancelled and everyone registered or waiting gets a mail in her language, with an `.ics`
    that removes the event from her calendar (METHOD:CANCEL, same UID). False if it was cancelled already."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.cancelled_at is not None:
        return False
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["cancelled_at"])
    event.cancelled_at = locked.cancelled_at
    record(actor=actor, action=EventType.EVENT_CANCELLED, obj=locked, data={"series": _series_uid(locked)})
    open_ones = locked.registrations.select_related("participant__organisation", "event").filter(
        status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING]
    )
    calendars = {True: event_ics(locked, cancel=True), False: event_ics(locked, cancel=True, with_link=False)}
    for registration in open_ones:
        had_place = registration.is_active
        cancel_registration(actor=actor, registration=registration, reason="event_cancelled")
        mail_person(registration, "event_cancelled", calendar=calendars[had_place], had_place=had_place)
    return True


@transaction.atomic
def move_event(*, actor: User, event: Event, starts_at: datetime, ends_at: datetime) -> Event:
    """Move one event (an occurrence of a series keeps its series: the exception to the weekly rule).
    Everyone registered or waiting gets a mail in her language with the new time and an updated `.ics`
    (same UID, higher SEQUENCE); once per move (the key names the move's SEQUENCE). The same times
    again: nothing written, nobody mailed."""
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": gettext("The event must end after it starts.")})
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if (locked.starts_at, locked.ends_at) == (starts_at, ends_at):
        return locked
    locked.starts_at, locked.ends_at = starts_at, ends_at
    locked.full_clean(exclude=["uid"])
    locked.save(update_fields=["starts_at", "ends_at"])
    record(actor=actor, action=EventType.EVENT_MOVED, obj=locked, data={"series": _series_uid(locked)})
    if locked.cancelled_at is None:
        calendar = event_ics(locked)
        waiting_calendar = event_ics(locked, with_link=False)  # the video link is for those with a place
        sequence = sequences([locked]).get(locked.pk, 0)
        open_ones = locked.registrations.select_related("participant__organisation").filter(
            status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.WAITING]
        )
        for registration in open_ones:
            registration.event = locked
            shown = calendar if registration.is_active else waiting_calendar
            mail_person(registration, "event_moved", key=f":{sequence}", calendar=shown)
    return locked


def _series_uid(event: Event) -> str | None:
    return str(event.series.uid) if event.series_id and event.series else None


def send_reminders(now: datetime) -> int:
    """The sweep (registered in EventsConfig.ready): each person registered for an event that starts within
    the next day, not cancelled, gets one reminder (with the address or the video link) through the outbox;
    `reminded_at` and the mail's dedupe key make it once per registration however often the sweep runs."""
    due = EventRegistration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        reminded_at__isnull=True,
        event__cancelled_at__isnull=True,
        event__starts_at__gt=now,
        event__starts_at__lte=now + timedelta(days=1),
    ).select_related("participant__organisation", "event")
    sent = 0
    for registration in due:
        with transaction.atomic():
            claimed = EventRegistration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if claimed:
                mail_person(registration, "event_reminder")
                sent += 1
    return sent


@transaction.atomic
def register_publicly(
    *,
    organisation: Organisation,
    event: Event,
    name: str,
    email: str,
    language: str,
    municipality: Municipality | None = None,
) -> EventRegistration:
    """The public form: the person known by this address (or a new one with only a name, an e-mail address
    and a language) registers herself, or goes on the waiting list of a full event; she gets a mail with her
    personal link, where she can cancel. Refused (`RegistrationRefused`): nothing written, not even the
    person."""
    if event.organisation_id != organisation.pk:
        raise RegistrationRefused("other_organisation")
    found = find_or_create_person(
        organisation=organisation,
        name=name,
        email=email,
        language=language,
        municipality=municipality,
        region=event.region,
        via="event",
    )
    registration = register_person(
        actor=ParticipantActor(found.person.pk), event=event, participant=found.person
    )
    registration.participant = found.person
    registration.event = event
    if registration.is_waiting:
        mail_person(registration, "event_waiting", key=f":{registration.registered_at.isoformat()}")
    else:
        mail_person(
            registration,
            "event_registered",
            key=f":{registration.registered_at.isoformat()}",
            calendar=event_ics(event),
        )
    return registration
