"""Small-number suppression: primary (1..k-1 -> "<k", zero shown) and secondary (no cell derivable)."""

from __future__ import annotations

import random

from kompis.reports.periods import parse_period
from kompis.reports.report import build_report
from kompis.reports.scope import ReportScope
from kompis.reports.suppression import COUNT, RATE, Cell, Column, Row, Table, suppress


def role_table(rows: dict[str, tuple[int, int]], additive: bool = True) -> Table:
    cols = [Column("newcomer", "N"), Column("established", "E"), Column("total", "T", is_total=True)]
    out = [
        Row(k, k, {"newcomer": Cell(a), "established": Cell(b), "total": Cell(a + b)})
        for k, (a, b) in rows.items()
    ]
    if additive:
        tot = (sum(a for a, _ in rows.values()), sum(b for _, b in rows.values()))
        out.append(
            Row(
                "total",
                "Total",
                {"newcomer": Cell(tot[0]), "established": Cell(tot[1]), "total": Cell(sum(tot))},
                is_total=True,
            )
        )
    return Table("t", "t", "d", cols, out, additive=additive)


def hidden(table: Table) -> set[tuple[str, str]]:
    return {(r.key, c) for r in table.rows for c, cell in r.cells.items() if cell.suppressed}


def test_primary_and_zero():
    t = suppress(role_table({"a": (0, 7), "b": (4, 30), "c": (1, 0)}, additive=False), k=5)
    assert ("a", "newcomer") not in hidden(t)  # zero is shown
    assert t.cell("a", "newcomer").display(5) == "0"
    assert t.cell("b", "newcomer").display(5) == "<5"
    assert ("c", "newcomer") in hidden(t) and ("c", "total") in hidden(t)  # total 1 is small itself


def test_secondary_in_rows_and_columns():
    t = suppress(role_table({"a": (3, 10), "b": (20, 30), "c": (15, 2)}), k=5)
    assert hidden(t) == {("a", "newcomer"), ("a", "established"), ("c", "newcomer"), ("c", "established")}
    # totals stay exact
    assert t.cell("a", "total").display(5) == "13" and t.cell("total", "total").display(5) == "80"


def test_secondary_cascades_across_rows():
    # b's newcomer cell (3) is alone in its row and its column: suppressing a partner in the row makes the
    # established column need a second hidden cell too.
    t = suppress(role_table({"a": (40, 50), "b": (3, 60), "c": (40, 70)}), k=5)
    h = hidden(t)
    assert ("b", "newcomer") in h and ("b", "established") in h
    assert ("a", "newcomer") in h  # smallest other newcomer cell (40 vs 40: first)
    assert ("a", "established") in h or ("c", "established") in h


def test_rate_suppressed_on_small_base():
    t = Table(
        "m",
        "m",
        "d",
        [Column("n", "n")],
        [
            Row("met_rate", "Met rate", {"n": Cell(0.75, RATE, base=4)}),
            Row("met_rate2", "Met rate", {"n": Cell(0.5, RATE, base=10)}),
        ],
    )
    s = suppress(t, k=5)
    assert s.cell("met_rate", "n").display(5) == "<5"
    assert s.cell("met_rate2", "n").display(5) == "50\u00a0%"


def test_random_tables_never_leave_a_lonely_suppressed_cell():
    rnd = random.Random(7)
    for _ in range(300):
        rows = {
            f"r{i}": (rnd.choice([0, 1, 2, 3, 4, 5, 8, 20]), rnd.choice([0, 1, 2, 6, 9, 40]))
            for i in range(rnd.randint(1, 6))
        }
        t = suppress(role_table(rows), k=5)
        body = [r for r in t.rows if not r.is_total]
        for r in t.rows:  # every small count is hidden
            for c in ("newcomer", "established", "total"):
                cell = r.cells[c]
                if cell.kind == COUNT and 0 < cell.value < 5:
                    assert cell.suppressed and cell.display(5) == "<5"
        for r in t.rows:  # row groups: newcomer + established = total
            assert (
                sum(r.cells[c].suppressed for c in ("newcomer", "established")) != 1
                or r.cells["total"].suppressed
            )
        for c in ("newcomer", "established", "total"):  # column groups: rows add up to the total row
            n = sum(r.cells[c].suppressed for r in body)
            assert n != 1 or t.rows[-1].cells[c].suppressed


def test_report_suppresses_small_world(small):
    """In the small world every breakdown cell is 1-4 persons: the report shows none of them."""
    report = build_report(ReportScope(organisation=small.world.org), parse_period("2026"), charts=False)
    assert report.summary.cell("signups", "newcomer").display(5) == "<5"
    assert report.matches.cell("met_rate", "n").display(5) == "<5"  # rests on 2 matches followed up
    assert report.summary.cell("median_days_to_match", "newcomer").suppressed
    age = report.table("age_band")
    # the newcomer column adds up to "<5", so its zeros are hidden, except where a shown 0 implies them anyway
    assert age.cell("46-55", "newcomer").display(5) == "0"  # its row total is 0
    assert age.cell("56-65", "newcomer").display(5) == "<5"  # beside the row's single established
    assert all(
        c.suppressed
        for r in age.rows
        for k, c in r.cells.items()
        if c.value and (r.key, k) != ("total", "total")
    )
    # Six persons, three newcomers and three established, each in an age band of their own. The newcomer and
    # established totals are "<5", so their zeros are hidden as "<5" too: a reader cannot tell 3 + 3 = 6
    # spread one per band from, say, 2 + 1, and the 6 can stay (the five band totals are then 1 or 2 each).
    assert age.cell("total", "total").display(5) == "6"
    assert report.summary.cell("signups", "total").display(5) == "6"
    shown: dict[str, set[str]] = {}  # a figure shown in several tables reads the same everywhere
    for table in report.all_tables():
        for r in table.rows:
            for cell in r.cells.values():
                if cell.ref:
                    shown.setdefault(cell.ref, set()).add(cell.display(5))
    assert "signups:newcomer" in shown and all(len(v) == 1 for v in shown.values()), shown
    # the zero beside a single person under a "<5" total is hidden too (else that row's 1 would follow)
    assert age.cell("66+", "newcomer").value == 0 and age.cell("66+", "newcomer").display(5) == "<5"
