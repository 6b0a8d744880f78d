"""Reading and validating files, and the import service: every error names line and column; all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from kompis.audit.models import AuditEvent
from kompis.participants import importing
from kompis.participants.import_services import ImportRefused, import_participants
from kompis.participants.models import Participant
from tests.factories import ParticipantFactory
from tests.importing.conftest import csv_bytes, row, xlsx_bytes


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def check(data: bytes, org, filename: str = "people.csv") -> importing.Validation:
    return importing.validate(importing.read_table(data, filename), organisation=org)


def messages(validation: importing.Validation) -> list[str]:
    return [e.message for e in validation.errors]


def test_valid_csv_imports_everything(world):
    data = csv_bytes(
        [
            row("P1"),
            row(
                "P2",
                role="established",
                capacity="3",
                municipality_code="0162",
                gender="man",
                languages="sv",
                has_children="yes",
                wants_family_match="1",
            ),
        ]
    )
    result = import_participants(
        actor=world.admin, organisation=world.org, rows=importing.read_table(data, "people.csv")
    )
    assert result.created == 2 and result.rejected == 0
    p1 = Participant.objects.get(organisation=world.org, external_ref="P1")
    assert (p1.source, p1.friend_matching.status, p1.email_verified_at) == ("import", "waiting", None)
    assert p1.friend_matching.waiting_since == p1.signed_up_at
    assert p1.friend_matching.organisation == world.org
    assert (
        p1.region == world.uppsala and p1.languages == ["ar", "en"] and p1.interests == ["fika", "football"]
    )
    assert p1.first_name == "GenP1" and p1.email == "p1@example.org"
    assert p1.signed_up_at.date() == dt.date(2026, 1, 15)
    p2 = Participant.objects.get(organisation=world.org, external_ref="P2")
    friend = p2.friend_matching
    assert (friend.role, friend.capacity, friend.wants_family_match) == ("established", 3, True)
    assert p2.region == world.danderyd and p2.has_children
    events = AuditEvent.objects.filter(action="participant.imported")
    assert sorted(events.values_list("object_id", flat=True)) == sorted([str(p1.uid), str(p2.uid)])
    assert events.first().actor == world.admin
    summary = AuditEvent.objects.get(action="participants.imported")
    assert summary.data["created"] == 2
    # every event names the import by its id and the file's line; the file's name (which may name a
    # person or a partner) is not kept in the append-only log
    assert {e.data["import"] for e in events} == {summary.data["import"]}
    assert sorted(e.data["line"] for e in events) == [2, 3]
    assert "people.csv" not in str(list(AuditEvent.objects.values_list("data", flat=True)))


def test_valid_xlsx_with_typed_cells_imports(world):
    header = [
        "ID",
        " Role ",
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
        "signed_up",
        "first_name",
    ]
    rows = [
        [
            "X1",
            "newcomer",
            1985,
            "woman",
            "0380",
            75320,
            "ar;sv",
            "",
            False,
            False,
            "physical",
            False,
            dt.datetime(2026, 2, 1),
            "Nadia",
        ],
        [
            "X2",
            "established",
            1970.0,
            "man",
            380,
            None,
            "sv",
            "music",
            True,
            True,
            "either",
            True,
            dt.date(2026, 2, 2),
            None,
        ],
    ]
    table = importing.read_table(xlsx_bytes(rows, header), "people.xlsx")
    assert [line for line, _ in table.rows] == [2, 3]
    result = import_participants(actor=world.admin, organisation=world.org, rows=table)
    assert result.created == 2
    x1 = Participant.objects.get(external_ref="X1")
    assert x1.birth_year == 1985 and x1.postal_code == "75320" and x1.email == "" and x1.first_name == "Nadia"
    x2 = Participant.objects.get(external_ref="X2")
    assert x2.municipality_id == "0380" and x2.has_children and x2.same_gender_only
    assert x2.first_name == "X2"  # no first name: the id stands in
    assert x2.signed_up_at.date() == dt.date(2026, 2, 2)


@pytest.mark.parametrize(
    "column, value, expected",
    [
        ("signed_up", "yesterday", "Row 3, column signed_up: 'yesterday' is not a date (YYYY-MM-DD)."),
        ("signed_up", "2999-01-01", "Row 3, column signed_up: '2999-01-01' is in the future."),
        ("role", "refugee", "Row 3, column role: 'refugee' is not one of newcomer, established."),
        (
            "gender",
            "female",
            "Row 3, column gender: 'female' is not one of woman, man, nonbinary, unspecified.",
        ),
        (
            "meeting_mode",
            "phone",
            "Row 3, column meeting_mode: 'phone' is not one of physical, digital, either.",
        ),
        ("birth_year", "nineteen", "Row 3, column birth_year: 'nineteen' is not a year."),
        (
            "birth_year",
            str(dt.date.today().year - 10),
            f"Row 3, column birth_year: birth year {dt.date.today().year - 10} means the person is 10; "
            "participants must be at least 18.",
        ),
        (
            "municipality_code",
            "9999",
            "Row 3, column municipality_code: '9999' is not a Swedish municipality code.",
        ),
        ("languages", "sv;xx", "Row 3, column languages: 'xx' is not a language Kompis knows"),
        ("languages", "", "Row 3, column languages: at least one language Kompis knows is required."),
        (
            "interests",
            "fika;skydiving",
            "Row 3, column interests: 'skydiving' is not an interest Kompis knows",
        ),
        ("has_children", "maybe", "Row 3, column has_children: 'maybe' is not true or false."),
        ("capacity", "9", "Row 3, column capacity: '9' is not a whole number from 1 to 5."),
        ("postal_code", "123", "Row 3, column postal_code: '123': A Swedish postal code has five digits"),
        ("email", "not-an-address", "Row 3, column email: 'not-an-address' is not a valid e-mail address."),
        ("phone", "call me", "Row 3, column phone: 'call me': Write the phone number with digits only"),
        ("status", "pending", "Row 3, column status: 'pending' cannot be imported: it waits for an e-mail"),
        ("status", "matched", "Row 3, column status: 'matched' cannot be imported: a person is matched only"),
        ("status", "engaged", "Row 3, column status: 'engaged' is not one of waiting, paused."),
        ("id", "", "Row 3, column id: the value is missing."),
        ("availability", "sunday", "Row 3, column availability: 'sunday' is not a known time to meet"),
        (
            "household_size",
            "lots",
            "Row 3, column household_size: 'lots' is not a whole number from 1 to 20.",
        ),
    ],
)
def test_each_error_names_line_column_and_reason(world, column, value, expected):
    columns = [
        *importing.CONTRACT_COLUMNS,
        "first_name",
        "last_name",
        "email",
        "phone",
        "status",
        "availability",
        "household_size",
    ]
    validation = check(csv_bytes([row("P1"), row("P2", **{column: value}), row("P3")], columns), world.org)
    assert validation.rejected_count == 1 and validation.valid_count == 2
    assert [e.line for e in validation.errors] == [3]
    assert validation.errors[0].column == column
    assert messages(validation)[0].startswith(expected), messages(validation)


def test_combination_rules_of_the_form(world):
    validation = check(
        csv_bytes(
            [
                row("P1", gender="unspecified", same_gender_only="true"),
                row("P2", has_children="false", wants_family_match="true"),
            ]
        ),
        world.org,
    )
    assert [(e.line, e.column) for e in validation.errors] == [
        (2, "same_gender_only"),
        (3, "wants_family_match"),
    ]


def test_newcomer_capacity_is_one_as_on_the_form(world):
    validation = check(
        csv_bytes([row("P1", role="newcomer", capacity="3"), row("P2", capacity="")]), world.org
    )
    assert [r.values["capacity"] for r in validation.valid] == [1, 1]


def test_one_bad_row_means_nothing_is_written(world):
    data = csv_bytes([row(f"P{i}") for i in range(1, 6)] + [row("P6", signed_up="yesterday")])
    events = AuditEvent.objects.count()
    with pytest.raises(ImportRefused) as info:
        import_participants(
            actor=world.admin, organisation=world.org, rows=importing.read_table(data, "a.csv")
        )
    assert info.value.validation.rejected_count == 1
    assert not Participant.objects.filter(organisation=world.org).exists()
    assert AuditEvent.objects.count() == events


def test_valid_only_imports_the_valid_rows(world):
    data = csv_bytes([row("P1"), row("P2", gender="x"), row("P3")])
    result = import_participants(
        actor=world.admin, organisation=world.org, rows=importing.read_table(data, "a.csv"), valid_only=True
    )
    assert (result.created, result.rejected) == (2, 1)
    assert sorted(Participant.objects.values_list("external_ref", flat=True)) == ["P1", "P3"]


def test_dry_run_writes_nothing(world):
    result = import_participants(
        actor=world.admin,
        organisation=world.org,
        dry_run=True,
        rows=importing.read_table(csv_bytes([row("P1")]), "a.csv"),
    )
    assert result.validation.valid_count == 1 and not Participant.objects.exists()


def test_duplicate_ids_and_emails_within_the_file_name_both_lines(world):
    data = csv_bytes(
        [row("P1"), row("P2", email="same@example.org"), row("P1"), row("P4", email="SAME@example.org")]
    )
    validation = check(data, world.org)
    assert validation.valid_count == 0
    msgs = messages(validation)
    assert "Row 2, column id: 'P1' appears more than once in the file: also in row 4." in msgs
    assert "Row 4, column id: 'P1' appears more than once in the file: also in row 2." in msgs
    assert (
        "Row 3, column email: 'same@example.org' appears more than once in the file: also in row 5." in msgs
    )
    assert (
        "Row 5, column email: 'SAME@example.org' appears more than once in the file: also in row 3." in msgs
    )


def test_duplicates_against_the_organisation(world):
    ParticipantFactory(organisation=world.org, external_ref="P1", email="taken@example.org")
    ParticipantFactory(organisation=world.other_org, external_ref="P3", email="elsewhere@example.org")
    data = csv_bytes(
        [row("P1"), row("P2", email="Taken@example.org"), row("P3", email="elsewhere@example.org")]
    )
    validation = check(data, world.org)
    assert messages(validation) == [
        "Row 2, column id: 'P1' already exists in this organisation.",
        "Row 3, column email: 'Taken@example.org' already exists in this organisation.",
    ]
    assert [r.line for r in validation.valid] == [4]  # another organisation's ids and addresses do not count


def test_semicolon_csv_from_swedish_excel_with_bom(world):
    data = csv_bytes(
        [row("P1", languages="sv;ar;en"), row("P2", first_name="Åsa", last_name="Öberg")],
        delimiter=";",
        bom=True,
    )
    assert data.startswith(b"\xef\xbb\xbf")
    table = importing.read_table(data, "export.csv")
    assert table.delimiter == ";"
    validation = importing.validate(table, organisation=world.org)
    assert validation.ok
    assert validation.valid[0].values["languages"] == ["sv", "ar", "en"]
    assert validation.valid[1].values["first_name"] == "Åsa"


def test_windows_1252_csv_is_read(world):
    data = csv_bytes([row("P1", first_name="Åsa")], delimiter=";", encoding="cp1252")
    validation = check(data, world.org)
    assert validation.ok and validation.valid[0].values["first_name"] == "Åsa"


def test_header_is_case_insensitive_and_unknown_columns_warn(world):
    columns = [c.upper() if i % 2 else f"  {c} " for i, c in enumerate(importing.CONTRACT_COLUMNS)]
    rows = [{c: v for c, v in zip(columns, row("P1").values(), strict=False)}]
    data = csv_bytes(rows, [*columns, "favourite_colour"])
    validation = check(data, world.org)
    assert validation.ok and validation.valid_count == 1
    assert validation.warnings == ["The column favourite_colour is not known and will be ignored."]


def test_line_numbers_skip_blank_lines_and_count_multiline_cells(world):
    data = csv_bytes([row("P1", last_name="Two\nLines"), row("P2", gender="x")]).replace(
        b"\r\nP2", b"\r\n\r\nP2"
    )
    validation = check(data, world.org)
    assert [(e.line, e.column) for e in validation.errors] == [(5, "gender")]


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"", "a.csv", "The file is empty."),
        (b"\n\n  \n", "a.csv", "The file is empty."),
        (b"%PDF-1.4 \x00\x01", "a.pdf", "This is not a CSV or XLSX file."),
        (b"hello", "a.docx", "This is not a CSV or XLSX file."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old.xls", "Old Excel files (.xls) cannot be read."),
        (b"PK\x03\x04garbage", "a.xlsx", "The file is not a valid XLSX file."),
        (b"a,b,c\n1,2,3\n", "a.csv", "The first row is not a header"),
        (b"id,role,birth_year\nP1,newcomer,1990\n", "a.csv", "The file lacks the required columns gender,"),
    ],
)
def test_file_level_problems_give_one_clear_message(data, filename, message, world):
    with translation.override("en"), pytest.raises(importing.ImportFileError) as info:
        importing.read_table(data, filename)
    assert info.value.message.startswith(message), info.value.message


def test_too_many_rows_is_refused(world, monkeypatch):
    from kompis.participants import import_reading

    monkeypatch.setattr(import_reading, "MAX_ROWS", 3)
    with pytest.raises(importing.ImportFileError) as info:
        importing.read_table(csv_bytes([row(f"P{i}") for i in range(5)]), "a.csv")
    assert "at most 3 rows" in info.value.message


def test_row_with_too_many_cells(world):
    data = (
        csv_bytes([row("P1")])
        + b"P2,newcomer,1990,woman,0380,,sv,,false,false,either,false,1,2026-01-01,A,B,c@x.se,EXTRA\r\n"
    )
    validation = check(data, world.org)
    assert messages(validation) == ["Row 3: the row has 18 cells but the header has 17."]


def test_rejected_rows_file_is_original_columns_plus_errors(world):
    data = csv_bytes([row("P1"), row("P2", signed_up="yesterday"), row("P3")], delimiter=";")
    validation = check(data, world.org)
    content, name, _ = importing.rejected_rows_file(validation)
    assert name == "people-rejected.csv"
    lines = content.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header == [*importing.CONTRACT_COLUMNS, "first_name", "last_name", "email", "errors"]
    assert len(lines) == 2 and lines[1].startswith("P2;newcomer;1990;")
    assert "Row 3, column signed_up: 'yesterday' is not a date (YYYY-MM-DD)." in lines[1]


def test_error_messages_are_translatable(world):
    validation = check(csv_bytes([row("P1", signed_up="yesterday")]), world.org)
    with translation.override("sv"):
        assert isinstance(validation.errors[0].message, str)  # formatted in the active language
