"""The registry of measured figures, on the ground floor: a key → a function (scope, period) → Cell.

Theory-of-change indicators and project targets link to a figure by its key. Any app adds its own
figures (programme attendance, survey results) from its AppConfig.ready():

    from kompis.core.figures import register
    register("programme_attendance", _("Programme attendance"), my_selector, source=_("Kompis: programmes"))

where `my_selector(scope, period)` takes a `kompis.reports.scope.ReportScope` and a
`kompis.reports.periods.Period`, returns a `kompis.reports.suppression.Cell` (kind "count" for persons,
"rate" with `base` for shares) and uses `scope.participants()` / `scope.matches()` to stay in scope.
Reports only read this registry (`kompis.reports.figures.compute`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

# (scope, period) -> Cell; typed loosely here because the ground floor imports nothing from reports
FigureFunc = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any
    func: FigureFunc
    source: Any
    ref: str = ""  # the report cell it is (`Cell.ref`), for suppressing the two alike
    target: bool = False  # offered as a project target (beside the built-in `TargetKind`s)


REGISTRY: dict[str, Figure] = {}


def register(
    key: str, label: Any, func: FigureFunc, source: Any = None, ref: str = "", *, target: bool = False
) -> None:
    REGISTRY[key] = Figure(key, label, func, source or _("Kompis register"), ref, target)


def choices() -> list[tuple[str, str]]:
    return [(f.key, str(f.label)) for f in REGISTRY.values()]


def target_choices() -> list[tuple[str, str]]:
    """The registered figures a project may set a target for (counts of people or occasions)."""
    return [(f.key, str(f.label)) for f in REGISTRY.values() if f.target]


def label(key: str) -> str:
    """The figure's label, or the key itself for a figure no longer registered."""
    figure = REGISTRY.get(key)
    return str(figure.label) if figure else key
