"""The demo's sentence for the history (registered in DemoConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kompis.audit.sentences import Sentence, plain, register

SENTENCES: dict[str, Sentence] = {
    "demo.created": plain(lambda: _("Demo data created"), staff=False),
}


def register_history() -> None:
    register(SENTENCES)
