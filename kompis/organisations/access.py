"""Organisation admins reach the regions and projects of their own organisation only (404 otherwise)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from kompis.accounts.models import User
from kompis.organisations.models import Organisation, Project, Region


def own_organisation(user: User) -> Organisation:
    """The staff member's organisation (staff pages are behind staff_required; a user without one is refused)."""
    organisation = user.organisation
    if organisation is None:
        raise PermissionDenied
    return organisation


def get_region_for_admin(user: User, uid: str) -> Region:
    return get_object_or_404(Region, uid=uid, organisation_id=user.organisation_id)


def get_project_for_admin(user: User, uid: str) -> Project:
    return get_object_or_404(
        Project.objects.select_related("region"), uid=uid, organisation_id=user.organisation_id
    )
