"""The table model every renderer (page, PDF, XLSX, CSV) draws, and small-number suppression.

`suppress_tables(tables, k)` returns the suppressed tables of one report; the renderers never see an
unsuppressed one. The arithmetic lives in `kompis.disclosure` (no Django); this module only says which
cells add up to which.

Rules (also in the method notes of every report):
- Primary ("small", shown as "<k"): a count of 1 … k−1, and a rate or median that rests on fewer than
  k persons or matches (its `base`). Zero is shown, except as a part of a total that is itself small.
- Secondary ("secondary", shown as SECONDARY_MARK): a count of at least k hidden only so that no small
  count can be worked out from the shown cells and the sums that hold between the cells of a report:
  the parts of a row add up to its total column, the categories of an additive table add up to its
  total row, matches made = individual + family = in person + online, and a figure that appears in
  several tables (`Cell.ref`, e.g. the sign-ups in the summary and in the total row of each breakdown)
  is one and the same number. Every hidden count is checked by linear programming: it can take at least
  two values given everything published.
- A cell that `follows` another of its row (the per cent achieved of a target follows the result) is
  hidden whenever that one is, with the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeGuard

from django.conf import settings

from kompis.disclosure import SECONDARY, SMALL, Sum, protect

COUNT, RATE, DAYS, TARGET, PERCENT = "count", "rate", "days", "target", "percent"
# The UK Government Statistical Service's shorthand for a confidential value; not a number, so it cannot
# be mistaken for one, and distinct from "<k" (1 … k−1 persons) and "–" (nothing to show).
SECONDARY_MARK = "[c]"


def whole(value: float | Decimal) -> int:
    """Rounds half up (Django's number_format would cut the decimals off)."""
    return int(Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP))


@dataclass
class Cell:
    value: float | int | None
    kind: str = COUNT  # count | rate (0..1) | days | target | percent
    base: int | None = None  # for rates and medians: how many it rests on
    suppressed: bool = False
    reason: str = ""  # why it is hidden: "small" (1 … k−1 or a small base) or "secondary"
    ref: str = ""  # the figure it is, when the same figure appears in several tables ("signups:total")
    follows: str = ""  # the column of its row whose suppression it copies (a percentage of a result)

    def mark(self, k: int | None = None) -> str:
        """What a hidden cell shows instead of its value ("" when it is shown)."""
        if not self.suppressed:
            return ""
        if self.reason == SECONDARY:
            return SECONDARY_MARK
        return f"<{k or settings.SUPPRESSION_K}"

    def display(self, k: int | None = None) -> str:
        from django.utils.formats import number_format

        if self.suppressed:
            return self.mark(k)
        if self.value is None:
            return "–"
        # rounded from the value the exports write (4 decimals for rates, 1 for the rest), so they agree
        if self.kind == RATE:
            return f"{whole(Decimal(str(round(self.value, 4))) * 100)}\u00a0%"
        if self.kind == PERCENT:
            return f"{number_format(whole(round(self.value, 1)), 0, force_grouping=True)}\u00a0%"
        if self.kind == DAYS:
            return number_format(whole(round(self.value, 1)), 0, force_grouping=True)
        return number_format(whole(self.value), 0, force_grouping=True)


@dataclass
class Column:
    key: str
    label: str
    is_total: bool = False  # the sum of the other count columns


@dataclass
class Row:
    key: str
    label: str
    cells: dict[str, Cell]
    is_total: bool = False  # the sum of the other rows (additive tables)


@dataclass
class Table:
    key: str  # section: "summary", "age_band", ...
    title: str
    dimension: str  # the label of the row categories ("Age", "Gender", "Measure")
    columns: list[Column]
    rows: list[Row]
    additive: bool = False  # the non-total rows add up to a published total in every count column
    note: str = ""
    chart: str = ""  # an SVG chart drawn from the suppressed table
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def grid(self) -> list[tuple[Row, list[Cell | None]]]:
        return [(r, [r.cells.get(c.key) for c in self.columns]) for r in self.rows]

    def cell(self, row: str, col: str) -> Cell:
        return next(r for r in self.rows if r.key == row).cells[col]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _is_small(cell: Cell, k: int) -> bool:
    if cell.kind in (COUNT,):
        return cell.value is not None and 0 < cell.value < k
    if cell.kind in (RATE, DAYS, PERCENT):
        return cell.base is not None and 0 < cell.base < k
    return False  # targets are promises, not persons


def _copy(table: Table) -> Table:
    rows = [replace(r, cells={c: replace(cell) for c, cell in r.cells.items()}) for r in table.rows]
    return replace(table, rows=rows)


def _is_count(cell: Cell | None) -> TypeGuard[Cell]:
    return cell is not None and cell.kind == COUNT and cell.value is not None


def _sums(table: Table) -> list[tuple[Cell, list[Cell]]]:
    """The sums that hold between the count cells of one table and are visible to its reader."""
    out: list[tuple[Cell, list[Cell]]] = []

    def add(total: Cell | None, parts: list[Cell | None]) -> None:
        counts = [p for p in parts if _is_count(p)]
        if not (_is_count(total) and parts and len(counts) == len(parts)):
            return
        if total.value == sum(p.value or 0 for p in counts):  # counts: no value is None
            out.append((total, counts))

    total_cols = [c.key for c in table.columns if c.is_total]
    part_cols = [c.key for c in table.columns if not c.is_total]
    for t in total_cols:  # each row: its parts add up to the total column
        for r in table.rows:
            add(r.cells.get(t), [r.cells.get(c) for c in part_cols])
    total_rows = [r for r in table.rows if r.is_total]
    if table.additive and total_rows:  # each column: the categories add up to the total row
        body = [r for r in table.rows if not r.is_total]
        for c in table.columns:
            add(total_rows[0].cells.get(c.key), [r.cells.get(c.key) for r in body])
    rows = {r.key: r for r in table.rows}
    for col, total_row, part_rows in table.extra.get(
        "sums", []
    ):  # other sums, e.g. made = individual + family
        add(rows[total_row].cells.get(col), [rows[p].cells.get(col) for p in part_rows])
    return out


def suppress_tables(tables: list[Table], k: int | None = None) -> list[Table]:
    """The tables of one report, suppressed together (a figure shown in two tables is hidden in both)."""
    k = settings.SUPPRESSION_K if k is None else k
    tables = [_copy(t) for t in tables]
    cells = [cell for t in tables for r in t.rows for cell in r.cells.values()]
    for cell in cells:
        cell.suppressed = _is_small(cell, k)
        cell.reason = SMALL if cell.suppressed else ""
    # one variable per count: cells that are the same figure (same ref and value) share it
    var_of: dict[int, int] = {}
    by_ref: dict[tuple[str, float], int] = {}
    values: list[int] = []
    shared: list[int] = []
    for t in tables:
        for r in t.rows:
            for cell in r.cells.values():
                if not _is_count(cell):
                    continue
                key = (cell.ref, float(cell.value or 0))
                if cell.ref and key in by_ref:
                    var_of[id(cell)] = by_ref[key]
                    shared[by_ref[key]] += 1
                    continue
                var_of[id(cell)] = len(values)
                values.append(int(cell.value or 0))
                shared.append(1)
                if cell.ref:
                    by_ref[key] = var_of[id(cell)]
    sums: list[Sum] = []
    for t in tables:
        for total, parts in _sums(t):
            sums.append((var_of[id(total)], tuple(var_of[id(p)] for p in parts)))
    as_total = [0] * len(values)
    for total_var, _parts in sums:
        as_total[total_var] += 1
    # parts before totals, figures shown in one table before those shown in several, then the smallest
    top = max(values, default=0) + 1
    weight = [1 + 2 * as_total[i] + 3 * (shared[i] - 1) + v / top for i, v in enumerate(values)]
    status = protect(values, sums, k, weight=weight)
    for t in tables:
        for r in t.rows:
            for cell in r.cells.values():
                if id(cell) in var_of and status[var_of[id(cell)]]:  # incl. the zeros of a small total
                    cell.suppressed, cell.reason = True, status[var_of[id(cell)]]
            for cell in r.cells.values():
                source = r.cells.get(cell.follows) if cell.follows else None
                if source is not None and source.suppressed and not cell.suppressed:
                    cell.suppressed, cell.reason = True, source.reason
    return tables


def suppress(table: Table, k: int | None = None) -> Table:
    """One table on its own (tests, and tables that share no figure with others)."""
    return suppress_tables([table], k)[0]


def marks_legend(k: int) -> str:
    """One line under a table with hidden cells (page, PDF, workbook)."""
    from django.utils.translation import gettext as _

    return _(
        "“<%(k)s” = 1 to %(km1)s (or 0 within a “<%(k)s” total); “%(mark)s” = %(k)s or more, hidden only so "
        "that a “<%(k)s” cannot be worked out."
    ) % {"k": k, "km1": k - 1, "mark": SECONDARY_MARK}


def suppression_note(k: int) -> str:
    """The method note on small numbers (page, PDF, workbook)."""
    from django.utils.translation import gettext as _

    return _(
        "Small numbers are hidden to protect participants. “<%(k)s” stands for a number of persons or matches "
        "from 1 to %(km1)s, and for a rate or median that rests on fewer than %(k)s. Zero is shown, except within a "
        "total that is itself “<%(k)s” (there a “<%(k)s” may also be 0). “%(mark)s” stands for a number of "
        "%(k)s or more that is hidden only because, with the totals, it would give a “<%(k)s” away "
        "(secondary suppression): it is not a small number. Every hidden number was checked by linear "
        "programming against all the sums this report shows (the parts of a row add up to its total, the "
        "categories to the total row, matches made = individual + family = in person + online, and a figure "
        "shown in several tables is the same number everywhere): none can be worked out exactly; each still "
        "has at least two possible values. A total whose parts are all shown is always shown. Charts draw "
        "no bar for a hidden number, only its mark. We hide rather than round so that every number shown "
        "is exact."
    ) % {"k": k, "km1": k - 1, "mark": SECONDARY_MARK}
