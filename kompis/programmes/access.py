"""Staff access to programmes: an admin sees the organisation's programmes, a coordinator those whose
region or project is one of theirs; a viewer none (enrolments name persons). Everything else is 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from kompis.accounts.access import coordinator_scope
from kompis.accounts.models import User
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
    try:
        return programmes_for_user(user).select_related("region", "project").get(uid=programme_id)
    except (Programme.DoesNotExist, ValueError) as exc:
        raise Http404("No such programme") from exc


def get_cohort_for_user(user: User, cohort_id: Any) -> Cohort:
    try:
        return Cohort.objects.select_related("programme", "region", "project").get(
            uid=cohort_id, programme__in=programmes_for_user(user)
        )
    except (Cohort.DoesNotExist, ValueError) as exc:
        raise Http404("No such cohort") from exc


def get_enrolment_for_user(user: User, enrolment_id: Any) -> Enrolment:
    try:
        return Enrolment.objects.select_related("cohort__programme", "participant").get(
            uid=enrolment_id, cohort__programme__in=programmes_for_user(user)
        )
    except (Enrolment.DoesNotExist, ValueError) as exc:
        raise Http404("No such enrolment") from exc


def get_session_for_user(user: User, session_id: Any) -> CohortSession:
    """A cohort's session (issue #13), by its uid, within the user's programmes."""
    try:
        return CohortSession.objects.select_related("cohort__programme", "event").get(
            uid=session_id, cohort__programme__in=programmes_for_user(user)
        )
    except (CohortSession.DoesNotExist, ValueError) as exc:
        raise Http404("No such session") from exc


def get_pair_for_user(user: User, pair_id: Any) -> MentorPair:
    """A mentor pair (issue #13), by its uid, within the user's programmes."""
    try:
        return MentorPair.objects.select_related(
            "cohort__programme", "mentee__participant", "mentor__participant"
        ).get(uid=pair_id, cohort__programme__in=programmes_for_user(user))
    except (MentorPair.DoesNotExist, ValueError) as exc:
        raise Http404("No such pair") from exc
