"""Issue #13: a person may be only a name, an e-mail address and a language (no municipality). Friend
matching needs a municipality: such a person never enters its pool or a manual match; reports count her
as "not stated"; staff can edit her without inventing one."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kompis.matching import feed, manual
from kompis.reports.periods import parse_period
from kompis.reports.report import build_report
from kompis.reports.scope import ReportScope
from tests.factories import ParticipantFactory
from tests.matching.helpers import person
from tests.participants.helpers import edit_data

pytestmark = pytest.mark.django_db


def test_a_person_without_municipality_is_not_in_the_friend_matching_pool(world):
    placed = person(world, "newcomer")
    nowhere = person(world, "newcomer", municipality_id=None)
    pool = feed.build_pool(feed.scope_participants(organisation=world.org), organisation=world.org)
    ids = {p.id for p in pool.newcomers}
    assert str(placed.pk) in ids and str(nowhere.pk) not in ids


def test_a_manual_match_needs_both_municipalities(world):
    newcomer = person(world, "newcomer", municipality_id=None)
    established = person(world, "established")
    check = manual.check_pair(newcomer, established)
    assert [r.code for r in check.blocking] == ["municipality"]
    assert newcomer.full_name in check.blocking[0].detail


def test_the_municipality_table_counts_a_missing_one_as_not_stated(world):
    for municipality in ("0380", "0380", None):
        ParticipantFactory(
            organisation=world.org,
            region=world.uppsala,
            role="newcomer",
            municipality_id=municipality,
            signed_up_at_date=date(2026, 3, 1),
        )
    report = build_report(ReportScope(organisation=world.org), parse_period("2026"), k=1, charts=False)
    table = report.table("municipality")
    assert table.cell("0380", "newcomer").value == 2
    assert table.cell("not_stated", "newcomer").value == 1
    assert table.rows[-2].key == "not_stated" and table.rows[-2].label == "Not stated"
    assert table.cell("total", "total").value == report.summary.cell("signups", "total").value == 3


def test_staff_edit_a_person_from_an_event_without_a_municipality(client, world):
    client.force_login(world.admin)
    amina = ParticipantFactory(
        organisation=world.org,
        region=world.uppsala,
        municipality_id=None,
        birth_year=None,
        gender="",
        friend_matching=False,
    )
    url = reverse("participants:edit", args=[amina.uid])
    assert client.get(url).status_code == 200
    response = client.post(url, edit_data(amina, municipality="", region="", phone="070 111 22 33"))
    assert response.status_code == 302
    amina.refresh_from_db()
    assert amina.municipality is None and amina.region == world.uppsala and amina.phone == "070 111 22 33"
    # a person in friend matching still must give one
    placed = person(world, "newcomer")
    response = client.post(
        reverse("participants:edit", args=[placed.uid]), edit_data(placed, municipality="")
    )
    assert response.status_code == 200 and "municipality" in response.context["form"].errors
