from __future__ import annotations

import csv
import datetime as dt
import io
import re
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

from kompis.contract.participants import capacity_ok
from kompis.core import cells
from kompis.municipalities.models import Municipality
from kompis.participants.forms import (
    MAX_AGE,
    MAX_CAPACITY,
    MAX_HOUSEHOLD,
    MIN_AGE,
    MIN_HOUSEHOLD,
    clean_household_size,
    clean_phone,
    clean_postal_code,
)
from kompis.participants.import_reading import (
    CONTRACT_COLUMNS,
    KNOWN_COLUMNS,
    MAX_CELL,
    MAX_COLUMNS,
    MAX_ROWS,
    OPTIONAL_CONTRACT_COLUMNS,
    PERSON_COLUMNS,
    REQUIRED_COLUMNS,
    ImportFileError,
    Table,
    max_bytes,
    max_mb,
    normalise_column,
    read_table,
    sniff_delimiter,
    xlsx_cell_text,
)
from kompis.participants.models import Participant
from kompis.participants.names import needs_latin
from kompis.participants.synonyms import interest_code, language_code
from kompis.participants.vocab import (
    AVAILABILITY,
    INTERESTS,
    LANGUAGES,
    Gender,
    MeetingMode,
    ParticipantRole,
    Status,
)

__all__ = [
    "CONTRACT_COLUMNS", "KNOWN_COLUMNS", "MAX_CAPACITY", "MAX_CELL", "MAX_COLUMNS", "MAX_ROWS", "OPTIONAL_CONTRACT_COLUMNS",
    "PERSON_COLUMNS", "REQUIRED_COLUMNS", "ImportFileError", "Table", "max_bytes", "max_mb", "normalise_column",
    "read_table", "sniff_delimiter", "xlsx_cell_text",
]  # fmt: skip

#: The statuses an import may set. "pending" waits for an e-mail confirmation an imported person never gets;
#: "matched" follows only from a match approved in Kompis; "withdrawn" is what leaving does (consent
#: withdrawn, mail cancelled), and the data of someone who has left is not brought in.
IMPORT_STATUSES: tuple[str, ...] = (Status.WAITING, Status.PAUSED)
DEFAULT_STATUS = Status.WAITING.value
MAX_TEXT = 2000
MAX_NAME = 100
MAX_ID = 64

_TRUE = frozenset({"true", "yes", "1", "sant", "ja"})
_FALSE = frozenset({"false", "no", "0", "falskt", "nej"})
#: Characters no cell may hold (line breaks and tabs are allowed: free texts have them).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class ImportOptions:
    """What staff chose in the preview: drop unknown interests/languages (with a warning) or reject the row."""

    drop_unknown_interests: bool = False
    drop_unknown_languages: bool = False


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
            return _("Row %(line)s, column %(column)s: %(reason)s") % {
                "line": self.line,
                "column": self.column,
                "reason": self.reason,
            }
        return _("Row %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}

    def __str__(self) -> str:
        return self.message


#: A warning has the same shape: the row is imported, with the change it names.
RowWarning = RowError


@dataclass
class ParsedRow:
    line: int
    values: dict[str, Any]  # Participant field → value, ready for the model


@dataclass
class Validation:
    table: Table
    valid: list[ParsedRow]
    errors: list[RowError]
    row_warnings: list[RowWarning] = field(default_factory=list)
    options: ImportOptions = field(default_factory=ImportOptions)
    #: how many rows were rejected only because of an unknown interest / language (offer to drop them)
    unknown_interest_rows: int = 0
    unknown_language_rows: int = 0

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


# --- validating ------------------------------------------------------------------------------------


class Invalid(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _message(error: forms.ValidationError | ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _quoted(value: str) -> str:
    if len(value) > 60:
        value = value[:57] + "…"
    return f"'{value}'"


def _multi(raw: str) -> list[str]:
    """The values of a multi-valued cell: separated by ; (or ,), trimmed, duplicates once."""
    seen: dict[str, None] = {}
    for part in raw.replace(",", ";").split(";"):
        part = part.strip()
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


def _choice(options: Sequence[str], explain: dict[str, str] | None = None) -> Callable[[str], str]:
    allowed = {o.lower(): o for o in options}

    def conv(raw: str) -> str:
        text = _required(raw)
        if text.lower() in allowed:
            return allowed[text.lower()]
        if explain and text.lower() in explain:
            raise Invalid(explain[text.lower()])
        raise Invalid(
            _("%(value)s is not one of %(options)s.")
            % {"value": _quoted(text), "options": ", ".join(options)}
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
    # at most 9 digits: no int() of thousands of digits (Python refuses past 4,300)
    return int(text) if text.isdigit() and len(text) <= 9 else None


def conv_birth_year(raw: str) -> int:
    text = _required(raw)
    year = _whole(text)
    if year is None:
        raise Invalid(_("%(value)s is not a year.") % {"value": _quoted(text)})
    this_year = timezone.localdate().year
    age = this_year - year
    if year > this_year:
        raise Invalid(_("birth year %(year)s is in the future.") % {"year": year})
    if age < MIN_AGE:
        raise Invalid(
            _("birth year %(year)s means the person is %(age)s; participants must be at least %(min)s.")
            % {"year": year, "age": age, "min": MIN_AGE}
        )
    if age > MAX_AGE:
        raise Invalid(
            _("birth year %(year)s means the person is %(age)s; please check the year.")
            % {"year": year, "age": age}
        )
    return year


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


@dataclass(frozen=True)
class Codes:
    """A multi-valued cell read against a vocabulary: the codes found and the values not understood."""

    codes: list[str]
    unknown: list[str]


def _codes(lookup: Callable[[str], str | None]) -> Callable[[str], Codes]:
    def conv(raw: str) -> Codes:
        codes: dict[str, None] = {}
        unknown: list[str] = []
        for part in _multi(raw):
            code = lookup(part)
            if code is None:
                unknown.append(part)
            else:
                codes.setdefault(code, None)
        return Codes(list(codes), unknown)

    return conv


def _availability(raw: str) -> list[str]:
    codes = _multi(raw.lower())
    bad = [c for c in codes if c not in AVAILABILITY]
    if bad:
        raise Invalid(
            _("%(value)s is not a known time to meet (%(options)s).")
            % {"value": _quoted(bad[0]), "options": ", ".join(AVAILABILITY)}
        )
    return codes


def conv_capacity(raw: str) -> int:
    text = raw.strip()
    if not text:
        return 1
    number = _whole(text)
    if number is None or not capacity_ok(number):
        raise Invalid(
            _("%(value)s is not a whole number from 1 to %(max)s.")
            % {"value": _quoted(text), "max": MAX_CAPACITY}
        )
    return number


def conv_household(raw: str) -> int | None:
    """The same rule as the sign-up and staff forms (forms.clean_household_size)."""
    text = raw.strip()
    if not text:
        return None
    number = _whole(text)
    try:
        if number is None:
            raise forms.ValidationError("")
        return clean_household_size(number)
    except forms.ValidationError as exc:
        raise Invalid(
            _("%(value)s is not a whole number from %(min)s to %(max)s.")
            % {"value": _quoted(text), "min": MIN_HOUSEHOLD, "max": MAX_HOUSEHOLD}
        ) from exc


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


def _conv_municipality(names: dict[str, str], allowed: set[str] | None) -> Callable[[str], str]:
    def conv(raw: str) -> str:
        text = _required(raw)
        if text.isdigit() and len(text) == 3:  # a spreadsheet dropped the leading zero: 380 → 0380
            text = "0" + text
        if text not in names:
            raise Invalid(
                _("%(value)s is not a Swedish municipality code.") % {"value": _quoted(raw.strip())}
            )
        if allowed is not None and text not in allowed:
            raise Invalid(
                _(
                    "%(value)s (%(name)s) is outside your regions; you can only add people who live in "
                    "your own regions."
                )
                % {"value": _quoted(text), "name": names[text]}
            )
        return text

    return conv


def _longer_than(max_length: int) -> str:
    return ngettext(
        "the text is longer than %(max)s character.",
        "the text is longer than %(max)s characters.",
        max_length,
    ) % {"max": max_length}


def _text(max_length: int) -> Callable[[str], str]:
    def conv(raw: str) -> str:
        text = raw.strip()
        if len(text) > max_length:
            raise Invalid(_longer_than(max_length))
        return text

    return conv


def conv_name_latin(raw: str) -> str:
    """The name in Latin letters (as on the sign-up form): Latin letters only, at most 200 characters."""
    text = " ".join(_text(200)(raw).split())
    if needs_latin(text):
        raise Invalid(_("write the name in Latin letters only (a–z, and letters such as å, ä, ö or é)."))
    return text


def conv_email(raw: str) -> str:
    text = raw.strip().lower()
    if not text:
        return ""
    if len(text) > 254:
        raise Invalid(_longer_than(254))
    try:
        validate_email(text)
    except ValidationError as exc:
        raise Invalid(
            _("%(value)s is not a valid e-mail address.") % {"value": _quoted(raw.strip())}
        ) from exc
    return text


def conv_id(raw: str) -> str:
    text = _required(raw)
    if len(text) > MAX_ID:
        raise Invalid(
            ngettext(
                "%(value)s is longer than %(max)s character.",
                "%(value)s is longer than %(max)s characters.",
                MAX_ID,
            )
            % {"value": _quoted(text[:20] + "…"), "max": MAX_ID}
        )
    return text


def _status_reasons() -> dict[str, str]:
    allowed = _("%(first)s or %(last)s") % {
        "first": ", ".join(IMPORT_STATUSES[:-1]),
        "last": IMPORT_STATUSES[-1],
    }
    return {
        Status.MATCHED: _(
            "'matched' cannot be imported: a person is matched only when staff approve a match in Kompis. "
            "Use %(allowed)s."
        )
        % {"allowed": allowed},
        Status.PENDING: _(
            "'pending' cannot be imported: it waits for an e-mail confirmation that imported people are never "
            "sent. Use %(allowed)s."
        )
        % {"allowed": allowed},
        Status.WITHDRAWN: _(
            "'withdrawn' cannot be imported: the data of someone who has left is not brought into Kompis. "
            "Leave the row out."
        ),
    }


def _converters(
    today: dt.date, municipalities: dict[str, str], allowed: set[str] | None
) -> dict[str, tuple[Callable[[str], Any], bool]]:
    """column → (converter, cacheable: few distinct values, so convert each distinct value once)."""
    return {
        "id": (conv_id, False),
        "role": (_choice(ParticipantRole.values), True),
        "birth_year": (conv_birth_year, True),
        "gender": (_choice(Gender.values), True),
        "municipality_code": (_conv_municipality(municipalities, allowed), True),
        "postal_code": (conv_postal_code, True),
        "languages": (_codes(language_code), True),
        "interests": (_codes(interest_code), True),
        "has_children": (conv_bool, True),
        "wants_family_match": (conv_bool, True),
        "meeting_mode": (_choice(MeetingMode.values), True),
        "same_gender_only": (conv_bool, True),
        "capacity": (conv_capacity, True),
        "signed_up": (_conv_date(today), True),
        "first_name": (_text(MAX_NAME), False),
        "last_name": (_text(MAX_NAME), False),
        "name_latin": (conv_name_latin, False),
        "email": (conv_email, False),
        "phone": (conv_phone, False),
        "availability": (_availability, True),
        "household_size": (conv_household, True),
        "about_me": (_text(MAX_TEXT), False),
        "hopes": (_text(MAX_TEXT), False),
        "status": (_or_default(_choice(IMPORT_STATUSES, _status_reasons()), DEFAULT_STATUS), True),
    }


_DEFAULTS: dict[str, Any] = {
    "capacity": 1,
    "first_name": "",
    "last_name": "",
    "name_latin": "",
    "email": "",
    "phone": "",
    "availability": [],
    "household_size": None,
    "about_me": "",
    "hopes": "",
    "status": DEFAULT_STATUS,
}


def cell_problem(value: str) -> str | None:
    """Why a cell cannot be imported at all (too long, a control character), or None."""
    if len(value) > MAX_CELL:
        return ngettext(
            "the cell has %(length)s character; at most %(max)s are allowed.",
            "the cell has %(length)s characters; at most %(max)s are allowed.",
            len(value),
        ) % {
            "length": f"{len(value):,}",
            "max": f"{MAX_CELL:,}",
        }
    found = _CONTROL.search(value)
    if found is not None:
        bad = found.group()
        return _("the cell contains the control character %(char)s, which cannot be imported.") % {
            "char": f"U+{ord(bad):04X}"
        }
    return None


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


#: Other rows named in a "appears more than once" message; the rest are counted. Listing them all made a
#: file whose id column is one value copied down take time and memory growing with the square of its rows.
MAX_OTHER_LINES = 5


def _also_in(raw: str, line: int, lines: list[int]) -> str:
    """The message for a value that `lines` share, for the row `line` (at most MAX_OTHER_LINES named)."""
    others = [n for n in lines[: MAX_OTHER_LINES + 1] if n != line][:MAX_OTHER_LINES]
    more = len(lines) - 1 - len(others)
    if more:
        return ngettext(
            "%(value)s appears more than once in the file: also in rows %(lines)s and %(more)s more row.",
            "%(value)s appears more than once in the file: also in rows %(lines)s and %(more)s more rows.",
            more,
        ) % {"value": _quoted(raw), "lines": _lines_text(others), "more": more}
    return ngettext(
        "%(value)s appears more than once in the file: also in row %(lines)s.",
        "%(value)s appears more than once in the file: also in rows %(lines)s.",
        len(others),
    ) % {"value": _quoted(raw), "lines": _lines_text(others)}


def _convert(
    caches: dict[str, dict[str, tuple[bool, Any]]],
    name: str,
    conv: Callable[[str], Any],
    raw: str,
    cacheable: bool,
) -> tuple[bool, Any]:
    if not cacheable:
        try:
            return True, conv(raw)
        except Invalid as exc:
            return False, exc.reason
    cache = caches[name]
    hit = cache.get(raw)
    if hit is None:
        try:
            hit = (True, conv(raw))
        except Invalid as exc:
            hit = (False, exc.reason)
        cache[raw] = hit
    return hit


def _vocabulary_problems(
    line: int, name: str, raw: str, found: Codes, drop: bool, warnings: list[RowWarning]
) -> list[RowError]:
    """Unknown languages or interests: an error, or (when staff chose to drop them) a warning."""
    if not found.unknown:
        return []
    unknown = ", ".join(_quoted(u) for u in found.unknown)
    if name == "languages":
        options = ", ".join(LANGUAGES)
        reason = ngettext(
            "%(values)s is not a language Kompis knows (codes such as %(options)s, or their names).",
            "%(values)s are not languages Kompis knows (codes such as %(options)s, or their names).",
            len(found.unknown),
        ) % {"values": unknown, "options": options}
        dropped = ngettext(
            "the unknown language %(values)s was left out.",
            "the unknown languages %(values)s were left out.",
            len(found.unknown),
        ) % {"values": unknown}
    else:
        reason = ngettext(
            "%(values)s is not an interest Kompis knows (%(options)s).",
            "%(values)s are not interests Kompis knows (%(options)s).",
            len(found.unknown),
        ) % {"values": unknown, "options": ", ".join(INTERESTS)}
        dropped = ngettext(
            "the unknown interest %(values)s was left out.",
            "the unknown interests %(values)s were left out.",
            len(found.unknown),
        ) % {"values": unknown}
    if drop:
        warnings.append(RowWarning(line, name, raw.strip(), dropped))
        return []
    return [RowError(line, name, raw.strip(), reason)]


def validate(
    table: Table,
    *,
    organisation: Any,
    today: dt.date | None = None,
    allowed_municipalities: set[str] | None = None,
    options: ImportOptions | None = None,
) -> Validation:
    """Check every row of the table. Each bad cell becomes a RowError naming row, column and reason.

    `allowed_municipalities`: the municipality codes the importing user may add people in (a coordinator's
    regions); None for anywhere (admins, the command line). `options`: what to do with unknown interests
    and languages.
    """
    today = today or timezone.localdate()
    options = options or ImportOptions()
    columns = table.columns
    width = len(table.header)
    municipalities = dict(Municipality.objects.values_list("code", "name"))
    converters = _converters(today, municipalities, allowed_municipalities)
    caches: dict[str, dict[str, tuple[bool, Any]]] = {name: {} for name in converters}
    errors: list[RowError] = []
    warnings: list[RowWarning] = []
    parsed: list[ParsedRow] = []
    unknown_only = {"interests": 0, "languages": 0}
    header_names = [h or f"#{i + 1}" for i, h in enumerate(table.header)]
    present = [
        (name, columns[name], conv, cacheable)
        for name, (conv, cacheable) in converters.items()
        if name in columns
    ]

    for line, row_cells in table.rows:
        row_errors: list[RowError] = []
        row_warnings: list[RowWarning] = []
        if len(row_cells) > width and any(c.strip() for c in row_cells[width:]):
            row_errors.append(
                RowError(
                    line,
                    None,
                    "",
                    ngettext(
                        "the row has %(cells)s cell but the header has %(columns)s.",
                        "the row has %(cells)s cells but the header has %(columns)s.",
                        len(row_cells),
                    )
                    % {"cells": len(row_cells), "columns": width},
                )
            )
        broken: set[int] = set()
        for index, raw in enumerate(row_cells[:width]):
            problem = cell_problem(raw) if raw else None
            if problem:
                broken.add(index)
                row_errors.append(RowError(line, header_names[index], cells.xml_safe(raw[:60]), problem))
        values: dict[str, Any] = dict(_DEFAULTS)
        unknown_in: set[str] = set()  # the columns rejected only for an unknown language or interest
        for name, index, conv, cacheable in present:
            if index in broken:
                continue
            raw = row_cells[index] if index < len(row_cells) else ""
            ok, result = _convert(caches, name, conv, raw, cacheable)
            if not ok:
                row_errors.append(RowError(line, name, raw.strip(), result))
                continue
            if isinstance(result, Codes):
                drop = (
                    options.drop_unknown_languages if name == "languages" else options.drop_unknown_interests
                )
                problems = _vocabulary_problems(line, name, raw, result, drop, row_warnings)
                row_errors.extend(problems)
                if problems:
                    unknown_in.add(name)
                    continue
                if name == "languages" and not result.codes:
                    row_errors.append(
                        RowError(
                            line, name, raw.strip(), _("at least one language Kompis knows is required.")
                        )
                    )
                    continue
                result = result.codes
            values[name] = result
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
                    line, "wants_family_match", "true", _("a family match is for families with children.")
                )
            )
        if row_errors:
            errors.extend(row_errors)
            if len(unknown_in) == 1 and {e.column for e in row_errors} == unknown_in:
                unknown_only[unknown_in.pop()] += 1
        else:
            warnings.extend(row_warnings)
            parsed.append(ParsedRow(line, values))

    errors.extend(_duplicates(table, columns, organisation))
    if errors:
        bad = {e.line for e in errors}
        parsed = [p for p in parsed if p.line not in bad]
        warnings = [w for w in warnings if w.line not in bad]
        order = {name: i for i, name in enumerate(KNOWN_COLUMNS)}
        errors.sort(key=lambda e: (e.line, order.get(e.column or "", -1)))
    return Validation(
        table=table,
        valid=[_model_values(p) for p in parsed],
        errors=errors,
        row_warnings=warnings,
        options=options,
        unknown_interest_rows=unknown_only["interests"],
        unknown_language_rows=unknown_only["languages"],
    )


def _duplicates(table: Table, columns: dict[str, int], organisation: Any) -> list[RowError]:
    """Ids and e-mail addresses must be unique within the file and the organisation."""
    errors: list[RowError] = []
    uniques: list[tuple[str, int, str, Callable[[str], str]]] = []
    if "id" in columns:
        uniques.append(("id", columns["id"], "external_ref", lambda raw: raw.strip()))
    if "email" in columns:
        uniques.append(("email", columns["email"], "email", lambda raw: raw.strip().lower()))
    for column, index, field_name, key_of in uniques:
        lines_of: dict[str, list[int]] = defaultdict(list)
        raw_of: dict[int, str] = {}
        for line, row_cells in table.rows:
            raw = row_cells[index] if index < len(row_cells) else ""
            key = key_of(raw)
            if key and len(key) <= 254 and not cell_problem(key):
                lines_of[key].append(line)
                raw_of[line] = raw.strip()
        for lines in lines_of.values():
            if len(lines) > 1:
                for line in lines:
                    errors.append(RowError(line, column, raw_of[line], _also_in(raw_of[line], line, lines)))
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
    return errors


def _model_values(row: ParsedRow) -> ParsedRow:
    """Column values → Participant fields, and the FriendParticipation's (FRIEND_FIELDS and status) that
    `import_services` writes in a second table."""
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
        "interests": v.get("interests", []),
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
        "name_latin": v["name_latin"],
        "email": v["email"],
        "phone": v["phone"],
        "availability": v["availability"],
        "household_size": v["household_size"],
        "about_me": v["about_me"],
        "hopes": v["hopes"],
        "status": v["status"],
    }
    return ParsedRow(row.line, values)


def check_file(data: bytes, filename: str, *, organisation: Any, **kwargs: Any) -> Validation:
    """read_table + validate (raises ImportFileError for problems with the file as a whole)."""
    return validate(read_table(data, filename), organisation=organisation, **kwargs)


# --- the rejected rows -----------------------------------------------------------------------------


def rejected_rows(validation: Validation) -> tuple[list[str], list[list[str]]]:
    """The original columns plus `errors`, for every rejected row."""
    by_line = validation.errors_by_line()
    header = [*validation.table.header, "errors"]
    width = len(validation.table.header)
    out = []
    for line, row_cells in validation.table.rows:
        if line in by_line:
            padded = (row_cells + [""] * width)[:width]
            out.append([*padded, " ".join(e.message for e in by_line[line])])
    return header, out


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def rejected_rows_file(validation: Validation) -> tuple[bytes, str, str]:
    """(content, file name, content type): CSV (same delimiter as the upload) or XLSX like the upload.
    Every cell is written safely (kompis.core.cells): a cell that starts like a formula stays text."""
    header, rows = rejected_rows(validation)
    stem = (validation.table.filename.rsplit(".", 1)[0] or "import").replace("/", "_").replace("\\", "_")
    if validation.table.kind == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("rejected")
        sheet.append(cells.write_only_row(sheet, header))
        for row in rows:
            sheet.append([cells.write_only_cell(sheet, value) for value in row])  # text stays text
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue(), f"{stem}-rejected.xlsx", XLSX_TYPE
    text = io.StringIO()
    writer = csv.writer(text, delimiter=validation.table.delimiter, lineterminator="\r\n")
    writer.writerow(cells.csv_row(header))
    writer.writerows(cells.csv_row(cells.xml_safe(v) for v in row) for row in rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8"), f"{stem}-rejected.csv", CSV_TYPE
