"""A whole report: every table, suppressed together; the page, PDF, XLSX and CSV all render this object.

Above the selectors (which count) and the theory of change (which compares with targets); nothing in
reports below this module imports it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kompis.audit.models import AuditEvent
from kompis.reports import activity_figures as activity
from kompis.reports import selectors as s
from kompis.reports import theory
from kompis.reports.figures import FigureMemo
from kompis.reports.periods import STOCKHOLM, Period
from kompis.reports.scope import ReportScope
from kompis.reports.suppression import Table, suppress_tables


@dataclass
class Report:
    scope: ReportScope
    period: Period
    title: str
    subtitle: str
    k: int
    generated_at: datetime
    summary: Table
    matches: Table
    tables: list[Table]  # breakdowns, trend, ended
    targets: Table
    theory: list[dict[str, Any]] = field(default_factory=list)  # per project: {"project", "table", "steps"}
    facts: dict[str, Any] = field(default_factory=dict)
    # the "Programmes" and "Events" sections (left out when there are no programmes or events in scope)
    programmes: list[Table] = field(default_factory=list)
    events: list[Table] = field(default_factory=list)

    def all_tables(self) -> list[Table]:
        out = [self.summary, self.matches, *self.tables, *self.programmes, *self.events, self.targets]
        out += [t["table"] for t in self.theory if t["table"].rows]
        return out

    def table(self, key: str) -> Table:
        return next(t for t in self.all_tables() if t.key == key)


def scope_description(scope: ReportScope) -> str:
    parts = []
    if scope.project is not None:
        parts.append(str(scope.project.name))
    if scope.region is not None:
        parts.append(str(scope.region.name))
    if scope.municipality is not None:
        parts.append(_("participants living in %(m)s") % {"m": scope.municipality.name})
    if scope.kind:
        parts.append({"individual": _("individual matches"), "family": _("family matches")}[scope.kind])
    if scope.mode:
        parts.append({"physical": _("meeting in person"), "digital": _("meeting online")}[scope.mode])
    user = scope.user
    if user is not None and user.is_coordinator:
        parts.append(_("your regions and projects"))
    return " · ".join(parts) or _("Whole organisation")


def build_report(scope: ReportScope, period: Period, *, k: int | None = None, charts: bool = True) -> Report:
    """Computes every table of a report, suppressed; page, PDF, XLSX and CSV all render this object."""
    k = settings.SUPPRESSION_K if k is None else k
    memo: FigureMemo = {}
    token = s._MEMO.set({})
    try:
        return _build(scope, period, k, memo, charts)
    finally:
        s._MEMO.reset(token)


def _build(scope: ReportScope, period: Period, k: int, memo: FigureMemo, charts: bool) -> Report:
    people, extra = s.summary_table(scope, period)
    tables = [
        s.trend_table(scope, period),
        s.age_table(scope, period),
        s.gender_table(scope, period),
        s.municipality_table(scope, period),
        s.language_table(scope, period),
        s.meeting_mode_table(scope, period),
        s.ended_table(scope, period, k),
    ]
    programmes = activity.programme_tables(scope, period)
    events = activity.event_tables(scope, period)
    targets = theory.targets_table(scope, period, memo)
    theory_parts = theory.theory_tables(scope, period, memo)
    # suppressed together: a figure shown in several tables is hidden in all of them or in none
    done = suppress_tables(
        [
            people,
            extra["matches"],
            *tables,
            targets,
            *(p["table"] for p in theory_parts),
            *programmes,
            *events,
        ],
        k,
    )
    people, matches, targets = done[0], done[1], done[2 + len(tables)]
    tables = done[2 : 2 + len(tables)]
    after_theory = 3 + len(tables) + len(theory_parts)
    programmes = done[after_theory : after_theory + len(programmes)]
    events = done[after_theory + len(programmes) :]
    for part, table in zip(theory_parts, done[3 + len(tables) : after_theory], strict=True):
        part["table"] = table
        theory.resolve(part)
    title = (
        scope.municipality.name
        if scope.municipality is not None
        else (scope.project.name if scope.project is not None else scope.organisation.name)
    )
    report = Report(
        scope=scope,
        period=period,
        title=str(title),
        subtitle=scope_description(scope),
        k=k,
        generated_at=timezone.localtime(timezone.now(), STOCKHOLM),
        summary=people,
        matches=matches,
        tables=tables,
        targets=targets,
        theory=theory_parts,
        facts=extra,
        programmes=programmes,
        events=events,
    )
    report.facts["projects"] = s.projects_in_scope(scope)
    if charts:
        from kompis.reports import charts as charting  # matplotlib loads only when a chart is drawn

        charting.attach(report)
    return report


def cached_report(scope: ReportScope, period: Period, *, charts: bool = True) -> Report:
    """The report the dashboard and its downloads show: computed once, then reused while nothing has changed
    (every change in Kompis writes an audit event, so the newest audit event's id is the data version) and
    for at most REPORTS_CACHE_SECONDS even while things change. Page, PDF, XLSX and CSV of one scope and
    period therefore show the same numbers. The command line always computes afresh."""
    k = settings.SUPPRESSION_K
    raw = ":".join(map(str, (scope.signature(), period.start, period.end, get_language(), k)))
    # v2: cells carry why they are hidden (`reason`) and which figure they are (`ref`); v3: programmes, events
    key = "reports:v3:" + hashlib.sha256(raw.encode()).hexdigest()
    version = AuditEvent.objects.aggregate(v=Max("id"))["v"] or 0
    now = timezone.now()
    entry = cache.get(key)
    report: Report
    max_age = getattr(settings, "REPORTS_CACHE_SECONDS", 120)
    if entry and (entry["version"] == version or (now - entry["at"]).total_seconds() < max_age):
        report = entry["report"]  # the cache hands back what we stored under this key: a Report
        report.scope = scope
    else:
        report = build_report(scope, period, k=k, charts=False)
        cache.set(key, {"version": version, "at": now, "report": report}, timeout=3600)
    if charts:
        from kompis.reports import charts as charting  # matplotlib loads only when a chart is drawn

        charting.attach(report)
    return report
