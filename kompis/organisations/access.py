"""Organisation admins reach the regions and projects of their own organisation only (404 otherwise)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from kompis.organisations.models import Project, Region


def get_region_for_admin(user: Any, uid: Any) -> Region:
    return get_object_or_404(Region, uid=uid, organisation_id=user.organisation_id)


def get_project_for_admin(user: Any, uid: Any) -> Project:
    return get_object_or_404(
        Project.objects.select_related("region"), uid=uid, organisation_id=user.organisation_id
    )
