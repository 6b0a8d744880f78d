from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from kompis.organisations.models import Project, Region


def regions_of(*, organisation: Any) -> QuerySet[Region]:
    return (
        Region.objects.filter(organisation=organisation)
        .annotate(participant_count=Count("participants", distinct=True))
        .prefetch_related("municipalities")
    )


def projects_of(*, organisation: Any) -> QuerySet[Project]:
    return (
        Project.objects.filter(organisation=organisation).select_related("region").prefetch_related("targets")
    )
