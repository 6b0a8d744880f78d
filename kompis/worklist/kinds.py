"""The kinds of staff task: a registry each app extends from its AppConfig.ready().

A kind has a code (stored on the task, e.g. "will_not_meet"), a short label for lists, a sentence telling
staff what to do, and the outcomes staff may log for it. The work list knows no kind itself; an unknown
code (an app removed) is shown as its code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: a label or sentence: a lazy translation, or a plain string
Text = str | Promise

#: the outcome every kind offers unless it names its own
NO_CHANGE = "none"
DEFAULT_OUTCOMES: tuple[tuple[str, Text], ...] = ((NO_CHANGE, _("No change needed")),)


@dataclass(frozen=True)
class Kind:
    code: str
    label: Text
    sentence: Text
    outcomes: tuple[tuple[str, Text], ...] = DEFAULT_OUTCOMES

    @property
    def outcome_codes(self) -> frozenset[str]:
        return frozenset(code for code, _label in self.outcomes)


_KINDS: dict[str, Kind] = {}


def register(
    code: str, label: Text, sentence: Text, *, outcomes: Sequence[tuple[str, Text]] = DEFAULT_OUTCOMES
) -> Kind:
    """Register a kind of task (idempotent for the same code, as ready() may run twice in tests)."""
    if len(code) > 32:
        raise ValueError(f"task kind code too long: {code!r}")
    kind = Kind(code=code, label=label, sentence=sentence, outcomes=tuple(outcomes))
    _KINDS[code] = kind
    return kind


def get(code: str) -> Kind | None:
    return _KINDS.get(code)


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: str(k.label))


def label(code: str) -> str:
    kind = _KINDS.get(code)
    return str(kind.label) if kind else code


def outcome_label(code: str) -> str:
    for kind in _KINDS.values():
        for outcome, text in kind.outcomes:
            if outcome == code:
                return str(text)
    return code
