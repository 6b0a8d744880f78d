"""The table model every renderer (page, PDF, XLSX, CSV) draws, and small-number suppression.

`suppress(table, k)` returns the suppressed table; the renderers never see an unsuppressed one.

Rules (also in the method notes of every report):
- Primary: a count of 1 … k−1 is shown as "<k". Zero is shown (a zero says nobody, it reveals no one).
- A rate or a median is shown only when it rests on at least k persons or matches (its `base`).
- Secondary: within each group of cells that add up to a published total (the newcomer and established
  cells of a row add up to its total column; the categories of an additive table add up to the column
  total), a group with exactly one suppressed cell gets its smallest other non-zero cell suppressed too,
  repeated until no group has exactly one, so that no suppressed cell can be worked out by subtraction.
- The total column is never suppressed secondarily (only primarily, when it is itself below k).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings

COUNT, RATE, DAYS, TARGET, PERCENT = "count", "rate", "days", "target", "percent"


def whole(value: float | Decimal) -> int:
    """Rounds half up (Django's number_format would cut the decimals off)."""
    return int(Decimal(str(value)).quantize(Decimal(1), ROUND_HALF_UP))


@dataclass
class Cell:
    value: float | int | None
    kind: str = COUNT  # count | rate (0..1) | days | target | percent
    base: int | None = None  # for rates and medians: how many it rests on
    suppressed: bool = False

    def display(self, k: int | None = None) -> str:
        from django.utils.formats import number_format

        if self.suppressed:
            return f"<{k or settings.SUPPRESSION_K}"
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


def suppress(table: Table, k: int | None = None) -> Table:
    k = settings.SUPPRESSION_K if k is None else k
    rows = [replace(r, cells={c: replace(cell) for c, cell in r.cells.items()}) for r in table.rows]
    for r in rows:
        for cell in r.cells.values():
            cell.suppressed = _is_small(cell, k)
    part_cols = [c.key for c in table.columns if not c.is_total]
    has_total_col = any(c.is_total for c in table.columns)
    groups: list[list[Cell]] = []
    if has_total_col:  # each row: its parts add up to the total column
        for r in rows:
            groups.append([r.cells[c] for c in part_cols if c in r.cells and r.cells[c].kind == COUNT])
    if table.additive:  # each column: the categories add up to the total
        for c in table.columns:
            cells = [r.cells[c.key] for r in rows if not r.is_total and c.key in r.cells]
            groups.append([cell for cell in cells if cell.kind == COUNT])
    changed = True
    while changed:
        changed = False
        for group in groups:
            hidden = [c for c in group if c.suppressed]
            if len(hidden) != 1:
                continue
            candidates = [c for c in group if not c.suppressed and c.value]
            candidates = candidates or [c for c in group if not c.suppressed]
            if candidates:
                min(candidates, key=lambda c: c.value or 0).suppressed = True
                changed = True
    return replace(table, rows=rows)
