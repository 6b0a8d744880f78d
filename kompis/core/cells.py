"""Safe spreadsheet cells for every CSV and XLSX writer (participants, import, reports, later surveys).

A file Kompis writes must be safe to open in Excel or LibreOffice whatever a participant typed into a
form (issue 10 §1, "CSV/formula injection"):

- XLSX: every value is a typed string or number, never a formula. openpyxl turns a string that starts
  with ``=`` into a formula unless the cell's data type is forced to string; `xlsx_value` / `put` /
  `write_only_cell` force it, and mark text that starts with a formula character with Excel's "quote
  prefix" style, so the cell stays text even when someone edits it in Excel.
- CSV: a text cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading
  ``'`` (OWASP's rule); numbers stay numbers. `unguard` takes the ``'`` off again when Kompis reads its
  own export back.

Characters XML cannot hold (NUL and other C0 controls) are replaced by U+FFFD in XLSX, so a stray
control character in a name never makes a download fail.

No Django here: this module only knows cells.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

#: A text cell that starts with one of these is a formula (or the start of one) to a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NUMBER_TYPES = (int, float, Decimal)


def is_risky(text: str) -> bool:
    """Whether a spreadsheet would read this text as (the start of) a formula."""
    return bool(text) and text[0] in FORMULA_START


def guard(text: str) -> str:
    """The text with a leading ``'`` when it starts like a formula (for CSV)."""
    return GUARD + text if is_risky(text) else text


def unguard(text: str) -> str:
    """Undo `guard`: ``'=x`` → ``=x``; any other text is returned as it is."""
    if len(text) > 1 and text[0] == GUARD and text[1] in FORMULA_START:
        return text[1:]
    return text


def text_of(value: Any) -> str:
    """The text of a non-numeric value: bools as true/false, dates ISO, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_value(value: Any) -> Any:
    """One CSV cell: numbers stay numbers, everything else is text, guarded."""
    if isinstance(value, _NUMBER_TYPES) and not isinstance(value, bool):
        return value
    return guard(text_of(value))


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_value(v) for v in values]


def xml_safe(text: str) -> str:
    """Text with the characters XML cannot hold replaced by U+FFFD."""
    return _ILLEGAL_XML.sub("\ufffd", text)


def xlsx_value(value: Any) -> Any:
    """The value as a spreadsheet keeps it: numbers, bools, dates as they are, the rest as safe text."""
    if value is None or isinstance(value, (bool, dt.date, *_NUMBER_TYPES)):
        return value
    return xml_safe(str(value))


def make_safe(cell: Any) -> Any:
    """Force an openpyxl cell that holds text to be a string cell (never a formula); returns the cell."""
    value = cell.value
    if isinstance(value, str):
        cell.data_type = "s"
        if is_risky(value):
            cell.quotePrefix = True
    return cell


def put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """`sheet.cell(row, column, value)` for a normal worksheet, safe; returns the cell."""
    cell = sheet.cell(row=row, column=column)
    cell.value = xlsx_value(value)
    return make_safe(cell)


def write_only_cell(sheet: Any, value: Any) -> Any:
    """A WriteOnlyCell holding the value safely (for `Workbook(write_only=True)` sheets)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=xlsx_value(value))
    return make_safe(cell)


def write_only_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """A row for `sheet.append(...)` of a write-only sheet: cells already made are made safe, text that starts
    like a formula becomes a string cell; other values stay plain (openpyxl types them itself)."""
    from openpyxl.cell.cell import Cell

    row: list[Any] = []
    for value in values:
        if isinstance(value, Cell):
            row.append(make_safe(value))
            continue
        value = xlsx_value(value)
        row.append(write_only_cell(sheet, value) if isinstance(value, str) and is_risky(value) else value)
    return row
