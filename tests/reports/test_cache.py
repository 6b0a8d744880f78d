"""The dashboard's figures are reused until something changes (an audit event) or they grow old."""

from __future__ import annotations

from datetime import date

from kompis.audit.actors import SystemActor
from kompis.audit.events import EventType
from kompis.audit.services import record
from kompis.reports.periods import parse_period
from kompis.reports.report import cached_report
from kompis.reports.scope import ReportScope
from tests.factories import ParticipantFactory


def signups(world) -> int:
    report = cached_report(ReportScope(organisation=world.org), parse_period("2026"), charts=False)
    return report.summary.cell("signups", "total").value


def test_cached_until_an_audited_change(world, settings):
    settings.SUPPRESSION_K = 1
    settings.REPORTS_CACHE_SECONDS = 0
    ParticipantFactory(organisation=world.org, signed_up_at_date=date(2026, 5, 1))
    assert signups(world) == 1
    quiet = ParticipantFactory(organisation=world.org, signed_up_at_date=date(2026, 5, 2))
    assert signups(world) == 1  # nothing recorded a change: the cached figures stand
    record(
        actor=SystemActor("test.job"),
        action=EventType.PARTICIPANT_ADDED_BY_STAFF,
        obj=quiet,
        organisation=world.org,
    )
    assert signups(world) == 2


def test_cache_is_per_scope(world, settings):
    settings.SUPPRESSION_K = 1
    ParticipantFactory(organisation=world.org, region=world.danderyd, signed_up_at_date=date(2026, 5, 1))
    org = cached_report(ReportScope(organisation=world.org), parse_period("2026"), charts=False)
    mine = cached_report(ReportScope.for_user(world.uppsala_coordinator), parse_period("2026"), charts=False)
    assert org.summary.cell("signups", "total").value == 1
    assert mine.summary.cell("signups", "total").value == 0
