"""Event figures against values counted by hand (the world below), in scope and at a period boundary."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kompis.events.attendance_models import Attendance
from kompis.events.models import Event, EventRegistration
from kompis.municipalities.models import Municipality
from kompis.programmes.models import Cohort, CohortSession, Programme
from kompis.reports import activity_selectors as a
from kompis.reports.figures import compute
from kompis.reports.periods import parse_period
from kompis.reports.report import build_report
from kompis.reports.scope import ReportScope
from tests.factories import ParticipantFactory

STHLM = ZoneInfo("Europe/Stockholm")
Q1, MARCH, APRIL = parse_period("2026-Q1"), parse_period("2026-03"), parse_period("2026-04")


def at(y: int, m: int, d: int, h: int = 18, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=STHLM)


def event(world, region, starts, **extra):
    return Event.objects.create(
        organisation=world.org,
        region=region,
        title="Språkcafé",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Stadsbiblioteket",
        **extra,
    )


def register(ev, person, status="registered", attended=None):
    EventRegistration.objects.create(event=ev, participant=person, status=status)
    if attended:
        Attendance.objects.create(event=ev, participant=person, state=attended)


@pytest.fixture
def evs(world):
    w = world

    def person(role=None, region=w.uppsala, municipality="0380"):
        extra = {"role": role} if role else {"friend_matching": False}
        return ParticipantFactory(organisation=w.org, region=region, municipality_id=municipality, **extra)

    A, B = person("newcomer"), person("established")
    C, D = person(municipality="0305"), person("newcomer")  # C is not in friend matching
    X = person("established", region=w.danderyd, municipality="0162")
    e1 = event(w, w.uppsala, at(2026, 3, 5))
    register(e1, A, attended="present")
    register(e1, B, attended="present")
    register(e1, C, attended="absent")
    register(e1, D, status="cancelled")
    e2 = event(w, w.uppsala, at(2026, 3, 12), public=False)  # not public: still an event
    register(e2, A, attended="present")
    register(e2, D)  # no row: a no-show
    e3 = event(w, w.uppsala, at(2026, 3, 19), cancelled_at=at(2026, 3, 1))  # cancelled: not held
    register(e3, B)
    e4 = event(w, w.uppsala, at(2026, 3, 31, 23, 30))  # the last minutes of March (ends on 1 April)
    register(e4, C, attended="present")
    e5 = event(w, w.danderyd, at(2026, 3, 6))
    register(e5, X, attended="present")
    # a programme's session is counted under programmes, not here
    prog = Programme.objects.create(organisation=w.org, name="Mentor", region=w.uppsala)
    cohort = Cohort.objects.create(
        programme=prog, name="VT", starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30)
    )
    s = event(w, w.uppsala, at(2026, 3, 10), public=False)
    CohortSession.objects.create(cohort=cohort, event=s)
    register(s, A, attended="present")
    register(s, D)
    return {"A": A, "B": B, "C": C, "D": D, "X": X}


def scope_of(world, user=None, **kw):
    return ReportScope(organisation=world.org, user=user, **kw)


def test_event_counts_of_a_coordinator(world, evs, uppsala_coordinator):
    assert a.event_counts(scope_of(world, uppsala_coordinator), Q1) == {
        "held": 3,  # e1 e2 e4 (not e3, cancelled; not the session; not Danderyd's e5)
        "registrations": 6,  # e1: A B C; e2: A D; e4: C
        "attendance": 4,  # e1: A B; e2: A; e4: C
        "unique": 3,  # A B C
        "newcomer": 1,  # A
        "established": 1,  # B
        "not_stated": 1,  # C
        "no_shows": 2,  # C at e1 (marked absent), D at e2 (not marked)
    }


def test_whole_organisation_and_registered_figures(world, evs):
    scope = scope_of(world)
    assert compute("events_held", scope, Q1).value == 4
    assert compute("event_registrations", scope, Q1).value == 7
    assert compute("event_attendance", scope, Q1).value == 5
    assert compute("event_unique_attendees", scope, Q1).value == 4
    assert compute("event_newcomers", scope, Q1).value == 1
    assert compute("event_established", scope, Q1).value == 2  # B and Danderyd's X
    assert compute("event_no_shows", scope, Q1).value == 2


def test_danderyd_does_not_see_uppsala(world, evs, danderyd_coordinator):
    c = a.event_counts(scope_of(world, danderyd_coordinator), Q1)
    assert (c["held"], c["registrations"], c["unique"], c["established"]) == (1, 1, 1, 1)


def test_period_boundary(world, evs, uppsala_coordinator):
    scope = scope_of(world, uppsala_coordinator)
    assert a.event_counts(scope, MARCH)["held"] == 3  # e4 starts at 23:30 on 31 March, Stockholm time
    assert a.event_counts(scope, APRIL) == {
        "held": 0,
        "registrations": 0,
        "attendance": 0,
        "unique": 0,
        "newcomer": 0,
        "established": 0,
        "not_stated": 0,
        "no_shows": 0,
    }


def test_municipality_counts_events_its_people_went_to(world, evs, uppsala_coordinator):
    scope = scope_of(world, uppsala_coordinator, municipality=Municipality.objects.get(code="0305"))
    c = a.event_counts(scope, Q1)
    # C lives in 0305: registered at e1 (absent) and e4 (present)
    assert (c["held"], c["registrations"], c["attendance"], c["no_shows"]) == (2, 2, 1, 1)


def test_report_section(world, evs, uppsala_coordinator):
    report = build_report(scope_of(world, uppsala_coordinator), Q1, charts=False)  # k = 5
    table = report.table("events")
    assert table.cell("events_held", "n").display(5) == "3"  # occasions, not people: never hidden
    assert table.cell("event_registrations", "n").value == 6
    assert not table.cell("event_registrations", "n").suppressed
    assert table.cell("event_unique_attendees", "n").display(5) == "<5"
    lulea = scope_of(world, region=world.lulea)
    assert build_report(lulea, Q1, charts=False).events == []
