from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kompis.followup.access import tasks_for_user
from kompis.followup.models import Task


def open_tasks(*, user: Any) -> QuerySet[Task]:
    return (
        tasks_for_user(user)
        .filter(resolved_at__isnull=True)
        .select_related("participant", "match__newcomer", "match__established", "region")
        .order_by("due_on", "id")
    )


def resolved_tasks(*, user: Any) -> QuerySet[Task]:
    return (
        tasks_for_user(user)
        .filter(resolved_at__isnull=False)
        .select_related("participant", "resolved_by", "region")
        .order_by("-resolved_at")
    )
