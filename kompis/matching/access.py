"""Who may see which runs, proposals and matches. Views get them only through these helpers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from kompis.accounts.access import coordinator_scope
from kompis.matching.models import Match, MatchingRun, Proposal
from kompis.organisations.models import Project, Region


def _can_see_people(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.organisation_id and user.can_see_people)


def runs_for_user(user: Any) -> QuerySet[MatchingRun]:
    """Admins: every run of their organisation. Coordinators: runs of their regions and projects."""
    if not _can_see_people(user):
        return MatchingRun.objects.none()
    qs = MatchingRun.objects.filter(organisation_id=user.organisation_id)
    if user.is_org_admin:
        return qs
    return qs.filter(coordinator_scope(user))


def get_run_for_user(user: Any, run_id: Any) -> MatchingRun:
    try:
        return (
            runs_for_user(user)
            .select_related("region", "project", "organisation", "created_by")
            .get(uid=run_id)
        )
    except (MatchingRun.DoesNotExist, ValueError) as exc:
        raise Http404("No such run") from exc


def get_proposal_for_user(user: Any, proposal_id: Any) -> Proposal:
    try:
        return (
            Proposal.objects.filter(run__in=runs_for_user(user))
            .select_related("run", "run__organisation", "newcomer", "established")
            .get(uid=proposal_id)
        )
    except (Proposal.DoesNotExist, ValueError) as exc:
        raise Http404("No such proposal") from exc


def matches_for_user(user: Any) -> QuerySet[Match]:
    """Matches in which at least one participant is in the user's scope."""
    if not _can_see_people(user):
        return Match.objects.none()
    qs = Match.objects.filter(organisation_id=user.organisation_id)
    if user.is_org_admin:
        return qs
    return qs.filter(
        coordinator_scope(user, region="newcomer__region", project="newcomer__project")
        | coordinator_scope(user, region="established__region", project="established__project")
    ).distinct()


def scopes_for_user(user: Any) -> tuple[QuerySet[Region], QuerySet[Project]]:
    """Regions and projects the user may run matching for."""
    if not _can_see_people(user):
        return Region.objects.none(), Project.objects.none()
    if user.is_org_admin:
        return (
            Region.objects.filter(organisation_id=user.organisation_id),
            Project.objects.filter(organisation_id=user.organisation_id),
        )
    return (
        user.regions.filter(organisation_id=user.organisation_id),
        user.projects.filter(organisation_id=user.organisation_id),
    )
