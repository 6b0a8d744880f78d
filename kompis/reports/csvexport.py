"""One tidy long-format CSV per report."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from kompis.core.cells import csv_row
from kompis.reports.tidy import HEADER, facts

if TYPE_CHECKING:
    from kompis.reports.report import Report


def render_csv(report: Report) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    for fact in facts(report.all_tables()):
        writer.writerow(csv_row(fact.as_row()))  # labels are typed by staff: never a formula
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly
