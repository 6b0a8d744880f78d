"""Page, PDF, XLSX and CSV show the same (suppressed) numbers: compared on the rendered outputs."""

from __future__ import annotations

import csv
import io
import random
import re
import subprocess
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse

from kompis.matching.models import Match
from kompis.organisations.models import ProjectTarget
from kompis.reports.models import ChangeStep, Indicator
from kompis.reports.suppression import SECONDARY_MARK
from tests.factories import ParticipantFactory

STHLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def medium(world):
    """About 90 participants and 30 matches: enough for shown cells next to suppressed ones."""
    rnd = random.Random(42)
    regions = [(world.uppsala, ["0380", "0305"]), (world.danderyd, ["0162", "0160"]), (world.lulea, ["2580"])]
    people = {"newcomer": [], "established": []}
    for i in range(90):
        region, codes = regions[i % 3] if i % 7 else regions[0]
        role = "newcomer" if rnd.random() < 0.55 else "established"
        people[role].append(
            ParticipantFactory(
                organisation=world.org,
                region=region,
                project=world.project if i % 4 == 0 else None,
                role=role,
                birth_year=rnd.randint(1950, 2006),
                gender=rnd.choice(["woman", "woman", "man", "man", "nonbinary"]),
                municipality_id=rnd.choice(codes),
                languages=rnd.sample(["sv", "ar", "en", "fa", "so", "uk"], 2),
                meeting_mode=rnd.choice(["physical", "digital", "either"]),
                signed_up_at_date=date(2026, 1, 1) + timedelta(days=rnd.randint(0, 300)),
                email_verified_at=datetime(2026, 1, 1, tzinfo=STHLM) if rnd.random() < 0.8 else None,
                status=rnd.choice(["waiting", "waiting", "matched"]),
            )
        )
    for i in range(30):
        created = datetime(2026, 1, 1, 10, tzinfo=STHLM) + timedelta(days=rnd.randint(0, 320))
        met = created + timedelta(days=20) if i % 3 else None
        Match.objects.create(
            organisation=world.org,
            newcomer=people["newcomer"][i],
            established=people["established"][i],
            kind="family" if i % 4 == 0 else "individual",
            mode=rnd.choice(["physical", "digital"]),
            created_at=created,
            introduced_at=created + timedelta(days=1),
            followup_asked_at=created + timedelta(days=15) if i % 5 else None,
            met_at=met,
            status="met" if met else "introduced",
        )
    ProjectTarget.objects.create(project=world.project, kind="signups", target=40)
    step = ChangeStep.objects.create(project=world.project, level="output", text="Friends are matched")
    Indicator.objects.create(step=step, name="Matches made", figure_key="matches_made", target=50)
    Indicator.objects.create(
        step=step, name="Felt welcome (survey)", target=70, manual_value=64, source="Survey autumn 2026"
    )
    return world


class Tables(HTMLParser):
    """{table key: {row key: [td texts]}} from the dashboard's tables."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, dict[str, list[str]]] = {}
        self.table = self.row = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.table = a.get("data-table") or "theory"
            self.tables.setdefault(self.table, {})
        elif tag == "tr" and self.table and "data-row" in a:
            self.row = a["data-row"]
            self.tables[self.table][self.row] = []
        elif tag == "td" and self.row is not None and "progress-cell" not in (a.get("class") or ""):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.tables[self.table][self.row].append(norm("".join(self.cell)))
            self.cell = None
        elif tag == "tr":
            self.row = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def shown(row: dict[str, str]) -> str:
    """How the page and the PDF show a CSV value (English)."""
    if row["suppressed"] == "small":
        return "<5"
    if row["suppressed"] == "secondary":
        return SECONDARY_MARK
    if row["value"] == "":
        return "–"
    if row["measure"] == "met_rate":
        return f"{int((Decimal(row['value']) * 100).quantize(Decimal(1), ROUND_HALF_UP))} %"
    if row["measure"] == "percent":
        return f"{int(Decimal(row['value']).quantize(Decimal(1), ROUND_HALF_UP)):,} %"
    return f"{int(Decimal(row['value']).quantize(Decimal(1), ROUND_HALF_UP)):,}"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " ")).strip()


def download(client, fmt: str) -> bytes:
    response = client.get(reverse("reports:download", args=[fmt]), {"year": "2026"})
    assert response.status_code == 200, response.content[:500]
    return response.content


def test_page_pdf_xlsx_csv_agree(client, medium, tmp_path):
    client.force_login(medium.admin)
    page = client.get(reverse("reports:dashboard"), {"year": "2026"})
    assert page.status_code == 200
    parser = Tables()
    parser.feed(page.content.decode())
    rows = list(csv.DictReader(io.StringIO(download(client, "csv").decode("utf-8-sig"))))
    assert rows and {r["suppressed"] for r in rows} == {"", "small", "secondary"}, (
        "the fixture should have shown, small and secondary cells"
    )

    # CSV vs page: every cell, in order
    by_table: dict[str, dict[str, list[str]]] = {}
    labels: dict[tuple[str, str], str] = {}
    for r in rows:
        table = "theory" if r["section"].startswith("theory") else r["section"]
        key = r["category"] or r["measure"]
        if table == "targets" or table == "theory" or r["section"] in ("matches",):
            key = r["category"] or r["measure"]
        by_table.setdefault(table, {}).setdefault(key, []).append(shown(r))
    for table, table_rows in by_table.items():
        assert table in parser.tables, table
        for key, values in table_rows.items():
            page_key = key
            assert parser.tables[table].get(page_key) == values, (
                table,
                key,
                parser.tables[table].get(page_key),
            )

    # CSV vs XLSX: the same machine values, sheet by sheet
    wb = openpyxl.load_workbook(io.BytesIO(download(client, "xlsx")))
    xlsx_values = []
    for ws in wb.worksheets[1:]:
        assert ws.freeze_panes == "B5"
        for line in ws.iter_rows(min_row=5, min_col=2, max_col=ws.max_column, values_only=True):
            if line and line[0] is None and all(v is None for v in line):
                continue
            xlsx_values.extend(line)
    csv_values = [
        (shown(r) if r["suppressed"] else (float(r["value"]) if r["value"] != "" else None)) for r in rows
    ]
    xlsx_values = [
        v for v in xlsx_values if not (isinstance(v, str) and v not in ("<5", SECONDARY_MARK))
    ]  # the source column
    xlsx_values = [float(v) if isinstance(v, int | float) else v for v in xlsx_values]
    assert [v for v in xlsx_values] == [v for v in csv_values][: len(xlsx_values)]
    assert len(xlsx_values) == len(csv_values)

    # CSV vs PDF text: each table row's label followed by its shown values
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(download(client, "pdf"))
    text = norm(
        subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.replace("\n", " \n ")
    )
    lines = [
        norm(line)
        for line in subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.splitlines()
    ]
    assert "Kompisföreningen" in text
    checked = 0
    for r in rows:
        labels.setdefault((r["section"], r["category"] or r["measure"]), r["label"])
    for table, table_rows in by_table.items():
        if table in ("summary", "matches", "theory"):
            continue  # labels are not in the CSV; covered by the page comparison
        for key, values in table_rows.items():
            label = labels.get((table, key)) or key
            expected = norm(" ".join([label, *values]))
            assert any(expected in line for line in lines), (table, expected)
            checked += 1
    assert checked > 20
    # the summary's numbers appear in the PDF in the same order as on the page
    for key, values in parser.tables["summary"].items():
        assert any(norm(" ".join(values)) in line for line in lines), (key, values)
