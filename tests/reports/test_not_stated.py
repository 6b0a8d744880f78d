"""One person, many activities (issue 12): the reports' figures are about friend matching, so they count only
people with a friend participation (role and status read there); a person who gave no year of birth or no
gender is counted as "not stated" in the age and gender breakdowns, which say so, and every breakdown still
adds up to the sign-ups."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kompis.reports import selectors as s
from kompis.reports.periods import parse_period
from kompis.reports.report import build_report
from kompis.reports.scope import ReportScope
from tests.factories import ParticipantFactory

Y2026 = parse_period("2026")


@pytest.fixture
def people(world):
    made = {
        "full": ParticipantFactory(
            organisation=world.org, region=world.uppsala, role="newcomer", signed_up_at_date=date(2026, 3, 1)
        ),
        "no_year": ParticipantFactory(
            organisation=world.org,
            region=world.uppsala,
            role="established",
            birth_year=None,
            gender="",
            meeting_mode="digital",
            signed_up_at_date=date(2026, 4, 1),
        ),
        # registered for an event only: a person, but no participation in friend matching
        "event_only": ParticipantFactory(
            organisation=world.org,
            region=world.uppsala,
            birth_year=None,
            gender="",
            friend_matching=False,
            signed_up_at_date=date(2026, 5, 1),
        ),
    }
    return made


def test_figures_count_only_people_in_friend_matching_with_their_role_and_status(world, people):
    scope = ReportScope(organisation=world.org)
    counts = s.participant_counts(scope, Y2026)
    assert counts["signups"] == {"newcomer": 1, "established": 1}
    assert counts["waiting"] == {"newcomer": 1, "established": 1}
    people["no_year"].friend_matching.status = "paused"
    people["no_year"].friend_matching.save()
    assert s.participant_counts(scope, Y2026)["waiting"] == {"newcomer": 1, "established": 0}
    assert s.by_field(scope, Y2026, "meeting_mode") == {
        "either": {"newcomer": 1},
        "digital": {"established": 1},
    }
    assert sum(n for month, n in s.monthly(scope.friends(), "signed_up_at", Y2026).items()) == 2


def test_a_person_without_birth_year_or_gender_is_counted_as_not_stated(world, people):
    scope = ReportScope(organisation=world.org)
    age = s.by_age_band(scope, Y2026)
    assert age[s.NOT_STATED] == {"newcomer": 0, "established": 1}
    assert age["36-45"] == {"newcomer": 1, "established": 0}  # born 1990 (the factory's)
    assert s.by_field(scope, Y2026, "gender") == {"woman": {"newcomer": 1}, "": {"established": 1}}

    report = build_report(scope, Y2026, k=1, charts=False)
    for key in ("age_band", "gender"):
        table = report.table(key)
        assert table.cell("not_stated", "established").value == 1
        assert next(r for r in table.rows if r.key == "not_stated").label == "Not stated"
        assert "not stated" in table.note
        # still adds up to the sign-ups of the summary
        assert table.cell("total", "total").value == report.summary.cell("signups", "total").value == 2


def test_no_not_stated_row_when_everyone_gave_them(world):
    ParticipantFactory(organisation=world.org, region=world.uppsala, signed_up_at_date=date(2026, 3, 1))
    scope = ReportScope(organisation=world.org)
    assert s.NOT_STATED not in s.by_age_band(scope, Y2026)
    report = build_report(scope, Y2026, k=1, charts=False)
    assert all(r.key != "not_stated" for r in report.table("age_band").rows)
    assert all(r.key != "not_stated" for r in report.table("gender").rows)
    assert "not stated" in report.table("age_band").note  # the note says how it would count them


def test_the_dashboard_shows_the_not_stated_row_and_note(client, world, people, settings):
    settings.SUPPRESSION_K = 1
    client.force_login(world.admin)
    html = client.get(reverse("reports:dashboard"), {"year": "2026"}).content.decode()
    assert "Not stated" in html
    assert "gave no year of birth are counted as not stated" in html
    assert "gave no gender are counted as not stated" in html
