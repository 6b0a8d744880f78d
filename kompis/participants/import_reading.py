"""Reading the cells of an uploaded participant file (CSV or XLSX), with every limit checked while streaming.

Hostile or broken files end in one `ImportFileError` with a message for staff, never in an exception
Kompis does not expect, and never in unbounded memory or time (issue 10 §7):

- the file itself: at most `max_bytes()` (settings.IMPORT_MAX_BYTES, shown on the upload page);
- XLSX: every zip member's declared size and the sum of them are checked before anything is inflated
  (Python's zip reader never inflates more than the declared size); the shared-strings table is counted
  while it is parsed and refused past `MAX_SHARED_STRINGS`; the sheet is parsed as a stream, and a cell
  beyond column `MAX_COLUMNS` (say XFD) stops the reading at once;
- rows: at most `MAX_ROWS` rows with content; columns: at most `MAX_COLUMNS`; filled cells: at most
  `MAX_CELLS` in all.

The length and characters of single cells are checked per cell by `importing.validate`, so that staff get
"Row 7, column first_name: …" rather than a refused file.

Kompis's own CSV exports guard text that starts like a formula with a leading ``'`` (kompis.core.cells);
the reader takes that guard off again, so an export imports back as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree.ElementTree import ParseError, iterparse

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompis.contract.participants import CONTRACT_COLUMNS as CONTRACT_COLUMNS
from kompis.contract.participants import OPTIONAL_CONTRACT_COLUMNS as OPTIONAL_CONTRACT_COLUMNS
from kompis.contract.participants import REQUIRED_COLUMNS as REQUIRED_COLUMNS
from kompis.core.cells import unguard

# The matching columns are the one participant CSV contract's (kompis.contract.participants).
PERSON_COLUMNS: tuple[str, ...] = (
    "first_name", "last_name", "name_latin", "email", "phone", "availability", "household_size", "about_me",
    "hopes", "status",
)  # fmt: skip
KNOWN_COLUMNS: tuple[str, ...] = CONTRACT_COLUMNS + PERSON_COLUMNS

MAX_ROWS = 100_000
MAX_COLUMNS = 100  # the 23 known columns and room for a spreadsheet's own columns
MAX_CELL = 4000  # characters; the longest field (about_me, hopes) takes 2,000
# Cells with content in the whole file: 100,000 rows of the 24 known columns and a few of the spreadsheet's
# own. Without it 100,000 rows of 100 short cells (30 MB of CSV) took 1.3 GB to check.
MAX_CELLS = 3_000_000
MAX_SHARED_STRINGS = 1_500_000  # 100,000 rows × 15 distinct texts
MAX_UNPACKED = 256 * 1024 * 1024  # an XLSX of 100,000 rows unpacks to about 100 MB
MAX_MEMBERS = 200
_SMALL_MEMBER = 4 * 1024 * 1024  # workbook.xml, its relations, styles.xml

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
_CSV_SUFFIXES = (".csv", ".txt")
_XLSX_SUFFIXES = (".xlsx", ".xlsm")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
_INTEGER = re.compile(r"^-?[0-9]+$")


def max_bytes() -> int:
    """The largest file that can be imported (settings.IMPORT_MAX_BYTES, from IMPORT_MAX_MB)."""
    return int(getattr(settings, "IMPORT_MAX_BYTES", 32 * 1024 * 1024))


def max_mb() -> str:
    return f"{max_bytes() / (1024 * 1024):g}"


class ImportFileError(Exception):
    """The file as a whole cannot be read (not CSV/XLSX, empty, no header, missing columns, too big)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """The cells of an uploaded file: the header as written and the data rows with their line numbers."""

    filename: str
    kind: str  # "csv" or "xlsx"
    header: list[str]
    rows: list[tuple[int, list[str]]]
    delimiter: str = ","
    warnings: list[str] = field(default_factory=list)

    @property
    def columns(self) -> dict[str, int]:
        """Known column name → cell index (names are case-insensitive and trimmed)."""
        found: dict[str, int] = {}
        for i, name in enumerate(self.header):
            key = normalise_column(name)
            if key in KNOWN_COLUMNS and key not in found:
                found[key] = i
        return found


def normalise_column(name: str) -> str:
    return (name or "").strip().lower()


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        ngettext(
            "The file has more than %(max)s row; at most %(max)s row can be imported at a time.",
            "The file has more than %(max)s rows; at most %(max)s rows can be imported at a time.",
            MAX_ROWS,
        )
        % {"max": f"{MAX_ROWS:,}"}
    )


def _too_many_cells() -> ImportFileError:
    return ImportFileError(
        ngettext(
            "The file has more than %(max)s filled cell; save only the columns the import reads, or split it "
            "into smaller files.",
            "The file has more than %(max)s filled cells; save only the columns the import reads, or split "
            "it into smaller files.",
            MAX_CELLS,
        )
        % {"max": f"{MAX_CELLS:,}"}
    )


def _count_cells(cells: list[str], before: int) -> int:
    """`before` plus the filled cells of one row; refuses the file past MAX_CELLS."""
    total = before + sum(1 for c in cells if c)
    if total > MAX_CELLS:
        raise _too_many_cells()
    return total


def _too_many_columns(line: int) -> ImportFileError:
    return ImportFileError(
        ngettext(
            "Row %(line)s has more than %(max)s column; at most %(max)s column can be read.",
            "Row %(line)s has more than %(max)s columns; at most %(max)s columns can be read.",
            MAX_COLUMNS,
        )
        % {"line": line, "max": MAX_COLUMNS}
    )


def _not_xlsx() -> ImportFileError:
    return ImportFileError(_("The file is not a valid XLSX file."))


def read_table(data: bytes, filename: str = "") -> Table:
    """Read the cells of a CSV or XLSX file. Raises ImportFileError with one clear message."""
    name = (filename or "").strip()
    lower = name.lower()
    if len(data) > max_bytes():
        raise ImportFileError(_("The file is larger than %(mb)s MB.") % {"mb": max_mb()})
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data.startswith(_XLS_MAGIC) or lower.endswith(".xls"):
        raise ImportFileError(
            _(
                "Old Excel files (.xls) cannot be read. Save the file as Excel workbook (.xlsx) or CSV and try again."
            )
        )
    if data.startswith(_XLSX_MAGIC):
        if lower and not lower.endswith(_XLSX_SUFFIXES):
            raise ImportFileError(_("This is not a CSV or XLSX file."))
        table = _read_xlsx(data, name)
    else:
        if lower.endswith(_XLSX_SUFFIXES):
            raise _not_xlsx()
        if "." in lower and not lower.endswith(_CSV_SUFFIXES):
            raise ImportFileError(_("This is not a CSV or XLSX file."))
        table = _read_csv(data, name)
    _check_header(table)
    return table


# --- CSV -------------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFileError(_("The file is not a text file in UTF-8 or Windows-1252.")) from exc
    head = data[:4096]
    if head.count(b"\x00") > len(head) // 100:  # a binary file, not text with a stray NUL
        raise ImportFileError(_("This is not a CSV or XLSX file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Swedish Excel's "CSV (semicolon separated)" is saved in Windows-1252.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("The file is not a text file in UTF-8 or Windows-1252.")) from exc
    if sum(text.count(ch) for ch in "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f") > len(text) // 100:
        raise ImportFileError(_("This is not a CSV or XLSX file."))
    return text


def sniff_delimiter(header_line: str) -> str:
    """`,` or `;`: whichever splits the header into more known column names (`;` also separates values
    inside a cell, so a generic sniffer cannot be trusted)."""

    def known(delimiter: str) -> int:
        try:
            cells = next(csv.reader([header_line], delimiter=delimiter))
        except (csv.Error, StopIteration):
            return 0
        return sum(1 for c in cells if normalise_column(c) in KNOWN_COLUMNS)

    return ";" if known(";") > known(",") else ","


def _read_csv(data: bytes, filename: str) -> Table:
    text = _decode(data)
    first = ""
    for ln in io.StringIO(text):
        if ln.strip():
            first = ln
            break
    if not first:
        raise ImportFileError(_("The file is empty."))
    delimiter = sniff_delimiter(first[: 64 * 1024])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    previous = 0
    filled = 0
    try:
        for cells in reader:
            line = previous + 1  # where this row starts (a quoted cell may span lines)
            previous = reader.line_num
            if len(cells) > MAX_COLUMNS:
                raise _too_many_columns(line)
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = cells
                continue
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows()
            filled = _count_cells(cells, filled)
            rows.append((line, [unguard(c) for c in cells]))
    except csv.Error as exc:
        raise ImportFileError(
            _("Row %(line)s: the file is not valid CSV (%(error)s).") % {"line": previous + 1, "error": exc}
        ) from exc
    if header is None:
        raise ImportFileError(_("The file is empty."))
    return Table(
        filename=filename, kind="csv", header=[h.strip() for h in header], rows=rows, delimiter=delimiter
    )


# --- XLSX ------------------------------------------------------------------------------------------


def xlsx_cell_text(value: Any) -> str:
    """The text of a typed spreadsheet value (kept for callers that read with openpyxl)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def column_index(letters: str) -> int:
    """A → 1, Z → 26, AA → 27, XFD → 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


class _Capped(io.RawIOBase):
    """A zip member read with a hard cap on the bytes it may inflate to (beyond the declared size check)."""

    def __init__(self, fh: IO[bytes], cap: int) -> None:
        self.fh, self.left = fh, cap

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.fh.read(min(len(buffer), 1024 * 1024))
        self.left -= len(data)
        if self.left < 0:
            raise ImportFileError(_("The XLSX file unpacks to more than the import can read."))
        buffer[: len(data)] = data
        return len(data)


def _members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _not_xlsx()
    if sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise ImportFileError(
            _("The XLSX file unpacks to more than %(mb)s MB; save it as CSV or split it into smaller files.")
            % {"mb": MAX_UNPACKED // (1024 * 1024)}
        )
    return {i.filename: i for i in infos}


def _open(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[bytes]:
    return io.BufferedReader(_Capped(archive.open(info), info.file_size))


def _small_xml(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], name: str) -> list[Any]:
    info = members.get(name)
    if info is None:
        return []
    if info.file_size > _SMALL_MEMBER:
        raise _not_xlsx()
    return [el for _event, el in iterparse(_open(archive, info), events=("end",))]


def _first_sheet(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> str:
    sheets = [el for el in _small_xml(archive, members, "xl/workbook.xml") if el.tag == f"{_MAIN}sheet"]
    if sheets:
        rid = sheets[0].get(f"{_REL}id")
        for rel in _small_xml(archive, members, "xl/_rels/workbook.xml.rels"):
            if rel.tag == f"{_PKG_REL}Relationship" and rel.get("Id") == rid:
                target = (rel.get("Target") or "").lstrip("/")
                return target if target.startswith("xl/") else f"xl/{target}"
    return "xl/worksheets/sheet1.xml"


def _date_styles(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> set[int]:
    """Indexes of the cell formats that show a number as a date."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    elements = _small_xml(archive, members, "xl/styles.xml")
    custom = {
        int(el.get("numFmtId") or 0): el.get("formatCode") or ""
        for el in elements
        if el.tag == f"{_MAIN}numFmt"
    }
    dates: set[int] = set()
    for parent in (el for el in elements if el.tag == f"{_MAIN}cellXfs"):
        for i, xf in enumerate(parent.findall(f"{_MAIN}xf")):
            fmt_id = int(xf.get("numFmtId") or 0)
            code = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id) or ""
            if code and is_date_format(code):
                dates.add(i)
    return dates


def _text_of(element: Any) -> str:
    """The text of a shared string or inline string (runs joined; phonetic hints left out)."""
    t = element.find(f"{_MAIN}t")
    if t is not None:
        return t.text or ""
    return "".join((r.findtext(f"{_MAIN}t") or "") for r in element.findall(f"{_MAIN}r"))


_SI = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_DECLARED = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sst\b[^>]*?\buniqueCount=[\"']([0-9]{1,11})[\"']")


def _count_si(data: bytes) -> int:
    if b":si" not in data:  # no namespace prefix (Excel, LibreOffice, openpyxl): plain byte counts
        return data.count(b"<si>") + data.count(b"<si ") + data.count(b"<si/")
    return len(_SI.findall(data))


def _count_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo, refused: ImportFileError) -> None:
    """Count the strings in a fast byte scan before parsing any: a table far too large for the rows a file may
    have (6 million empty strings in a 249 KB file) is refused in well under a second."""
    count = 0
    tail = b""
    with _open(archive, info) as fh:
        head = fh.read(4096)
        declared = _DECLARED.search(head)
        if declared and int(declared.group(1)) > MAX_SHARED_STRINGS:
            raise refused
        tail = head
        while chunk := fh.read(1024 * 1024):
            buffer = tail + chunk
            cut = buffer.rfind(b"<", max(0, len(buffer) - 256))
            if cut < 0:
                cut = len(buffer)
            count += _count_si(buffer[:cut])
            tail = buffer[cut:]
            if count > MAX_SHARED_STRINGS:
                raise refused
    count += _count_si(tail)
    if count > MAX_SHARED_STRINGS:
        raise refused


def _shared_strings(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> list[str]:
    info = members.get("xl/sharedStrings.xml")
    if info is None:
        return []
    refused = ImportFileError(
        ngettext(
            "The XLSX file has more than %(max)s different text.",
            "The XLSX file has more than %(max)s different texts.",
            MAX_SHARED_STRINGS,
        )
        % {"max": f"{MAX_SHARED_STRINGS:,}"}
        + " "
        + ngettext(
            "That is more than a file of %(rows)s row can hold; save it as CSV or split it into smaller files.",
            "That is more than a file of %(rows)s rows can hold; save it as CSV or split it into smaller files.",
            MAX_ROWS,
        )
        % {"rows": f"{MAX_ROWS:,}"}
    )
    _count_shared_strings(archive, info, refused)
    strings: list[str] = []
    for event, el in iterparse(_open(archive, info), events=("start", "end")):
        if event == "start":
            if el.tag == f"{_MAIN}sst":
                declared = el.get("uniqueCount") or el.get("count") or "0"
                if declared.isdigit() and len(declared) < 12 and int(declared) > MAX_SHARED_STRINGS:
                    raise refused
            continue
        if el.tag == f"{_MAIN}si":
            if len(strings) >= MAX_SHARED_STRINGS:
                raise refused
            strings.append(_text_of(el))
            el.clear()
    return strings


def _number_text(raw: str, is_date: bool) -> str:
    if len(raw) > MAX_CELL:
        return raw  # refused per cell by validate()
    if _INTEGER.match(raw):
        value: Any = int(raw)
    else:
        try:
            value = float(raw)
        except ValueError:
            return raw
    if is_date:
        from openpyxl.utils.datetime import from_excel

        try:
            return xlsx_cell_text(from_excel(value))
        except (ValueError, OverflowError, TypeError):
            return raw
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value) if isinstance(value, int) else repr(value)


def _cell_value(cell: Any, shared: list[str], dates: set[int]) -> str:
    kind = cell.get("t") or "n"
    if kind == "inlineStr":
        inline = cell.find(f"{_MAIN}is")
        return _text_of(inline) if inline is not None else ""
    raw = cell.findtext(f"{_MAIN}v")
    if raw is None:
        return ""
    if kind == "s":
        if not raw.isdigit() or len(raw) > 9 or int(raw) >= len(shared):
            raise _not_xlsx()
        return shared[int(raw)]
    raw = str(raw)  # ElementTree's findtext gives a str (typed Any by the stubs)
    if kind == "b":
        return "true" if raw.strip() == "1" else "false"
    if kind in ("str", "e"):
        return raw
    if kind == "d":
        return raw[:10] if raw[10:] in ("", "T00:00:00", "T00:00:00Z") else raw
    style = cell.get("s") or "0"
    return _number_text(raw.strip(), style.isdigit() and len(style) < 7 and int(style) in dates)


_MAX_LOOSE = 10_000  # elements that are not cells or rows, read in a row before memory is freed


def _sheet_rows(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, shared: list[str], dates: set[int]
) -> tuple[list[str] | None, list[tuple[int, list[str]]]]:
    """The non-empty rows of the sheet, parsed as a stream: each cell is read when it ends and dropped, a cell
    beyond MAX_COLUMNS stops the reading at once, and no more than `_MAX_LOOSE` other elements are held
    (inside sheetData more of them is not a spreadsheet; outside it they are dropped)."""
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    row_number = 0
    filled = 0
    texts: list[str] = []
    cell_tag, row_tag, data_tag = f"{_MAIN}c", f"{_MAIN}row", f"{_MAIN}sheetData"
    root: Any = None
    sheet_data: Any = None
    in_data = False
    loose = 0
    for event, el in iterparse(_open(archive, info), events=("start", "end")):
        tag = el.tag
        if event == "start":
            if root is None:
                root = el
            elif tag == row_tag:
                given = el.get("r") or ""
                row_number = int(given) if given.isdigit() and len(given) < 8 else row_number + 1
                texts = []
            elif tag == data_tag:
                sheet_data, in_data = el, True
            continue
        if tag == cell_tag:
            ref = _CELL_REF.match(el.get("r") or "")
            column = column_index(ref.group(1)) if ref else len(texts) + 1
            if column > MAX_COLUMNS:
                raise _too_many_columns(row_number)
            if column <= len(texts):
                raise _not_xlsx()  # cells out of order
            if column - 1 > len(texts):
                texts.extend([""] * (column - 1 - len(texts)))
            texts.append(_cell_value(el, shared, dates))
            el.clear()
            loose = 0
        elif tag == row_tag:
            if any(t.strip() for t in texts):
                if header is None:
                    header = texts
                else:
                    if len(rows) >= MAX_ROWS:
                        raise _too_many_rows()
                    filled = _count_cells(texts, filled)
                    rows.append((row_number, [unguard(t) for t in texts]))
            texts = []
            el.clear()
            if sheet_data is not None:
                sheet_data.clear()  # the rows read so far are not needed as XML
            loose = 0
        else:
            if tag == data_tag:
                in_data = False
            loose += 1
            if loose > _MAX_LOOSE:
                if in_data:
                    raise _not_xlsx()
                root.clear()  # column widths, links, merged cells …: not needed (the open ones stay alive)
                loose = 0
    return header, rows


def _read_xlsx(data: bytes, filename: str) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = _members(archive)
            sheet = members.get(_first_sheet(archive, members))
            if sheet is None:
                raise _not_xlsx()
            dates = _date_styles(archive, members)
            shared = _shared_strings(archive, members)
            header, rows = _sheet_rows(archive, sheet, shared, dates)
    except ImportFileError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        ParseError,
        EOFError,
        OSError,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
        NotImplementedError,
        RuntimeError,  # an encrypted member
    ) as exc:
        raise _not_xlsx() from exc
    if header is None:
        raise ImportFileError(_("The file is empty."))
    while header and not header[-1].strip():
        header.pop()
    return Table(filename=filename, kind="xlsx", header=[h.strip() for h in header], rows=rows)


# --- the header ------------------------------------------------------------------------------------


def _check_header(table: Table) -> None:
    names = [normalise_column(h) for h in table.header]
    known = [n for n in names if n in KNOWN_COLUMNS]
    if not known:
        raise ImportFileError(
            _("The first row is not a header: it should name the columns, for example %(example)s.")
            % {"example": ", ".join(CONTRACT_COLUMNS[:4])}
        )
    twice = sorted({n for n in known if names.count(n) > 1})
    if twice:
        raise ImportFileError(
            ngettext(
                "The column %(columns)s appears more than once in the header.",
                "The columns %(columns)s appear more than once in the header.",
                len(twice),
            )
            % {"columns": ", ".join(twice)}
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise ImportFileError(
            ngettext(
                "The file lacks the required column %(columns)s.",
                "The file lacks the required columns %(columns)s.",
                len(missing),
            )
            % {"columns": ", ".join(missing)}
        )
    unknown = [h for h, n in zip(table.header, names, strict=True) if n not in KNOWN_COLUMNS and h.strip()]
    if unknown:
        table.warnings.append(
            ngettext(
                "The column %(columns)s is not known and will be ignored.",
                "The columns %(columns)s are not known and will be ignored.",
                len(unknown),
            )
            % {"columns": ", ".join(unknown[:10])}
        )
