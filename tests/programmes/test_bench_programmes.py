"""bench/bench_programmes.py imports, and its generator builds programme data of the right shape at a tiny
size on SQLite (no timing here: `make bench` measures on PostgreSQL)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, F
from django.urls import reverse

from kompis.core.figures import REGISTRY, register
from kompis.events.models import Attendance, Event, EventRegistration
from kompis.programmes.models import CohortSession, Enrolment, MentorPair, PairMeeting
from kompis.reports.suppression import Cell
from tests.factories import ParticipantFactory

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import bench_programmes
from bench.programme_data import build_programmes

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 12, tzinfo=ZoneInfo("Europe/Stockholm"))


@pytest.fixture
def data(world):
    people = [ParticipantFactory(organisation=world.org, region=world.uppsala).pk for _ in range(40)]
    return build_programmes(
        organisation=world.org,
        regions=[world.uppsala, world.danderyd, world.lulea],
        project=world.project,
        people=people,
        programmes=2,
        cohorts_per_programme=3,
        enrolments=60,
        pairs=8,
        meetings_per_pair=2,
        sessions=14,
        attendance=50,
        cafes=3,
        now=NOW,
    )


def test_the_generator_writes_what_it_counts_in_the_right_shapes(data):
    assert data.programmes == 2 and data.cohorts == 6
    assert Enrolment.objects.count() == data.enrolments >= 50
    assert set(Enrolment.objects.values_list("role", flat=True)) == {"mentee", "mentor"}
    assert MentorPair.objects.count() == data.pairs == 8
    # a pair is two people of the same cohort: a mentee and a mentor
    assert not MentorPair.objects.exclude(mentee__cohort=F("cohort"), mentor__cohort=F("cohort")).exists()
    assert not MentorPair.objects.exclude(mentee__role="mentee", mentor__role="mentor").exists()
    assert PairMeeting.objects.count() == data.meetings
    # every session is a non-public event of its cohort's organisation, its cohort's people invited
    assert CohortSession.objects.count() == Event.objects.filter(public=False).count() == data.sessions == 14
    assert not CohortSession.objects.filter(event__public=True).exists()
    # and public events that are not sessions (the events' figures count these)
    assert Event.objects.filter(public=True, programme_session__isnull=True).count() == data.cafes == 3
    assert EventRegistration.objects.filter(event__public=False).count() == data.registrations
    assert (
        not EventRegistration.objects.filter(event__public=False)
        .exclude(participant__programme_enrolments__cohort__sessions__event=F("event"))
        .exists()
    )
    # attendance only of the invited, only for sessions that have started
    assert Attendance.objects.filter(event__public=False).count() == data.attendance == 50
    assert Attendance.objects.filter(event__public=True).count() == data.cafe_attendance
    for row in Attendance.objects.all():
        assert EventRegistration.objects.filter(event=row.event_id, participant=row.participant_id).exists()
        assert row.event.starts_at <= NOW


def test_the_largest_cohort_and_session_are_the_ones_measured(data):
    sizes = Enrolment.objects.values("cohort").annotate(n=Count("id")).order_by("-n")
    assert sizes[0]["n"] == data.largest_cohort.enrolments.count()
    invited = (
        EventRegistration.objects.filter(event__public=False)
        .values("event")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    assert invited[0]["n"] == EventRegistration.objects.filter(event=data.largest_session).count()
    assert data.largest_cohort.programme_id == data.largest_programme.pk


def test_the_measured_pages_open_for_an_admin_and_a_coordinator(client, data, org_admin, uppsala_coordinator):
    urls = [
        reverse("programmes:detail", args=[data.largest_programme.uid]),
        reverse("programmes:cohort", args=[data.largest_cohort.uid]),
        reverse("event_attendance:register", args=[data.largest_session.uid]),
    ]
    for user in (org_admin, uppsala_coordinator):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 200, (user, url)


def test_the_benchmark_reads_only_programme_and_event_figures(monkeypatch):
    monkeypatch.setattr("kompis.core.figures.REGISTRY", dict(REGISTRY))
    register("programme_bench_probe", "probe", lambda scope, period: Cell(0))
    register("event_bench_probe", "probe", lambda scope, period: Cell(0))
    keys = bench_programmes.programme_figure_keys()
    assert {"programme_bench_probe", "event_bench_probe"} <= set(keys)
    assert all(key.startswith(("programme_", "event_")) for key in keys)
    assert "matches_made" not in keys
