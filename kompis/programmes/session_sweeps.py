"""The completion rule at a cohort's end (registered with `kompis.core.sweeps`, imported by ProgrammesConfig.ready).

On the days after a cohort's last day (Europe/Stockholm), its active enrolments that attended enough of
the sessions held are marked completed (`sessions.apply_completion_rule`, by the system). Cohorts that
ended up to `CATCH_UP_DAYS` ago are looked at, so a sweep missed during downtime catches up; a cohort
where nobody more meets the rule is left alone (nothing written, nothing logged), so sweeping again
changes nothing. Those who do not meet it stay active: staff decide about them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from kompis.audit.actors import SystemActor
from kompis.core.sweeps import register
from kompis.programmes.models import Cohort, EnrolmentStatus
from kompis.programmes.sessions import apply_completion_rule, attended_counts

COMPLETION_JOB = SystemActor("programmes.completion_rule")
#: cohorts that ended at most this many days ago are swept
CATCH_UP_DAYS = 14


@register("programmes.completion_rule")
def complete_ended_cohorts(now: datetime) -> int:
    """Apply the completion rule to the cohorts that have ended lately; returns how many were completed."""
    today = timezone.localdate(now)
    cohorts = Cohort.objects.filter(
        ends_on__lt=today,
        ends_on__gte=today - timedelta(days=CATCH_UP_DAYS),
        programme__min_sessions_attended__isnull=False,
    ).select_related("programme")
    done = 0
    for cohort in cohorts:
        required = cohort.programme.min_sessions_attended
        attended = attended_counts(cohort)
        active = cohort.enrolments.filter(status=EnrolmentStatus.ACTIVE).values_list(
            "participant_id", flat=True
        )
        if required is not None and any(attended.get(p, 0) >= required for p in active):
            done += apply_completion_rule(actor=COMPLETION_JOB, cohort=cohort, today=today)
    return done
