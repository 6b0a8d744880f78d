"""Issue 10 §7, found by the review: costs that grew faster than the file.

- A file whose id (or e-mail) column is one value copied down named every other row in every row's message:
  time and memory grew with the square of the rows (8,000 such rows of 100 columns: 4 minutes, 840 MB).
- 100,000 rows of 100 short cells (a 30 MB CSV, within every other limit) took 1.3 GB to preview; filled
  cells are now counted while reading and the file refused past `MAX_CELLS`.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from kompis.participants import import_reading, importing
from kompis.participants.models import Participant
from tests.importing.conftest import csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_one_id_copied_down_names_a_few_other_rows_and_counts_the_rest(world):
    n = 5000
    data = csv_bytes([row("P1", email="same@example.org") for _ in range(n)])
    validation = importing.validate(importing.read_table(data, "people.csv"), organisation=world.org)
    assert validation.rejected_count == n and validation.valid_count == 0
    messages = [e.message for e in validation.errors]
    assert len(messages) == 2 * n
    assert max(len(m) for m in messages) < 200
    assert (
        "Row 2, column id: 'P1' appears more than once in the file: also in rows 3, 4, 5, 6, 7 and "
        f"{n - 6} more rows." in messages
    )
    assert (
        "Row 4, column email: 'same@example.org' appears more than once in the file: also in rows 2, 3, 5, "
        f"6, 7 and {n - 6} more rows." in messages
    )


def test_a_value_twice_still_names_the_other_row(world):
    data = csv_bytes([row("P1"), row("P2"), row("P1", email="other@example.org")])
    validation = importing.validate(importing.read_table(data, "people.csv"), organisation=world.org)
    assert [e.message for e in validation.errors] == [
        "Row 2, column id: 'P1' appears more than once in the file: also in row 4.",
        "Row 4, column id: 'P1' appears more than once in the file: also in row 2.",
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_too_many_filled_cells_are_refused_while_reading(monkeypatch, kind):
    monkeypatch.setattr(import_reading, "MAX_CELLS", 100)
    columns = [*importing.CONTRACT_COLUMNS, "first_name", "last_name", "email"]
    rows = [row(f"P{i}") for i in range(10)]  # 10 rows of 17 filled cells
    if kind == "csv":
        data = csv_bytes(rows, columns)
    else:
        data = xlsx_bytes([[r[c] for c in columns] for r in rows], columns)
    with pytest.raises(importing.ImportFileError) as caught:
        importing.read_table(data, f"people.{kind}")
    assert caught.value.message == (
        "The file has more than 100 filled cells; save only the columns the import reads, or split it into "
        "smaller files."
    )
    monkeypatch.setattr(import_reading, "MAX_CELLS", 170)  # exactly as many as the file has
    assert len(importing.read_table(data, f"people.{kind}").rows) == 10


def test_the_upload_page_says_why_a_file_with_too_many_cells_is_refused(client, world, monkeypatch):
    monkeypatch.setattr(import_reading, "MAX_CELLS", 20)
    client.force_login(world.admin)
    data = csv_bytes([row("P1"), row("P2")])
    response = client.post(
        reverse("participants:import_preview"), {"file": SimpleUploadedFile("people.csv", data)}
    )
    assert response.status_code == 200
    assert "more than 20 filled cells" in response.content.decode()
    assert not Participant.objects.exists()
