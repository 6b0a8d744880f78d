"""Golden test: `kompis demo` with its default seed and size gives exactly the figures recorded in
golden_figures.json (the reports' selectors for the whole organisation and per region and project, for the
current year, and counts per status, region, project and match status).

The demo's dates are relative to today, so the clock is fixed here (FROZEN_NOW). A change that moves any
figure fails this test: moving the demo code, or a new domain's demo module drawing from another domain's
random stream. Only a deliberate change to the demo data itself may re-record the file:
`KOMPIS_GOLDEN_WRITE=1 pytest tests/demo/test_golden.py` (then say why in the commit message).
"""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from kompis.followup.models import FollowUp
from kompis.matching.models import Match
from kompis.organisations.models import Organisation
from kompis.participants.models import Consent, Participant
from kompis.reports import selectors
from kompis.reports.periods import parse_period
from kompis.reports.scope import ReportScope
from kompis.worklist.models import Task

GOLDEN = Path(__file__).with_name("golden_figures.json")
FROZEN_NOW = datetime(2026, 10, 15, 12, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


def _counter(values: Any) -> dict[str, int]:
    return {str(k): v for k, v in sorted(Counter("" if v is None else str(v) for v in values).items())}


def _scope_figures(scope: ReportScope, period: Any) -> dict[str, Any]:
    return {
        "participant_counts": selectors.participant_counts(scope, period),
        "matched_persons": selectors.matched_persons(scope, period),
        "match_counts": selectors.match_counts(scope, period),
        "followup_answers": selectors.followup_answers(scope, period),
        "median_days_to_match": {
            role: cell.value for role, cell in selectors.median_days_to_match(scope, period).items()
        },
        "ended_by_reason": [list(row) for row in selectors.ended_by_reason(scope, period)],
        "by_age_band": selectors.by_age_band(scope, period),
        "by_gender": selectors.by_field(scope, period, "gender"),
        "by_meeting_mode": selectors.by_field(scope, period, "meeting_mode"),
        "by_municipality": selectors.by_field(scope, period, "municipality_id"),
        "by_language": {k: v for k, v in selectors.by_language(scope, period).items() if v},
    }


def figures() -> dict[str, Any]:
    org = Organisation.objects.get(slug="demo")
    period = parse_period(str(timezone.localdate().year))
    people = Participant.objects.filter(organisation=org)
    matches = Match.objects.filter(organisation=org)
    tasks = Task.objects.filter(organisation=org)
    out: dict[str, Any] = {
        "period": period.code,
        "counts": {
            "participants_by_status": _counter(people.values_list("friend_matching__status", flat=True)),
            "participants_by_role": _counter(people.values_list("friend_matching__role", flat=True)),
            "participants_by_source": _counter(people.values_list("source", flat=True)),
            "participants_by_region": _counter(people.values_list("region__name", flat=True)),
            "participants_by_project": _counter(people.values_list("project__name", flat=True)),
            "matches_by_status": _counter(matches.values_list("status", flat=True)),
            "matches_by_kind": _counter(matches.values_list("kind", flat=True)),
            "matches_by_mode": _counter(matches.values_list("mode", flat=True)),
            "followups_by_answer": _counter(
                FollowUp.objects.filter(match__organisation=org).values_list("answer", flat=True)
            ),
            "tasks_by_kind": _counter(tasks.values_list("kind", flat=True)),
            "tasks_by_outcome": _counter(tasks.values_list("outcome", flat=True)),
            "consents_by_kind": _counter(
                Consent.objects.filter(participant__organisation=org).values_list("kind", flat=True)
            ),
        },
        "organisation": _scope_figures(ReportScope(organisation=org), period),
        "regions": {
            region.name: _scope_figures(ReportScope(organisation=org, region=region), period)
            for region in org.regions.order_by("name")
        },
        "projects": {
            project.name: _scope_figures(ReportScope(organisation=org, project=project), period)
            for project in org.projects.order_by("name")
        },
    }
    # JSON round trip: tuples become lists and keys strings, as in the recorded file
    return json.loads(json.dumps(out, sort_keys=True))


@pytest.fixture
def frozen_clock(monkeypatch):
    """`timezone.now()` (and so `timezone.localdate()`) returns FROZEN_NOW."""
    monkeypatch.setattr(timezone, "now", lambda: FROZEN_NOW)
    return FROZEN_NOW


@pytest.mark.slow
def test_default_demo_gives_the_recorded_figures(db, frozen_clock):
    call_command("demo", stdout=io.StringIO())  # the defaults: seed 1, 2000 participants
    got = figures()
    if os.environ.get("KOMPIS_GOLDEN_WRITE") == "1":
        GOLDEN.write_text(json.dumps(got, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    expected = json.loads(GOLDEN.read_text())
    assert got["counts"] == expected["counts"]
    assert got["organisation"] == expected["organisation"]
    assert got == expected
    # the file is not trivially empty: the demo made people, matches and follow-up history in the year
    assert sum(got["counts"]["participants_by_status"].values()) == 2000
    assert got["organisation"]["match_counts"]["made"] > 50
    assert got["counts"]["tasks_by_kind"]
