"""The workbook: one sheet per table with real numbers, frozen headers and set column widths."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kompis.core.cells import put
from kompis.reports.suppression import COUNT, DAYS, PERCENT, RATE, TARGET, marks_legend
from kompis.reports.tidy import machine_value, method_notes

if TYPE_CHECKING:
    from kompis.reports.report import Report

FORMATS = {COUNT: "#,##0", TARGET: "#,##0", RATE: "0%", PERCENT: "0", DAYS: "0"}
THIN = Side(style="thin", color="999999")


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:28].strip() or "Sheet"
    base, i = name, 2
    while name.lower() in used:
        name = f"{base[:26]} {i}"
        i += 1
    used.add(name.lower())
    return name


def render_xlsx(report: Report) -> bytes:
    wb = Workbook()
    about = wb.active
    if not isinstance(about, Worksheet):  # a new workbook's active sheet is its one worksheet
        raise TypeError("a new workbook starts with a worksheet")
    used: set[str] = set()
    about.title = _sheet_name(_("About"), used)
    put(about, 1, 1, report.scope.organisation.name)  # text typed by people is never a formula
    about["A1"].font = Font(bold=True, size=14)
    rows = [
        (_("Report"), report.title),
        (_("Scope"), report.subtitle),
        (_("Period"), report.period.label),
        (pgettext("date the report was made", "Made"), report.generated_at.strftime("%Y-%m-%d %H:%M")),
    ]
    for i, (k, v) in enumerate(rows, start=3):
        put(about, i, 1, k).font = Font(bold=True)
        put(about, i, 2, v)
    put(about, len(rows) + 4, 1, _("Method notes")).font = Font(bold=True)
    for i, note in enumerate(method_notes(report), start=len(rows) + 5):
        put(about, i, 1, note).alignment = Alignment(wrap_text=True, vertical="top")
        about.merge_cells(start_row=i, start_column=1, end_row=i, end_column=6)
        about.row_dimensions[i].height = 15 * (1 + len(note) // 95)
    about.column_dimensions["A"].width = 18
    for letter in "BCDEF":
        about.column_dimensions[letter].width = 18
    for table in report.all_tables():
        ws = wb.create_sheet(_sheet_name(table.title, used))
        put(ws, 1, 1, table.title).font = Font(bold=True, size=12)
        put(ws, 2, 1, f"{report.scope.organisation.name} · {report.subtitle} · {report.period.label}")
        header = [table.dimension, *[c.label for c in table.columns]]
        sources = table.extra.get("sources")
        if sources:
            header.append(_("Source"))
        for j, text in enumerate(header, start=1):
            cell = put(ws, 4, j, text)
            cell.font = Font(bold=True)
            cell.border = Border(bottom=THIN)
            cell.alignment = Alignment(horizontal="left" if j == 1 else "right", wrap_text=True)
        for i, row in enumerate(table.rows, start=5):
            put(ws, i, 1, row.label).font = Font(bold=row.is_total)
            for j, col in enumerate(table.columns, start=2):
                c = row.cells.get(col.key)
                if c is None:
                    continue
                if c.suppressed:
                    out = put(ws, i, j, c.mark(report.k))  # "<k" (small) or SECONDARY_MARK
                    out.alignment = Alignment(horizontal="right")
                elif c.value is not None:
                    out = ws.cell(i, j, machine_value(c))  # the CSV's value; the format rounds for display
                    out.number_format = FORMATS.get(c.kind, "General")
                else:
                    out = ws.cell(i, j, None)
                out.font = Font(bold=row.is_total)
            if sources:
                put(ws, i, len(table.columns) + 2, sources.get(row.key, ""))
        ws.freeze_panes = "B5"
        ws.column_dimensions["A"].width = min(60, max(14, *(len(r.label) + 2 for r in table.rows), 14))
        for j in range(2, len(header) + 1):
            ws.column_dimensions[get_column_letter(j)].width = 40 if sources and j == len(header) else 16
        if table.note:
            put(ws, len(table.rows) + 6, 1, table.note).font = Font(italic=True, color="666666")
        if any(c.suppressed for r in table.rows for c in r.cells.values()):  # what the marks mean
            legend = put(ws, len(table.rows) + 6 + bool(table.note), 1, marks_legend(report.k))
            legend.font = Font(italic=True, color="666666")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
