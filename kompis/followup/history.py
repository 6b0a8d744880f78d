"""The follow-up's sentences for the history (registered in FollowupConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kompis.audit.models import AuditEvent
from kompis.audit.sentences import Context, Sentence, actor_name, plain, register
from kompis.followup.models import Answer


def _answered(e: AuditEvent, c: Context) -> str:
    answer = e.data.get("answer", "")
    label = dict(Answer.choices).get(answer, answer)
    if e.data.get("by") == "phone":  # no e-mail address: staff called and logged the answer
        return _("%(person)s answered “%(answer)s” on the phone to %(staff)s") % {
            "person": c.person(e.data.get("participant")),
            "answer": label,
            "staff": actor_name(e),
        }
    return _("%(person)s answered “%(answer)s”") % {
        "person": c.person(e.data.get("participant")),
        "answer": label,
    }


def _introduced(e: AuditEvent, c: Context) -> str:
    if e.data.get("calls"):  # someone without an e-mail address is told by phone (a task for staff)
        return _("Introduced to each other by mail, and by phone to whoever has no e-mail address")
    return _("Introduced to each other by mail")


SENTENCES: dict[str, Sentence] = {
    "followup.introduced": _introduced,
    "followup.asked": plain(lambda: _("Both were asked “did you meet?”"), staff=False),
    "followup.answered": _answered,
    "followup.commented": plain(lambda: _("A comment was added to an answer"), staff=False),
    "followup.match_ended": plain(lambda: _("The match ended")),
}


def register_history() -> None:
    register(SENTENCES)
