"""Reads about programmes: the staff list, a programme's cohorts with counts, a cohort's enrolments."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from kompis.accounts.models import User
from kompis.participants.models import Participant
from kompis.participants.selectors import ParticipantFilter, filtered_participants
from kompis.programmes.access import programmes_for_user
from kompis.programmes.models import Cohort, Enrolment, EnrolmentStatus, Programme, Role

#: a search for a person to enrol shows at most this many
MAX_SEARCH_HITS = 20


def programme_list(*, user: User) -> QuerySet[Programme]:
    return (
        programmes_for_user(user)
        .select_related("region", "project")
        .annotate(cohort_count=Count("cohorts", distinct=True))
    )


def _count(status: str, role: str) -> Count:
    return Count("enrolments", filter=Q(enrolments__status=status, enrolments__role=role))


def cohorts_with_counts(programme: Programme) -> QuerySet[Cohort]:
    """The programme's cohorts, each with active / waiting / completed / dropped-out counts by role."""
    return (
        programme.cohorts.select_related("region", "project")
        .annotate(
            mentees_active=_count(EnrolmentStatus.ACTIVE, Role.MENTEE),
            mentors_active=_count(EnrolmentStatus.ACTIVE, Role.MENTOR),
            waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
            completed=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.COMPLETED)),
            dropped_out=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.DROPPED_OUT)),
        )
        .order_by("starts_on", "id")
    )


STATUS_ORDER = [
    EnrolmentStatus.ACTIVE,
    EnrolmentStatus.WAITING,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.DROPPED_OUT,
]


def enrolments_of_cohort(cohort: Cohort) -> list[Enrolment]:
    """By role (mentees first), then status (active, waiting, completed, dropped out), then enrolment order."""
    rows = list(cohort.enrolments.select_related("participant").order_by("enrolled_at", "id"))
    return sorted(rows, key=lambda e: (e.role != Role.MENTEE, STATUS_ORDER.index(EnrolmentStatus(e.status))))


def enrolments_of_person(participant: Participant) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(participant=participant)
        .select_related("cohort__programme")
        .order_by("-enrolled_at", "-id")
    )


@dataclass(frozen=True)
class Candidate:
    participant: Participant
    enrolled: bool


def people_to_enrol(*, user: User, cohort: Cohort, query: str) -> list[Candidate]:
    """People in the user's scope whose name or e-mail matches `query`, and whether they are enrolled."""
    query = query.strip()[:100]
    if len(query) < 2:
        return []
    hits = list(filtered_participants(user=user, filters=ParticipantFilter(q=query))[:MAX_SEARCH_HITS])
    enrolled = set(
        cohort.enrolments.filter(participant__in=[p.pk for p in hits]).values_list(
            "participant_id", flat=True
        )
    )
    return [Candidate(participant=p, enrolled=p.pk in enrolled) for p in hits]
