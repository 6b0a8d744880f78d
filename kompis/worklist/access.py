"""Staff access to tasks: the same scope as participants (organisation; a coordinator's regions and
projects), plus the tasks assigned to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from kompis.accounts.access import coordinator_scope
from kompis.accounts.models import User
from kompis.worklist.models import Task, TaskQuerySet


def tasks_for_user(user: User) -> TaskQuerySet:
    if not user.is_authenticated or not user.organisation_id or not user.can_see_people:
        return Task.objects.none()
    qs = Task.objects.filter(organisation_id=user.organisation_id)
    if user.is_org_admin:
        return qs
    return qs.filter(coordinator_scope(user, project="participant__project") | Q(assignee=user))


def get_task_for_user(user: User, task_id: Any) -> Task:
    """`task_id` is the uid from the URL (a UUID, or text that may not be one: 404)."""
    try:
        return (
            tasks_for_user(user)
            .select_related("participant", "region", "assignee", "resolved_by")
            .get(uid=task_id)
        )
    except (Task.DoesNotExist, ValueError) as exc:
        raise Http404("No such task") from exc
