"""Staff access to surveys: an admin sees the organisation's surveys; a coordinator those of their regions or
projects, and those with neither (organisation-wide); a viewer sees results only (aggregated), never the
builder. Everything else is 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kompis.accounts.access import coordinator_scope
from kompis.accounts.models import User
from kompis.core.lookups import get_or_404
from kompis.surveys.models import BankQuestion, InterviewSample, InterviewSubject, Question, Survey, Wave


def surveys_for_user(user: User) -> QuerySet[Survey]:
    """Surveys a staff member may see (viewers included: their pages show aggregated results only)."""
    if not user.is_authenticated or not user.organisation_id or not user.role:
        return Survey.objects.none()
    qs = Survey.objects.filter(organisation_id=user.organisation_id)
    if user.is_org_admin or not user.is_coordinator:
        return qs
    return qs.filter(coordinator_scope(user) | Q(region__isnull=True, project__isnull=True))


def surveys_for_builder(user: User) -> QuerySet[Survey]:
    """Surveys a staff member may edit: admins and coordinators in scope; viewers none."""
    if not user.is_authenticated or not user.can_see_people:
        return Survey.objects.none()
    return surveys_for_user(user)


def get_survey_for_user(user: User, survey_id: Any) -> Survey:
    """A survey the user may see (results), by its uid."""
    return get_or_404(
        surveys_for_user(user).select_related("region", "project"), "No such survey", uid=survey_id
    )


def get_survey_for_builder(user: User, survey_id: Any) -> Survey:
    """A survey the user may edit, by its uid."""
    return get_or_404(
        surveys_for_builder(user).select_related("region", "project"), "No such survey", uid=survey_id
    )


def get_question_for_builder(user: User, question_id: Any) -> Question:
    return get_or_404(
        Question.objects.select_related("survey"),
        "No such question",
        uid=question_id,
        survey__in=surveys_for_builder(user),
    )


def bank_for_user(user: User) -> QuerySet[BankQuestion]:
    """The organisation's question bank (admins and coordinators)."""
    if not user.is_authenticated or not user.organisation_id or not user.can_see_people:
        return BankQuestion.objects.none()
    return BankQuestion.objects.filter(organisation_id=user.organisation_id)


def get_bank_question_for_user(user: User, bank_id: Any) -> BankQuestion:
    return get_or_404(bank_for_user(user), "No such bank question", uid=bank_id)


def get_wave_for_results(user: User, wave_id: Any) -> Wave:
    """A wave whose results the user may see (viewers included: aggregated), by its uid."""
    return get_or_404(
        Wave.objects.select_related("survey", "cohort"),
        "No such wave",
        uid=wave_id,
        survey__in=surveys_for_user(user),
    )


def interview_samples_for_user(user: User) -> QuerySet[InterviewSample]:
    """Interview samples (people's names and notes): admins, and coordinators for their regions or projects and
    organisation-wide samples; viewers none."""
    if not user.is_authenticated or not user.organisation_id or not user.can_see_people:
        return InterviewSample.objects.none()
    qs = InterviewSample.objects.filter(organisation_id=user.organisation_id)
    if user.is_org_admin or not user.is_coordinator:
        return qs
    return qs.filter(coordinator_scope(user) | Q(region__isnull=True, project__isnull=True))


def get_interview_sample_for_user(user: User, sample_id: Any) -> InterviewSample:
    return get_or_404(
        interview_samples_for_user(user).select_related("cohort", "region"), "No such sample", uid=sample_id
    )


def get_interview_subject_for_user(user: User, subject_id: Any) -> InterviewSubject:
    return get_or_404(
        InterviewSubject.objects.select_related("sample", "participant"),
        "No such person in a sample",
        uid=subject_id,
        sample__in=interview_samples_for_user(user),
    )


def get_wave_for_builder(user: User, wave_id: Any) -> Wave:
    """A wave the user may send and follow (admins and coordinators in the survey's scope), by its uid."""
    return get_or_404(
        Wave.objects.select_related("survey__organisation", "cohort__programme"),
        "No such wave",
        uid=wave_id,
        survey__in=surveys_for_builder(user),
    )
