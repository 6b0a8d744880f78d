"""Programmes' sentences for the history (registered in ProgrammesConfig.ready). Their events are about the
programme (`programmes.programme`); the person is named by uid in `data["participant"]`."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompis.audit.actors import PARTICIPANT_LABEL
from kompis.audit.models import AuditEvent
from kompis.audit.sentences import Context, Sentence, by_staff, plain, register
from kompis.programmes.pair_history import PAIR_SENTENCES


def _enrolled(e: AuditEvent, c: Context) -> str:
    person = c.person(e.data.get("participant"))
    if e.data.get("status") == "waiting_list":
        text = _("%(person)s was put on the waiting list") % {"person": person}
    elif e.data.get("role") == "mentor":
        text = _("%(person)s was enrolled as a mentor") % {"person": person}
    else:
        text = _("%(person)s was enrolled as a mentee") % {"person": person}
    return text if e.actor_label == PARTICIPANT_LABEL else by_staff(text, e)


def _moved_up(e: AuditEvent, c: Context) -> str:
    return _("%(person)s moved up from the waiting list") % {"person": c.person(e.data.get("participant"))}


def _completed(e: AuditEvent, c: Context) -> str:
    return by_staff(
        _("%(person)s completed the programme") % {"person": c.person(e.data.get("participant"))}, e
    )


def _dropped_out(e: AuditEvent, c: Context) -> str:
    person = c.person(e.data.get("participant"))
    if e.actor_label == PARTICIPANT_LABEL:
        return _("%(person)s left the programme") % {"person": person}
    return by_staff(_("%(person)s dropped out of the programme") % {"person": person}, e)


def _meeting_logged(e: AuditEvent, c: Context) -> str:
    if e.actor_label == PARTICIPANT_LABEL:
        return _("%(person)s logged a meeting of their mentor pair") % {
            "person": c.person(e.data.get("participant"))
        }
    return by_staff(_("A meeting of a mentor pair was logged"), e)


def _session_created(e: AuditEvent, c: Context) -> str:
    n = int(e.data.get("invited") or 0)
    return by_staff(
        ngettext("Session created; %(n)s person invited", "Session created; %(n)s people invited", n)
        % {"n": n},
        e,
    )


def _session_invited(e: AuditEvent, c: Context) -> str:
    n = int(e.data.get("invited") or 0)
    return by_staff(
        ngettext("%(n)s more person invited to a session", "%(n)s more people invited to a session", n)
        % {"n": n},
        e,
    )


def _completion_rule(e: AuditEvent, c: Context) -> str:
    n = int(e.data.get("completed") or 0)
    return by_staff(
        ngettext(
            "Completion rule applied: %(n)s enrolment completed",
            "Completion rule applied: %(n)s enrolments completed",
            n,
        )
        % {"n": n},
        e,
    )


def _public_enrolment_changed(e: AuditEvent, c: Context) -> str:
    if e.data.get("open"):
        return by_staff(_("Opened for enrolment through the public form"), e)
    return by_staff(_("Closed for enrolment through the public form"), e)


SENTENCES: dict[str, Sentence] = {
    "programme.created": plain(lambda: _("Programme created")),
    "programme.cohort_created": plain(lambda: _("Cohort created")),
    "programme.enrolled": _enrolled,
    "programme.moved_up": _moved_up,
    "programme.public_enrolment_changed": _public_enrolment_changed,
    "programme.completed": _completed,
    "programme.dropped_out": _dropped_out,
    "programme.session_created": _session_created,
    "programme.session_invited": _session_invited,
    "programme.completion_rule_applied": _completion_rule,
    **PAIR_SENTENCES,
    "programme.meeting_logged": _meeting_logged,
}


def register_history() -> None:
    register(SENTENCES)
