"""Every change to a staff task: open, assign, resolve (by staff or, when moot, by the system)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import models, transaction
from django.utils import timezone

from kompis.accounts.models import User
from kompis.audit.actors import Actor, user_of
from kompis.audit.events import EventType
from kompis.audit.services import object_ref, record
from kompis.organisations.models import Organisation, Region
from kompis.participants.models import Participant
from kompis.worklist import kinds
from kompis.worklist.models import Task, TaskQuerySet
from kompis.worklist.signals import task_resolved


class TaskAlreadyResolved(Exception):
    pass


class UnknownOutcome(ValueError):
    pass


@transaction.atomic
def open_task(
    *,
    actor: Actor,
    organisation: Organisation,
    kind: str,
    due_on: date,
    subject: models.Model | None = None,
    subject_type: str = "",
    subject_id: str = "",
    participant: Participant | None = None,
    region: Region | None = None,
    assignee: User | None = None,
) -> Task | None:
    """Open a task unless the same one (subject, participant, kind) is open already (then None).

    The subject is an object (`subject=match`) or a type and id (`subject_type=MAIL_SERVER`)."""
    if kinds.get(kind) is None:
        raise ValueError(f"unknown task kind {kind!r}")
    if subject is not None:
        subject_type, subject_id = object_ref(subject)
    if not subject_type:
        raise ValueError("a task needs a subject")
    same = Task.objects.open().filter(
        subject_type=subject_type, subject_id=subject_id, participant=participant, kind=kind
    )
    if same.exists():
        return None
    task = Task.objects.create(
        organisation=organisation,
        subject_type=subject_type,
        subject_id=subject_id,
        participant=participant,
        kind=kind,
        due_on=due_on,
        region=region,
        assignee=assignee,
    )
    data: dict[str, str] = {"kind": kind, "subject": subject_type}
    if participant is not None:
        data["participant"] = str(getattr(participant, "uid", participant.pk))
    record(
        actor=actor, action=EventType.WORKLIST_TASK_CREATED, obj=task, organisation=organisation, data=data
    )
    return task


@transaction.atomic
def resolve_task(*, actor: Actor, task: Task, outcome: str, note: str = "") -> None:
    """Log the outcome of the task; the app whose subject it is acts on it (`signals.task_resolved`)."""
    kind = kinds.get(task.kind)
    allowed = kind.outcome_codes if kind else frozenset({kinds.NO_CHANGE})
    if outcome not in allowed:
        raise UnknownOutcome(outcome)
    now = timezone.now()
    if not Task.objects.filter(pk=task.pk, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=user_of(actor), outcome=outcome, note=note[:5000]
    ):
        raise TaskAlreadyResolved()
    task.resolved_at, task.outcome, task.note = now, outcome, note[:5000]
    record(
        actor=actor,
        action=EventType.WORKLIST_TASK_RESOLVED,
        obj=task,
        organisation=task.organisation,
        data={"outcome": outcome},
    )
    task_resolved.send(sender=Task, task=task, outcome=outcome, actor=actor)


@transaction.atomic
def close_moot_tasks(
    tasks: TaskQuerySet, *, actor: Actor, outcome: str, because: str, now: datetime | None = None
) -> int:
    """Close open tasks that something else has made moot (an answer, a leaving); audited, no signal."""
    now = now or timezone.now()
    count = 0
    for task in tasks.open().select_related("organisation"):
        if Task.objects.filter(pk=task.pk, resolved_at__isnull=True).update(resolved_at=now, outcome=outcome):
            record(
                actor=actor,
                action=EventType.WORKLIST_TASK_RESOLVED,
                obj=task,
                organisation=task.organisation,
                data={"outcome": outcome, "because": because},
            )
            count += 1
    return count


@transaction.atomic
def assign_task(*, actor: User, task: Task, assignee: User | None) -> None:
    """Give the task to a staff user of its organisation, or put it back in its queue (None)."""
    if assignee is not None and assignee.organisation_id != task.organisation_id:
        raise ValueError("the assignee belongs to another organisation")
    Task.objects.filter(pk=task.pk).update(assignee=assignee)
    task.assignee = assignee
    record(
        actor=actor,
        action=EventType.WORKLIST_TASK_ASSIGNED,
        obj=task,
        organisation=task.organisation,
        data={"assignee": str(assignee.uid) if assignee is not None else None},
    )
