"""The audit log as sentences for people: "Signed up online", "Matched with Layla (Uppsala) by Anna Lund".

One registry, `SENTENCES`, from an action code to a function that writes the sentence in the active
language. Events hold ids and codes only; names are looked up when the page is shown, through the same
visibility rule as every page about a match (`visible_people`): a partner outside the user's scope is shown by
first name and region only. An unknown code still gives a readable line (`fallback_sentence`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from kompis.audit.models import AuditEvent
from kompis.audit.services import PARTICIPANT, SYSTEM

#: the participant uids an event's data may name
PERSON_KEYS = ("participant", "newcomer", "established", "other")
MATCH_UID_RE = re.compile(r"match ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")


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
        return view.name


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
    if event.actor_label == PARTICIPANT:
        return _("the participant")
    if event.actor_label in (SYSTEM, ""):
        return _("Kompis (automatically)")
    return event.actor_label  # a staff member who has been deleted since


def by_staff(text: str, event: AuditEvent) -> str:
    """ "… by Anna Lund" when a staff member did it; the sentence alone when the system or the person did."""
    if event.actor is None and event.actor_label in (PARTICIPANT, SYSTEM, ""):
        return text
    return pgettext("history", "%(what)s by %(who)s") % {"what": text, "who": actor_name(event)}


def day(value: Any) -> str:
    """ "3 March" this year, "3 March 2027" another year, in the active language."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if value.year == timezone.localdate().year:
        return formats.date_format(value, "j F")
    return formats.date_format(value, "j F Y")


#: profile fields as staff call them (the model's labels speak as the person: "I am", "languages I speak")
FIELD_LABELS = {
    "role": gettext_lazy("role"),
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "name_latin": gettext_lazy("name in Latin letters"),
    "email": gettext_lazy("e-mail"),
    "phone": gettext_lazy("phone"),
    "share_phone": gettext_lazy("sharing the phone number"),
    "birth_year": gettext_lazy("year of birth"),
    "gender": gettext_lazy("gender"),
    "municipality": gettext_lazy("municipality"),
    "postal_code": gettext_lazy("postal code"),
    "region": gettext_lazy("region"),
    "project": gettext_lazy("project"),
    "languages": gettext_lazy("languages"),
    "interests": gettext_lazy("interests"),
    "availability": gettext_lazy("when they can meet"),
    "has_children": gettext_lazy("children"),
    "household_size": gettext_lazy("household size"),
    "wants_family_match": gettext_lazy("family match"),
    "meeting_mode": gettext_lazy("how to meet"),
    "same_gender_only": gettext_lazy("same gender only"),
    "capacity": gettext_lazy("matches at the same time"),
    "about_me": gettext_lazy("about them"),
    "hopes": gettext_lazy("hopes"),
    "heard_from": gettext_lazy("how they heard about us"),
}


def _fields(event: AuditEvent) -> str:
    from kompis.participants.models import Participant

    labels = []
    for name in event.data.get("fields") or []:
        label = FIELD_LABELS.get(name)
        if label is None:
            try:
                label = getattr(Participant._meta.get_field(name), "verbose_name", None)
            except FieldDoesNotExist:  # a field that no longer exists
                label = None
        labels.append(str(label or str(name).replace("_", " ")))
    return ", ".join(labels)


def _paused(e: AuditEvent, c: Context) -> str:
    until = e.data.get("until")
    if until:
        return by_staff(_("Paused until %(date)s") % {"date": day(until)}, e)
    if e.summary.startswith("match ended"):
        return _("Paused after a match ended, for staff to decide what next")
    return by_staff(_("Paused"), e)


def _matched(e: AuditEvent, c: Context) -> str:
    match_uid = str(e.data.get("match") or "")
    if not match_uid and (found := MATCH_UID_RE.search(e.summary)):
        match_uid = found.group(1)
    return by_staff(_("Matched with %(partner)s") % {"partner": c.partner(match_uid, e.object_id)}, e)


def _answered(e: AuditEvent, c: Context) -> str:
    from kompis.followup.models import Answer

    answer = e.data.get("answer", "")
    label = dict(Answer.choices).get(answer, answer)
    return _("%(person)s answered “%(answer)s”") % {
        "person": c.person(e.data.get("participant")),
        "answer": label,
    }


def _task_created(e: AuditEvent, c: Context) -> str:
    from kompis.followup.models import TaskKind

    kind = dict(TaskKind.choices).get(e.data.get("kind", ""), e.data.get("kind", ""))
    return _("Task for staff: %(kind)s") % {"kind": kind}


def _task_resolved(e: AuditEvent, c: Context) -> str:
    from kompis.followup.models import TaskOutcome

    outcome = dict(TaskOutcome.choices).get(e.data.get("outcome", ""), e.data.get("outcome", ""))
    return by_staff(_("Task done: %(outcome)s") % {"outcome": outcome}, e)


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


def _imported(e: AuditEvent, c: Context) -> str:
    created = int(e.data.get("created") or 0)
    return by_staff(
        ngettext("Imported %(count)d participant", "Imported %(count)d participants", created)
        % {"count": created},
        e,
    )


def _exported(e: AuditEvent, c: Context) -> str:
    count = int(e.data.get("count") or 0)
    return by_staff(
        ngettext("Exported %(count)d participant", "Exported %(count)d participants", count)
        % {"count": count},
        e,
    )


def _approved(e: AuditEvent, c: Context) -> str:
    return by_staff(
        _("Match approved: %(a)s and %(b)s")
        % {"a": c.person(e.data.get("newcomer")), "b": c.person(e.data.get("established"))},
        e,
    )


def _plain(text: Callable[[], str], staff: bool = True) -> Sentence:
    """A sentence without parameters; `staff`: say who did it when a staff member did."""
    return lambda e, c: by_staff(text(), e) if staff else text()


SENTENCES: dict[str, Sentence] = {
    # a participant's own history
    "participant.signed_up": _plain(lambda: _("Signed up online"), staff=False),
    "participant.confirmed_email": _plain(lambda: _("Confirmed their e-mail address"), staff=False),
    "participant.added_by_staff": _plain(lambda: _("Added from a paper sign-up")),
    "participant.imported": _plain(lambda: _("Imported from a file")),
    "participant.expired_unconfirmed": _plain(
        lambda: _("Sign-up not confirmed in time; personal data deleted"), staff=False
    ),
    "participant.updated": lambda e, c: by_staff(
        _("Profile changed: %(fields)s") % {"fields": _fields(e)}, e
    ),
    "participant.paused": _paused,
    "participant.resumed": _plain(lambda: _("Back in the waiting pool")),
    "participant.pause_ended": _plain(lambda: _("Back in the waiting pool: the pause ended"), staff=False),
    "participant.back_to_pool": _plain(lambda: _("Back in the waiting pool after a match ended")),
    "participant.withdrawn": _plain(lambda: _("Left Kompis")),
    "participant.note_added": _plain(lambda: _("Note added")),
    "participant.unsubscribed": _plain(lambda: _("Asked for no more questions or reminders by mail")),
    "participant.matched": _matched,
    "outbox.resent": _resent,
    # a match's history
    "matching.match_approved": _approved,
    "followup.introduced": _plain(lambda: _("Introduced to each other by mail"), staff=False),
    "followup.asked": _plain(lambda: _("Both were asked “did you meet?”"), staff=False),
    "followup.answered": _answered,
    "followup.commented": _plain(lambda: _("A comment was added to an answer"), staff=False),
    "followup.match_ended": _plain(lambda: _("The match ended")),
    "followup.task_created": _task_created,
    "followup.task_resolved": _task_resolved,
    # runs, settings, reports and the organisation
    "matching.run": _plain(lambda: _("Matching was run")),
    "matching.proposal_rejected": _plain(lambda: _("A proposal was rejected")),
    "matching.partner_chosen": _plain(lambda: _("Another partner was chosen for a proposal")),
    "matching.settings_updated": _plain(lambda: _("Matching weights changed")),
    "participants.imported": _imported,
    "participants.exported": _exported,
    "reports.step_added": _plain(lambda: _("Theory of change: step added")),
    "reports.step_deleted": _plain(lambda: _("Theory of change: step removed")),
    "reports.indicator_added": _plain(lambda: _("Theory of change: indicator added")),
    "reports.indicator_deleted": _plain(lambda: _("Theory of change: indicator removed")),
    "demo.created": _plain(lambda: _("Demo data created"), staff=False),
    # leaving and coming back
    "participant.rejoined": _plain(lambda: _("Signed up again after leaving"), staff=False),
    "participant.rejoin_expired": _plain(
        lambda: _("Signing up again was not confirmed in time"), staff=False
    ),
    # exclusions and background runs
    "matching.exclusion_added": lambda e, c: by_staff(
        _("Will never be matched with %(other)s") % {"other": c.person(e.data.get("other"))}, e
    ),
    "matching.exclusion_removed": lambda e, c: by_staff(
        _("May be matched with %(other)s again") % {"other": c.person(e.data.get("other"))}, e
    ),
    "matching.run_queued": _plain(lambda: _("Matching run started")),
    "matching.run_failed": _plain(lambda: _("Matching run failed"), staff=False),
    "matching.run_requeued": _plain(lambda: _("Matching run restarted after an interruption"), staff=False),
    # the organisation and its staff
    "organisation.created": _plain(lambda: _("Organisation set up")),
    "organisation.settings_changed": _plain(lambda: _("Organisation settings changed")),
    "organisation.logo_changed": _plain(lambda: _("Logo changed")),
    "organisation.logo_removed": _plain(lambda: _("Logo removed")),
    "region.created": _plain(lambda: _("Region created")),
    "region.changed": _plain(lambda: _("Region changed")),
    "project.created": _plain(lambda: _("Project created")),
    "project.changed": _plain(lambda: _("Project changed")),
    "staff.invited": _plain(lambda: _("Invited as staff")),
    "staff.invitation_resent": _plain(lambda: _("Invitation sent again")),
    "staff.invitation_accepted": _plain(lambda: _("Accepted the invitation and set a password"), staff=False),
    "staff.changed": _plain(lambda: _("Role or regions changed")),
    "staff.deactivated": _plain(lambda: _("Login turned off")),
    "staff.reactivated": _plain(lambda: _("Login turned on again")),
    "staff.password_reset_requested": _plain(lambda: _("Asked for a new password"), staff=False),
    "staff.password_reset": _plain(lambda: _("Set a new password"), staff=False),
}

#: codes whose free-text summary is a reason staff gave, worth showing under the sentence
REASON_IN_SUMMARY = {"participant.withdrawn", "followup.match_ended"}


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


def _is_uid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return bool(value)


def _context(user: Any, events: list[AuditEvent]) -> Context:
    from kompis.matching.models import Match
    from kompis.participants.access import visible_people
    from kompis.participants.models import Participant

    context = Context(user=user)
    person_uids = {str(e.data.get(k)) for e in events for k in PERSON_KEYS if _is_uid(e.data.get(k))}
    match_uids: dict[str, str] = {}  # match uid -> the participant uid whose history names it
    for e in events:
        if e.action == "participant.matched":
            match_uid = str(e.data.get("match") or "")
            if not match_uid and (found := MATCH_UID_RE.search(e.summary)):
                match_uid = found.group(1)
            if match_uid:
                match_uids[match_uid] = e.object_id
    org_id: int = getattr(user, "organisation_id", None) or 0
    matches = list(
        Match.objects.filter(uid__in=list(match_uids), organisation_id=org_id).select_related(
            "newcomer__region", "established__region"
        )
    )
    participants = list(
        Participant.objects.filter(uid__in=list(person_uids), organisation_id=org_id).select_related("region")
    )
    everyone = participants + [p for m in matches for p in (m.newcomer, m.established)]
    views = visible_people(user, everyone)
    context.people = {str(p.uid): views[p.pk] for p in participants}
    for m in matches:
        for me, other in ((m.newcomer, m.established), (m.established, m.newcomer)):
            context.partners[(str(m.uid), str(me.uid))] = views[other.pk]
    return context


def _end_reasons(user: Any, events: list[AuditEvent]) -> dict[str, str]:
    """Staff's words for why a match ended, read from the match itself (they are not kept in the log)."""
    from kompis.matching.models import Match

    uids = [e.object_id for e in events if e.data.get("reason_on_match") and _is_uid(e.object_id)]
    if not uids:
        return {}
    org_id: int = getattr(user, "organisation_id", None) or 0
    rows = Match.objects.filter(uid__in=uids, organisation_id=org_id).values_list("uid", "end_reason")
    return {str(uid): reason[:500] for uid, reason in rows}


def history_lines(user: Any, events: Iterable[AuditEvent]) -> list[HistoryLine]:
    """The events as sentences in the active language, names shown as `user` may see them."""
    events = list(events)
    context = _context(user, events)
    reasons = _end_reasons(user, events)
    lines = []
    for e in events:
        detail = e.summary[:500] if e.action in REASON_IN_SUMMARY else ""
        if e.data.get("reason_on_match"):
            detail = reasons.get(e.object_id, "")
        lines.append(
            HistoryLine(at=e.at, code=e.action, text=sentence(e, context), actor=actor_name(e), detail=detail)
        )
    return lines
