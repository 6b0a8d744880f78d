"""`kompis import` and `kompis export-participants`: exit codes, messages, round trip."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from kompis.matching.engine.csvio import parse_participants
from kompis.participants.importing import CONTRACT_COLUMNS
from kompis.participants.models import Participant
from tests.factories import ParticipantFactory
from tests.importing.conftest import csv_bytes, row

COMPARED = [c for c in CONTRACT_COLUMNS if c != "id"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def run(*args: str) -> tuple[int, str, str]:
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_import_command(world, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes([row("P1"), row("P2")]))
    code, out, _ = run("import", str(path), "--organisation", "kompisforeningen")
    assert code == 0 and "imported 2 participants" in out
    assert Participant.objects.filter(organisation=world.org, source="import").count() == 2


def test_import_command_bad_row_exits_2_and_writes_nothing(world, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes([row("P1"), row("P2", signed_up="yesterday")]))
    code, _, err = run("import", str(path), "--organisation", "kompisforeningen")
    assert code == 2
    assert "Row 3, column signed_up: 'yesterday' is not a date (YYYY-MM-DD)." in err
    assert not Participant.objects.exists()
    code, _, err = run("import", str(path), "--organisation", "kompisforeningen", "--dry-run")
    assert code == 2 and "Row 3, column signed_up" in err and not Participant.objects.exists()


def test_import_command_valid_only_and_dry_run(world, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes([row("P1"), row("P2", gender="x")]))
    code, out, _ = run("import", str(path), "--organisation", "kompisforeningen", "--valid-only", "--dry-run")
    assert code == 0 and "dry run" in out and not Participant.objects.exists()
    code, out, err = run("import", str(path), "--organisation", "kompisforeningen", "--valid-only")
    assert code == 0 and "imported 1 participants" in out and "Row 3, column gender" in err
    assert list(Participant.objects.values_list("external_ref", flat=True)) == ["P1"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.csv", "--organisation", "kompisforeningen"], "cannot read the file"),
        (["people.csv", "--organisation", "nope"], "no organisation with slug 'nope'"),
        (["people.csv"], "--organisation SLUG is required"),  # two organisations exist
        (["empty.csv", "--organisation", "kompisforeningen"], "The file is empty."),
    ],
)
def test_import_command_bad_input_exits_2(world, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "people.csv").write_bytes(csv_bytes([row("P1")]))
    (tmp_path / "empty.csv").write_bytes(b"")
    code, _, err = run("import", *args)
    assert code == 2 and message in err
    assert not Participant.objects.exists()


def test_export_command_bad_input_exits_2(world, tmp_path):
    assert run("export_participants", "--organisation", "nope", "--output", str(tmp_path / "a.csv"))[0] == 2
    code, _, err = run(
        "export_participants", "--organisation", "kompisforeningen", "--output", str(tmp_path / "a.pdf")
    )
    assert code == 2 and "--filetype" in err


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_round_trip_matching_export_into_another_organisation(world, tmp_path, suffix):
    ParticipantFactory(
        organisation=world.org,
        municipality_id="0380",
        signed_up_at_date=dt.date(2026, 1, 2),
        interests=[],
        postal_code="",
    )
    ParticipantFactory(
        organisation=world.org,
        municipality_id="0162",
        role="established",
        gender="man",
        capacity=3,
        has_children=True,
        wants_family_match=True,
        same_gender_only=True,
        meeting_mode="physical",
        languages=["sv", "fi"],
        signed_up_at_date=dt.date(2025, 12, 24),
    )
    ParticipantFactory(
        organisation=world.org,
        municipality_id="2580",
        gender="unspecified",
        meeting_mode="digital",
        email="",
        birth_year=1950,
    )
    # a person who only registered for an event is not in the matching export
    ParticipantFactory(organisation=world.org, municipality_id="0380", friend_matching=False)
    out = tmp_path / f"matching.{suffix}"
    code, stdout, _ = run(
        "export_participants",
        "--organisation",
        "kompisforeningen",
        "--format",
        "matching",
        "--output",
        str(out),
    )
    assert code == 0 and "3 participants" in stdout
    if suffix == "csv":
        with out.open(encoding="utf-8-sig", newline="") as fh:
            assert tuple(next(csv.reader(fh))) == CONTRACT_COLUMNS  # exactly the contract
        parsed = parse_participants(out)  # the matching engine reads it
        assert parsed.ok and len(parsed.participants) == 3
    code, stdout, _ = run("import", str(out), "--organisation", "annan")
    assert code == 0, stdout

    def contract(org):
        qs = (
            Participant.objects.filter(organisation=org, friend_matching__isnull=False)
            .select_related("friend_matching")
            .order_by("signed_up_at")
        )
        return [
            (
                p.friend_matching.role,
                p.friend_matching.status,
                p.friend_matching.waiting_since.astimezone().date(),
                p.birth_year,
                p.gender,
                p.municipality_id,
                p.postal_code,
                p.languages,
                p.interests,
                p.has_children,
                p.friend_matching.wants_family_match,
                p.friend_matching.meeting_mode,
                p.same_gender_only,
                p.friend_matching.capacity,
                p.signed_up_at.astimezone().date(),
            )
            for p in qs
        ]

    assert contract(world.other_org) == contract(world.org)
    originals = {
        str(p.uid) for p in Participant.objects.filter(organisation=world.org, friend_matching__isnull=False)
    }
    assert (
        set(Participant.objects.filter(organisation=world.other_org).values_list("external_ref", flat=True))
        == originals
    )
    # importing the same file again is refused: the ids exist
    code, _, err = run("import", str(out), "--organisation", "annan")
    assert code == 2 and "already exists in this organisation" in err


def test_full_export_command_xlsx(world, tmp_path):
    from openpyxl import load_workbook

    ParticipantFactory(organisation=world.org, first_name="Amal", region=world.uppsala)
    out = tmp_path / "full.data"
    code, _, _ = run(
        "export_participants",
        "--organisation",
        "kompisforeningen",
        "--format",
        "full",
        "--output",
        str(out),
        "--filetype",
        "xlsx",
    )
    assert code == 0
    rows = list(load_workbook(out.open("rb")).active.iter_rows(values_only=True))
    assert rows[0][-9:] == (
        "first_name",
        "last_name",
        "name_latin",
        "email",
        "phone",
        "status",
        "region",
        "project",
        "availability",
    )
    assert rows[1][14] == "Amal" and rows[1][20] == "Uppsala"
