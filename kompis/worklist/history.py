"""The work list's sentences for the history (registered in WorklistConfig.ready).

Events about tasks written before the work list had an app of its own ("followup.task_created" on a
"followup.task") were renamed to these codes and to "worklist.task" by migration 0002.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kompis.audit.models import AuditEvent
from kompis.audit.sentences import Context, Sentence, by_staff, register
from kompis.worklist import kinds


def _code(e: AuditEvent, key: str) -> str:
    value = e.data.get(key, "")
    return value if isinstance(value, str) else ""


def _task_created(e: AuditEvent, c: Context) -> str:
    return _("Task for staff: %(kind)s") % {"kind": kinds.label(_code(e, "kind"))}


def _task_resolved(e: AuditEvent, c: Context) -> str:
    return by_staff(_("Task done: %(outcome)s") % {"outcome": kinds.outcome_label(_code(e, "outcome"))}, e)


def _task_assigned(e: AuditEvent, c: Context) -> str:
    if e.data.get("assignee") is None:
        return by_staff(_("Task back in the queue"), e)
    return by_staff(_("Task assigned"), e)


SENTENCES: dict[str, Sentence] = {
    "worklist.task_created": _task_created,
    "worklist.task_resolved": _task_resolved,
    "worklist.task_assigned": _task_assigned,
}


def register_history() -> None:
    register(SENTENCES)
