"""State changes staff make to a person's place: adding someone by hand, editing within scope.

Both write the person (Participant) and their participation in friend matching (FriendParticipation) in one
transaction, from one dict of form values (FRIEND_FIELDS go to the participation, the rest to the person).
Both check on the server that a coordinator puts people only into their own regions (issue 10 §6), whatever
the form offered, and write the audit log with ids and codes only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from kompis.accounts.models import User
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.organisations.models import Region
from kompis.participants import services
from kompis.participants.access import may_place_in
from kompis.participants.models import (
    FRIEND_FIELDS,
    PERSON_FIELDS,
    Consent,
    ConsentKind,
    ConsentMethod,
    FriendParticipation,
    Participant,
)
from kompis.participants.selectors import friend_participation_of
from kompis.participants.vocab import Source, Status


class OutOfScope(PermissionDenied):
    """The user may not place a person in that region."""


def _region(organisation: Any, data: dict[str, Any]) -> Region | None:
    region = data.get("region")
    if region is None and data.get("municipality") is not None:
        region = services.region_for(organisation=organisation, municipality_code=data["municipality"].code)
    return region


@transaction.atomic
def add_participant_by_staff(
    *, actor: User, data: dict[str, Any], language: str, research_consent: bool = False
) -> Participant:
    """A paper sign-up typed in by staff: waiting at once (no e-mail confirmation), consent "on paper, by
    staff". No mail is sent now: a mistyped address would get the person's personal link."""
    organisation = actor.organisation
    region = _region(organisation, data)
    if not may_place_in(actor, region):
        raise OutOfScope("region outside the user's scope")
    participant = Participant(
        organisation=organisation,
        project=data.get("project"),
        region=region,
        preferred_language=language,
        source=Source.STAFF,
        **{field: data[field] for field in PERSON_FIELDS if field in data},
    )
    participant.email = (participant.email or "").strip().lower()
    participant.full_clean(exclude=["uid"])
    participant.save()
    friend = FriendParticipation(
        participant=participant,
        organisation=organisation,
        status=Status.WAITING,
        waiting_since=participant.signed_up_at,
        **{field: data[field] for field in FRIEND_FIELDS if field in data},
    )
    friend.full_clean()
    friend.save()
    kinds = [ConsentKind.DATA_PROCESSING, *([ConsentKind.RESEARCH] if research_consent else [])]
    for kind in kinds:
        Consent.objects.create(
            participant=participant,
            kind=kind,
            policy_version=settings.PRIVACY_POLICY_VERSION,
            method=ConsentMethod.PAPER,
        )
    record(
        actor=actor,
        action=EventType.PARTICIPANT_ADDED_BY_STAFF,
        obj=participant,
        data={
            "consent": ConsentMethod.PAPER,
            "research": research_consent,
            "region": str(region.uid) if region else None,
        },
    )
    return participant


@transaction.atomic
def update_participant_in_scope(*, actor: User, participant: Participant, data: dict[str, Any]) -> list[str]:
    """Staff edit a person (and their friend participation): the region the person ends up in (chosen, or
    following the municipality) must be one the actor may place people in."""
    fresh = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("region", "organisation")
        .get(pk=participant.pk)
    )
    data = dict(data)
    data["region"] = (
        _region(fresh.organisation, data) if "region" in data or "municipality" in data else fresh.region
    )
    if not may_place_in(actor, data["region"], person=fresh):
        raise OutOfScope("region outside the user's scope")
    return _update(actor=actor, person=fresh, data=data)


def _update(*, actor: User, person: Participant, data: dict[str, Any]) -> list[str]:
    """Apply the edited fields to the person and (the FRIEND_FIELDS among them) to their friend participation;
    one audit event lists the names of the fields that changed (not their values). A person without a friend
    participation gets none from an edit: the friend fields are left out."""
    friend = friend_participation_of(person)
    if friend is not None:
        friend = FriendParticipation.objects.select_for_update().get(pk=friend.pk)
    changed: list[str] = []
    for field, value in data.items():
        target: Participant | FriendParticipation | None = person
        if field in FRIEND_FIELDS:
            target = friend
        if target is not None and getattr(target, field) != value:
            setattr(target, field, value)
            changed.append(field)
    if not changed:
        return changed
    person.full_clean(exclude=["uid"])
    person.save()
    if friend is not None and set(changed) & set(FRIEND_FIELDS):
        friend.full_clean()
        friend.save()
    record(
        actor=actor,
        action=EventType.PARTICIPANT_UPDATED,
        obj=person,
        data={"fields": sorted(changed)},
    )
    return changed
