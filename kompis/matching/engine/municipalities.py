"""Swedish municipality codes and names, read from ``kompis/data/municipalities.csv``."""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True, slots=True)
class Municipality:
    code: str
    name: str
    county_code: str
    county_name: str
    lat: float
    lon: float


@functools.cache
def municipalities() -> dict[str, Municipality]:
    """All 290 municipalities keyed by their 4-digit code (e.g. ``"0180"``)."""
    text = resources.files("kompis").joinpath("data", "municipalities.csv").read_text(encoding="utf-8")
    out: dict[str, Municipality] = {}
    for row in csv.DictReader(io.StringIO(text)):
        out[row["code"]] = Municipality(
            code=row["code"],
            name=row["name"],
            county_code=row["county_code"],
            county_name=row["county_name"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
        )
    return out


def municipality_name(code: str) -> str:
    """The municipality's name, or the code itself when unknown."""
    m = municipalities().get(code)
    return m.name if m else code
