"""Reads about events: the staff list, an event's registrations, a person's registrations."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kompis.accounts.models import User
from kompis.events.access import events_for_user
from kompis.events.models import Event, EventRegistration, RegistrationStatus
from kompis.participants.models import Participant
from kompis.participants.selectors import ParticipantFilter, filtered_participants

#: a search for a person to register shows at most this many
MAX_SEARCH_HITS = 20


def event_list(*, user: User, past: bool = False) -> QuerySet[Event]:
    """Upcoming events first by start (or past ones, latest first), with their number of registrations."""
    now = timezone.now()
    qs = events_for_user(user).select_related("region", "project")
    qs = qs.filter(ends_at__lt=now).order_by("-starts_at", "-id") if past else qs.filter(ends_at__gte=now)
    return qs.annotate(
        registered=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED))
    )


def registrations_of_event(event: Event) -> QuerySet[EventRegistration]:
    """Active registrations first, then cancelled ones; by name."""
    return event.registrations.select_related("participant").order_by(
        "status", "participant__last_name", "participant__first_name", "id"
    )


def registrations_of_person(participant: Participant) -> QuerySet[EventRegistration]:
    """The person's registrations, soonest event first (what their own page lists)."""
    return (
        EventRegistration.objects.filter(participant=participant)
        .select_related("event")
        .order_by("event__starts_at", "id")
    )


@dataclass(frozen=True)
class Candidate:
    participant: Participant
    registered: bool


def people_to_register(*, user: User, event: Event, query: str) -> list[Candidate]:
    """People in the user's scope whose name or e-mail matches `query`, and whether they are registered."""
    query = query.strip()[:100]
    if len(query) < 2:
        return []
    hits = list(filtered_participants(user=user, filters=ParticipantFilter(q=query))[:MAX_SEARCH_HITS])
    active = set(
        event.registrations.filter(
            participant__in=[p.pk for p in hits], status=RegistrationStatus.REGISTERED
        ).values_list("participant_id", flat=True)
    )
    return [Candidate(participant=p, registered=p.pk in active) for p in hits]
