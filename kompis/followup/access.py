"""Staff access to tasks and match timelines: the same scope as participants (organisation, regions)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from kompis.accounts.access import coordinator_scope
from kompis.followup.models import Task


def tasks_for_user(user: Any) -> QuerySet[Task]:
    if not getattr(user, "is_authenticated", False) or not user.organisation_id or not user.can_see_people:
        return Task.objects.none()
    qs = Task.objects.filter(organisation_id=user.organisation_id)
    if user.is_org_admin:
        return qs
    return qs.filter(coordinator_scope(user, project="participant__project"))


def get_task_for_user(user: Any, task_id: Any) -> Task:
    try:
        return tasks_for_user(user).select_related("participant", "match", "region").get(uid=task_id)
    except (Task.DoesNotExist, ValueError) as exc:
        raise Http404("No such task") from exc
