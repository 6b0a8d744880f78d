"""Hostile import files: how long refusing them takes (moved here from the test suite's timed assertions;
tests/importing/test_hostile_files.py and test_hostile_sizes.py keep asserting the refusals and memory).

    .venv/bin/python bench/bench_hostile.py [--database sqlite|postgres]

Baseline in the same run: reading and checking an ordinary 1,000-row workbook (or CSV). The ratio is
seconds(hostile file) / seconds(baseline); the targets are the bounds the tests used to assert.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_scale import make_organisation, setup  # noqa: E402


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def refused(data: bytes, filename: str) -> Callable[[], object]:
    from kompis.participants import importing

    def work() -> None:
        try:
            importing.read_table(data, filename)
        except importing.ImportFileError:
            return
        raise SystemExit(f"{filename} was not refused")

    return work


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    setup(args.database)

    from kompis.participants import importing
    from tests.importing import test_hostile_files as hostile
    from tests.importing.conftest import csv_bytes, row, xlsx_bytes

    org, _, _ = make_organisation("hostile")
    rows = [row(f"P{i}") for i in range(1000)]
    columns = list(importing.CONTRACT_COLUMNS)
    ordinary_xlsx = xlsx_bytes([[r[c] for c in columns] for r in rows], columns)
    ordinary_csv = csv_bytes(rows)

    def check(data: bytes, filename: str) -> Callable[[], object]:
        return lambda: importing.validate(importing.read_table(data, filename), organisation=org)

    check(ordinary_xlsx, "warm-up.xlsx")()
    xlsx_base = timed(check(ordinary_xlsx, "ordinary.xlsx"))
    csv_base = timed(check(ordinary_csv, "ordinary.csv"))
    print(f"baseline: an ordinary 1,000-row workbook {xlsx_base:.2f} s, the same as CSV {csv_base:.2f} s")

    far = hostile.sheet_xml(
        [
            hostile.header_row(),
            '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>P1</t></is></c></row>',
        ]
    ).replace("<sheetData>", '<dimension ref="A1:XFD1048576"/><sheetData>')
    wide = hostile.sheet_xml(
        [hostile.header_row(), '<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>']
    )
    cases: list[tuple[str, Callable[[], object], float, float]] = [
        (
            "6M shared strings, count declared",
            refused(hostile.shared_strings_bomb(declared=True), "bomb.xlsx"),
            3,
            xlsx_base,
        ),
        (
            "6M shared strings, not declared",
            refused(hostile.shared_strings_bomb(declared=False), "bomb.xlsx"),
            3,
            xlsx_base,
        ),
        ("a cell in column XFD", refused(hostile.workbook(wide), "wide.xlsx"), 1, xlsx_base),
        ("a huge dimension, far row number", check(hostile.workbook(far), "far.xlsx"), 2, xlsx_base),
        (
            "5,000 rows with one id copied down",
            check(csv_bytes([row("P1", email="same@example.org") for _ in range(5000)]), "same.csv"),
            20,
            csv_base,
        ),
    ]
    for label, work, target, baseline in cases:
        seconds = timed(work)
        verdict = "ok" if seconds < target else "MISSED"
        print(
            f"{label}: {seconds:.2f} s (ratio {seconds / baseline:.2f} x baseline); "
            f"target < {target} s {verdict}"
        )


if __name__ == "__main__":
    main()
