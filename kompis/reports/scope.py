"""What a report covers: an organisation, optionally narrowed to a region, a project, a municipality and a
kind or mode of match, and always to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TypedDict, Unpack

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from kompis.accounts.access import is_staff_member
from kompis.accounts.models import User
from kompis.followup.models import FollowUp
from kompis.matching.models import Match
from kompis.municipalities.models import Municipality
from kompis.organisations.models import Organisation, Project, Region
from kompis.participants.models import Participant

#: what `signature()` returns: organisation, the user's (regions, projects) or None, region, project,
#: municipality, kind, mode
Signature = tuple[
    int, tuple[tuple[int, ...], tuple[int, ...]] | None, int | None, int | None, str | None, str, str
]


class ScopeFilters(TypedDict, total=False):
    """The narrowing a report page or the command line may add to a scope."""

    region: Region | None
    project: Project | None
    municipality: Municipality | None
    kind: str
    mode: str


class ScopeChanges(ScopeFilters, total=False):
    """What `narrowed` may change: the filters, and whose view it is."""

    user: User | None


@dataclass
class ReportScope:
    organisation: Organisation
    user: User | None = None  # None: the whole organisation (the CLI)
    region: Region | None = None
    project: Project | None = None
    municipality: Municipality | None = None
    kind: str = ""  # individual | family (match figures only)
    mode: str = ""  # physical | digital (match figures only)
    _limits: tuple[list[int], list[int]] | None = field(default=None, repr=False)

    @classmethod
    def for_user(cls, user: User, **filters: Unpack[ScopeFilters]) -> ReportScope:
        if user.organisation is None:  # staff_required lets only members of an organisation through
            raise PermissionDenied
        return cls(organisation=user.organisation, user=user, **filters)

    def _user_limits(self) -> tuple[list[int], list[int]] | None:
        """Coordinators see their regions and projects (as `participants_for_user`); admins and viewers all;
        anyone without a staff role sees only their (no) regions and projects."""
        user = self.user
        if user is None or (is_staff_member(user) and not user.is_coordinator):
            return None
        if self._limits is None:
            self._limits = (
                list(user.regions.values_list("id", flat=True)),
                list(user.projects.values_list("id", flat=True)),
            )
        return self._limits

    def participant_q(self, prefix: str = "") -> Q:
        """The participants this scope covers (without the organisation condition)."""
        q = Q()
        limits = self._user_limits()
        if limits is not None:
            regions, projects = limits
            q &= Q(**{f"{prefix}region_id__in": regions}) | Q(**{f"{prefix}project_id__in": projects})
        if self.region is not None:
            q &= Q(**{f"{prefix}region_id": self.region.pk})
        if self.project is not None:
            q &= Q(**{f"{prefix}project_id": self.project.pk})
        if self.municipality is not None:
            q &= Q(**{f"{prefix}municipality_id": self.municipality.pk})
        return q

    def participants(self) -> QuerySet[Participant]:
        return Participant.objects.filter(Q(organisation_id=self.organisation.pk) & self.participant_q())

    def friends(self) -> QuerySet[Participant]:
        """The people in scope who take part in friend matching (who have a friend participation)."""
        return self.participants().filter(friend_matching__isnull=False)

    def match_q(self, prefix: str = "") -> Q:
        """Matches of the organisation in which the newcomer or the established participant is in scope."""
        q = Q(**{f"{prefix}organisation_id": self.organisation.pk})
        pq = self.participant_q(f"{prefix}newcomer__")
        if pq:
            q &= pq | self.participant_q(f"{prefix}established__")
        if self.kind:
            q &= Q(**{f"{prefix}kind": self.kind})
        if self.mode:
            q &= Q(**{f"{prefix}mode": self.mode})
        return q

    def matches(self) -> QuerySet[Match]:
        return Match.objects.filter(self.match_q())

    def followups(self) -> QuerySet[FollowUp]:
        return FollowUp.objects.filter(self.match_q("match__"))

    def signature(self) -> Signature:
        """What the figures depend on: equal signatures give equal figures."""
        limits = self._user_limits()
        return (
            self.organisation.pk,
            (tuple(limits[0]), tuple(limits[1])) if limits is not None else None,
            self.region.pk if self.region is not None else None,
            self.project.pk if self.project is not None else None,
            self.municipality.pk if self.municipality is not None else None,
            self.kind,
            self.mode,
        )

    def narrowed(self, **changes: Unpack[ScopeChanges]) -> ReportScope:
        fresh = replace(self, **changes)
        fresh._limits = None  # worked out again, for the user it now has
        return fresh

    @property
    def has_match_filter(self) -> bool:
        return bool(self.kind or self.mode)
