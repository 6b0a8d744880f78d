"""The follow-up's sentences for the history (registered in FollowupConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kompis.audit.models import AuditEvent
from kompis.audit.sentences import Context, Sentence, plain, register
from kompis.followup.models import Answer


def _answered(e: AuditEvent, c: Context) -> str:
    answer = e.data.get("answer", "")
    label = dict(Answer.choices).get(answer, answer)
    return _("%(person)s answered “%(answer)s”") % {
        "person": c.person(e.data.get("participant")),
        "answer": label,
    }


SENTENCES: dict[str, Sentence] = {
    "followup.introduced": plain(lambda: _("Introduced to each other by mail"), staff=False),
    "followup.asked": plain(lambda: _("Both were asked “did you meet?”"), staff=False),
    "followup.answered": _answered,
    "followup.commented": plain(lambda: _("A comment was added to an answer"), staff=False),
    "followup.match_ended": plain(lambda: _("The match ended")),
}


def register_history() -> None:
    register(SENTENCES)
