"""Programme figures against values counted by hand (the world below), in scope and at a period boundary."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kompis.events.attendance_models import Attendance
from kompis.events.models import Event, EventRegistration
from kompis.organisations.models import ProjectTarget
from kompis.programmes.models import (
    Cohort,
    CohortSession,
    Enrolment,
    MentorPair,
    PairMeeting,
    Programme,
)
from kompis.reports import activity_selectors as a
from kompis.reports.figures import REGISTRY, compute
from kompis.reports.models import ChangeStep, Indicator
from kompis.reports.periods import parse_period
from kompis.reports.report import build_report
from kompis.reports.scope import ReportScope
from tests.factories import ParticipantFactory

STHLM = ZoneInfo("Europe/Stockholm")
Q1, Q2 = parse_period("2026-Q1"), parse_period("2026-Q2")


def at(y: int, m: int, d: int, h: int = 12, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=STHLM)


def enrol(cohort, role, enrolled, status="active", **extra):
    person = ParticipantFactory(
        organisation=cohort.programme.organisation,
        region=cohort.programme.region,
        municipality_id=extra.pop("municipality", "0380"),
        friend_matching=False,
    )
    return Enrolment.objects.create(
        cohort=cohort, participant=person, role=role, enrolled_at=enrolled, status=status, **extra
    )


def session(cohort, starts, cancelled=False):
    event = Event.objects.create(
        organisation=cohort.programme.organisation,
        region=cohort.programme.region,
        title="Träff",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Stadsbiblioteket",
        public=False,
        cancelled_at=starts - timedelta(days=1) if cancelled else None,
    )
    return CohortSession.objects.create(cohort=cohort, event=event)


def pair(cohort, mentee, mentor, status, started, ended=None, met=()):
    p = MentorPair.objects.create(
        cohort=cohort, mentee=mentee, mentor=mentor, status=status, started_on=started, ended_at=ended
    )
    for day in met:
        PairMeeting.objects.create(pair=p, met_on=day)
    return p


@pytest.fixture
def prog(world):
    w = world
    up = Programme.objects.create(
        organisation=w.org, name="Mentor Uppsala", region=w.uppsala, project=w.project
    )
    c1 = Cohort.objects.create(
        programme=up, name="VT26", starts_on=date(2026, 2, 1), ends_on=date(2026, 7, 31)
    )
    e = {
        "M1": enrol(c1, "mentee", at(2026, 1, 10)),  # starts with the cohort, 1 February
        "M2": enrol(c1, "mentee", at(2026, 2, 15), "completed", completed_at=at(2026, 3, 20)),
        "M3": enrol(  # dropped out before the cohort started: never started
            c1, "mentee", at(2026, 1, 20), "dropped_out", dropped_at=at(2026, 1, 25), dropout_reason="time"
        ),
        "M4": enrol(c1, "mentee", at(2026, 3, 1), "waiting_list"),
        "M5": enrol(c1, "mentee", at(2026, 3, 31, 23, 30), municipality="0305"),  # last minutes of Q1
        "M6": enrol(c1, "mentee", at(2026, 4, 1, 0, 30)),  # first minutes of Q2
        "M7": enrol(
            c1, "mentee", at(2026, 2, 5), "dropped_out", dropped_at=at(2026, 3, 10), dropout_reason="work"
        ),
        "R1": enrol(c1, "mentor", at(2026, 1, 5), max_mentees=5),
        "R2": enrol(c1, "mentor", at(2026, 1, 5), "dropped_out", dropped_at=at(2026, 4, 2)),  # no reason
    }
    s1 = session(c1, at(2026, 3, 10, 18))
    session(c1, at(2026, 3, 20, 18), cancelled=True)
    session(c1, at(2026, 4, 10, 18))
    session(c1, timezone.now() + timedelta(days=3))  # not held yet
    for key in ("M1", "M2", "M5", "R1"):
        EventRegistration.objects.create(event=s1.event, participant=e[key].participant)
    EventRegistration.objects.create(event=s1.event, participant=e["M7"].participant, status="cancelled")
    for key, state in (("M1", "present"), ("M2", "present"), ("R1", "absent")):
        Attendance.objects.create(event=s1.event, participant=e[key].participant, state=state)
    pair(
        c1,
        e["M1"],
        e["R1"],
        "active",
        date(2026, 2, 10),
        met=[date(2026, 2, 20), date(2026, 3, 5), date(2026, 3, 25), date(2026, 4, 10)],
    )
    pair(c1, e["M2"], e["R1"], "ended", date(2026, 2, 16), at(2026, 3, 20), met=[date(2026, 3, 1)])
    pair(c1, e["M7"], e["R1"], "ended", date(2025, 10, 1), at(2025, 12, 31), met=[date(2026, 1, 2)])
    pair(c1, e["M5"], e["R1"], "proposed", None)
    pair(c1, e["M6"], e["R1"], "active", date(2026, 4, 2))
    # Danderyd: one programme with one mentee, who started in Q1
    da = Programme.objects.create(organisation=w.org, name="Mentor Danderyd", region=w.danderyd)
    c2 = Cohort.objects.create(
        programme=da, name="VT26", starts_on=date(2026, 2, 1), ends_on=date(2026, 7, 31)
    )
    enrol(c2, "mentee", at(2026, 1, 10), municipality="0162")
    return e


def scope_of(world, user=None, **kw):
    return ReportScope(organisation=world.org, user=user, **kw)


def test_enrolment_counts_in_q1_and_q2(world, prog, uppsala_coordinator):
    scope = scope_of(world, uppsala_coordinator)
    assert a.enrolment_counts(scope, Q1) == {
        "enrolled": {"mentee": 6, "mentor": 2},  # M1 M2 M3 M4 M5 M7; R1 R2
        "started": {"mentee": 4, "mentor": 2},  # M1 M2 M5 M7 (not M3, M4); R1 R2
        "completed": {"mentee": 1, "mentor": 0},  # M2
        "dropped_out": {"mentee": 2, "mentor": 0},  # M3 M7
    }
    assert a.enrolment_counts(scope, Q2) == {
        "enrolled": {"mentee": 1, "mentor": 0},  # M6 (00:30 on 1 April)
        "started": {"mentee": 1, "mentor": 0},
        "completed": {"mentee": 0, "mentor": 0},
        "dropped_out": {"mentee": 0, "mentor": 1},  # R2
    }
    assert a.dropouts_by_reason(scope, Q2) == {"not_stated": {"mentor": 1}}
    assert a.dropouts_by_reason(scope, Q1) == {"time": {"mentee": 1}, "work": {"mentee": 1}}


def test_registered_figures_count_mentees(world, prog):
    scope = scope_of(world)  # the whole organisation: Danderyd's mentee too
    assert compute("programme_enrolled", scope, Q1).value == 7
    assert compute("programme_started", scope, Q1).value == 5
    assert compute("programme_completed", scope, Q1).value == 1
    assert compute("programme_dropped_out", scope, Q1).value == 2
    assert compute("programme_dropped_out_work", scope, Q1).value == 1
    assert compute("programme_dropped_out_health", scope, Q1).value == 0


def test_sessions_attendance_and_pairs(world, prog, uppsala_coordinator):
    scope = scope_of(world, uppsala_coordinator)
    # S1 held; the cancelled one and the one not held yet do not count; S3 is in Q2
    assert a.session_counts(scope, Q1) == {"held": 1, "invited": 4, "present": 2}
    assert compute("programme_sessions_held", scope, parse_period("2026")).value == 2
    rate = compute("programme_attendance_rate", scope, Q1)
    assert (rate.value, rate.base) == (0.5, 4)
    # Q1: the pair of M1 (3 meetings in Q1) and of M2 (1); M7's ended in 2025, M5's was only proposed
    assert a.pair_counts(scope, Q1) == {"pairs": 2, "median_meetings": 2}
    # Q2: M1's (1 meeting on 10 April) and M6's (none)
    assert a.pair_counts(scope, Q2) == {"pairs": 2, "median_meetings": 0.5}
    assert compute("programme_pairs_active", scope, Q1).value == 2


def test_scope_danderyd_does_not_see_uppsala(world, prog, danderyd_coordinator):
    scope = scope_of(world, danderyd_coordinator)
    assert a.enrolment_counts(scope, Q1)["enrolled"] == {"mentee": 1}
    assert a.session_counts(scope, Q1) == {"held": 0, "invited": 0, "present": 0}
    assert a.pair_counts(scope, Q1)["pairs"] == 0
    report = build_report(scope, Q1, k=1, charts=False)
    assert report.table("programmes").cell("enrolled", "all").value == 1


def test_municipality_narrows_people_and_sessions(world, prog, uppsala_coordinator):
    from kompis.municipalities.models import Municipality

    scope = scope_of(world, uppsala_coordinator, municipality=Municipality.objects.get(code="0305"))
    assert a.enrolment_counts(scope, Q1)["enrolled"] == {"mentee": 1}  # M5 lives in 0305
    # S1: M5 was invited (a session someone living there was invited to), but not present
    assert a.session_counts(scope, Q1) == {"held": 1, "invited": 1, "present": 0}


def test_report_section_suppressed_and_left_out(world, prog, uppsala_coordinator, danderyd_coordinator):
    report = build_report(scope_of(world, uppsala_coordinator), Q1, charts=False)  # k = 5
    people = report.table("programmes")
    assert people.cell("enrolled", "mentee").value == 6
    assert people.cell("enrolled", "mentor").display(5) == "<5"
    # 6 + 2 = 8: with the 8 shown, the 6 would give the 2 away (or the other way round)
    hidden = [people.cell("enrolled", c) for c in ("mentee", "all") if people.cell("enrolled", c).suppressed]
    assert [c.reason for c in hidden] == ["secondary"]
    assert people.cell("completed", "mentee").display(5) == "<5"
    dropouts = report.table("programme_dropouts")
    assert [r.key for r in dropouts.rows] == ["work", "time", "total"]
    assert report.table("programme_activity").cell("sessions_held", "n").display(5) == "1"  # occasions
    # Luleå has no programme: no section at all
    from kompis.accounts.models import User

    lulea = User.objects.create_user(
        username="lulea@kompis.test", password="x", organisation=world.org, role="coordinator"
    )
    lulea.regions.set([world.lulea])
    empty = build_report(scope_of(world, lulea), Q1, charts=False)
    assert empty.programmes == []
    assert "programmes" not in [t.key for t in empty.all_tables()]


def test_programme_completed_as_target_and_indicator(world, prog):
    assert "programme_completed" in REGISTRY
    ProjectTarget.objects.create(project=world.project, kind="programme_completed", target=4)
    step = ChangeStep.objects.create(project=world.project, level="output", text="Mentees complete")
    Indicator.objects.create(step=step, name="Started", figure_key="programme_started", target=10)
    report = build_report(scope_of(world), Q1, k=1, charts=False)
    row = report.targets.cell(f"{world.project.uid}:programme_completed", "actual")
    assert row.value == 1  # M2: the Uppsala programme belongs to the project
    assert report.targets.cell(f"{world.project.uid}:programme_completed", "percent").value == 25
    label = next(r.label for r in report.targets.rows if r.key.endswith(":programme_completed"))
    assert "Programme: mentees completed" in label
    theory = report.theory[0]["table"]
    assert theory.rows[0].cells["actual"].value == 4  # M1 M2 M5 M7 (Danderyd's mentee is not in the project)


def test_page_csv_xlsx_pdf_show_the_programme_section(client, world, prog, uppsala_coordinator, tmp_path):
    import csv
    import io
    import subprocess

    import openpyxl
    from django.urls import reverse

    client.force_login(uppsala_coordinator)
    query = {"date_from": "2026-01-01", "date_to": "2026-03-31"}
    page = client.get(reverse("reports:dashboard"), query).content.decode()
    assert 'data-table="programmes"' in page and 'data-table="programme_activity"' in page
    assert 'data-table="events"' not in page  # the only events in scope are sessions
    got = client.get(reverse("reports:download", args=["csv"]), query).content.decode("utf-8-sig")
    rows = {(r["section"], r["category"], r["measure"]): r for r in csv.DictReader(io.StringIO(got))}
    assert rows[("programmes", "enrolled", "mentee")]["value"] in ("6", "")  # shown, or hidden as secondary
    assert rows[("programme_activity", "attendance_rate", "n")]["suppressed"] == "small"  # rests on 4 people
    assert rows[("programme_activity", "sessions_held", "n")]["value"] == "1"
    assert rows[("programme_dropouts", "work", "mentee")]["suppressed"] == "small"
    wb = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("reports:download", args=["xlsx"]), query).content)
    )
    assert "Programmes  people" in wb.sheetnames
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(client.get(reverse("reports:download", args=["pdf"]), query).content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Programmes: sessions and pairs" in text and "Mentor pairs active" in text


def test_indicator_form_offers_the_programme_and_event_figures(world):
    from kompis.reports.forms import IndicatorForm

    keys = dict(IndicatorForm(project=world.project).fields["figure_key"].choices)
    assert keys["programme_completed"] == "Programme: mentees completed"
    assert keys["events_held"] == "Events held"
    assert keys["programme_dropped_out_work"] == "Programme: mentees dropped out (Found work or studies)"


def test_sections_take_a_handful_of_queries(world, prog, uppsala_coordinator, django_assert_max_num_queries):
    from kompis.reports.activity_figures import event_tables, programme_tables

    scope = scope_of(world, uppsala_coordinator)
    scope._user_limits()  # the coordinator's regions and projects, read once per report anyway
    with django_assert_max_num_queries(6):  # exists, enrolments, dropouts, sessions (2), pairs
        assert len(programme_tables(scope, Q1)) == 3
    with django_assert_max_num_queries(4):  # exists, events held, registrations, attendance
        event_tables(scope, Q1)
