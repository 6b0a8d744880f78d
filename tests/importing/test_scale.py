"""100,000 rows: every row imported and exported. Timings: `make bench` (bench/bench_scale.py)."""

from __future__ import annotations

import io

import pytest

from kompis.participants import exporting, importing
from kompis.participants.import_services import import_participants
from kompis.participants.models import Participant
from tests.importing.conftest import csv_bytes, row

pytestmark = [pytest.mark.slow]

N = 100_000


def test_import_and_export_100k(world):
    munis = ["0380", "0305", "0162", "2580", "0180", "1480"]
    rows = [
        row(
            f"P{i}",
            municipality_code=munis[i % len(munis)],
            email="" if i % 3 else f"p{i}@example.org",
            languages=("sv;ar", "en", "sv;fa;en")[i % 3],
            birth_year=str(1950 + i % 50),
        )
        for i in range(N)
    ]
    data = csv_bytes(rows, [*importing.CONTRACT_COLUMNS, "email"])
    assert len(data) < importing.max_bytes()
    table = importing.read_table(data, "big.csv")
    result = import_participants(actor=world.admin, organisation=world.org, rows=table)
    assert result.created == N
    assert Participant.objects.filter(organisation=world.org).count() == N

    out = io.BytesIO()
    exporting.write_csv(
        out, exporting.export_queryset(Participant.objects.filter(organisation=world.org)), "full"
    )
    assert out.getvalue().count(b"\n") == N + 1
