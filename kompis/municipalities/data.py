"""The project's own copy of Sweden's municipalities (kompis/data/municipalities.csv, source: Kolada)."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources


@cache
def municipality_rows() -> tuple[dict[str, str], ...]:
    text = resources.files("kompis").joinpath("data/municipalities.csv").read_text(encoding="utf-8")
    return tuple(csv.DictReader(text.splitlines()))


@cache
def municipality_names() -> dict[str, str]:
    return {row["code"]: row["name"] for row in municipality_rows()}
