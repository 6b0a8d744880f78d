"""Sentences for the attendance and calendar-feed events (registered in EventsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kompis.audit.models import AuditEvent
from kompis.audit.sentences import Context, Sentence, by_staff, plain, register


def _marked(e: AuditEvent, c: Context) -> str:
    person = c.person(e.data.get("participant"))
    state = e.data.get("state")
    if state == "present":
        text = _("%(person)s was marked present") % {"person": person}
    elif state == "no_show":
        text = _("%(person)s was marked as a no-show") % {"person": person}
    else:
        text = _("%(person)s was marked absent") % {"person": person}
    return by_staff(text, e)


SENTENCES: dict[str, Sentence] = {
    "event.attendance_marked": _marked,
    "event.calendar_feed_issued": plain(lambda: _("A calendar feed address was made")),
    "event.calendar_feed_revoked": plain(lambda: _("The calendar feed was revoked")),
}


def register_history() -> None:
    register(SENTENCES)
