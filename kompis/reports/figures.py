"""The report's built-in figures and how a report reads the registry.

The registry itself is on the ground floor (`kompis.core.figures`), so any app can register figures;
reports register theirs here (from `ReportsConfig.ready()`) and compute any registered figure.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from kompis.core.figures import REGISTRY, Figure, choices, register
from kompis.reports import selectors as s
from kompis.reports.periods import Period
from kompis.reports.scope import ReportScope
from kompis.reports.suppression import Cell

__all__ = [
    "REGISTRY",
    "Figure",
    "FigureFunc",
    "FigureMemo",
    "choices",
    "compute",
    "register",
    "register_builtin",
]

FigureFunc = Callable[[ReportScope, Period], Cell]
#: figures already computed within one report: (key, the whole scope, period) -> the cell
FigureMemo = dict[tuple[object, ...], Cell]


def compute(key: str, scope: ReportScope, period: Period, memo: FigureMemo | None = None) -> Cell:
    """The figure's value for the scope and period (memoised within one report, keyed by the whole scope:
    organisation, what the user may see, region, project, municipality, kind and mode)."""
    memo = {} if memo is None else memo
    cache_key = (
        key,
        scope.organisation.pk,
        getattr(scope.user, "pk", None),  # what the user may see
        *(getattr(obj, "pk", None) for obj in (scope.region, scope.project, scope.municipality)),
        scope.kind,
        scope.mode,
        period.start,
        period.end,
    )
    if cache_key not in memo:
        memo[cache_key] = REGISTRY[key].func(scope, period)
    return memo[cache_key]


def register_builtin() -> None:
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
