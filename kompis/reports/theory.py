"""Results against what each project set out to do: the targets table and the theory of change of each
project in a report (tables with target, actual and source). Reads registered figures (`figures`) and
the selectors; the report (`report.py`) puts these tables beside the others."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _

from kompis.core import figures as core_figures
from kompis.organisations.models import Project
from kompis.reports import figures
from kompis.reports.models import LEVEL_ORDER, ChangeStep, Level
from kompis.reports.periods import Period
from kompis.reports.scope import ReportScope
from kompis.reports.selectors import project_scope, projects_in_scope
from kompis.reports.suppression import COUNT, PERCENT, RATE, TARGET, Cell, Column, Row, Table


def figure_ref(key: str, scope: ReportScope, project: Project, period: Period, clipped: Period | None) -> str:
    """The summary cell a project's figure is when the report is about that project, unfiltered, and the
    project's dates cover the report period: then both must be suppressed alike."""
    fig = figures.REGISTRY.get(key)
    if (
        fig is None
        or not fig.ref
        or clipped is None
        or (clipped.start, clipped.end) != (period.start, period.end)
    ):
        return ""
    return fig.ref if project_scope(scope, project).signature() == scope.signature() else ""


def _target_label(kind: str, display: str) -> str:
    """A target's kind by its own name, or (a registered figure outside `TargetKind`) the figure's label."""
    return core_figures.label(kind) if display == kind else display


def targets_table(scope: ReportScope, period: Period, memo: figures.FigureMemo | None = None) -> Table:
    """Targets versus actual per project, counted over the part of the period within the project's dates."""
    rows = []
    for project in projects_in_scope(scope):
        clipped = period.clip(project.starts_on, project.ends_on)
        for target in project.targets.all():
            actual = (
                figures.compute(target.kind, project_scope(scope, project), clipped, memo)
                if clipped
                else Cell(0)
            )
            actual = replace(actual, ref=figure_ref(target.kind, scope, project, period, clipped))
            pct = (actual.value / target.target * 100) if target.target and actual.value is not None else None
            rows.append(
                Row(
                    f"{project.uid}:{target.kind}",
                    f"{project.name}: {_target_label(target.kind, target.get_kind_display())}",
                    {
                        "target": Cell(target.target, TARGET),
                        "actual": actual,
                        "percent": Cell(
                            pct,
                            PERCENT,
                            follows="actual",  # with the target, the percentage would give the result away
                            base=int(actual.value)
                            if actual.kind == COUNT and actual.value is not None
                            else actual.base,
                        ),
                    },
                )
            )
    return Table(
        "targets",
        _("Targets and results"),
        _("Target"),
        [Column("target", _("Target")), Column("actual", _("Result")), Column("percent", _("Achieved"))],
        rows,
    )


def theory_tables(scope: ReportScope, period: Period, memo: figures.FigureMemo) -> list[dict[str, Any]]:
    out = []
    projects = projects_in_scope(scope)
    steps_by_project: dict[int, list[ChangeStep]] = {}
    for step in ChangeStep.objects.filter(project__in=projects).prefetch_related("indicators"):
        steps_by_project.setdefault(step.project_id, []).append(step)
    for project in projects:
        steps = sorted(
            steps_by_project.get(project.pk, []),
            key=lambda s: (LEVEL_ORDER.index(Level(s.level)), s.position, s.pk),
        )
        if not steps:
            continue
        clipped = period.clip(project.starts_on, project.ends_on)
        rows, sources, levels = [], {}, []
        for level in LEVEL_ORDER:
            level_steps = [s for s in steps if s.level == level]
            layout: list[tuple[str, list[str]]] = []
            levels.append({"level": level, "label": Level(level).label, "steps": layout})
            for step in level_steps:
                layout.append((step.text, []))
                for ind in step.indicators.all():
                    fig = figures.REGISTRY.get(ind.figure_key) if ind.figure_key else None
                    if fig is not None:
                        actual = (
                            figures.compute(fig.key, project_scope(scope, project), clipped, memo)
                            if clipped
                            else Cell(0)
                        )
                        actual = replace(actual, ref=figure_ref(fig.key, scope, project, period, clipped))
                        sources[str(ind.uid)] = f"{fig.source}: {fig.label}"
                    else:
                        value = float(ind.manual_value) if ind.manual_value is not None else None
                        actual = Cell(value, TARGET)  # entered by hand: already aggregated, not suppressed
                        sources[str(ind.uid)] = ind.source or _("Not measured yet")
                    if ind.target is None:
                        target = Cell(None, TARGET)
                    elif actual.kind == RATE:  # a target for a share is entered in per cent
                        target = Cell(float(ind.target) / 100, RATE)
                    else:
                        target = Cell(float(ind.target), TARGET)
                    rows.append(Row(str(ind.uid), ind.name, {"target": target, "actual": actual}))
                    layout[-1][1].append(str(ind.uid))
        table = Table(
            f"theory:{project.uid}",
            _("Theory of change: %(project)s") % {"project": project.name},
            _("Indicator"),
            [Column("target", _("Target")), Column("actual", _("Result"))],
            rows,
            extra={"sources": sources},
        )
        out.append({"project": project, "levels": levels, "table": table, "period": clipped})
    return out


def resolve(part: dict[str, Any]) -> None:
    """After suppression: the layout's indicator keys become the suppressed rows, with their source."""
    rows = {r.key: r for r in part["table"].rows}
    sources = part["table"].extra["sources"]
    for level in part["levels"]:
        level["steps"] = [
            (text, [(rows[key], sources[key]) for key in keys]) for text, keys in level["steps"]
        ]
