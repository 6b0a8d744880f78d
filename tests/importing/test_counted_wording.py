"""Import messages show counts with plural forms (translators' review, issue 9): one message per
count, never "1 participants" or "1 rows were rejected"."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from kompis.participants import importing
from tests.importing.conftest import csv_bytes, row
from tests.importing.test_import_pages import key_of, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_one_imported_and_one_rejected_read_in_the_singular(client, world):
    client.force_login(world.admin)
    response = upload(client, csv_bytes([row("P1"), row("P2", signed_up="yesterday")]))
    client.post(reverse("participants:import_confirm"), {"key": key_of(response), "mode": "valid"})
    page = client.get(reverse("participants:import")).content.decode()
    assert "Imported 1 participant. 1 row was rejected." in page


def test_import_of_one_row_says_one_participant(client, world):
    client.force_login(world.admin)
    response = upload(client, csv_bytes([row("P1")]))
    response = client.post(
        reverse("participants:import_confirm"), {"key": key_of(response), "mode": "all"}, follow=True
    )
    assert "Imported 1 participant." in response.content.decode()


def test_limits_use_plural_forms(monkeypatch):
    monkeypatch.setattr(importing, "MAX_CELL", 0)
    assert importing.cell_problem("a") == "the cell has 1 character; at most 0 are allowed."
    assert "longer than 1 character." in str(importing._longer_than(1))
