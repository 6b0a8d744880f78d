"""Reading and validating participant files (CSV or XLSX) for import.

Rows in, parsed rows or errors out. The only database reads are the lookups a row needs
(municipality codes, ids and e-mail addresses already in the organisation); nothing is written here
(see `import_services.import_participants`).

The file format is the participant CSV contract shared with matching (see
`kompis/matching/engine/csvio.py`)::

    id, role, birth_year, gender, municipality_code, postal_code, languages, interests, has_children,
    wants_family_match, meeting_mode, same_gender_only, capacity, signed_up

plus optional person columns: first_name, last_name, email, phone, availability, household_size, about_me,
hopes, status. Multi-valued cells use ``;``, booleans true/false (also yes/no, 1/0), dates YYYY-MM-DD.
Line numbers: the header is line 1, the first data row line 2 (for XLSX: the sheet's row number).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompis.municipalities.models import Municipality
from kompis.participants.forms import clean_birth_year, clean_phone, clean_postal_code
from kompis.participants.models import Participant
from kompis.participants.vocab import AVAILABILITY, INTERESTS, LANGUAGES, Gender, MeetingMode, ParticipantRole

CONTRACT_COLUMNS: tuple[str, ...] = (
    "id", "role", "birth_year", "gender", "municipality_code", "postal_code", "languages", "interests",
    "has_children", "wants_family_match", "meeting_mode", "same_gender_only", "capacity", "signed_up",
)  # fmt: skip
OPTIONAL_CONTRACT_COLUMNS = frozenset({"capacity"})
REQUIRED_COLUMNS: tuple[str, ...] = tuple(c for c in CONTRACT_COLUMNS if c not in OPTIONAL_CONTRACT_COLUMNS)
PERSON_COLUMNS: tuple[str, ...] = (
    "first_name", "last_name", "email", "phone", "availability", "household_size", "about_me", "hopes", "status",
)  # fmt: skip
KNOWN_COLUMNS: tuple[str, ...] = CONTRACT_COLUMNS + PERSON_COLUMNS
IMPORT_STATUSES: tuple[str, ...] = ("waiting", "paused", "withdrawn", "matched")
DEFAULT_STATUS = "waiting"

# 100,000 rows with names, e-mails and free texts fit comfortably.
MAX_BYTES = 32 * 1024 * 1024
MAX_ROWS = 100_000
MAX_CAPACITY = 5
MAX_HOUSEHOLD = 15
MAX_TEXT = 2000
MAX_NAME = 100
MAX_ID = 64

_TRUE = frozenset({"true", "yes", "1", "sant", "ja"})
_FALSE = frozenset({"false", "no", "0", "falskt", "nej"})
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
_CSV_SUFFIXES = (".csv", ".txt")
_XLSX_SUFFIXES = (".xlsx", ".xlsm")


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


@dataclass(frozen=True)
class RowError:
    """One problem in one row: line (header = 1), column name (None for the whole row), the cell, the reason."""

    line: int
    column: str | None
    value: str
    reason: str

    @property
    def message(self) -> str:
        if self.column:
            return _("Line %(line)s, column %(column)s: %(reason)s") % {
                "line": self.line,
                "column": self.column,
                "reason": self.reason,
            }
        return _("Line %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}

    def __str__(self) -> str:
        return self.message


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]  # Participant field → value, ready for the model


@dataclass
class Validation:
    table: Table
    valid: list[ParsedRow]
    errors: list[RowError]

    @property
    def row_count(self) -> int:
        return len(self.table.rows)

    @property
    def rejected_lines(self) -> set[int]:
        return {e.line for e in self.errors}

    @property
    def rejected_count(self) -> int:
        return len(self.rejected_lines)

    @property
    def valid_count(self) -> int:
        return len(self.valid)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def warnings(self) -> list[str]:
        return self.table.warnings

    def errors_by_line(self) -> dict[int, list[RowError]]:
        by_line: dict[int, list[RowError]] = defaultdict(list)
        for error in self.errors:
            by_line[error.line].append(error)
        return by_line


def normalise_column(name: str) -> str:
    return (name or "").strip().lower()


# --- reading ---------------------------------------------------------------------------------------


def read_table(data: bytes, filename: str = "") -> Table:
    """Read the cells of a CSV or XLSX file. Raises ImportFileError with one clear message."""
    name = (filename or "").strip()
    lower = name.lower()
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
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
            raise ImportFileError(_("The file is not a valid XLSX file."))
        if "." in lower and not lower.endswith(_CSV_SUFFIXES):
            raise ImportFileError(_("This is not a CSV or XLSX file."))
        table = _read_csv(data, name)
    _check_header(table)
    if len(table.rows) > MAX_ROWS:
        raise ImportFileError(
            _("The file has %(rows)s rows; at most %(max)s rows can be imported at a time.")
            % {"rows": len(table.rows), "max": MAX_ROWS}
        )
    return table


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
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
    if any(ch in text for ch in "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f"):
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
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    if not first:
        raise ImportFileError(_("The file is empty."))
    delimiter = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for cells in reader:
            line = previous + 1  # where this row starts (a quoted cell may span lines)
            previous = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = cells
                continue
            rows.append((line, cells))
            if len(rows) > MAX_ROWS:
                break
    except csv.Error as exc:
        raise ImportFileError(
            _("Line %(line)s: the file is not valid CSV (%(error)s).") % {"line": previous + 1, "error": exc}
        ) from exc
    if header is None:
        raise ImportFileError(_("The file is empty."))
    return Table(
        filename=filename, kind="csv", header=[h.strip() for h in header], rows=rows, delimiter=delimiter
    )


def xlsx_cell_text(value: Any) -> str:
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


def _read_xlsx(data: bytes, filename: str) -> Table:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ImportFileError(_("The file is not a valid XLSX file.")) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("The file is empty."))
        sheet = workbook.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for row in sheet.iter_rows():
            cells = [c for c in row if getattr(c, "row", None) is not None]
            if not cells:
                continue
            texts: list[str] = []
            for cell in cells:  # sparse rows: place each value in its column
                while len(texts) < int(cell.column or 1) - 1:
                    texts.append("")
                texts.append(xlsx_cell_text(cell.value))
            if not any(t.strip() for t in texts):
                continue
            if header is None:
                header = texts
                continue
            rows.append((int(cells[0].row or 0), texts))
            if len(rows) > MAX_ROWS:
                break
    finally:
        workbook.close()
    if header is None:
        raise ImportFileError(_("The file is empty."))
    while header and not header[-1].strip():
        header.pop()
    return Table(filename=filename, kind="xlsx", header=[h.strip() for h in header], rows=rows)


def _check_header(table: Table) -> None:
    names = [normalise_column(h) for h in table.header]
    known = [n for n in names if n in KNOWN_COLUMNS]
    if not known:
        raise ImportFileError(
            _("The first line is not a header: it should name the columns, for example %(example)s.")
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
            % {"columns": ", ".join(unknown)}
        )


# --- validating ------------------------------------------------------------------------------------


class Invalid(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _message(error: forms.ValidationError | ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _quoted(value: str) -> str:
    return f"'{value}'"


def _multi(raw: str) -> list[str]:
    seen: dict[str, None] = {}
    for part in raw.split(";"):
        part = part.strip().lower()
        if part:
            seen.setdefault(part, None)
    return list(seen)


def _required(raw: str) -> str:
    text = raw.strip()
    if not text:
        raise Invalid(_("the value is missing."))
    return text


def conv_bool(raw: str) -> bool:
    text = raw.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if not text:
        raise Invalid(_("the value is missing (true or false)."))
    raise Invalid(_("%(value)s is not true or false.") % {"value": _quoted(raw.strip())})


def _choice(options: Sequence[str]) -> Callable[[str], str]:
    allowed = {o.lower(): o for o in options}

    def conv(raw: str) -> str:
        text = _required(raw)
        if text.lower() in allowed:
            return allowed[text.lower()]
        raise Invalid(
            _("%(value)s is not one of %(options)s.") % {"value": _quoted(text), "options": "|".join(options)}
        )

    return conv


def _or_default(conv: Callable[[str], Any], default: Any) -> Callable[[str], Any]:
    def optional(raw: str) -> Any:
        return conv(raw) if raw.strip() else default

    return optional


def _whole(raw: str) -> int | None:
    text = raw.strip()
    if text.endswith(".0"):  # 1990.0 from a spreadsheet
        text = text[:-2]
    return int(text) if text.isdigit() else None


def conv_birth_year(raw: str) -> int:
    text = _required(raw)
    year = _whole(text)
    if year is None:
        raise Invalid(_("%(value)s is not a year.") % {"value": _quoted(text)})
    try:
        return clean_birth_year(year)
    except forms.ValidationError as exc:
        raise Invalid(
            _("%(value)s: %(message)s") % {"value": _quoted(text), "message": _message(exc)}
        ) from exc


def conv_postal_code(raw: str) -> str:
    try:
        return clean_postal_code(raw)
    except forms.ValidationError as exc:
        raise Invalid(
            _("%(value)s: %(message)s") % {"value": _quoted(raw.strip()), "message": _message(exc)}
        ) from exc


def conv_phone(raw: str) -> str:
    try:
        return clean_phone(raw)
    except forms.ValidationError as exc:
        raise Invalid(
            _("%(value)s: %(message)s") % {"value": _quoted(raw.strip()), "message": _message(exc)}
        ) from exc


def _codes(vocab: dict[str, Any], unknown: str, *, required: bool = False) -> Callable[[str], list[str]]:
    def conv(raw: str) -> list[str]:
        codes = _multi(raw)
        if required and not codes:
            raise Invalid(_("at least one language is required."))
        bad = [c for c in codes if c not in vocab]
        if bad:
            raise Invalid(unknown % {"value": _quoted(bad[0]), "options": "|".join(vocab)})
        return codes

    return conv


def conv_capacity(raw: str) -> int:
    text = raw.strip()
    if not text:
        return 1
    number = _whole(text)
    if number is None or not 1 <= number <= MAX_CAPACITY:
        raise Invalid(
            _("%(value)s is not a whole number from 1 to %(max)s.")
            % {"value": _quoted(text), "max": MAX_CAPACITY}
        )
    return number


def conv_household(raw: str) -> int | None:
    text = raw.strip()
    if not text:
        return None
    number = _whole(text)
    if number is None or not 1 <= number <= MAX_HOUSEHOLD:
        raise Invalid(
            _("%(value)s is not a whole number from 1 to %(max)s.")
            % {"value": _quoted(text), "max": MAX_HOUSEHOLD}
        )
    return number


def _conv_date(today: dt.date) -> Callable[[str], dt.date]:
    def conv(raw: str) -> dt.date:
        text = _required(raw)
        try:
            if len(text) != 10:
                raise ValueError
            value = dt.date.fromisoformat(text)
        except ValueError as exc:
            raise Invalid(_("%(value)s is not a date (YYYY-MM-DD).") % {"value": _quoted(text)}) from exc
        if value > today:
            raise Invalid(_("%(value)s is in the future.") % {"value": _quoted(text)})
        return value

    return conv


def _conv_municipality(codes: set[str]) -> Callable[[str], str]:
    def conv(raw: str) -> str:
        text = _required(raw)
        if text.isdigit() and len(text) == 3:  # a spreadsheet dropped the leading zero: 380 → 0380
            text = "0" + text
        if text not in codes:
            raise Invalid(
                _("%(value)s is not a Swedish municipality code.") % {"value": _quoted(raw.strip())}
            )
        return text

    return conv


def _text(max_length: int) -> Callable[[str], str]:
    def conv(raw: str) -> str:
        text = raw.strip()
        if len(text) > max_length:
            raise Invalid(_("the text is longer than %(max)s characters.") % {"max": max_length})
        return text

    return conv


def conv_email(raw: str) -> str:
    text = raw.strip().lower()
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError as exc:
        raise Invalid(
            _("%(value)s is not a valid e-mail address.") % {"value": _quoted(raw.strip())}
        ) from exc
    if len(text) > 254:
        raise Invalid(_("the text is longer than %(max)s characters.") % {"max": 254})
    return text


def conv_id(raw: str) -> str:
    text = _required(raw)
    if len(text) > MAX_ID:
        raise Invalid(
            _("%(value)s is longer than %(max)s characters.")
            % {"value": _quoted(text[:20] + "…"), "max": MAX_ID}
        )
    return text


def _converters(today: dt.date, municipality_codes: set[str]) -> dict[str, tuple[Callable[[str], Any], bool]]:
    """column → (converter, cacheable: few distinct values, so convert each distinct value once)."""
    return {
        "id": (conv_id, False),
        "role": (_choice(ParticipantRole.values), True),
        "birth_year": (conv_birth_year, True),
        "gender": (_choice(Gender.values), True),
        "municipality_code": (_conv_municipality(municipality_codes), True),
        "postal_code": (conv_postal_code, True),
        "languages": (_codes(LANGUAGES, _("%(value)s is not a known language code."), required=True), True),
        "interests": (_codes(INTERESTS, _("%(value)s is not a known interest.")), True),
        "has_children": (conv_bool, True),
        "wants_family_match": (conv_bool, True),
        "meeting_mode": (_choice(MeetingMode.values), True),
        "same_gender_only": (conv_bool, True),
        "capacity": (conv_capacity, True),
        "signed_up": (_conv_date(today), True),
        "first_name": (_text(MAX_NAME), False),
        "last_name": (_text(MAX_NAME), False),
        "email": (conv_email, False),
        "phone": (conv_phone, False),
        "availability": (
            _codes(AVAILABILITY, _("%(value)s is not a known time to meet (%(options)s).")),
            True,
        ),
        "household_size": (conv_household, True),
        "about_me": (_text(MAX_TEXT), False),
        "hopes": (_text(MAX_TEXT), False),
        "status": (_or_default(_choice(IMPORT_STATUSES), DEFAULT_STATUS), True),
    }


_DEFAULTS: dict[str, Any] = {
    "capacity": 1,
    "first_name": "",
    "last_name": "",
    "email": "",
    "phone": "",
    "availability": [],
    "household_size": None,
    "about_me": "",
    "hopes": "",
    "status": DEFAULT_STATUS,
}


def _chunks(items: Sequence[str], size: int = 5000) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing(organisation: Any, field_name: str, values: set[str]) -> set[str]:
    found: set[str] = set()
    ordered = sorted(values)
    for chunk in _chunks(ordered):
        found.update(
            Participant.objects.filter(organisation=organisation, **{f"{field_name}__in": chunk}).values_list(
                field_name, flat=True
            )
        )
    return found


def _lines_text(lines: list[int]) -> str:
    return ", ".join(str(n) for n in lines)


def validate(table: Table, *, organisation: Any, today: dt.date | None = None) -> Validation:
    """Check every row of the table. Each bad cell becomes a RowError naming line, column and reason."""
    today = today or timezone.localdate()
    columns = table.columns
    width = len(table.header)
    converters = _converters(today, set(Municipality.objects.values_list("code", flat=True)))
    caches: dict[str, dict[str, tuple[bool, Any]]] = {name: {} for name in converters}
    errors: list[RowError] = []
    parsed: list[ParsedRow] = []
    present = [
        (name, columns[name], conv, cacheable)
        for name, (conv, cacheable) in converters.items()
        if name in columns
    ]

    for line, cells in table.rows:
        row_errors: list[RowError] = []
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            row_errors.append(
                RowError(
                    line,
                    None,
                    "",
                    _("the row has %(cells)s cells but the header has %(columns)s.")
                    % {"cells": len(cells), "columns": width},
                )
            )
        values: dict[str, Any] = dict(_DEFAULTS)
        for name, index, conv, cacheable in present:
            raw = cells[index] if index < len(cells) else ""
            if cacheable:
                cache = caches[name]
                hit = cache.get(raw)
                if hit is None:
                    try:
                        hit = (True, conv(raw))
                    except Invalid as exc:
                        hit = (False, exc.reason)
                    cache[raw] = hit
                ok, result = hit
            else:
                try:
                    ok, result = True, conv(raw)
                except Invalid as exc:
                    ok, result = False, exc.reason
            if ok:
                values[name] = result
            else:
                row_errors.append(RowError(line, name, raw.strip(), result))
        failed = {e.column for e in row_errors}
        if (
            values.get("same_gender_only")
            and values.get("gender") == Gender.UNSPECIFIED
            and not failed & {"same_gender_only", "gender"}
        ):
            row_errors.append(
                RowError(
                    line,
                    "same_gender_only",
                    "true",
                    _("same_gender_only is true, but the gender is unspecified."),
                )
            )
        if (
            values.get("wants_family_match")
            and not values.get("has_children")
            and not failed & {"wants_family_match", "has_children"}
        ):
            row_errors.append(
                RowError(
                    line, "wants_family_match", "true", _("A family match is for families with children.")
                )
            )
        if row_errors:
            errors.extend(row_errors)
        else:
            parsed.append(ParsedRow(line, values))

    # Ids and e-mail addresses must be unique within the file and the organisation.
    uniques: list[tuple[str, int, str, Callable[[str], str]]] = []
    if "id" in columns:
        uniques.append(("id", columns["id"], "external_ref", lambda raw: raw.strip()))
    if "email" in columns:
        uniques.append(("email", columns["email"], "email", lambda raw: raw.strip().lower()))
    for column, index, field_name, key_of in uniques:
        lines_of: dict[str, list[int]] = defaultdict(list)
        raw_of: dict[int, str] = {}
        for line, cells in table.rows:
            raw = cells[index] if index < len(cells) else ""
            key = key_of(raw)
            if key:
                lines_of[key].append(line)
                raw_of[line] = raw.strip()
        for lines in lines_of.values():
            if len(lines) > 1:
                for line in lines:
                    others = [n for n in lines if n != line]
                    errors.append(
                        RowError(
                            line,
                            column,
                            raw_of[line],
                            ngettext(
                                "%(value)s appears more than once in the file: also on line %(lines)s.",
                                "%(value)s appears more than once in the file: also on lines %(lines)s.",
                                len(others),
                            )
                            % {"value": _quoted(raw_of[line]), "lines": _lines_text(others)},
                        )
                    )
        taken = _existing(organisation, field_name, set(lines_of))
        for key in sorted(taken):
            for line in lines_of[key]:
                errors.append(
                    RowError(
                        line,
                        column,
                        raw_of[line],
                        _("%(value)s already exists in this organisation.")
                        % {"value": _quoted(raw_of[line])},
                    )
                )

    if errors:
        bad = {e.line for e in errors}
        parsed = [p for p in parsed if p.line not in bad]
        order = {name: i for i, name in enumerate(KNOWN_COLUMNS)}
        errors.sort(key=lambda e: (e.line, order.get(e.column or "", -1)))
    return Validation(table=table, valid=[_model_values(p) for p in parsed], errors=errors)


def _model_values(row: ParsedRow) -> ParsedRow:
    """Column values → Participant fields."""
    v = row.values
    external_ref = v["id"]
    values = {
        "external_ref": external_ref,
        "role": v["role"],
        "birth_year": v["birth_year"],
        "gender": v["gender"],
        "municipality_id": v["municipality_code"],
        "postal_code": v["postal_code"],
        "languages": v["languages"],
        "interests": v["interests"],
        "has_children": v["has_children"],
        "wants_family_match": v["wants_family_match"],
        "meeting_mode": v["meeting_mode"],
        "same_gender_only": v["same_gender_only"],
        # as on the sign-up form: a newcomer meets one person at a time
        "capacity": 1 if v["role"] == ParticipantRole.NEWCOMER else v["capacity"],
        "signed_up_at": timezone.make_aware(dt.datetime.combine(v["signed_up"], dt.time(12))),
        # Participants need a name: without first_name the id stands in (staff can edit it later).
        "first_name": v["first_name"] or external_ref[:MAX_NAME],
        "last_name": v["last_name"],
        "email": v["email"],
        "phone": v["phone"],
        "availability": v["availability"],
        "household_size": v["household_size"],
        "about_me": v["about_me"],
        "hopes": v["hopes"],
        "status": v["status"],
    }
    return ParsedRow(row.line, values)


def check_file(data: bytes, filename: str, *, organisation: Any) -> Validation:
    """read_table + validate (raises ImportFileError for problems with the file as a whole)."""
    return validate(read_table(data, filename), organisation=organisation)


# --- the rejected rows -----------------------------------------------------------------------------


def rejected_rows(validation: Validation) -> tuple[list[str], list[list[str]]]:
    """The original columns plus `errors`, for every rejected row."""
    by_line = validation.errors_by_line()
    header = [*validation.table.header, "errors"]
    width = len(validation.table.header)
    out = []
    for line, cells in validation.table.rows:
        if line in by_line:
            padded = (cells + [""] * width)[:width]
            out.append([*padded, " ".join(e.message for e in by_line[line])])
    return header, out


def rejected_rows_file(validation: Validation) -> tuple[bytes, str, str]:
    """(content, file name, content type): CSV (same delimiter as the upload) or XLSX like the upload."""
    header, rows = rejected_rows(validation)
    stem = (validation.table.filename.rsplit(".", 1)[0] or "import").replace("/", "_").replace("\\", "_")
    if validation.table.kind == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("rejected")
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return (
            buffer.getvalue(),
            f"{stem}-rejected.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    text = io.StringIO()
    writer = csv.writer(text, delimiter=validation.table.delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8"), f"{stem}-rejected.csv", "text/csv; charset=utf-8"
