"""Staff access to programmes: an admin sees the organisation's programmes, a coordinator those whose
region or project is one of theirs; a viewer none (enrolments name persons). Everything else is 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kompis.accounts.access import coordinator_scope
from kompis.accounts.models import User
from kompis.core.lookups import get_or_404
from kompis.programmes.models import Cohort, CohortSession, Enrolment, MentorPair, Programme


def programmes_for_user(user: User) -> QuerySet[Programme]:
    if not user.is_authenticated or not user.organisation_id or not user.can_see_people:
        return Programme.objects.none()
    qs = Programme.objects.filter(organisation_id=user.organisation_id)
    if user.is_org_admin:
        return qs
    return qs.filter(coordinator_scope(user))


def get_programme_for_user(user: User, programme_id: Any) -> Programme:
    """`programme_id` is the uid from the URL."""
    return get_or_404(
        programmes_for_user(user).select_related("region", "project"), "No such programme", uid=programme_id
    )


def get_cohort_for_user(user: User, cohort_id: Any) -> Cohort:
    return get_or_404(
        Cohort.objects.select_related("programme", "region", "project"),
        "No such cohort",
        uid=cohort_id,
        programme__in=programmes_for_user(user),
    )


def get_enrolment_for_user(user: User, enrolment_id: Any) -> Enrolment:
    return get_or_404(
        Enrolment.objects.select_related("cohort__programme", "participant"),
        "No such enrolment",
        uid=enrolment_id,
        cohort__programme__in=programmes_for_user(user),
    )


def get_session_for_user(user: User, session_id: Any) -> CohortSession:
    """A cohort's session (issue #13), by its uid, within the user's programmes."""
    return get_or_404(
        CohortSession.objects.select_related("cohort__programme", "event"),
        "No such session",
        uid=session_id,
        cohort__programme__in=programmes_for_user(user),
    )


def get_pair_for_user(user: User, pair_id: Any) -> MentorPair:
    """A mentor pair (issue #13), by its uid, within the user's programmes."""
    return get_or_404(
        MentorPair.objects.select_related("cohort__programme", "mentee__participant", "mentor__participant"),
        "No such pair",
        uid=pair_id,
        cohort__programme__in=programmes_for_user(user),
    )
