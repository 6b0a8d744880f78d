"""The demo's programmes and language café (issue #13): the Ukraine programme's figures (150 mentees started,
118 completed), sessions with attendance, pairs with meetings and a silent pair, the Uppsala programme's
sessions, and a year of a weekly café with a waiting list; all the same for the same seed."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from kompis.demo import build as demo
from kompis.demo.events import CAFE_CAPACITY, CAFE_TITLE
from kompis.demo.programmes import UKRAINE, UPPSALA
from kompis.events.attendance_models import AttendanceState
from kompis.events.models import Attendance, EventRegistration, EventSeries, RegistrationStatus
from kompis.programmes.models import (
    CohortSession,
    Enrolment,
    EnrolmentStatus,
    MentorPair,
    PairMeeting,
    PairStatus,
    Programme,
    Role,
    SessionKind,
)
from kompis.programmes.sweeps import open_silent_pair_tasks
from kompis.programmes.worklist_kinds import SILENT_PAIR
from kompis.reports import activity_selectors
from kompis.reports.periods import parse_period
from kompis.reports.scope import ReportScope
from kompis.worklist.models import Task

pytestmark = pytest.mark.slow


@pytest.fixture
def full_demo(db):
    """The default demo (seed 1, 2000 people): the size the figures are stated for."""
    return demo.create_demo(seed=1)


def test_the_ukraine_programme_has_150_mentees_started_and_118_completed(full_demo):
    ukraine = Programme.objects.get(name=UKRAINE)
    mentees = Enrolment.objects.filter(cohort__programme=ukraine, role=Role.MENTEE)
    started = mentees.exclude(status=EnrolmentStatus.WAITING)
    assert started.count() == 150
    assert started.values("participant").distinct().count() == 150
    by_status = Counter(started.values_list("status", flat=True))
    assert by_status[EnrolmentStatus.COMPLETED] == 118
    assert by_status[EnrolmentStatus.DROPPED_OUT] + by_status[EnrolmentStatus.ACTIVE] == 32
    # the dropouts have varied coded reasons and a date
    dropped = mentees.filter(status=EnrolmentStatus.DROPPED_OUT)
    assert len(set(dropped.values_list("dropout_reason", flat=True))) >= 3
    assert not dropped.filter(Q(dropout_reason="") | Q(dropped_at=None)).exists()
    # most mentees speak Ukrainian; nobody enrolled before they signed up
    languages = list(started.values_list("participant__languages", flat=True))
    assert sum("uk" in spoken for spoken in languages) > 100
    assert all(e.enrolled_at > e.participant.signed_up_at for e in started.select_related("participant"))
    assert ukraine.public_enrolment and ukraine.min_sessions_attended == 4
    assert ukraine.project is not None and ukraine.pair_duration_months == 4


def test_the_project_report_over_the_last_twelve_months_shows_150_started_and_118_completed(full_demo):
    today = timezone.localdate()
    ukraine = Programme.objects.get(name=UKRAINE)
    scope = ReportScope(organisation=ukraine.organisation, project=ukraine.project)
    period = parse_period(f"{today - timedelta(days=364)}..{today}")
    counts = activity_selectors.enrolment_counts(scope, period)
    assert counts["started"][Role.MENTEE] == 150
    assert counts["completed"][Role.MENTEE] == 118


def test_completed_mentees_attended_at_least_four_of_the_six_sessions(full_demo):
    ukraine = Programme.objects.get(name=UKRAINE)
    for cohort in ukraine.cohorts.all():
        kinds = Counter(cohort.sessions.values_list("kind", flat=True))
        assert kinds == {SessionKind.GROUP: 5, SessionKind.CLOSING: 1}
        events = list(cohort.sessions.values_list("event_id", flat=True))
        assert not cohort.sessions.filter(event__public=True).exists()
        for enrolment in cohort.enrolments.filter(role=Role.MENTEE):
            # invited to every session
            invited = EventRegistration.objects.filter(event_id__in=events, participant=enrolment.participant)
            assert invited.count() == 6
            present = Attendance.objects.filter(
                event_id__in=events, participant=enrolment.participant, state=AttendanceState.PRESENT
            ).count()
            if enrolment.status == EnrolmentStatus.COMPLETED:
                assert present >= 4
            elif enrolment.status == EnrolmentStatus.DROPPED_OUT:
                assert present < 4
    held = Attendance.objects.filter(event__programme_session__cohort__programme=ukraine)
    assert held.filter(state=AttendanceState.PRESENT).count() > 500
    assert held.filter(state=AttendanceState.ABSENT).exists()


def test_pairs_meet_monthly_and_one_or_two_active_pairs_are_silent(full_demo):
    today = timezone.localdate()
    ukraine = Programme.objects.get(name=UKRAINE)
    pairs = MentorPair.objects.filter(cohort__programme=ukraine)
    active = pairs.filter(status=PairStatus.ACTIVE)
    assert active.exists()
    for pair in pairs.exclude(status=PairStatus.REJECTED).annotate(last=Max("meetings__met_on")):
        assert pair.last_met_on == pair.last
        assert pair.ends_on is not None and pair.started_on is not None
        assert 119 <= (pair.ends_on - pair.started_on).days <= 123  # four months
    silent_before = today - timedelta(days=ukraine.silent_pair_days)
    silent = [p for p in active if (p.last_met_on or p.started_on) < silent_before]
    assert 1 <= len(silent) <= 2
    # the sweep turns them (and only them: every other active pair met within the month) into tasks
    assert open_silent_pair_tasks(now=timezone.now()) == len(silent)
    tasks = Task.objects.filter(kind=SILENT_PAIR, resolved_at=None)
    assert sorted(tasks.values_list("subject_id", flat=True)) == sorted(str(p.uid) for p in silent)
    assert pairs.filter(status=PairStatus.ENDED, end_reason="completed").count() >= 100
    assert pairs.filter(status=PairStatus.REJECTED).exists()
    per_pair = PairMeeting.objects.filter(pair__in=pairs).values("pair").annotate(n=Count("id"))
    assert max(row["n"] for row in per_pair) >= 4
    assert not PairMeeting.objects.filter(met_on__gte=today).exists()
    # the newest cohort has mentees (and mentors) but no pairs yet: a coordinator can run pairing
    newest = ukraine.cohorts.order_by("-starts_on").first()
    assert newest is not None and not newest.pairs.exists()
    assert newest.enrolments.filter(role=Role.MENTEE, status=EnrolmentStatus.ACTIVE).count() >= 3
    assert newest.enrolments.filter(role=Role.MENTOR, status=EnrolmentStatus.ACTIVE).exists()


def test_the_uppsala_programme_has_expert_group_network_and_six_group_sessions(full_demo):
    programme = Programme.objects.get(name=UPPSALA)
    assert programme.region is not None and programme.region.name == "Uppsala"
    assert programme.pair_duration_months == 6
    kinds = Counter(CohortSession.objects.filter(cohort__programme=programme).values_list("kind", flat=True))
    assert kinds == {SessionKind.EXPERT_GROUP: 9, SessionKind.NETWORK: 7, SessionKind.GROUP: 6}
    assert MentorPair.objects.filter(cohort__programme=programme, status=PairStatus.ACTIVE).count() >= 10
    assert Attendance.objects.filter(event__programme_session__cohort__programme=programme).exists()


def test_the_language_cafe_has_a_year_of_weekly_occurrences(full_demo):
    today = timezone.localdate()
    series = EventSeries.objects.get(title=CAFE_TITLE)
    occurrences = series.occurrences.order_by("starts_at")
    assert occurrences.count() == 52
    days = [timezone.localtime(e.starts_at).date() for e in occurrences]
    assert all((b - a).days == 7 for a, b in itertools.pairwise(days))
    past = [e for e in occurrences if timezone.localtime(e.starts_at).date() < today]
    assert 44 <= len(past) <= 47
    present = Attendance.objects.filter(event__series=series, state=AttendanceState.PRESENT)
    roles = Counter(present.values_list("participant__friend_matching__role", flat=True))
    assert roles["newcomer"] > 100 and roles["established"] > 50
    # some registered people did not come (no "present" row)
    registered = EventRegistration.objects.filter(
        event__in=past, status=RegistrationStatus.REGISTERED
    ).count()
    assert present.count() < registered
    # upcoming: the next one is full with a waiting list, the others have registrations, no attendance
    upcoming = [e for e in occurrences if e not in past and e.cancelled_at is None]
    first = upcoming[0]
    assert first.registrations.filter(status=RegistrationStatus.REGISTERED).count() == CAFE_CAPACITY
    waiting = first.registrations.filter(status=RegistrationStatus.WAITING)
    assert waiting.count() >= 4
    last_in = first.registrations.filter(status=RegistrationStatus.REGISTERED).aggregate(
        t=Max("registered_at")
    )
    assert all(w.registered_at >= last_in["t"] for w in waiting)
    assert all(e.registrations.exists() for e in upcoming[:3])
    assert not Attendance.objects.filter(event__in=upcoming).exists()


def _programme_snapshot() -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for e in Enrolment.objects.order_by("cohort__name", "participant__email"):
        rows.append((e.cohort.name, e.participant.email, e.role, e.status, e.dropout_reason, e.enrolled_at))
    for p in MentorPair.objects.order_by("cohort__name", "mentee__participant__email", "proposed_at"):
        rows.append((p.mentee.participant.email, p.mentor.participant.email, p.status, p.last_met_on))
    for a in Attendance.objects.order_by("event__starts_at", "participant__email"):
        rows.append((a.event.title, a.event.starts_at, a.participant.email, a.state))
    return rows


def test_the_same_seed_gives_the_same_programmes_and_cafe(db):
    snapshots = []
    for _ in range(2):
        with transaction.atomic():
            demo.create_demo(seed=3, participants=600)
            snapshots.append(_programme_snapshot())
            transaction.set_rollback(True)
    assert snapshots[0] and snapshots[0] == snapshots[1]


def test_a_small_demo_still_builds_its_programmes(db):
    summary = demo.create_demo(seed=2, participants=40)
    assert summary.programmes["programmes"] == 2
    assert summary.programmes["cafe_occurrences"] == 52
