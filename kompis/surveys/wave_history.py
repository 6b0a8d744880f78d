"""Sentences for the history of waves (registered in SurveysConfig.ready): counts only, never names."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompis.audit.models import AuditEvent
from kompis.audit.sentences import Context, Sentence, by_staff, plain, register


def _count(e: AuditEvent, key: str) -> int:
    try:
        return int(e.data.get(key) or 0)
    except (TypeError, ValueError):
        return 0


def _sent(e: AuditEvent, c: Context) -> str:
    n = _count(e, "invited")
    text = ngettext("Wave sent: %(count)d person invited", "Wave sent: %(count)d people invited", n) % {
        "count": n
    }
    return by_staff(text, e)


def _reminded(e: AuditEvent, c: Context) -> str:
    n = _count(e, "reminded")
    return ngettext("Reminder sent to %(count)d person", "Reminders sent to %(count)d people", n) % {
        "count": n
    }


def _no_answer(e: AuditEvent, c: Context) -> str:
    n = _count(e, "tasks")
    return ngettext(
        "%(count)d person has not answered after the last reminder: a call task was made",
        "%(count)d people have not answered after the last reminder: call tasks were made",
        n,
    ) % {"count": n}


WAVE_SENTENCES: dict[str, Sentence] = {
    "survey.wave_created": plain(lambda: _("Survey wave created")),
    "survey.wave_sent": _sent,
    "survey.wave_reminded": _reminded,
    "survey.wave_no_answer_tasks": _no_answer,
    "survey.wave_closed": plain(lambda: _("Survey wave closed")),
}


def register_wave_history() -> None:
    register(WAVE_SENTENCES)
