"""The audit log as sentences for people: "Signed up online", "Matched with Layla (Uppsala) by Anna Lund".

One registry, `SENTENCES`, from an action code to a function that writes the sentence in the active
language. This module holds only the mechanism and the ground floor's own sentences; each feature app
registers its sentences (`register`) and its name look-ups (`register_resolver`, `register_details`) from a
`history.py` imported in its AppConfig.ready(), so kompis.audit imports no feature app. Events hold ids and
codes only; names are looked up when the page is shown, by the resolvers, through the same visibility rule
as every page about a match (participants' `visible_people`): a partner outside the user's scope is shown
by first name and region only. An unknown code still gives a readable line (`fallback_sentence`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kompis.audit.actors import PARTICIPANT_LABEL, is_system_label
from kompis.audit.models import AuditEvent

#: the participant uids an event's data may name
PERSON_KEYS = ("participant", "newcomer", "established", "other")


@dataclass
class Context:
    """What the sentences of one page may name, resolved in a few queries for all its events."""

    user: Any
    people: dict[str, Any] = field(default_factory=dict)  # participant uid -> PersonView
    partners: dict[tuple[str, str], Any] = field(
        default_factory=dict
    )  # (match uid, person uid) -> PersonView

    def person(self, uid: Any) -> str:
        view = self.people.get(str(uid or ""))
        return view.name if view is not None else _("a participant")

    def partner(self, match_uid: str, person_uid: str) -> str:
        view = self.partners.get((match_uid, person_uid))
        if view is None:
            return _("a participant")
        if view.region_name:
            return _("%(name)s (%(region)s)") % {"name": view.name, "region": view.region_name}
        return str(view.name)


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    code: str
    text: str
    actor: str
    detail: str = ""


Sentence = Callable[[AuditEvent, Context], str]


def actor_name(event: AuditEvent) -> str:
    if event.actor is not None:
        return event.actor.get_full_name() or event.actor.get_username()
    if event.actor_label == PARTICIPANT_LABEL:
        return _("the participant")
    if is_system_label(event.actor_label):
        return _("Kompis (automatically)")
    return event.actor_label  # a staff member who has been deleted since


def by_staff(text: str, event: AuditEvent) -> str:
    """ "… by Anna Lund" when a staff member did it; the sentence alone when the system or the person did."""
    if event.actor is None and (event.actor_label == PARTICIPANT_LABEL or is_system_label(event.actor_label)):
        return text
    return pgettext("history", "%(what)s by %(who)s") % {"what": text, "who": actor_name(event)}


def day(value: Any) -> str:
    """ "3 March" this year, "3 March 2027" another year, in the active language."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    if value.year == timezone.localdate().year:
        return str(formats.date_format(value, "j F"))
    return str(formats.date_format(value, "j F Y"))


MAIL_LABELS = {
    "signup_confirm": lambda: _("the confirmation mail"),
    "signup_duplicate": lambda: _("the “already signed up” mail"),
    "self_service_link": lambda: _("the link to their own page"),
    "introduction": lambda: _("the introduction"),
    "followup_question": lambda: _("the “did you meet?” question"),
    "followup_reminder": lambda: _("the reminder"),
}


def _resent(e: AuditEvent, c: Context) -> str:
    template = e.data.get("template", "")
    label = MAIL_LABELS[template]() if template in MAIL_LABELS else _("a mail")
    return by_staff(_("Sent %(mail)s again") % {"mail": label}, e)


def plain(text: Callable[[], str], staff: bool = True) -> Sentence:
    """A sentence without parameters; `staff`: say who did it when a staff member did."""
    return lambda e, c: by_staff(text(), e) if staff else text()


SENTENCES: dict[str, Sentence] = {
    # the ground floor's own codes; feature apps add theirs with `register` (their history.py)
    "outbox.resent": _resent,
    # the organisation and its staff
    "organisation.created": plain(lambda: _("Organisation set up")),
    "organisation.first_run_link_issued": plain(lambda: _("A one-time set-up link was made"), staff=False),
    "organisation.settings_changed": plain(lambda: _("Organisation settings changed")),
    "organisation.logo_changed": plain(lambda: _("Logo changed")),
    "organisation.logo_removed": plain(lambda: _("Logo removed")),
    "region.created": plain(lambda: _("Region created")),
    "region.changed": plain(lambda: _("Region changed")),
    "project.created": plain(lambda: _("Project created")),
    "project.changed": plain(lambda: _("Project changed")),
    "staff.invited": plain(lambda: _("Invited as staff")),
    "staff.invitation_resent": plain(lambda: _("Invitation sent again")),
    "staff.invitation_accepted": plain(lambda: _("Accepted the invitation and set a password"), staff=False),
    "staff.changed": plain(lambda: _("Role or regions changed")),
    "staff.deactivated": plain(lambda: _("Login turned off")),
    "staff.reactivated": plain(lambda: _("Login turned on again")),
    "staff.password_reset_requested": plain(lambda: _("Asked for a new password"), staff=False),
    "staff.password_reset": plain(lambda: _("Set a new password"), staff=False),
    # edits in the Django admin (superusers only)
    "admin.added": plain(lambda: _("Added in the Django admin")),
    "admin.changed": plain(lambda: _("Changed in the Django admin")),
    "admin.deleted": plain(lambda: _("Deleted in the Django admin")),
}

#: codes whose data may hold a coded reason, shown under the sentence
CODED_REASON = {"followup.match_ended"}


def fallback_sentence(event: AuditEvent) -> str:
    """An unknown code: its words, e.g. "participant.consent_renewed" → "Consent renewed"."""
    words = event.action.rsplit(".", 1)[-1].replace("_", " ").strip()
    return by_staff(words[:1].upper() + words[1:] if words else _("Change recorded"), event)


def sentence(event: AuditEvent, context: Context) -> str:
    write = SENTENCES.get(event.action)
    if write is None:
        return fallback_sentence(event)
    try:
        return write(event, context)
    except (KeyError, TypeError, ValueError, AttributeError):  # an old event with unexpected data
        return fallback_sentence(event)


def is_uid(value: Any) -> bool:
    """Whether an event's data value is a uid a resolver may look up."""
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return bool(value)


Resolver = Callable[[Any, list[AuditEvent], Context], None]
DetailReader = Callable[[Any, list[AuditEvent]], dict[str, str]]

#: fill a page's Context with the names its events may show (registered by the apps that own the people)
RESOLVERS: list[Resolver] = []
#: {object id: staff's words} for events whose reason is kept on their object (`reason_on_match`)
DETAIL_READERS: list[DetailReader] = []


def register(sentences: Mapping[str, Sentence]) -> None:
    """Add an app's sentences; a code belongs to one app only."""
    for code, write in sentences.items():
        if SENTENCES.get(code, write) is not write:
            raise ValueError(f"audit action code {code!r} already has a sentence")
        SENTENCES[code] = write


def register_resolver(resolver: Resolver) -> None:
    """A name look-up run once per page over all its events; it applies its app's visibility rule."""
    if resolver not in RESOLVERS:
        RESOLVERS.append(resolver)


def register_details(reader: DetailReader) -> None:
    """Staff's words kept on an object (not in the log), shown under events flagged `reason_on_match`."""
    if reader not in DETAIL_READERS:
        DETAIL_READERS.append(reader)


def _context(user: Any, events: list[AuditEvent]) -> Context:
    context = Context(user=user)
    for resolve in RESOLVERS:
        resolve(user, events, context)
    return context


def _details(user: Any, events: list[AuditEvent]) -> dict[str, str]:
    if not any(e.data.get("reason_on_match") for e in events):
        return {}
    found: dict[str, str] = {}
    for read in DETAIL_READERS:
        found.update(read(user, events))
    return found


def history_lines(user: Any, events: Iterable[AuditEvent]) -> list[HistoryLine]:
    """The events as sentences in the active language, names shown as `user` may see them."""
    events = list(events)
    context = _context(user, events)
    reasons = _details(user, events)
    lines = []
    for e in events:
        detail = str(e.data.get("reason", "")).replace("_", " ") if e.action in CODED_REASON else ""
        if e.data.get("reason_on_match"):
            detail = reasons.get(e.object_id, "")
        lines.append(
            HistoryLine(at=e.at, code=e.action, text=sentence(e, context), actor=actor_name(e), detail=detail)
        )
    return lines
