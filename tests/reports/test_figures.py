"""Every figure against values counted by hand on the small world (tests/reports/conftest.py)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kompis.matching.models import Match
from kompis.reports import selectors as s
from kompis.reports.figures import compute
from kompis.reports.periods import parse_period
from kompis.reports.report import build_report
from kompis.reports.scope import ReportScope
from tests.factories import ParticipantFactory

Y2026 = parse_period("2026")


def org_scope(small, **kw):
    return ReportScope(organisation=small.world.org, **kw)


def test_participant_counts(small):
    c = s.participant_counts(org_scope(small), Y2026)
    assert c["signups"] == {"newcomer": 3, "established": 3}
    assert c["confirmed"] == {"newcomer": 2, "established": 2}
    assert c["waiting"] == {"newcomer": 2, "established": 2}


def test_match_counts(small):
    m = s.match_counts(org_scope(small), Y2026)
    assert m == {
        "made": 3,
        "individual": 2,
        "family": 1,
        "physical": 1,
        "digital": 2,
        "introduced": 2,
        "followed_up": 2,
        "followed_up_met": 1,
        "confirmed": 1,
        "ended": 1,
    }
    rate = s.met_rate(m)
    assert rate.value == 0.5 and rate.base == 2
    assert s.matched_persons(org_scope(small), Y2026) == {"newcomer": 3, "established": 3}


def test_followup_answers(small):
    a = s.followup_answers(org_scope(small), Y2026)
    assert a["asked"] == {"newcomer": 2, "established": 2}
    assert a["answered"] == {"newcomer": 2, "established": 1}
    assert a["met"] == {"newcomer": 1, "established": 1}


def test_median_days_to_match(small):
    med = s.median_days_to_match(org_scope(small), Y2026)
    # newcomers: 19 d, 26.96 d (summer time starts 29 March), 213.6 d -> 26.96; established: 45, 39.96, 30.5 -> 39.96
    assert med["newcomer"].value == 27.0 and med["newcomer"].base == 3
    assert med["established"].value == 40.0 and med["established"].base == 3


def test_breakdowns(small):
    sc = org_scope(small)
    age = s.by_age_band(sc, Y2026)
    assert age["18-25"] == {"newcomer": 1, "established": 0}
    assert age["26-35"] == {"newcomer": 1, "established": 0}
    assert age["36-45"] == {"newcomer": 1, "established": 1}
    assert age["56-65"] == {"newcomer": 0, "established": 1}
    assert age["66+"] == {"newcomer": 0, "established": 1}
    assert age["46-55"] == {"newcomer": 0, "established": 0}
    assert s.by_field(sc, Y2026, "gender") == {
        "woman": {"newcomer": 2, "established": 2},
        "man": {"newcomer": 1, "established": 1},
    }
    assert s.by_field(sc, Y2026, "municipality_id") == {
        "0380": {"newcomer": 2, "established": 2},
        "0162": {"newcomer": 1},
        "2581": {"established": 1},
    }
    lang = s.by_language(sc, Y2026)
    assert lang["ar"] == {"newcomer": 2}
    assert lang["sv"] == {"newcomer": 1, "established": 3}
    assert lang["fi"] == {"established": 1}
    assert s.by_field(sc, Y2026, "meeting_mode") == {
        "physical": {"newcomer": 1, "established": 2},
        "digital": {"newcomer": 1},
        "either": {"newcomer": 1, "established": 1},
    }


def test_trend_and_previous_year(small):
    t = s.trend_table(org_scope(small), Y2026)
    col = {r.key: {c: cell.value for c, cell in r.cells.items()} for r in t.rows}
    assert col["2026-01"] == {"signups": 1, "signups_prev": 0, "matches": 1, "matches_prev": 0}
    assert (
        col["2026-02"]["signups"] == 2 and col["2026-03"]["signups"] == 1 and col["2026-07"]["signups"] == 1
    )
    assert col["2026-06"]["signups_prev"] == 1 and col["2026-12"]["signups_prev"] == 1
    assert col["2026-03"]["matches"] == 1 and col["2026-04"]["matches"] == 1
    assert col["total"] == {"signups": 6, "signups_prev": 2, "matches": 3, "matches_prev": 0}


def test_ended_by_reason(small):
    assert s.ended_by_reason(org_scope(small), Y2026) == [("moved away", 1)]
    table = s.ended_table(org_scope(small), Y2026, k=5)
    # a reason given fewer than k times is not shown by name (free text may describe a person)
    assert [r.key for r in table.rows] == ["other", "total"]


def test_scopes_region_project_municipality_and_filters(small):
    w = small.world
    up = ReportScope.for_user(w.uppsala_coordinator)
    assert s.participant_counts(up, Y2026)["signups"] == {"newcomer": 2, "established": 2}
    assert s.match_counts(up, Y2026)["made"] == 3  # M3's newcomer lives in Uppsala's region
    da = ReportScope.for_user(w.danderyd_coordinator)
    assert s.participant_counts(da, Y2026)["signups"] == {"newcomer": 1, "established": 0}
    assert s.match_counts(da, Y2026)["made"] == 1
    proj = org_scope(small, project=w.project)
    assert s.match_counts(proj, Y2026)["family"] == 1 and s.match_counts(proj, Y2026)["made"] == 1
    from kompis.municipalities.models import Municipality

    lulea_m = org_scope(small, municipality=Municipality.objects.get(code="2581"))
    assert s.participant_counts(lulea_m, Y2026)["signups"] == {"established": 1}
    assert s.match_counts(org_scope(small, kind="family"), Y2026)["made"] == 1
    assert s.match_counts(org_scope(small, mode="digital"), Y2026)["made"] == 2
    # the other organisation's coordinator sees none of it
    other = ReportScope.for_user(w.other_coordinator)
    assert s.participant_counts(other, Y2026)["signups"] == {"newcomer": 1}  # only its own participant
    assert s.match_counts(other, Y2026)["made"] == 0


def test_targets_and_registry(small):
    report = build_report(org_scope(small), Y2026, k=1, charts=False)
    rows = {r.key.split(":")[1]: r for r in report.targets.rows}
    assert rows["family_matches"].cells["target"].value == 35
    assert rows["family_matches"].cells["actual"].value == 1
    assert rows["individual_matches"].cells["actual"].value == 0
    assert compute("met_rate", org_scope(small), Y2026).value == 0.5
    assert compute("newcomers", org_scope(small), Y2026).value == 3


@pytest.mark.parametrize(
    "code, start, end",
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2026-01-01..2026-06-30", date(2026, 1, 1), date(2026, 6, 30)),
    ],
)
def test_parse_period(code, start, end):
    p = parse_period(code)
    assert (p.start, p.end) == (start, end)


@pytest.mark.parametrize(
    "bad", ["2026-Q5", "2026-13", "26", "2026-06-30..2026-01-01", "", "2026-02-30..2026-03-01"]
)
def test_parse_period_rejects(bad):
    from kompis.reports.periods import PeriodError

    with pytest.raises(PeriodError):
        parse_period(bad)


def test_stockholm_year_boundary(world):
    """A match at 2026-12-31 23:30 UTC is 00:30 on 1 January 2027 in Stockholm."""
    utc = ZoneInfo("UTC")
    n = ParticipantFactory(organisation=world.org, signed_up_at=datetime(2026, 12, 31, 23, 30, tzinfo=utc))
    e = ParticipantFactory(
        organisation=world.org, role="established", signed_up_at=datetime(2026, 12, 31, 22, 30, tzinfo=utc)
    )  # 23:30 in Stockholm
    Match.objects.create(
        organisation=world.org,
        newcomer=n,
        established=e,
        mode="physical",
        created_at=datetime(2026, 12, 31, 23, 30, tzinfo=utc),
    )
    scope = ReportScope(organisation=world.org)
    assert s.match_counts(scope, parse_period("2026"))["made"] == 0
    assert s.match_counts(scope, parse_period("2027"))["made"] == 1
    assert s.match_counts(scope, parse_period("2027-01"))["made"] == 1
    assert s.participant_counts(scope, parse_period("2026"))["signups"] == {"established": 1, "newcomer": 0}
    assert s.participant_counts(scope, parse_period("2027-Q1"))["signups"] == {
        "newcomer": 1,
        "established": 0,
    }
    trend = s.trend_table(scope, parse_period("2027"))
    assert trend.cell("2027-01", "matches").value == 1
    assert trend.cell("2027-01", "signups_prev").value == 0  # Dec 2026 is not January


def test_trend_of_a_part_month_period_counts_only_its_days(small):
    """2026-02-15..2026-03-10: February's bucket holds only E2 (20 Feb), not N1 (10 Feb)."""
    t = s.trend_table(org_scope(small), parse_period("2026-02-15..2026-03-10"))
    assert t.cell("2026-02", "signups").value == 1
    assert t.cell("2026-03", "signups").value == 1  # N2 on 5 March
    assert t.cell("2026-03", "matches").value == 1  # M1 on 1 March


def test_targets_in_a_municipality_report(small):
    from kompis.municipalities.models import Municipality

    lulea = build_report(
        org_scope(small, municipality=Municipality.objects.get(code="2581")), Y2026, k=1, charts=False
    )
    assert lulea.targets.rows == []  # the project's region (Uppsala) does not cover Luleå
    uppsala = build_report(
        org_scope(small, municipality=Municipality.objects.get(code="0380"), kind="individual"),
        Y2026,
        k=1,
        charts=False,
    )
    rows = {r.key.split(":")[1]: r for r in uppsala.targets.rows}
    assert rows["family_matches"].cells["actual"].value == 1  # the whole project, whatever the page's filters


def test_figure_memo_is_keyed_by_the_whole_scope(small):
    """One memo shared by scopes that differ only in municipality, kind, mode or user gives each its own
    figure (the memo was keyed by project, region and period only: these returned the first scope's)."""
    from kompis.municipalities.models import Municipality

    w = small.world
    memo: dict = {}
    assert compute("matches_made", org_scope(small), Y2026, memo).value == 3
    assert compute("matches_made", org_scope(small, kind="family"), Y2026, memo).value == 1
    assert compute("matches_made", org_scope(small, mode="digital"), Y2026, memo).value == 2
    lulea_m = org_scope(small, municipality=Municipality.objects.get(code="2581"))
    assert compute("established", lulea_m, Y2026, memo).value == 1
    assert compute("established", org_scope(small), Y2026, memo).value == 3
    da = ReportScope.for_user(w.danderyd_coordinator)
    assert compute("matches_made", da, Y2026, memo).value == 1
