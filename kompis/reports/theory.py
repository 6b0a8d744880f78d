"""The theory of change of each project in a report, as tables with target, actual and source."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.utils.translation import gettext as _

from kompis.reports import figures
from kompis.reports.models import LEVEL_ORDER, ChangeStep, Level
from kompis.reports.periods import Period
from kompis.reports.scope import ReportScope
from kompis.reports.suppression import RATE, TARGET, Cell, Column, Row, Table


def theory_tables(scope: ReportScope, period: Period, memo: dict) -> list[dict[str, Any]]:
    from kompis.reports.selectors import figure_ref, project_scope, projects_in_scope

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
