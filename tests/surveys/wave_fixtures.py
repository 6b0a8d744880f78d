"""Helpers of the wave tests: an open survey in Swedish, English and Arabic, a cohort with enrolments."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from kompis.programmes.models import Cohort, Enrolment, EnrolmentStatus, Programme
from kompis.surveys.models import Survey, SurveyStatus
from tests.factories import ParticipantFactory


def open_survey(world: Any, **extra: Any) -> Survey:
    texts = {
        "sv": {"title": "Hur går det?"},
        "en": {"title": "How is it going?"},
        "ar": {"title": "كيف الحال؟"},
    }
    return Survey.objects.create(
        organisation=world.org,
        name="Mentees' survey",
        texts=texts,
        languages=["sv", "en", "ar"],
        status=SurveyStatus.OPEN,
        **extra,
    )


def cohort_of(world: Any, ends_on: date | None = None) -> Cohort:
    programme = Programme.objects.create(organisation=world.org, name="Mentors", region=world.uppsala)
    ends_on = ends_on or timezone.localdate() + timedelta(days=90)
    return Cohort.objects.create(
        programme=programme, name="Spring", starts_on=ends_on - timedelta(days=180), ends_on=ends_on
    )


def enrolled(world: Any, cohort: Cohort, status: str = EnrolmentStatus.ACTIVE, **person: Any) -> Any:
    who = ParticipantFactory(organisation=world.org, region=world.uppsala, **person)
    Enrolment.objects.create(cohort=cohort, participant=who, role="mentee", status=status)
    return who
