"""Reads about pairs and their meetings: a person's enrolments for their own page, a pair's meetings, when
the next meeting is expected by the programme's minimum frequency."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kompis.participants.models import Participant
from kompis.programmes.models import (
    Enrolment,
    EnrolmentStatus,
    MentorPair,
    PairMeeting,
    PairStatus,
    Role,
)

#: a completed enrolment stays on the person's page this long after its cohort ended
COMPLETED_SHOWN_FOR = timedelta(days=90)
#: the days of a month, for the minimum number of meetings per month
MONTH_DAYS = 30


def enrolments_on_own_page(person: Participant, *, today: date | None = None) -> QuerySet[Enrolment]:
    """Her enrolments in waiting or active, and the completed ones of a cohort that ended lately."""
    today = today or timezone.localdate()
    return (
        Enrolment.objects.filter(participant=person)
        .filter(
            Q(status__in=(EnrolmentStatus.WAITING, EnrolmentStatus.ACTIVE))
            | Q(status=EnrolmentStatus.COMPLETED, cohort__ends_on__gte=today - COMPLETED_SHOWN_FOR)
        )
        .select_related("cohort__programme")
        .order_by("cohort__starts_on", "id")
    )


def pairs_of(enrolment: Enrolment) -> QuerySet[MentorPair]:
    """Her active pairs, and those that ended (not proposed or rejected ones: she is told once approved),
    with the number of meetings each logged."""
    side = Q(mentee=enrolment) if enrolment.role == Role.MENTEE else Q(mentor=enrolment)
    return (
        MentorPair.objects.filter(side, status__in=(PairStatus.ACTIVE, PairStatus.ENDED))
        .select_related("cohort__programme", "mentee__participant", "mentor__participant")
        .annotate(meeting_count=Count("meetings"))
        .order_by("status", "started_on", "id")  # "active" before "ended"
    )


def meetings_of(pair: MentorPair) -> QuerySet[PairMeeting]:
    return PairMeeting.objects.filter(pair=pair).order_by("-met_on", "-id")


def next_expected(pair: MentorPair) -> date | None:
    """The date by which the pair should meet next to keep the programme's minimum frequency (None when
    the programme asks for none or the pair is not active)."""
    per_month = pair.cohort.programme.min_meetings_per_month
    since = pair.last_met_on or pair.started_on
    if pair.status != PairStatus.ACTIVE or not per_month or since is None:
        return None
    return since + timedelta(days=max(1, MONTH_DAYS // per_month))
