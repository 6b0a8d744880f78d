"""The reports' sentences for the history (registered in ReportsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kompis.audit.sentences import Sentence, plain, register

SENTENCES: dict[str, Sentence] = {
    "reports.step_added": plain(lambda: _("Theory of change: step added")),
    "reports.step_deleted": plain(lambda: _("Theory of change: step removed")),
    "reports.indicator_added": plain(lambda: _("Theory of change: indicator added")),
    "reports.indicator_deleted": plain(lambda: _("Theory of change: indicator removed")),
}


def register_history() -> None:
    register(SENTENCES)
