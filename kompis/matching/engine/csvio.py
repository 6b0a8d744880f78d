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

import csv
import datetime as dt
import io
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from kompis.matching.engine.model import AVAILABILITY_SLOTS, GENDERS, MEETING_MODES, ROLES, Pair, Participant
from kompis.matching.engine.municipalities import municipalities

REQUIRED_COLUMNS: tuple[str, ...] = (
    "id", "role", "birth_year", "gender", "municipality_code", "postal_code", "languages", "interests",
    "has_children", "wants_family_match", "meeting_mode", "same_gender_only", "signed_up",
)  # fmt: skip
OPTIONAL_COLUMNS: tuple[str, ...] = ("capacity", "availability")
EXCLUDE_COLUMNS: tuple[str, ...] = ("newcomer_id", "established_id")
MAX_CAPACITY = 20
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
        return ParseResult(
            [], [CsvError(1, c, "required column is missing") for c in missing]
        )
    seen_ids: dict[str, int] = {}
    line = 1
    roles, genders, modes = set(ROLES), set(GENDERS), set(MEETING_MODES)
    slots = set(AVAILABILITY_SLOTS)
    try:
        for row in reader:
            line = reader.line_num
            if len(errors) >= max_errors:
                break
            if not row or all(not c.strip() for c in row):
                continue
            errs_before = len(errors)

            def err(column: str, message: str, _line: int = line) -> None:
                errors.append(CsvError(_line, column, message))

            def get(column: str, _row: list[str] = row) -> str:
                i = col.get(column)
                return _row[i].strip() if i is not None and i < len(_row) else ""

            pid = get("id")
            if not pid:
                err("id", "is empty")
            elif pid in seen_ids:
                err("id", f"duplicate id {pid!r} (first on line {seen_ids[pid]})")
            else:
                seen_ids[pid] = line
            role = get("role")
            if role not in roles:
                err("role", f"{role!r} is not one of {', '.join(ROLES)}")
            by_text = get("birth_year")
            birth_year = 0
            try:
                birth_year = int(by_text)
            except ValueError:
                err("birth_year", f"{by_text!r} is not a year")
            else:
                age = today.year - birth_year
                if age < 18:
                    err("birth_year", f"{birth_year} makes the participant under 18")
                elif age > 110:
                    err("birth_year", f"{birth_year} is not a plausible birth year")
            gender = get("gender")
            if gender not in genders:
                err("gender", f"{gender!r} is not one of {', '.join(GENDERS)}")
            muni = get("municipality_code")
            if muni not in munis:
                err("municipality_code", f"{muni!r} is not a Swedish municipality code")
            postal = get("postal_code")
            if postal and not _POSTAL_RE.match(postal):
                err("postal_code", f"{postal!r} is not a Swedish postal code (5 digits)")
            langs = _multi(get("languages"))
            if not langs:
                err("languages", "at least one language is required")
            for lang in langs:
                if not _LANG_RE.match(lang):
                    err("languages", f"{lang!r} is not a language code (ISO 639-1)")
                    break
            interests = _multi(get("interests"))
            for key in interests:
                if not _KEY_RE.match(key):
                    err("interests", f"{key!r} is not an interest key (a-z, 0-9, _)")
                    break
            bools: dict[str, bool] = {}
            for name in ("has_children", "wants_family_match", "same_gender_only"):
                v = _bool(get(name))
                if v is None:
                    err(name, f"{get(name)!r} is not a boolean (true/false)")
                bools[name] = bool(v)
            mode = get("meeting_mode")
            if mode not in modes:
                err("meeting_mode", f"{mode!r} is not one of {', '.join(MEETING_MODES)}")
            capacity = 1
            if "capacity" in col and get("capacity"):
                try:
                    capacity = int(get("capacity"))
                    if not 0 <= capacity <= MAX_CAPACITY:
                        raise ValueError
                except ValueError:
                    err("capacity", f"{get('capacity')!r} is not a whole number between 0 and {MAX_CAPACITY}")
            date_text = get("signed_up")
            signed_up = today
            try:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date_text):
                    raise ValueError
                signed_up = dt.date.fromisoformat(date_text)
            except ValueError:
                err("signed_up", f"{date_text!r} is not a date (YYYY-MM-DD)")
            else:
                if signed_up > today:
                    err("signed_up", f"{date_text} is in the future")
            avail: tuple[str, ...] = ()
            if "availability" in col:
                avail = _multi(get("availability"))
                bad = [a for a in avail if a not in slots]
                if bad:
                    err("availability", f"{bad[0]!r} is not one of {', '.join(AVAILABILITY_SLOTS)}")
            if len(errors) == errs_before:
                out.append(
                    Participant(
                        id=pid,
                        role=role,  # type: ignore[arg-type]
                        birth_year=birth_year,
                        gender=gender,  # type: ignore[arg-type]
                        municipality_code=muni,
                        postal_code=postal,
                        languages=langs,
                        interests=interests,
                        has_children=bools["has_children"],
                        wants_family_match=bools["wants_family_match"],
                        meeting_mode=mode,  # type: ignore[arg-type]
                        same_gender_only=bools["same_gender_only"],
                        signed_up=signed_up,
                        capacity=capacity,
                        availability=avail,
                    )
                )
    except csv.Error as exc:
        errors.append(CsvError(line + 1, None, f"not a valid CSV row: {exc}"))
    except UnicodeDecodeError:
        errors.append(CsvError(line + 1, None, "the file is not UTF-8 text"))
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
        w.writerow((p.newcomer_id, p.established_id, f"{p.score:.2f}", "; ".join(r.english() for r in p.reasons)))
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
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_matches(path: str | os.PathLike[str], pairs: Sequence[Pair]) -> None:
    write_atomic(path, format_matches(pairs))
