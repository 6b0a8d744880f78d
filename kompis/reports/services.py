"""Changes to a project's theory of change: keyword-only, atomic, audited."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from kompis.audit.actors import Actor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.organisations.models import Project
from kompis.reports.models import ChangeStep, Indicator


def add_step(*, actor: Actor, project: Project, level: str, text: str) -> ChangeStep:
    with transaction.atomic():
        position = (
            ChangeStep.objects.filter(project=project, level=level).aggregate(m=Max("position"))["m"] or 0
        ) + 1
        step = ChangeStep.objects.create(project=project, level=level, text=text, position=position)
        record(
            actor=actor,
            action=EventType.REPORTS_STEP_ADDED,
            obj=step,
            organisation=project.organisation,
            data={"project": str(project.uid), "level": level},
        )
    return step


def delete_step(*, actor: Actor, step: ChangeStep) -> None:
    with transaction.atomic():
        record(
            actor=actor,
            action=EventType.REPORTS_STEP_DELETED,
            obj=step,
            organisation=step.project.organisation,
        )
        step.delete()


def add_indicator(
    *,
    actor: Actor,
    step: ChangeStep,
    name: str,
    figure_key: str = "",
    target: Decimal | None = None,
    manual_value: Decimal | None = None,
    source: str = "",
) -> Indicator:
    with transaction.atomic():
        indicator = Indicator.objects.create(
            step=step,
            name=name,
            figure_key=figure_key,
            target=target,
            manual_value=manual_value,
            source=source,
        )
        record(
            actor=actor,
            action=EventType.REPORTS_INDICATOR_ADDED,
            obj=indicator,
            organisation=step.project.organisation,
            data={"figure": indicator.figure_key},
        )
    return indicator


def delete_indicator(*, actor: Actor, indicator: Indicator) -> None:
    with transaction.atomic():
        record(
            actor=actor,
            action=EventType.REPORTS_INDICATOR_DELETED,
            obj=indicator,
            organisation=indicator.step.project.organisation,
        )
        indicator.delete()
