"""Who may see which runs, proposals and matches. Views get them only through these helpers."""

from __future__ import annotations

from typing import TypeAlias
from uuid import UUID

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from kompis.accounts.access import coordinator_scope
from kompis.accounts.models import User
from kompis.matching.models import Match, MatchingRun, Proposal
from kompis.organisations.models import Project, Region

#: whoever a view's `request.user` is (a staff `User` passes; anybody else sees nothing)
AnyUser: TypeAlias = AbstractBaseUser | AnonymousUser


def people_viewer(user: AnyUser) -> tuple[User, int] | None:
    """The user as a staff member who may see people (an admin or a coordinator of an organisation) and
    their organisation's id; None for anybody else."""
    if not (isinstance(user, User) and user.is_authenticated and user.can_see_people):
        return None
    return None if user.organisation_id is None else (user, user.organisation_id)


def runs_for_user(user: AnyUser) -> QuerySet[MatchingRun]:
    """Admins: every run of their organisation. Coordinators: runs of their regions and projects."""
    viewer = people_viewer(user)
    if viewer is None:
        return MatchingRun.objects.none()
    staff, org_id = viewer
    qs = MatchingRun.objects.filter(organisation_id=org_id)
    if staff.is_org_admin:
        return qs
    return qs.filter(coordinator_scope(staff))


def get_run_for_user(user: AnyUser, run_id: UUID | str) -> MatchingRun:
    try:
        return (
            runs_for_user(user)
            .select_related("region", "project", "organisation", "created_by")
            .get(uid=run_id)
        )
    except (MatchingRun.DoesNotExist, ValueError) as exc:
        raise Http404("No such run") from exc


def get_proposal_for_user(user: AnyUser, proposal_id: UUID | str) -> Proposal:
    try:
        return (
            Proposal.objects.filter(run__in=runs_for_user(user))
            .select_related("run", "run__organisation", "newcomer", "established")
            .get(uid=proposal_id)
        )
    except (Proposal.DoesNotExist, ValueError) as exc:
        raise Http404("No such proposal") from exc


def matches_for_user(user: AnyUser) -> QuerySet[Match]:
    """Matches in which at least one participant is in the user's scope."""
    viewer = people_viewer(user)
    if viewer is None:
        return Match.objects.none()
    staff, org_id = viewer
    qs = Match.objects.filter(organisation_id=org_id)
    if staff.is_org_admin:
        return qs
    return qs.filter(
        coordinator_scope(staff, region="newcomer__region", project="newcomer__project")
        | coordinator_scope(staff, region="established__region", project="established__project")
    ).distinct()


def scopes_for_user(user: AnyUser) -> tuple[QuerySet[Region], QuerySet[Project]]:
    """Regions and projects the user may run matching for."""
    viewer = people_viewer(user)
    if viewer is None:
        return Region.objects.none(), Project.objects.none()
    staff, org_id = viewer
    if staff.is_org_admin:
        return (
            Region.objects.filter(organisation_id=org_id),
            Project.objects.filter(organisation_id=org_id),
        )
    return (
        staff.regions.filter(organisation_id=org_id),
        staff.projects.filter(organisation_id=org_id),
    )
