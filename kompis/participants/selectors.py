"""Reads about participants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kompis.core.fields import has_code
from kompis.participants.access import participants_for_user
from kompis.participants.models import FriendParticipation, Participant
from kompis.participants.phones import digits_range, phone_query
from kompis.participants.vocab import ParticipantRole, Status

#: a phone search shows at most this many people (a few digits can match many numbers)
MAX_PHONE_HITS = 2000


@dataclass(frozen=True)
class ParticipantFilter:
    q: str = ""
    role: str = ""
    status: str = ""
    region: str = ""
    municipality: str = ""
    language: str = ""
    meeting_mode: str = ""
    waiting_days: int | None = None

    @classmethod
    def from_query(cls, params: Any) -> ParticipantFilter:
        try:
            waiting_days = int(params.get("waiting_days") or "") if params.get("waiting_days") else None
        except ValueError:
            waiting_days = None
        return cls(
            q=(params.get("q") or "").strip()[:100],
            role=params.get("role") or "",
            status=params.get("status") or "",
            region=params.get("region") or "",
            municipality=params.get("municipality") or "",
            language=params.get("language") or "",
            meeting_mode=params.get("meeting_mode") or "",
            waiting_days=waiting_days,
        )


def filtered_participants(*, user: Any, filters: ParticipantFilter) -> QuerySet[Participant]:
    qs = participants_for_user(user)
    if filters.role:
        qs = qs.filter(friend_matching__role=filters.role)
    if filters.status:
        qs = qs.filter(friend_matching__status=filters.status)
    if filters.region:
        qs = qs.filter(region__uid=filters.region) if _is_uuid(filters.region) else qs.none()
    if filters.municipality:
        qs = qs.filter(municipality_id=filters.municipality)
    if filters.language:
        qs = qs.filter(has_code("languages", filters.language))
    if filters.meeting_mode:
        qs = qs.filter(friend_matching__meeting_mode=filters.meeting_mode)
    if filters.waiting_days is not None:
        qs = qs.filter(
            friend_matching__status=Status.WAITING,
            friend_matching__waiting_since__lte=timezone.now() - timedelta(days=filters.waiting_days),
        )
    if filters.q and (digits := phone_query(filters.q)):
        # a phone number, however it is written: one indexed lookup on the normalised copy
        # Two index lookups (a range on (organisation, phone_digits), the external id), then the rows by key:
        # an OR of the two in one WHERE would make the database scan the organisation's participants.
        low, high = digits_range(digits)
        in_range = Q(phone_digits__gte=low) & (Q(phone_digits__lt=high) if high else Q())
        ids = [
            *qs.filter(in_range).order_by().values_list("pk", flat=True)[:MAX_PHONE_HITS],
            *qs.filter(external_ref=filters.q).exclude(external_ref="").values_list("pk", flat=True)[:10],
        ]
        qs = qs.filter(pk__in=ids)
    elif filters.q:
        for word in filters.q.split()[:4]:
            qs = qs.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word.lower())
                | Q(phone__icontains=word)
                | Q(external_ref=word)
            )
    return qs.select_related("municipality", "region", "friend_matching")


def friend_participation_of(participant: Participant) -> FriendParticipation | None:
    """The person's participation in friend matching; None for a person who takes part only in something else.
    (Reads the cached row when the participant came with `select_related("friend_matching")`.)"""
    try:
        return participant.friend_matching
    except FriendParticipation.DoesNotExist:
        return None


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Overview:
    figures: list[tuple[str, int]]
    scope: str


def staff_overview(*, user: Any) -> Overview:
    if not user.can_see_people:
        return Overview(figures=[], scope="")
    friends = FriendParticipation.objects.filter(participant__in=participants_for_user(user))
    figures = [
        (
            _("Waiting newcomers"),
            friends.filter(status=Status.WAITING, role=ParticipantRole.NEWCOMER).count(),
        ),
        (
            _("Waiting established"),
            friends.filter(status=Status.WAITING, role=ParticipantRole.ESTABLISHED).count(),
        ),
        (_("Matched"), friends.filter(status=Status.MATCHED).count()),
        (_("Awaiting e-mail confirmation"), friends.filter(status=Status.PENDING).count()),
    ]
    if user.is_org_admin:
        scope = _("the whole organisation")
    else:
        names = [r.name for r in user.regions.all()] + [p.name for p in user.projects.all()]
        scope = ", ".join(names)
    return Overview(figures=figures, scope=scope)
