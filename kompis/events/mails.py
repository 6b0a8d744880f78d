"""The mails about a registration, and the `.ics` they carry (one event, same UID as in the region's feed).

An event's SEQUENCE is how often it was moved or cancelled (counted in the audit log), so a calendar that
has the event replaces its copy with the newer one a later mail brings.
"""

from __future__ import annotations

import copy
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


def event_ics(event: Event, *, cancel: bool = False, with_link: bool = True) -> Attachment:
    """The event as an `.ics` attachment: PUBLISH (add or update), or CANCEL when it is cancelled.
    Without its video link for a person who is only on the waiting list (`with_link=False`)."""
    method = "CANCEL" if cancel else "PUBLISH"
    shown = event
    if not with_link:
        shown = copy.copy(event)
        shown.video_link = ""
    body = ics.calendar([shown], name="", now=timezone.now(), method=method, sequences=sequences([event]))
    return Attachment("event.ics", f"text/calendar; method={method}", body)


def event_context(event: Event, *, with_link: bool = True) -> dict[str, object]:
    """What a mail about the event says: its title, time, and where (address, or the video link: only for
    a person with a place, never for one on the waiting list)."""
    local = timezone.localtime(event.starts_at)
    return {
        "event": event.title,
        "starts": local.strftime("%Y-%m-%d %H:%M"),
        "place": event.place,
        "online": event.online,
        "video_link": event.video_link if with_link else "",
    }


def mail_person(
    registration: EventRegistration,
    template: str,
    *,
    key: str = "",
    calendar: Attachment | None = None,
    had_place: bool | None = None,
) -> None:
    """Queue one mail about the registration to its person (none for a person without an address), with
    the event's `.ics` when `calendar` is given; at most once per registration, template and `key`. The
    video link only for a person with a place (`had_place`: she had one before this change cancelled it)."""
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
            **event_context(
                registration.event, with_link=registration.is_active if had_place is None else had_place
            ),
        },
        dedupe_key=f"{template}:{registration.uid}{key}",
        organisation=person.organisation,
        participant=person,
        attachments=[calendar] if calendar is not None else [],
    )
