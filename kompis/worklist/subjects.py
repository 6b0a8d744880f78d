"""How the work list shows a task's subject: a registry each app extends for its own subject types.

`describe(user, tasks)` gives, for the tasks of one page, a short link to each task's subject (the match
"Samir – Britt"), in as few queries as it likes; `panel(user, task)` gives a template and its context for
the task's page (the answers of a match, the outbox's figures). The work list knows no subject type itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kompis.accounts.models import User
from kompis.worklist.models import Task


@dataclass(frozen=True)
class SubjectLink:
    label: str
    url: str | None = None


@dataclass(frozen=True)
class Panel:
    template: str
    context: Mapping[str, Any]  # the template's context: whatever the registering app's template reads


Describer = Callable[[User, Sequence[Task]], Mapping[int, SubjectLink]]
PanelMaker = Callable[[User, Task], Panel | None]


@dataclass(frozen=True)
class SubjectType:
    code: str
    describe: Describer | None = None
    panel: PanelMaker | None = None


_TYPES: dict[str, SubjectType] = {}


def register(code: str, *, describe: Describer | None = None, panel: PanelMaker | None = None) -> None:
    _TYPES[code] = SubjectType(code=code, describe=describe, panel=panel)


def describe(user: User, tasks: Sequence[Task]) -> dict[int, SubjectLink]:
    """A link to the subject of each task (by task pk) whose subject type can be described."""
    links: dict[int, SubjectLink] = {}
    by_type: dict[str, list[Task]] = {}
    for task in tasks:
        by_type.setdefault(task.subject_type, []).append(task)
    for code, group in by_type.items():
        kind = _TYPES.get(code)
        if kind is not None and kind.describe is not None:
            links.update(kind.describe(user, group))
    return links


def panel(user: User, task: Task) -> Panel | None:
    kind = _TYPES.get(task.subject_type)
    if kind is None or kind.panel is None:
        return None
    return kind.panel(user, task)
