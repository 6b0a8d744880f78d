"""The mails about a registration, and the `.ics` they carry (one event, same UID as in the region's feed).

An event's SEQUENCE is how often it was moved or cancelled (counted in the audit log), so a calendar that
has the event replaces its copy with the newer one a later mail brings.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count
from django.utils import timezone

from kompis.audit.events import EventType
from kompis.audit.models import AuditEvent
from kompis.events import ics
from kompis.events.models import Event, EventRegistration
from kompis.outbox.services import Attachment, queue_mail
from kompis.participants.services import self_service_url

#: the changes that make calendars replace their copy of an event
REVISIONS = (EventType.EVENT_MOVED.value, EventType.EVENT_CANCELLED.value)
EVENT_TYPE = Event._meta.label_lower


def sequences(events: Iterable[Event]) -> dict[int, int]:
    """Each event's SEQUENCE (by id): how many times it was moved or cancelled. One query."""
    by_uid = {str(event.uid): event.pk for event in events}
    counts = (
        AuditEvent.objects.filter(object_type=EVENT_TYPE, object_id__in=list(by_uid), action__in=REVISIONS)
        .values("object_id")
        .annotate(n=Count("id"))
    )
    return {by_uid[row["object_id"]]: int(row["n"]) for row in counts}


def event_ics(event: Event, *, cancel: bool = False) -> Attachment:
    """The event as an `.ics` attachment: PUBLISH (add or update), or CANCEL when it is cancelled."""
    method = "CANCEL" if cancel else "PUBLISH"
    body = ics.calendar([event], name="", now=timezone.now(), method=method, sequences=sequences([event]))
    return Attachment("event.ics", f"text/calendar; method={method}", body)


def event_context(event: Event) -> dict[str, object]:
    """What a mail about the event says: its title, time, and where (address or video link)."""
    local = timezone.localtime(event.starts_at)
    return {
        "event": event.title,
        "starts": local.strftime("%Y-%m-%d %H:%M"),
        "place": event.place,
        "online": event.online,
        "video_link": event.video_link,
    }


def mail_person(
    registration: EventRegistration, template: str, *, key: str = "", calendar: Attachment | None = None
) -> None:
    """Queue one mail about the registration to its person (none for a person without an address), with
    the event's `.ics` when `calendar` is given; at most once per registration, template and `key`."""
    person = registration.participant
    if not person.email:
        return
    queue_mail(
        to_email=person.email,
        template=template,
        language=person.preferred_language,
        context={
            "first_name": person.first_name,
            "organisation": person.organisation.name,
            "self_service_url": self_service_url(person),
            **event_context(registration.event),
        },
        dedupe_key=f"{template}:{registration.uid}{key}",
        organisation=person.organisation,
        participant=person,
        attachments=[calendar] if calendar is not None else [],
    )
