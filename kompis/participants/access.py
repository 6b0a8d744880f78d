"""The only way staff views get participants: scoped to the user's organisation, regions and projects."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404
from django.urls import reverse

from kompis.accounts.access import coordinator_scope
from kompis.organisations.models import Region
from kompis.participants.models import Participant


def participants_for_user(user: Any) -> QuerySet[Participant]:
    """Admins see their organisation; coordinators their regions and projects; viewers nobody."""
    if not getattr(user, "is_authenticated", False) or not user.organisation_id or not user.can_see_people:
        return Participant.objects.none()
    qs = Participant.objects.filter(organisation_id=user.organisation_id)
    if user.is_org_admin:
        return qs
    return qs.filter(coordinator_scope(user))


def get_participant_for_user(user: Any, participant_id: Any) -> Participant:
    try:
        return (
            participants_for_user(user)
            .select_related("municipality", "region", "project", "friend_matching")
            .get(uid=participant_id)
        )
    except (Participant.DoesNotExist, ValueError) as exc:
        raise Http404("No such participant") from exc


# --- what a staff user may see of a person on a page about someone else (a match across regions) -------


@dataclass(frozen=True)
class PersonView:
    """A participant as one staff user may see them.

    `full`: the person is in the user's scope: everything, with a link to their page. Otherwise (the partner
    in a match that crosses regions) only the first name, the region and the dates of mails sent to them:
    no last name, contact data, profile, mail subjects, comments or link.
    """

    participant: Participant
    full: bool

    @property
    def pk(self) -> int:
        return int(self.participant.pk)

    @property
    def uid(self) -> Any:
        return self.participant.uid

    @property
    def first_name(self) -> str:
        return self.participant.first_name

    @property
    def name(self) -> str:
        return self.participant.full_name if self.full else self.participant.first_name

    @property
    def region_name(self) -> str:
        region = self.participant.region
        return region.name if region is not None else ""

    @property
    def email(self) -> str:
        return self.participant.email if self.full else ""

    @property
    def phone(self) -> str:
        return self.participant.phone if self.full else ""

    @property
    def municipality_name(self) -> str:
        municipality = self.participant.municipality
        return municipality.name if self.full and municipality is not None else ""

    @property
    def url(self) -> str:
        return reverse("participants:detail", args=[self.participant.uid]) if self.full else ""

    def __str__(self) -> str:
        return self.name


def visible_people(user: Any, participants: Iterable[Participant]) -> dict[int, PersonView]:
    """One query for many people: {pk: PersonView}. Admins see their whole organisation in full."""
    people = {p.pk: p for p in participants if p is not None}
    in_scope = set(participants_for_user(user).filter(pk__in=list(people)).values_list("pk", flat=True))
    # a limited view shows the person's region: one query for all of them, not one each
    prefetch_related_objects([p for pk, p in people.items() if pk not in in_scope], "region")
    return {pk: PersonView(participant=p, full=pk in in_scope) for pk, p in people.items()}


def visible_person(user: Any, participant: Participant) -> PersonView:
    """The one rule for every page about a match, task or mail: full view in scope, limited view outside."""
    return visible_people(user, [participant])[participant.pk]


# --- where a staff user may put a person (create, edit, import) ----------------------------------------


def regions_for_writing(user: Any) -> QuerySet[Region]:
    """Regions a user may add people to or move people into: admins their organisation's, coordinators their
    own (issue 10 §6: a coordinator may not create or move people into another region)."""
    if not getattr(user, "is_authenticated", False) or not user.organisation_id or not user.can_see_people:
        return Region.objects.none()
    qs = Region.objects.filter(organisation_id=user.organisation_id)
    return qs if user.is_org_admin else qs.filter(pk__in=user.regions.all())


def may_place_in(user: Any, region: Region | None, *, person: Participant | None = None) -> bool:
    """May `user` put a person into `region`? Leaving an existing `person` in the region they are in is no
    move and always allowed; "no region" (out of every coordinator's scope) only for admins."""
    if person is not None and person.pk is not None and person.region_id == (region.pk if region else None):
        return True
    if region is None:
        return bool(getattr(user, "is_org_admin", False))
    return regions_for_writing(user).filter(pk=region.pk).exists()
