"""Helpers for the import/export tests: generated rows in the participant CSV contract."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from kompis.participants.importing import CONTRACT_COLUMNS

PERSON = ("first_name", "last_name", "email")


def row(pid: str = "P1", **overrides: Any) -> dict[str, str]:
    """One valid row (a newcomer in Uppsala); override any cell."""
    values = {
        "id": pid,
        "role": "newcomer",
        "birth_year": "1990",
        "gender": "woman",
        "municipality_code": "0380",
        "postal_code": "75320",
        "languages": "ar;en",
        "interests": "fika;football",
        "has_children": "false",
        "wants_family_match": "false",
        "meeting_mode": "either",
        "same_gender_only": "false",
        "capacity": "1",
        "signed_up": "2026-01-15",
        "first_name": f"Gen{pid}",
        "last_name": "Erated",
        "email": f"{pid.lower()}@example.org",
    }
    values.update({k: str(v) for k, v in overrides.items()})
    return values


def csv_bytes(
    rows: list[dict[str, str]],
    columns: tuple[str, ...] | list[str] | None = None,
    *,
    delimiter: str = ",",
    bom: bool = False,
    encoding: str = "utf-8",
) -> bytes:
    columns = list(columns or [*CONTRACT_COLUMNS, *PERSON])
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([r.get(c, "") for c in columns])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode(encoding)


def xlsx_bytes(rows: list[list[Any]], header: list[str]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
