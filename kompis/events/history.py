"""Events' sentences for the history (registered in EventsConfig.ready). Their events are about the event
(`events.event`); the person is named by uid in `data["participant"]`, resolved as every page resolves
people (a person outside the reader's scope by first name and region)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kompis.audit.actors import PARTICIPANT_LABEL
from kompis.audit.models import AuditEvent
from kompis.audit.sentences import Context, Sentence, by_staff, plain, register


def _registered(e: AuditEvent, c: Context) -> str:
    person = c.person(e.data.get("participant"))
    if e.actor_label == PARTICIPANT_LABEL:
        return _("%(person)s registered") % {"person": person}
    return by_staff(_("%(person)s was registered") % {"person": person}, e)


def _cancelled(e: AuditEvent, c: Context) -> str:
    person = c.person(e.data.get("participant"))
    if e.data.get("reason") == "event_cancelled":
        return _("The event was cancelled: the registration of %(person)s too") % {"person": person}
    if e.data.get("reason") == "withdrawn":
        return _("%(person)s left Kompis: their registration was cancelled") % {"person": person}
    if e.actor_label == PARTICIPANT_LABEL:
        return _("%(person)s cancelled their registration") % {"person": person}
    return by_staff(_("The registration of %(person)s was cancelled") % {"person": person}, e)


def _waiting(e: AuditEvent, c: Context) -> str:
    person = c.person(e.data.get("participant"))
    if e.actor_label == PARTICIPANT_LABEL:
        return _("%(person)s put themselves on the waiting list") % {"person": person}
    return by_staff(_("%(person)s was put on the waiting list") % {"person": person}, e)


def _moved_up(e: AuditEvent, c: Context) -> str:
    person = c.person(e.data.get("participant"))
    return _("A place became free: %(person)s moved up from the waiting list") % {"person": person}


SENTENCES: dict[str, Sentence] = {
    "event.created": plain(lambda: _("Event created")),
    "event.registered": _registered,
    "event.registration_cancelled": _cancelled,
    "event.waiting_listed": _waiting,
    "event.moved_up": _moved_up,
    "event.cancelled": plain(lambda: _("Event cancelled")),
    "event.moved": plain(lambda: _("Event moved to another time")),
    "event.series_created": plain(lambda: _("Weekly series created")),
}


def register_history() -> None:
    register(SENTENCES)
