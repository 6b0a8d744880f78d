"""Participant CSV contract: reading with validation, exclusions, and writing matches.

Participants CSV header (order free, unknown columns ignored; ``capacity`` and
``availability`` optional)::

    id,role,birth_year,gender,municipality_code,postal_code,languages,interests,has_children,
    wants_family_match,meeting_mode,same_gender_only,capacity,signed_up[,availability]

Multi-valued cells (languages, interests, availability) use ``;``; booleans are
``true``/``false``; dates are ISO ``YYYY-MM-DD``. Line numbers are 1-based with the header on
line 1, so the first participant is on line 2.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from kompis.contract.participants import (
    MAX_AGE,
    MAX_CAPACITY,
    MIN_AGE,
    MIN_CAPACITY,
    OPTIONAL_CONTRACT_COLUMNS,
    REQUIRED_COLUMNS,
    capacity_ok,
)
from kompis.matching.engine._util import gc_paused
from kompis.matching.engine.model import AVAILABILITY_SLOTS, GENDERS, MEETING_MODES, ROLES, Pair, Participant
from kompis.matching.engine.municipalities import municipalities

OPTIONAL_COLUMNS: tuple[str, ...] = (*sorted(OPTIONAL_CONTRACT_COLUMNS), "availability")
EXCLUDE_COLUMNS: tuple[str, ...] = ("newcomer_id", "established_id")
_LANG_RE = re.compile(r"^[a-z]{2,3}$")
_KEY_RE = re.compile(r"^[a-z0-9_]{1,40}$")
_POSTAL_RE = re.compile(r"^\d{3} ?\d{2}$")


@dataclass(frozen=True, slots=True)
class CsvError:
    """One problem in an input file; ``line`` is 1-based (header = 1), 0 for the whole file."""

    line: int
    column: str | None
    message: str

    def format(self, filename: str = "") -> str:
        where = f"{filename}:{self.line}" if filename else f"line {self.line}"
        col = f" column '{self.column}':" if self.column else ""
        return f"{where}:{col} {self.message}"


@dataclass(slots=True)
class ParseResult:
    participants: list[Participant]
    errors: list[CsvError]

    @property
    def ok(self) -> bool:
        return not self.errors


def _bool(value: str) -> bool | None:
    v = value.strip().lower()
    if v == "true":
        return True
    if v == "false":
        return False
    return None


def _multi(value: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for part in value.split(";"):
        part = part.strip().lower()
        if part:
            seen.setdefault(part, None)
    return tuple(seen)


class _Err(str):
    """An error message from a converter whose valid results are strings too."""

    __slots__ = ()


#: columns whose converted values are strings (errors there are marked with :class:`_Err`)
_STR_COLUMNS = frozenset({"role", "gender", "municipality_code", "postal_code", "meeting_mode"})


def _check_year(text: str, today: dt.date) -> int | str:
    try:
        year = int(text)
    except ValueError:
        return f"{text!r} is not a year"
    age = today.year - year
    if age < MIN_AGE:
        return f"{year} makes the participant under {MIN_AGE}"
    if age > MAX_AGE:
        return f"{year} is not a plausible birth year"
    return year


def _check_date(text: str, today: dt.date) -> dt.date | str:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        value = dt.date.fromisoformat(text)
    except ValueError:
        return f"{text!r} is not a date (YYYY-MM-DD)"
    if value > today:
        return f"{text} is in the future"
    return value


def _check_languages(vals: tuple[str, ...]) -> tuple[str, ...] | str:
    if not vals:
        return "at least one language is required"
    for lang in vals:
        if not _LANG_RE.match(lang):
            return f"{lang!r} is not a language code (ISO 639-1)"
    return vals


def _check_interests(vals: tuple[str, ...]) -> tuple[str, ...] | str:
    for key in vals:
        if not _KEY_RE.match(key):
            return f"{key!r} is not an interest key (a-z, 0-9, _)"
    return vals


def _check_slots(vals: tuple[str, ...], slots: set[str]) -> tuple[str, ...] | str:
    bad = [a for a in vals if a not in slots]
    if bad:
        return f"{bad[0]!r} is not one of {', '.join(AVAILABILITY_SLOTS)}"
    return vals


def _cached_multi(
    cache: dict[str, tuple[str, ...] | str],
    raw: str,
    check: Callable[[tuple[str, ...]], tuple[str, ...] | str],
) -> tuple[str, ...] | str:
    hit = cache.get(raw)
    if hit is None:
        hit = cache[raw] = check(_multi(raw))
    return hit


def parse_participants(
    source: TextIO | str | os.PathLike[str], today: dt.date | None = None, max_errors: int = 50
) -> ParseResult:
    """Read and validate a participants CSV (a path or an open text stream).

    Returns the parsed participants, or — when anything is wrong — a list of errors (at most
    ``max_errors``) naming line and column. With errors, ``participants`` is empty.
    """
    if isinstance(source, str | os.PathLike):
        with Path(source).open(newline="", encoding="utf-8-sig") as fh:
            return parse_participants(fh, today, max_errors)
    with gc_paused():
        return _parse_participants(source, today, max_errors)


def _parse_participants(source: TextIO, today: dt.date | None, max_errors: int) -> ParseResult:
    if not source.seekable():
        source = io.StringIO(source.read())
    today = today or dt.date.today()
    munis = municipalities()
    errors: list[CsvError] = []
    out: list[Participant] = []
    reader = csv.reader(source)
    try:
        header = next(reader)
    except StopIteration:
        return ParseResult([], [CsvError(1, None, "the file is empty (expected a header line)")])
    except csv.Error as exc:
        return ParseResult([], [CsvError(1, None, f"not a valid CSV file: {exc}")])
    header = [h.strip() for h in header]
    col = {name: i for i, name in reversed(list(enumerate(header)))}
    missing = [c for c in REQUIRED_COLUMNS if c not in col]
    if missing:
        return ParseResult([], [CsvError(1, c, "required column is missing") for c in missing])
    start_line = reader.line_num
    try:
        raw_rows = list(reader)
    except csv.Error as exc:
        return ParseResult([], [CsvError(reader.line_num, None, f"not a valid CSV row: {exc}")])
    if reader.line_num == start_line + len(raw_rows):
        numbered: Iterable[tuple[int, list[str]]] = zip(
            range(start_line + 1, start_line + 1 + len(raw_rows)), raw_rows, strict=True
        )
    else:  # quoted cells span several lines: parse again, tracking line numbers
        source.seek(0)
        again = csv.reader(source)
        next(again)
        numbered = [(again.line_num, row) for row in again]
    width = len(header)
    lines: list[int] = []
    rows: list[list[str]] = []
    for ln, row in numbered:
        if len(row) != width:
            if not any(c.strip() for c in row):
                continue
            row = (row + [""] * width)[: max(width, len(row))]
        lines.append(ln)
        rows.append(row)
    del numbered, raw_rows
    n = len(rows)
    columns: list[tuple[str, ...]] = list(zip(*rows, strict=False)) if rows else [() for _ in range(width)]
    del rows

    def column(name: str) -> tuple[str, ...]:
        i = col.get(name)
        return columns[i] if i is not None else ("",) * n

    # Each column: convert every distinct raw value once; a str result is an error message.
    slots = set(AVAILABILITY_SLOTS)
    bool_conv = {"true": True, "false": False}

    def conv_bool(raw: str) -> bool | str:
        v = bool_conv.get(raw.strip().lower())
        return f"{raw.strip()!r} is not a boolean (true/false)" if v is None else v

    def conv_capacity(raw: str) -> int | str:
        text = raw.strip()
        if not text:
            return 1
        if text.isdigit() and len(text) <= 9 and capacity_ok(int(text)):
            return int(text)
        return f"{text!r} is not a whole number from {MIN_CAPACITY} to {MAX_CAPACITY}"

    def conv_postal(raw: str) -> str:
        text = raw.strip()
        if text and not _POSTAL_RE.match(text):
            return _Err(f"{text!r} is not a Swedish postal code (5 digits)")
        return text

    def choice(options: tuple[str, ...]) -> Callable[[str], str]:
        allowed = set(options)

        def conv(raw: str) -> str:
            text = raw.strip()
            return text if text in allowed else _Err(f"{text!r} is not one of {', '.join(options)}")

        return conv

    def conv_muni(raw: str) -> str:
        text = raw.strip()
        return text if text in munis else _Err(f"{text!r} is not a Swedish municipality code")

    converters: list[tuple[str, Callable[[str], object]]] = [
        ("role", choice(ROLES)),
        ("birth_year", lambda raw: _check_year(raw.strip(), today)),
        ("gender", choice(GENDERS)),
        ("municipality_code", conv_muni),
        ("postal_code", conv_postal),
        ("languages", lambda raw: _check_languages(_multi(raw))),
        ("interests", lambda raw: _check_interests(_multi(raw))),
        ("has_children", conv_bool),
        ("wants_family_match", conv_bool),
        ("meeting_mode", choice(MEETING_MODES)),
        ("same_gender_only", conv_bool),
        ("signed_up", lambda raw: _check_date(raw.strip(), today)),
        ("capacity", conv_capacity),
        ("availability", lambda raw: _check_slots(_multi(raw), slots)),
    ]
    converted: dict[str, list[object]] = {}
    for name, conv in converters:
        raw_col = column(name)
        table = {raw: conv(raw) for raw in set(raw_col)}
        bad = {
            raw
            for raw, v in table.items()
            if isinstance(v, str) and (name not in _STR_COLUMNS or isinstance(v, _Err))
        }
        if bad:
            for pos, raw in enumerate(raw_col):
                if raw in bad:
                    errors.append(CsvError(lines[pos], name, str(table[raw])))
        converted[name] = list(map(table.__getitem__, raw_col))
    ids = [x.strip() for x in column("id")]
    if len(set(ids)) != len(ids) or "" in ids:
        first: dict[str, int] = {}
        for pos, pid in enumerate(ids):
            if not pid:
                errors.append(CsvError(lines[pos], "id", "is empty"))
            elif pid in first:
                errors.append(
                    CsvError(lines[pos], "id", f"duplicate id {pid!r} (first on line {first[pid]})")
                )
            else:
                first[pid] = lines[pos]
    if errors:
        order = {c: i for i, c in enumerate(("id", *(name for name, _ in converters)))}
        errors.sort(key=lambda e: (e.line, order.get(e.column or "", 99)))
        return ParseResult([], errors[:max_errors])
    c = converted
    out = [
        Participant(*fields)
        for fields in zip(
            ids, c["role"], c["birth_year"], c["gender"], c["municipality_code"], c["postal_code"],
            c["languages"], c["interests"], c["has_children"], c["wants_family_match"], c["meeting_mode"],
            c["same_gender_only"], c["signed_up"], c["capacity"], c["availability"],
            strict=True,
        )
    ]  # fmt: skip
    if errors:
        return ParseResult([], errors[:max_errors])
    return ParseResult(out, [])


def parse_exclusions(
    source: TextIO | str | os.PathLike[str], max_errors: int = 50
) -> tuple[list[tuple[str, str]], list[CsvError]]:
    """Read a ``newcomer_id,established_id`` CSV; returns (pairs, errors)."""
    if isinstance(source, str | os.PathLike):
        with Path(source).open(newline="", encoding="utf-8-sig") as fh:
            return parse_exclusions(fh, max_errors)
    reader = csv.reader(source)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        return [], [CsvError(1, None, "the file is empty (expected a header line)")]
    missing = [c for c in EXCLUDE_COLUMNS if c not in header]
    if missing:
        return [], [CsvError(1, c, "required column is missing") for c in missing]
    a, b = header.index("newcomer_id"), header.index("established_id")
    pairs: list[tuple[str, str]] = []
    errors: list[CsvError] = []
    for row in reader:
        if not row or all(not c.strip() for c in row):
            continue
        n = row[a].strip() if a < len(row) else ""
        e = row[b].strip() if b < len(row) else ""
        if not n:
            errors.append(CsvError(reader.line_num, "newcomer_id", "is empty"))
        if not e:
            errors.append(CsvError(reader.line_num, "established_id", "is empty"))
        if n and e:
            pairs.append((n, e))
        if len(errors) >= max_errors:
            break
    return pairs, errors


def format_matches(pairs: Iterable[Pair]) -> str:
    """The output CSV text: ``newcomer_id,established_id,score,reasons`` sorted by ids."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(("newcomer_id", "established_id", "score", "reasons"))
    for p in sorted(pairs, key=lambda p: (p.newcomer_id, p.established_id)):
        w.writerow(
            (p.newcomer_id, p.established_id, f"{p.score:.2f}", "; ".join(r.english() for r in p.reasons))
        )
    return buf.getvalue()


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` atomically (temp file in the same directory, fsync, rename)."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_matches(path: str | os.PathLike[str], pairs: Sequence[Pair]) -> None:
    """Write the matches CSV atomically (no partial file on failure)."""
    with gc_paused():
        text = format_matches(pairs)
    write_atomic(path, text)
