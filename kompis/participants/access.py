"""The only way staff views get participants: scoped to the user's organisation, regions and projects."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from kompis.accounts.access import coordinator_scope
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
            .select_related("municipality", "region", "project")
            .get(uid=participant_id)
        )
    except (Participant.DoesNotExist, ValueError) as exc:
        raise Http404("No such participant") from exc
