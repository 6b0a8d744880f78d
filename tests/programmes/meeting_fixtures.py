"""A mentor pair for the meeting-log tests: Amal (mentee, Arabic) and Britt (mentor, Swedish) in Uppsala's
cohort of a programme that wants one meeting a month and a task after 45 silent days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from kompis.participants.models import Consent, Participant
from kompis.programmes.models import Cohort, Enrolment, MentorPair, Programme
from tests.factories import ParticipantFactory


@dataclass
class PairWorld:
    programme: Programme
    cohort: Cohort
    mentee: Participant
    mentor: Participant
    pair: MentorPair


def make_pair(world: Any, *, started_days_ago: int = 10, region: Any = None, **pair_fields: Any) -> PairWorld:
    region = region or world.uppsala
    today = timezone.localdate()
    programme = Programme.objects.create(
        organisation=world.org, region=region, name="Professional mentorship", silent_pair_days=45
    )
    cohort = Cohort.objects.create(
        programme=programme,
        name="Spring",
        starts_on=today - timedelta(days=started_days_ago + 5),
        ends_on=today + timedelta(days=180),
    )
    n = Participant.objects.count()  # a second pair gets addresses of its own
    mentee = ParticipantFactory(
        organisation=world.org,
        region=region,
        first_name="Amal",
        last_name="Haddad",
        preferred_language="ar",
        email=f"amal{n}@example.org",
    )
    mentor = ParticipantFactory(
        organisation=world.org,
        region=region,
        role="established",
        first_name="Britt",
        last_name="Berg",
        preferred_language="sv",
        email=f"britt{n}@example.org",
    )
    for person in (mentee, mentor):
        Consent.objects.create(participant=person, kind="data_processing", policy_version="2026-01")
    started: date = today - timedelta(days=started_days_ago)
    fields: dict[str, Any] = {
        "status": "active",
        "started_on": started,
        "ends_on": started + timedelta(days=182),
        **pair_fields,
    }
    pair = MentorPair.objects.create(
        cohort=cohort,
        mentee=Enrolment.objects.create(cohort=cohort, participant=mentee, role="mentee"),
        mentor=Enrolment.objects.create(cohort=cohort, participant=mentor, role="mentor"),
        **fields,
    )
    return PairWorld(programme, cohort, mentee, mentor, pair)
