"""State changes staff make to a person's place: adding someone by hand, editing within scope.

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
from kompis.participants.models import PROFILE_FIELDS, Consent, ConsentKind, ConsentMethod, Participant
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
    values = {field: data[field] for field in PROFILE_FIELDS if field in data}
    participant = Participant(
        organisation=organisation,
        project=data.get("project"),
        region=region,
        preferred_language=language,
        status=Status.WAITING,
        source=Source.STAFF,
        **values,
    )
    participant.email = (participant.email or "").strip().lower()
    participant.full_clean(exclude=["uid"])
    participant.save()
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
    """`services.update_participant` for staff: the region the person ends up in (chosen, or following the
    municipality) must be one the actor may place people in."""
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
    return services.update_participant(actor=actor, participant=fresh, data=data)
