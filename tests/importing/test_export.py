"""Export as CSV and XLSX: content, filters, scope, audit."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from kompis.audit.models import AuditEvent
from kompis.participants.exporting import FULL_COLUMNS
from kompis.participants.importing import CONTRACT_COLUMNS
from tests.factories import ParticipantFactory


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def people(world):
    return {
        "uppsala": ParticipantFactory(
            organisation=world.org,
            region=world.uppsala,
            municipality_id="0380",
            first_name="Amal",
            last_name="Haddad",
            languages=["ar", "sv"],
            interests=["fika"],
            availability=["weekend", "weekday_evening"],
            signed_up_at_date=dt.date(2026, 3, 1),
            project=world.project,
        ),
        "danderyd": ParticipantFactory(
            organisation=world.org,
            region=world.danderyd,
            municipality_id="0162",
            first_name="Karin",
            last_name="Lind",
            role="established",
            capacity=2,
            has_children=True,
            wants_family_match=True,
            languages=["sv"],
        ),
        "other": ParticipantFactory(
            organisation=world.other_org, municipality_id="0380", first_name="Outsider"
        ),
    }


def test_csv_export_full_format(client, world, people):
    client.force_login(world.admin)
    response = client.get(reverse("participants:export", args=["csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == FULL_COLUMNS
    by_name = {r["first_name"]: r for r in rows}
    assert set(by_name) == {"Amal", "Karin"}
    amal = by_name["Amal"]
    assert amal["id"] == str(people["uppsala"].uid)
    assert (amal["languages"], amal["interests"], amal["signed_up"]) == ("ar;sv", "fika", "2026-03-01")
    assert amal["availability"] == "weekday_evening;weekend"
    assert (amal["region"], amal["project"], amal["status"]) == (
        "Uppsala",
        "Familjekompis Uppsala",
        "waiting",
    )
    assert (amal["has_children"], amal["municipality_code"], amal["capacity"]) == ("false", "0380", "1")
    assert by_name["Karin"]["wants_family_match"] == "true" and by_name["Karin"]["capacity"] == "2"
    event = AuditEvent.objects.get(action="participants.exported")
    assert event.actor == world.admin and event.organisation == world.org
    assert event.data["count"] == 2 and event.data["format"] == "csv"
    assert event.object_id == str(world.org.uid)


def test_export_applies_the_list_filters(client, world, people):
    client.force_login(world.admin)
    rows = list(
        csv.DictReader(
            io.StringIO(
                body(
                    client.get(reverse("participants:export", args=["csv"]), {"role": "established"})
                ).decode("utf-8-sig")
            )
        )
    )
    assert [r["first_name"] for r in rows] == ["Karin"]
    rows = list(
        csv.DictReader(
            io.StringIO(
                body(client.get(reverse("participants:export", args=["csv"]), {"q": "Amal"})).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert [r["first_name"] for r in rows] == ["Amal"]


def test_xlsx_export(client, world, people):
    from openpyxl import load_workbook

    client.force_login(world.admin)
    response = client.get(reverse("participants:export", args=["xlsx"]), {"role": "newcomer"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(body(response)))
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert tuple(header) == FULL_COLUMNS
    assert all(c.font.bold for c in sheet[1])
    assert sheet.column_dimensions["A"].width > 30
    values = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert values["first_name"] == "Amal" and sheet.max_row == 2
    assert values["birth_year"] == 1990 and isinstance(values["birth_year"], int)
    assert values["capacity"] == 1
    assert isinstance(values["signed_up"], dt.datetime) and values["signed_up"].date() == dt.date(2026, 3, 1)
    assert values["municipality_code"] == "0380"
    assert AuditEvent.objects.get(action="participants.exported").data["format"] == "xlsx"


def test_danderyd_coordinators_export_has_no_uppsala_participants(client, world, people):
    client.force_login(world.danderyd_coordinator)
    for fmt in ("csv", "xlsx"):
        raw = body(client.get(reverse("participants:export", args=[fmt])))
        if fmt == "csv":
            names = [r["first_name"] for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))]
        else:
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(raw)).active
            names = [
                r[FULL_COLUMNS.index("first_name")] for r in sheet.iter_rows(min_row=2, values_only=True)
            ]
        assert names == ["Karin"], fmt
    assert AuditEvent.objects.filter(action="participants.exported").first().data["count"] == 1


def test_unknown_export_format_is_404(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("participants:export", args=["pdf"])).status_code == 404


def test_matching_columns_are_the_contract():
    assert CONTRACT_COLUMNS == (
        "id",
        "role",
        "birth_year",
        "gender",
        "municipality_code",
        "postal_code",
        "languages",
        "interests",
        "has_children",
        "wants_family_match",
        "meeting_mode",
        "same_gender_only",
        "capacity",
        "signed_up",
    )
