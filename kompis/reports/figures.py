"""The registry of measured figures: a key → a function (scope, period) → Cell.

Theory-of-change indicators and project targets link to a figure by its key. Other apps add their own
figures (programme attendance, survey results) from their AppConfig.ready():

    from kompis.reports.figures import register
    register("programme_attendance", _("Programme attendance"), my_selector, source=_("Kompis: programmes"))

where `my_selector(scope, period)` returns a `kompis.reports.suppression.Cell` (kind "count" for persons,
"rate" with `base` for shares) and uses `scope.participants()` / `scope.matches()` to stay in scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from kompis.reports.periods import Period
from kompis.reports.scope import ReportScope
from kompis.reports.suppression import Cell

FigureFunc = Callable[[ReportScope, Period], Cell]


@dataclass(frozen=True)
class Figure:
    key: str
    label: Any
    func: FigureFunc
    source: Any
    ref: str = ""  # the report cell it is (`Cell.ref`), for suppressing the two alike


REGISTRY: dict[str, Figure] = {}


def register(key: str, label: Any, func: FigureFunc, source: Any = None, ref: str = "") -> None:
    REGISTRY[key] = Figure(key, label, func, source or _("Kompis register"), ref)


def choices() -> list[tuple[str, str]]:
    return [(f.key, str(f.label)) for f in REGISTRY.values()]


def compute(key: str, scope: ReportScope, period: Period, memo: dict | None = None) -> Cell:
    """The figure's value for the scope and period (memoised within one report)."""
    memo = {} if memo is None else memo
    cache_key = (
        key,
        scope.project.pk if scope.project else None,
        scope.region.pk if scope.region else None,
        period.start,
        period.end,
    )
    if cache_key not in memo:
        memo[cache_key] = REGISTRY[key].func(scope, period)
    return memo[cache_key]


def register_builtin() -> None:
    from kompis.reports import selectors as s

    def signups(role: str | None) -> FigureFunc:
        def f(scope: ReportScope, period: Period) -> Cell:
            counts = s.participant_counts(scope, period)["signups"]
            return Cell(counts.get(role, 0) if role else sum(counts.values()))

        return f

    def confirmed(scope: ReportScope, period: Period) -> Cell:
        return Cell(sum(s.participant_counts(scope, period)["confirmed"].values()))

    def matches(measure: str) -> FigureFunc:
        return lambda scope, period: Cell(s.match_counts(scope, period)[measure])

    register("signups", _("Sign-ups"), signups(None), ref="signups:total")
    register("newcomers", _("Newcomers signed up"), signups("newcomer"), ref="signups:newcomer")
    register(
        "established",
        _("Established participants signed up"),
        signups("established"),
        ref="signups:established",
    )
    register("confirmed_signups", _("Confirmed sign-ups"), confirmed, ref="confirmed_signups:total")
    for key, label, measure in (
        ("matches_made", _("Matches made"), "made"),
        ("individual_matches", _("Individual matches"), "individual"),
        ("family_matches", _("Family matches"), "family"),
        ("introductions", _("Introductions"), "introduced"),
        ("confirmed_meetings", _("Confirmed meetings"), "confirmed"),
    ):
        register(key, label, matches(measure), ref=f"matches:{key}")
    register("met_rate", _("Met rate"), lambda scope, period: s.met_rate(s.match_counts(scope, period)))
