"""The programme and event figures of the reports, counted in SQL (a handful of queries per section).

Where a figure belongs (the scope, `kompis.reports.scope.ReportScope`):
- an *activity* (a cohort's enrolments, pairs and sessions; an event) belongs to a region and a project: a
  cohort's own, else its programme's (the effective region and project); an event's own. A coordinator sees
  the activities of their regions and projects; the report's region and project filters narrow them alike;
- *people* counts (enrolments, invitations, attendance, registrations) are narrowed by a municipality filter
  to the people living there (a pair: its mentee or its mentor); an activity count (sessions or events held)
  then counts the sessions or events someone living there was registered for;
- the kind and mode filters are about friend matches: they do not narrow these figures.

Definitions (all dates Europe/Stockholm; "held" = not cancelled, starting in the period, and over when the
report is made, so that its attendance register is complete):
- enrolled: enrolments made (`enrolled_at`) in the period, waiting list included;
- started: enrolments that became active in the period. An enrolment starts on the later of the day it was
  made and its cohort's start; it has started if that day is in the period and not after today, the
  enrolment is not (still) on the waiting list, and it did not drop out before that day;
- completed: enrolments completed (`completed_at`) in the period; dropped out: dropped out (`dropped_at`) in
  the period, by their coded reason ("not stated" when none);
- the registered figures count mentees (the people a programme is for); the tables show mentees, mentors
  and both;
- sessions held: a cohort's sessions held in the period; attendance rate: of the people invited (registered)
  to the sessions held, the share marked present;
- pairs active: mentor pairs that were active at any time in the period (approved, started on or before the
  period's last day, not ended before its first); median meetings per pair: over those pairs, the meetings
  each logged in the period (a pair that logged none counts as 0);
- events: events that are not a programme's session (public or not); registrations: people registered
  (not cancelled, not waiting) for the events held; attendance: people marked present at them (one per
  person and event); unique attendees: distinct people present at any of them, by their role in friend
  matching (newcomer, established, or not stated for people outside friend matching); no-shows:
  registered people not marked present.
"""

from __future__ import annotations

import statistics
from typing import Any, TypeVar, cast

from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from kompis.events.attendance_models import Attendance, AttendanceState
from kompis.events.models import Event, EventRegistration, RegistrationStatus
from kompis.programmes.models import (
    Cohort,
    CohortSession,
    Enrolment,
    EnrolmentStatus,
    MentorPair,
    PairMeeting,
    PairStatus,
)
from kompis.reports.periods import STOCKHOLM, Period
from kompis.reports.scope import ReportScope
from kompis.reports.selectors import _Median, memoised

M = TypeVar("M", bound=Model)
ENROLMENT_ROLES = ("mentee", "mentor")
NOT_STATED = "not_stated"


def _in(field_name: str, period: Period) -> Q:
    return Q(**{f"{field_name}__gte": period.start_at, f"{field_name}__lt": period.end_at})


def area_q(scope: ReportScope, region: str, project: str) -> Q:
    """The activities in scope, by the lookups of their region and project (user, region and project)."""
    q = Q()
    limits = scope._user_limits()
    if limits is not None:
        regions, projects = limits
        q &= Q(**{f"{region}__in": regions}) | Q(**{f"{project}__in": projects})
    if scope.region is not None:
        q &= Q(**{region: scope.region.pk})
    if scope.project is not None:
        q &= Q(**{project: scope.project.pk})
    return q


def _with_area(qs: QuerySet[M], cohort: str) -> QuerySet[M]:
    """Annotates a cohort's effective region and project (`cohort` is the lookup of the cohort)."""
    prefix = f"{cohort}__" if cohort else ""
    annotated = qs.annotate(
        area_region=Coalesce(f"{prefix}region_id", f"{prefix}programme__region_id"),
        area_project=Coalesce(f"{prefix}project_id", f"{prefix}programme__project_id"),
    )
    return cast(QuerySet[M], annotated)  # the same rows, with two more columns


def cohorts(scope: ReportScope) -> QuerySet[Cohort]:
    qs = _with_area(Cohort.objects.filter(programme__organisation_id=scope.organisation.pk), "")
    return qs.filter(area_q(scope, "area_region", "area_project"))


def enrolments(scope: ReportScope) -> QuerySet[Enrolment]:
    qs = _with_area(
        Enrolment.objects.filter(cohort__programme__organisation_id=scope.organisation.pk), "cohort"
    )
    qs = qs.filter(area_q(scope, "area_region", "area_project"))
    if scope.municipality is not None:
        qs = qs.filter(participant__municipality_id=scope.municipality.pk)
    return qs


def has_programmes(scope: ReportScope) -> bool:
    """Whether any cohort is in scope (else the report leaves the programme section out)."""
    return cohorts(scope).exists()


def has_events(scope: ReportScope) -> bool:
    return events(scope).exists()


@memoised
def enrolment_counts(scope: ReportScope, period: Period) -> dict[str, dict[str, int]]:
    """{measure: {role: n}} for enrolled, started, completed and dropped out: one query."""
    start_day = Greatest(TruncDate("enrolled_at", tzinfo=STOCKHOLM), F("cohort__starts_on"))
    today = timezone.localdate(timezone.now(), STOCKHOLM)
    last = min(period.end, today)
    started = (
        ~Q(status=EnrolmentStatus.WAITING)
        & Q(start_day__gte=period.start, start_day__lte=last)
        & (~Q(status=EnrolmentStatus.DROPPED_OUT) | Q(dropped_day__gte=F("start_day")))
    )
    rows = (
        enrolments(scope)
        .annotate(start_day=start_day, dropped_day=TruncDate("dropped_at", tzinfo=STOCKHOLM))
        .values("role")
        .annotate(
            enrolled=Count("id", filter=_in("enrolled_at", period)),
            started=Count("id", filter=started),
            completed=Count("id", filter=_in("completed_at", period) & Q(status=EnrolmentStatus.COMPLETED)),
            dropped_out=Count("id", filter=_in("dropped_at", period) & Q(status=EnrolmentStatus.DROPPED_OUT)),
        )
        .order_by()
    )
    out: dict[str, dict[str, int]] = {m: {} for m in ("enrolled", "started", "completed", "dropped_out")}
    for row in rows:
        for measure in out:
            out[measure][row["role"]] = row[measure]
    return out


@memoised
def dropouts_by_reason(scope: ReportScope, period: Period) -> dict[str, dict[str, int]]:
    """{reason code (or "not_stated"): {role: n}} over the enrolments dropped out in the period."""
    rows = (
        enrolments(scope)
        .filter(_in("dropped_at", period), status=EnrolmentStatus.DROPPED_OUT)
        .values("role", "dropout_reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        reason = row["dropout_reason"] or NOT_STATED
        out.setdefault(reason, {})[row["role"]] = row["n"]
    return out


def _registered_from(scope: ReportScope, event_ref: Any) -> Exists:
    """Someone living in the scope's municipality was registered for the event."""
    assert scope.municipality is not None
    return Exists(
        EventRegistration.objects.filter(
            event_id=event_ref,
            status=RegistrationStatus.REGISTERED,
            participant__municipality_id=scope.municipality.pk,
        )
    )


def _held(prefix: str, period: Period) -> Q:
    return Q(**{f"{prefix}cancelled_at__isnull": True, f"{prefix}ends_at__lt": timezone.now()}) & _in(
        f"{prefix}starts_at", period
    )


def held_sessions(scope: ReportScope, period: Period) -> QuerySet[CohortSession]:
    qs = _with_area(
        CohortSession.objects.filter(cohort__programme__organisation_id=scope.organisation.pk), "cohort"
    ).filter(area_q(scope, "area_region", "area_project") & _held("event__", period))
    if scope.municipality is not None:
        qs = qs.filter(_registered_from(scope, OuterRef("event_id")))
    return qs


def _present(event_ref: Any, participant_ref: Any) -> Exists:
    return Exists(
        Attendance.objects.filter(
            event_id=event_ref, participant_id=participant_ref, state=AttendanceState.PRESENT
        )
    )


def _invitations(scope: ReportScope, event_ids: QuerySet[Any]) -> dict[str, int]:
    """Registered people at the given events, and how many of them were marked present: one query."""
    qs = EventRegistration.objects.filter(event_id__in=event_ids, status=RegistrationStatus.REGISTERED)
    if scope.municipality is not None:
        qs = qs.filter(participant__municipality_id=scope.municipality.pk)
    present = _present(OuterRef("event_id"), OuterRef("participant_id"))
    agg = qs.aggregate(registered=Count("id"), present=Count("id", filter=Q(present)))
    return {k: v or 0 for k, v in agg.items()}


@memoised
def session_counts(scope: ReportScope, period: Period) -> dict[str, int]:
    """Sessions held, people invited to them and of those present: two queries."""
    sessions = held_sessions(scope, period)
    invited = _invitations(scope, sessions.values("event_id"))
    return {"held": sessions.count(), "invited": invited["registered"], "present": invited["present"]}


def active_pairs(scope: ReportScope, period: Period) -> QuerySet[MentorPair]:
    qs = _with_area(
        MentorPair.objects.filter(cohort__programme__organisation_id=scope.organisation.pk), "cohort"
    ).filter(
        area_q(scope, "area_region", "area_project"),
        status__in=(PairStatus.ACTIVE, PairStatus.ENDED),
        started_on__isnull=False,
        started_on__lte=period.end,
    )
    qs = qs.filter(Q(ended_at__isnull=True) | Q(ended_at__gte=period.start_at))
    if scope.municipality is not None:
        m = scope.municipality.pk
        qs = qs.filter(Q(mentee__participant__municipality_id=m) | Q(mentor__participant__municipality_id=m))
    return qs


@memoised
def pair_counts(scope: ReportScope, period: Period) -> dict[str, float | int | None]:
    """Pairs active in the period and the median of the meetings each logged in it: one query."""
    meetings = (
        PairMeeting.objects.filter(pair_id=OuterRef("pk"), met_on__gte=period.start, met_on__lte=period.end)
        .order_by()
        .values("pair_id")
        .annotate(c=Count("id"))
        .values("c")
    )
    n_meetings = Coalesce(Subquery(meetings, output_field=IntegerField()), Value(0))
    qs = active_pairs(scope, period)
    if connection.vendor == "postgresql":
        agg = qs.aggregate(n=Count("id"), median=_Median(n_meetings))
        return {"pairs": agg["n"] or 0, "median_meetings": agg["median"]}
    # SQLite (small installs): few enough pairs to take the median here
    counts = list(qs.annotate(m=n_meetings).values_list("m", flat=True))
    return {"pairs": len(counts), "median_meetings": statistics.median(counts) if counts else None}


# --- events -------------------------------------------------------------------------------------------


def events(scope: ReportScope) -> QuerySet[Event]:
    """The organisation's events in scope that are not a programme's session."""
    return Event.objects.filter(
        area_q(scope, "region_id", "project_id"),
        organisation_id=scope.organisation.pk,
        programme_session__isnull=True,
    )


def held_events(scope: ReportScope, period: Period) -> QuerySet[Event]:
    qs = events(scope).filter(_held("", period))
    if scope.municipality is not None:
        qs = qs.filter(_registered_from(scope, OuterRef("pk")))
    return qs


@memoised
def event_counts(scope: ReportScope, period: Period) -> dict[str, int]:
    """Events held, registrations, attendance, unique attendees by role, no-shows: three queries."""
    held = held_events(scope, period)
    ids = held.values("pk")
    regs = _invitations(scope, ids)
    attended = Attendance.objects.filter(event_id__in=ids, state=AttendanceState.PRESENT)
    if scope.municipality is not None:
        attended = attended.filter(participant__municipality_id=scope.municipality.pk)
    role = "participant__friend_matching__role"
    agg = attended.aggregate(
        attendance=Count("id"),
        unique=Count("participant_id", distinct=True),
        newcomer=Count("participant_id", distinct=True, filter=Q(**{role: "newcomer"})),
        established=Count("participant_id", distinct=True, filter=Q(**{role: "established"})),
    )
    out = {k: v or 0 for k, v in agg.items()}
    out[NOT_STATED] = out["unique"] - out["newcomer"] - out["established"]
    out["held"] = held.count()
    out["registrations"] = regs["registered"]
    out["no_shows"] = regs["registered"] - regs["present"]
    return out
