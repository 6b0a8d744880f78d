"""Reads for the work list: the task list with its filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from kompis.accounts.models import User
from kompis.organisations.models import Region
from kompis.worklist.access import tasks_for_user
from kompis.worklist.models import Task, TaskQuerySet

#: the due-date filter's choices
OVERDUE, THIS_WEEK, LATER = "overdue", "week", "later"
DUE_CHOICES = (OVERDUE, THIS_WEEK, LATER)


@dataclass(frozen=True)
class TaskFilter:
    """What the task list shows: done or to do, and optionally one kind, region, due window, or "mine"."""

    done: bool = False
    kind: str = ""
    region: Region | None = None
    due: str = ""  # OVERDUE, THIS_WEEK, LATER or ""
    mine: bool = False


def due_window(due: str, today: date) -> dict[str, date]:
    """The lookups of a due-date filter: overdue (before today), this week (today to Sunday), later."""
    sunday = today + timedelta(days=6 - today.weekday())
    if due == OVERDUE:
        return {"due_on__lt": today}
    if due == THIS_WEEK:
        return {"due_on__gte": today, "due_on__lte": sunday}
    if due == LATER:
        return {"due_on__gt": sunday}
    return {}


def task_list(*, user: User, which: TaskFilter, today: date | None = None) -> TaskQuerySet:
    qs = tasks_for_user(user).select_related("participant__region", "region", "assignee", "resolved_by")
    qs = qs.filter(resolved_at__isnull=not which.done)
    if which.kind:
        qs = qs.filter(kind=which.kind)
    if which.region is not None:
        qs = qs.filter(region=which.region)
    if which.mine:
        qs = qs.filter(assignee=user)
    qs = qs.filter(**due_window(which.due, today or timezone.localdate()))
    return qs.order_by("-resolved_at", "id") if which.done else qs.order_by("due_on", "id")


def open_tasks(*, user: User) -> TaskQuerySet:
    return task_list(user=user, which=TaskFilter())


def resolved_tasks(*, user: User) -> TaskQuerySet:
    return task_list(user=user, which=TaskFilter(done=True))


def regions_for_filter(user: User) -> list[Region]:
    """The regions a user may filter by: the organisation's for an admin, their own for a coordinator."""
    if user.is_org_admin:
        return list(Region.objects.filter(organisation=user.organisation).order_by("name"))
    return list(user.regions.order_by("name"))


def tasks_about(subject_type: str, subject_id: str) -> list[Task]:
    """Every task about one subject (open or done), for a subject's page (the caller checks the subject is visible)."""
    return list(
        Task.objects.filter(subject_type=subject_type, subject_id=subject_id).select_related("participant")
    )
