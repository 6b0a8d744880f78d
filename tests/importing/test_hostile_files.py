"""Issue 10 §7: limits checked while streaming, per-cell refusals, and no 500 for any file.

The 6-million-shared-strings workbook and the cell in column XFD are built here (generated, no real data);
each must be refused without holding much memory (their timings: `make bench`, bench/bench_hostile.py).
"""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompis.participants import import_reading, importing
from kompis.participants.models import Participant
from tests.importing.conftest import csv_bytes, row, xlsx_bytes

COLUMNS = list(importing.CONTRACT_COLUMNS)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def check(data: bytes, org, filename: str = "people.csv") -> importing.Validation:
    return importing.validate(importing.read_table(data, filename), organisation=org)


def messages(validation: importing.Validation) -> list[str]:
    return [e.message for e in validation.errors]


# --- hand-made workbooks -------------------------------------------------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="people" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: list[str]) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{"".join(rows)}</sheetData></worksheet>'


def header_row() -> str:
    from openpyxl.utils import get_column_letter

    return (
        '<row r="1">'
        + "".join(_inline(f"{get_column_letter(i)}1", c) for i, c in enumerate(COLUMNS, 1))
        + "</row>"
    )


def workbook(sheet: str, shared: bytes | None = None, shared_count: int | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared is not None or shared_count is not None:
            with z.open("xl/sharedStrings.xml", "w") as fh:
                attr = f' uniqueCount="{shared_count}"' if shared_count is not None and shared is None else ""
                fh.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}"{attr}>'.encode())
                if shared is not None:
                    fh.write(shared)
                else:
                    block = b"<si><t></t></si>" * 10_000
                    for _ in range((shared_count or 0) // 10_000):
                        fh.write(block)
                fh.write(b"</sst>")
    return buffer.getvalue()


def shared_strings_bomb(count: int = 6_000_000, declared: bool = False) -> bytes:
    """A small XLSX whose shared-strings table holds `count` strings (about 16 bytes each inflated)."""
    sheet = sheet_xml([header_row(), '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'])
    if declared:
        return workbook(sheet, shared_count=count)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        with z.open("xl/sharedStrings.xml", "w") as fh:  # no count attribute: the reader must count
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode())
            block = b"<si><t></t></si>" * 10_000
            for _ in range(count // 10_000):
                fh.write(block)
            fh.write(b"</sst>")
    return buffer.getvalue()


def _measure(data: bytes, filename: str) -> tuple[str, float, int]:
    """(message, seconds, peak bytes allocated): time without tracing, memory with tracemalloc."""
    started = time.perf_counter()
    with pytest.raises(importing.ImportFileError) as info:
        importing.read_table(data, filename)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        with pytest.raises(importing.ImportFileError):
            importing.read_table(data, filename)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return info.value.message, seconds, peak


_BOMBS: dict[bool, bytes] = {}


@pytest.mark.parametrize("declared", [True, False], ids=["count-declared", "count-not-declared"])
def test_six_million_shared_strings_are_refused_quickly(declared, capsys):
    data = _BOMBS.get(declared) or _BOMBS.setdefault(declared, shared_strings_bomb(declared=declared))
    assert len(data) < 300 * 1024, len(data)  # a small file ...
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.getinfo("xl/sharedStrings.xml").file_size > 90_000_000  # ... that inflates to ~96 MB
    message, seconds, peak = _measure(data, "bomb.xlsx")
    with capsys.disabled():
        print(
            f"\n6M shared strings ({declared=}): {len(data) // 1024} KB, {seconds:.2f} s, peak {peak // 2**20} MB"
        )
    assert "more than 1,500,000 different texts" in message
    assert peak < 50 * 2**20  # was 1.9 GB (and 43 s: bench/bench_hostile.py times it)


def test_a_cell_in_column_xfd_is_refused_at_once():
    sheet = sheet_xml([header_row(), '<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'])
    message, _, peak = _measure(workbook(sheet), "wide.xlsx")
    assert message == "Row 2 has more than 100 columns; at most 100 columns can be read."
    assert peak < 20 * 2**20  # was 1.3 GB (and 26 s: bench/bench_hostile.py times it)


def test_a_huge_dimension_and_far_row_number_cost_nothing(world):
    sheet = sheet_xml(
        [header_row(), '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>P1</t></is></c></row>']
    )
    sheet = sheet.replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>')
    validation = check(workbook(sheet), world.org, "far.xlsx")  # timed in bench/bench_hostile.py
    assert validation.errors[0].line == 1048576


def test_declared_unpacked_size_is_checked_before_inflating(monkeypatch):
    monkeypatch.setattr(import_reading, "MAX_UNPACKED", 1024 * 1024)
    sheet = sheet_xml([header_row(), '<row r="2"><c r="A2"><v>1</v></c></row>' * 100_000])
    with pytest.raises(importing.ImportFileError) as info:
        importing.read_table(workbook(sheet), "big.xlsx")
    assert "unpacks to more than 1 MB" in info.value.message


def test_too_many_columns_in_csv_is_refused():
    data = (",".join(COLUMNS) + "\r\n" + "x," * 200 + "\r\n").encode()
    with pytest.raises(importing.ImportFileError) as info:
        importing.read_table(data, "wide.csv")
    assert info.value.message == "Row 2 has more than 100 columns; at most 100 columns can be read."


def test_too_many_rows_stops_while_reading(monkeypatch):
    monkeypatch.setattr(import_reading, "MAX_ROWS", 2)
    header = list(importing.CONTRACT_COLUMNS)
    data = xlsx_bytes([[row(f"P{i}")[c] for c in header] for i in range(4)], header)
    with pytest.raises(importing.ImportFileError) as info:
        importing.read_table(data, "many.xlsx")
    assert "at most 2 rows" in info.value.message


# --- cells -------------------------------------------------------------------------------------


def test_a_number_of_5000_digits_is_a_clear_cell_error(world):
    big = "9" * 5000
    validation = check(
        csv_bytes(
            [row("P1", birth_year=big), row("P2", household_size="9" * 3000)], [*COLUMNS, "household_size"]
        ),
        world.org,
    )
    assert messages(validation) == [
        "Row 2, column birth_year: the cell has 5,000 characters; at most 4,000 are allowed.",
        f"Row 3, column household_size: '{'9' * 57}…' is not a whole number from 1 to 20.",
    ]


def test_a_number_of_5000_digits_in_xlsx_is_a_cell_error_too(world):
    header = list(importing.CONTRACT_COLUMNS)
    values = row("P1")
    sheet_rows = [header_row()]
    from openpyxl.utils import get_column_letter

    cells = []
    for i, c in enumerate(header, 1):
        ref = f"{get_column_letter(i)}2"
        cells.append(
            f'<c r="{ref}"><v>{"9" * 5000}</v></c>' if c == "birth_year" else _inline(ref, values[c])
        )
    sheet_rows.append('<row r="2">' + "".join(cells) + "</row>")
    validation = check(workbook(sheet_xml(sheet_rows)), world.org, "digits.xlsx")
    assert messages(validation) == [
        "Row 2, column birth_year: the cell has 5,000 characters; at most 4,000 are allowed."
    ]


@pytest.mark.parametrize(
    "char, name", [("\x00", "U+0000"), ("\x07", "U+0007"), ("\x1b", "U+001B"), ("\x7f", "U+007F")]
)
def test_control_characters_are_refused_per_cell(world, char, name):
    validation = check(csv_bytes([row("P1"), row("P2", first_name=f"Ana{char}", last_name="x")]), world.org)
    assert validation.valid_count == 1
    (message,) = messages(validation)
    assert message.startswith(f"Row 3, column first_name: the cell contains the control character {name}")


def test_nul_byte_csv_gets_through_preview_and_confirm_without_500(client, world):
    """On PostgreSQL a NUL passed the preview and the confirm failed with a 500."""
    client.force_login(world.admin)
    data = csv_bytes([row("P1"), row("P2", about_me="hello\x00world")], [*COLUMNS, "first_name", "about_me"])
    response = client.post(
        reverse("participants:import_preview"), {"file": SimpleUploadedFile("n.csv", data)}
    )
    assert response.status_code == 200
    assert "U+0000" in response.content.decode()
    response = client.post(
        reverse("participants:import_confirm"), {"key": response.context["key"], "mode": "valid"}
    )
    assert response.status_code == 302
    assert list(Participant.objects.values_list("external_ref", flat=True)) == ["P1"]


def test_utf16_csv_from_excel_is_read(world):
    data = csv_bytes([row("P1", first_name="Åsa")], delimiter="\t").decode().encode("utf-16")
    data = csv_bytes([row("P1", first_name="Åsa")], delimiter=";").decode().encode("utf-16")
    validation = check(data, world.org)
    assert validation.ok and validation.valid[0].values["first_name"] == "Åsa"


# --- the upload limit -----------------------------------------------------------------------------


def test_page_form_and_server_agree_on_the_limit(client, world, settings):
    settings.IMPORT_MAX_BYTES = 3 * 1024 * 1024
    client.force_login(world.admin)
    page = client.get(reverse("participants:import")).content.decode()
    assert "At most 100,000 rows and 3 MB per file." in page
    assert "At most 3 MB and 100,000 rows." in page  # the field's help
    big = csv_bytes([row("P1")]) + b"x" * (3 * 1024 * 1024)
    response = client.post(
        reverse("participants:import_preview"), {"file": SimpleUploadedFile("big.csv", big)}
    )
    assert response.status_code == 200
    assert "The file is larger than 3 MB." in response.content.decode()
    with pytest.raises(importing.ImportFileError, match="larger than 3 MB"):
        importing.read_table(big, "big.csv")


def test_upload_handler_stops_reading_past_the_limit(rf, settings):
    from kompis.participants.import_views import LimitedUploadHandler

    settings.IMPORT_MAX_BYTES = 1000
    handler = LimitedUploadHandler(None)
    assert handler.receive_data_chunk(b"x" * 600, 0) == b"x" * 600
    from django.core.files.uploadhandler import SkipFile

    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 600, 600)
    assert handler.exceeded


# --- no 500, whatever the file ---------------------------------------------------------------------


def _valid_xlsx() -> bytes:
    header = [*COLUMNS, "first_name"]
    return xlsx_bytes([[row("P1")[c] for c in header]], header)


VALID_XLSX = _valid_xlsx()
VALID_CSV = csv_bytes([row("P1"), row("P2")])


@st.composite
def hostile_files(draw) -> tuple[bytes, str]:
    kind = draw(
        st.sampled_from(["bytes", "zip-bytes", "truncated", "mutated-zip", "csv-text", "csv-mutated"])
    )
    name = draw(st.sampled_from(["people.csv", "people.xlsx", "people.txt", "people", "p.xls"]))
    if kind == "bytes":
        return draw(st.binary(max_size=2000)), name
    if kind == "zip-bytes":
        return b"PK\x03\x04" + draw(st.binary(max_size=2000)), "people.xlsx"
    if kind == "truncated":
        return VALID_XLSX[: draw(st.integers(0, len(VALID_XLSX)))], "people.xlsx"
    if kind == "mutated-zip":
        data = bytearray(VALID_XLSX)
        for _ in range(draw(st.integers(1, 20))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data), "people.xlsx"
    if kind == "csv-text":
        text = draw(st.text(max_size=500))
        encoding = draw(st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1", "utf-32"]))
        header = ",".join(COLUMNS) + "\r\n"
        return (header + text).encode(encoding, errors="replace"), "people.csv"
    data = bytearray(VALID_CSV)
    for _ in range(draw(st.integers(1, 20))):
        data.insert(
            draw(st.integers(0, len(data))), draw(st.sampled_from([0, 1, 9, 13, 10, 34, 44, 59, 255]))
        )
    return bytes(data), "people.csv"


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(upload=hostile_files())
def test_no_file_gives_a_500(client, world, upload):
    data, name = upload
    client.force_login(world.uppsala_coordinator)
    response = client.post(reverse("participants:import_preview"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    key = response.context.get("key") if response.context else None
    if key:
        for path, body in (
            ("participants:import_rejected", {"key": key}),
            ("participants:import_preview", {"key": key, "drop_unknown_interests": "on"}),
            ("participants:import_confirm", {"key": key, "mode": "valid"}),
        ):
            assert client.post(reverse(path), body).status_code in (200, 302), path


def test_preview_still_checks_csrf(world):
    """The preview installs its upload handler before Django reads the body, so it checks CSRF itself."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin)
    response = client.post(
        reverse("participants:import_preview"), {"file": SimpleUploadedFile("p.csv", csv_bytes([row("P1")]))}
    )
    assert response.status_code == 403
