"""Issue 9 "Import" and issue 10 §8: synonyms, dropping unknown values with a warning, staff wording, the
template, and the same household and status rules as the forms."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from kompis.participants import importing
from kompis.participants.forms import MAX_HOUSEHOLD, SignupForm, StaffEditForm
from kompis.participants.import_services import validate_for
from kompis.participants.models import Participant
from kompis.participants.synonyms import interest_code, language_code
from tests.importing.conftest import csv_bytes, row

COLUMNS = [*importing.CONTRACT_COLUMNS, "first_name", "email", "status", "household_size"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def check(data: bytes, org, **kwargs) -> importing.Validation:
    return importing.validate(importing.read_table(data, "people.csv"), organisation=org, **kwargs)


@pytest.mark.parametrize(
    "written, code",
    [
        ("prs", "fa"), ("pes", "fa"), ("fas", "fa"), ("Dari", "fa"), ("farsi", "fa"), ("ara", "ar"),
        ("Arabic", "ar"), ("arabiska", "ar"), ("swe", "sv"), ("Svenska", "sv"), ("sv-SE", "sv"), ("eng", "en"),
        ("som", "so"), ("ukr", "uk"), ("tir", "ti"), ("Tigrinya", "ti"), ("ckb", "ku"), ("AR_sy", "ar"),
    ],
)  # fmt: skip
def test_language_synonyms(written, code):
    assert language_code(written) == code


@pytest.mark.parametrize(
    "written, code",
    [
        ("Board games", "board_games"), ("board-games", "board_games"), ("brädspel", "board_games"),
        ("Fotboll", "football"), ("soccer", "football"), ("matlagning", "cooking"), ("reading", "books"),
        ("movies", "film"), ("hikes", "hiking"), ("Theater", "theatre"),
    ],
)  # fmt: skip
def test_interest_synonyms(written, code):
    assert interest_code(written) == code


def test_unknowns_are_none():
    assert language_code("klingon") is None and interest_code("chess") is None and language_code("") is None


def test_synonyms_map_in_the_import(world):
    validation = check(
        csv_bytes([row("P1", languages="prs;ARA;swe;fa", interests="Fotboll;board games")]), world.org
    )
    assert validation.ok
    values = validation.valid[0].values
    assert values["languages"] == ["fa", "ar", "sv"] and values["interests"] == ["football", "board_games"]


def test_unknown_interest_rejects_the_row_unless_staff_choose_to_drop_it(world):
    data = csv_bytes([row("P1", interests="fika;chess"), row("P2", interests="chess;go")])
    validation = check(data, world.org)
    assert [e.message for e in validation.errors] == [
        "Row 2, column interests: 'chess' is not an interest Kompis knows ("
        + ", ".join(importing.INTERESTS)
        + ").",
        "Row 3, column interests: 'chess', 'go' are not interests Kompis knows ("
        + ", ".join(importing.INTERESTS)
        + ").",
    ]
    assert validation.unknown_interest_rows == 2
    validation = check(data, world.org, options=importing.ImportOptions(drop_unknown_interests=True))
    assert validation.ok and validation.valid_count == 2
    assert [r.values["interests"] for r in validation.valid] == [["fika"], []]
    assert [w.message for w in validation.row_warnings] == [
        "Row 2, column interests: the unknown interest 'chess' was left out.",
        "Row 3, column interests: the unknown interests 'chess', 'go' were left out.",
    ]


def test_dropping_unknown_languages_keeps_a_row_only_with_a_known_one(world):
    data = csv_bytes([row("P1", languages="sv;klingon"), row("P2", languages="klingon")])
    validation = check(data, world.org, options=importing.ImportOptions(drop_unknown_languages=True))
    assert [r.line for r in validation.valid] == [2]
    assert [e.message for e in validation.errors] == [
        "Row 3, column languages: at least one language Kompis knows is required."
    ]
    assert [w.line for w in validation.row_warnings] == [2]


def test_birth_year_is_worded_for_staff(world):
    year = dt.date.today().year
    validation = check(
        csv_bytes([row("P1", birth_year=str(year - 11)), row("P2", birth_year="1890")]), world.org
    )
    assert [e.message for e in validation.errors] == [
        f"Row 2, column birth_year: birth year {year - 11} means the person is 11; participants must be at least 18.",
        f"Row 3, column birth_year: birth year 1890 means the person is {year - 1890}; please check the year.",
    ]


# --- status and household size: the same rules as the forms -------------------------------------


@pytest.mark.parametrize(
    "status, ok", [("waiting", True), ("Paused", True), ("", True), ("matched", False), ("pending", False),
                   ("withdrawn", False)]
)  # fmt: skip
def test_statuses_an_import_may_set(world, status, ok):
    validation = check(csv_bytes([row("P1", status=status)], COLUMNS), world.org)
    assert validation.ok is ok, [e.message for e in validation.errors]


def test_matched_without_a_match_is_refused(world):
    """Issue 10 §8: the import accepted status=matched for a person without a match."""
    validation = check(csv_bytes([row("P1", status="matched")], COLUMNS), world.org)
    assert validation.errors[0].message == (
        "Row 2, column status: 'matched' cannot be imported: a person is matched only when staff approve a match "
        "in Kompis. Use waiting or paused."
    )


@pytest.mark.parametrize("size, ok", [("1", True), (str(MAX_HOUSEHOLD), True), ("0", False), ("21", False),
                                      ("9000000000000000000", False), ("-3", False)])  # fmt: skip
def test_household_size_range_is_the_same_in_import_and_forms(world, size, ok):
    validation = check(csv_bytes([row("P1", household_size=size)], COLUMNS), world.org)
    assert validation.ok is ok
    for form_class in (SignupForm, StaffEditForm):
        form = form_class(data={"household_size": size})
        form.is_valid()
        assert ("household_size" not in form.errors) is ok, (form_class, form.errors.get("household_size"))


def test_signup_refuses_a_huge_household(client, world):
    """Issue 10 §8: sign-up on SQLite accepted 9,000,000,000,000,000,000."""
    from tests.participants.test_signup import VALID

    response = client.post(
        reverse("public:signup", args=[world.org.slug]),
        {**VALID, "household_size": "9000000000000000000"},
    )
    assert response.status_code == 200 and not Participant.objects.exists()
    assert "household_size" in response.context["form"].errors


# --- the preview's choice, the template and the command line -------------------------------------


def test_staff_choose_in_the_preview_to_drop_unknown_interests(client, world):
    client.force_login(world.uppsala_coordinator)
    data = csv_bytes([row("P1"), row("P2", interests="fika;chess")])
    response = client.post(
        reverse("participants:import_preview"), {"file": SimpleUploadedFile("p.csv", data)}
    )
    html = response.content.decode()
    assert "1 row is rejected only because of an interest Kompis does not know." in html
    key = response.context["key"]
    response = client.post(
        reverse("participants:import_preview"), {"key": key, "drop_unknown_interests": "on"}
    )
    assert response.context["validation"].ok
    html = response.content.decode()
    assert "the unknown interest &#x27;chess&#x27; was left out." in html and "Import all 2 rows" in html
    response = client.post(reverse("participants:import_confirm"), {"key": key, "mode": "all"})
    assert response.status_code == 302
    assert Participant.objects.get(external_ref="P2").interests == ["fika"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_downloads_and_imports_back(client, world, fmt):
    client.force_login(world.danderyd_coordinator)
    response = client.get(reverse("participants:import_template", args=[fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="kompis-import-template.{fmt}"'
    table = importing.read_table(response.content, f"template.{fmt}")
    assert [importing.normalise_column(h) for h in table.header] == list(importing.KNOWN_COLUMNS)
    # the example lives in the coordinator's own region
    validation = validate_for(table, actor=world.danderyd_coordinator, organisation=world.org)
    assert validation.ok, [e.message for e in validation.errors]
    if fmt == "xlsx":
        import openpyxl

        notes = openpyxl.load_workbook(io.BytesIO(response.content))["notes"]
        columns = [r[0].value for r in notes.iter_rows(min_row=2, max_row=len(importing.KNOWN_COLUMNS) + 1)]
        assert columns == list(importing.KNOWN_COLUMNS)
        assert "prs" in notes["C8"].value  # languages: the synonyms are explained
    else:
        assert len(list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))) == 2


def test_unknown_template_format_is_404(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("participants:import_template", args=["pdf"])).status_code == 404


def test_command_drops_unknown_interests_when_asked(world, tmp_path, capsys):
    path = tmp_path / "p.csv"
    path.write_bytes(csv_bytes([row("P1", interests="chess")]))
    with pytest.raises(CommandError) as info:
        call_command("import", str(path), "--organisation", world.org.slug)
    assert info.value.returncode == 2
    assert "Row 2, column interests: 'chess' is not an interest Kompis knows" in capsys.readouterr().err
    call_command("import", str(path), "--organisation", world.org.slug, "--drop-unknown-interests")
    assert (
        "warning: Row 2, column interests: the unknown interest 'chess' was left out."
        in capsys.readouterr().err
    )
    assert Participant.objects.get(external_ref="P1").interests == []


def test_command_refuses_a_file_over_the_limit(world, tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 10
    path = tmp_path / "p.csv"
    path.write_bytes(csv_bytes([row("P1")]))
    with pytest.raises(CommandError) as info:
        call_command("import", str(path), "--organisation", world.org.slug)
    assert info.value.returncode == 2 and "larger than" in str(info.value)
