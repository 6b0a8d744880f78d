"""Exporting participants as CSV or XLSX.

`matching` is the participant CSV contract shared with matching (id = the participant's uid);
`full` adds the person columns staff need. The friend-matching columns (role, status, capacity, meeting mode,
family wish, availability) come from the person's FriendParticipation: the `matching` export has only people
who take part in friend matching; in `full`, a person without it has those cells empty. Both read the queryset with iterator(), so 100,000
participants stream without being held in memory (XLSX is written with openpyxl's write-only mode).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone

from kompis.core import cells
from kompis.participants.importing import CONTRACT_COLUMNS
from kompis.participants.models import FRIEND_FIELDS, Participant
from kompis.participants.selectors import friend_participation_of

FORMATS = ("matching", "full")
FILETYPES = ("csv", "xlsx")
FULL_COLUMNS: tuple[str, ...] = (
    *CONTRACT_COLUMNS,
    "first_name",
    "last_name",
    "name_latin",
    "email",
    "phone",
    "status",
    "region",
    "project",
    "availability",
)
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CHUNK = 2000
# Column widths (characters) for XLSX.
_WIDTHS = {
    "id": 38,
    "role": 12,
    "birth_year": 10,
    "gender": 12,
    "municipality_code": 10,
    "postal_code": 10,
    "languages": 16,
    "interests": 28,
    "has_children": 8,
    "wants_family_match": 8,
    "meeting_mode": 10,
    "same_gender_only": 8,
    "capacity": 8,
    "signed_up": 12,
    "first_name": 18,
    "last_name": 20,
    "name_latin": 22,
    "email": 30,
    "phone": 16,
    "status": 11,
    "region": 16,
    "project": 24,
    "availability": 28,
}


def columns_for(fmt: str) -> tuple[str, ...]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    return CONTRACT_COLUMNS if fmt == "matching" else FULL_COLUMNS


#: the columns read from the person's friend participation
FRIEND_COLUMNS = frozenset({*FRIEND_FIELDS, "status"})


def export_queryset(qs: QuerySet[Participant], fmt: str = "full") -> Iterator[Participant]:
    """The people to export, in order, streamed; for `matching` only those who take part in friend matching."""
    if fmt == "matching":
        qs = qs.filter(friend_matching__isnull=False)
    return (
        qs.select_related("region", "project", "friend_matching")
        .order_by("signed_up_at", "id")
        .iterator(chunk_size=CHUNK)
    )


def values(p: Participant, columns: Iterable[str]) -> list[Any]:
    """Typed cell values: int, bool, date and str (lists joined with `;`)."""
    row: list[Any] = []
    friend = friend_participation_of(p)
    for column in columns:
        if column in FRIEND_COLUMNS:
            if friend is None:
                row.append("")
            elif column == "availability":
                row.append(";".join(friend.availability or []))
            else:
                row.append(getattr(friend, column))
        elif column == "id":
            row.append(str(p.uid))
        elif column == "municipality_code":
            row.append(p.municipality_id)
        elif column in ("languages", "interests"):
            row.append(";".join(getattr(p, column) or []))
        elif column == "signed_up":
            row.append(timezone.localdate(p.signed_up_at))
        elif column == "region":
            row.append(p.region.name if p.region is not None else "")
        elif column == "project":
            row.append(p.project.name if p.project is not None else "")
        else:
            row.append(getattr(p, column))
    return row


def csv_chunks(participants: Iterable[Participant], fmt: str) -> Iterator[str]:
    """The CSV text in pieces: a BOM (so Excel reads UTF-8), the header, then the rows, `,`-separated."""
    columns = columns_for(fmt)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for n, p in enumerate(participants, 1):
        writer.writerow(cells.csv_row(values(p, columns)))
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_csv(fh: IO[bytes], participants: Iterable[Participant], fmt: str) -> None:
    for chunk in csv_chunks(participants, fmt):
        fh.write(chunk.encode("utf-8"))


def write_xlsx(fh: IO[bytes], participants: Iterable[Participant], fmt: str) -> None:
    """XLSX: bold, frozen header row; column widths; numbers as numbers and dates as dates; text always as
    text (never a formula, see kompis.core.cells)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    columns = columns_for(fmt)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("participants")
    sheet.freeze_panes = "A2"
    for i, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(column, 14)
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = cells.write_only_cell(sheet, column)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    date_index = columns.index("signed_up")
    for p in participants:
        row: list[Any] = cells.write_only_row(sheet, values(p, columns))
        date = cells.write_only_cell(sheet, row[date_index])
        date.number_format = "yyyy-mm-dd"
        row[date_index] = date
        sheet.append(row)
    workbook.save(fh)


def write(fh: IO[bytes], participants: Iterable[Participant], fmt: str, filetype: str) -> None:
    if filetype == "csv":
        write_csv(fh, participants, fmt)
    elif filetype == "xlsx":
        write_xlsx(fh, participants, fmt)
    else:
        raise ValueError(f"unknown file type {filetype!r}")
