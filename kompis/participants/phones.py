"""Phone numbers as digits, so that "0701234567" finds "070 123 45 67", "+46 70 123 45 67" and "070-123 45 67".

`normalise_phone` (Python, for the search box) and `phone_digits_expression` (SQL, the generated column
`Participant.phone_digits`) must give the same result: separators dropped, and a Swedish "+46"/"0046"
prefix written as the leading 0 of the national form.
"""

from __future__ import annotations

import re

from django.db.models import Case, Expression, F, Q, Value, When
from django.db.models.functions import Concat, Replace, Substr

#: characters people put between the digits of a phone number
SEPARATORS = (" ", "-", "(", ")", ".", "/", "+", "\u00a0")
#: a search word that is a phone number (or part of one): digits and separators only
PHONE_QUERY_RE = re.compile(r"^[0-9 ()./+\u00a0-]+$")
#: fewer digits than this are too short to search phone numbers with
MIN_SEARCH_DIGITS = 5


def normalise_phone(value: str) -> str:
    """ "+46 70-123 45 67" → "0701234567"; "0046 70 123" → "070123"; other numbers: their digits."""
    value = (value or "").strip()
    digits = "".join(ch for ch in value if ch not in SEPARATORS)
    if value.startswith("+46"):
        return "0" + digits[2:]
    if value.startswith("0046"):
        return "0" + digits[4:]
    return digits


def phone_digits_expression() -> Expression:
    """The same rule as `normalise_phone`, in SQL that SQLite and PostgreSQL both accept in a generated column."""
    # F is a Combinable, not an Expression, in the stubs; Replace() and the generated column accept it
    digits: Expression = F("phone")  # type: ignore[assignment]  # F resolves to an expression in SQL
    for sep in SEPARATORS:
        digits = Replace(digits, Value(sep), Value(""))
    return Case(
        When(Q(phone__startswith="+46"), then=Concat(Value("0"), Substr(digits, 3))),
        When(Q(phone__startswith="0046"), then=Concat(Value("0"), Substr(digits, 5))),
        default=digits,
    )


def phone_query(text: str) -> str:
    """The digits to search for when the whole search text is a phone number, else ""."""
    text = (text or "").strip()
    if not PHONE_QUERY_RE.match(text):
        return ""
    digits = normalise_phone(text)
    return digits if len(digits) >= MIN_SEARCH_DIGITS else ""


def digits_range(prefix: str) -> tuple[str, str | None]:
    """Numbers starting with `prefix` as a range [low, high) of digit strings: "07012" → ("07012", "07013").

    A range, not LIKE: SQLite uses an index for a range but not for a case-insensitive LIKE, and on PostgreSQL
    the default index serves it in any collation (digit strings sort the same in all of them).
    """
    digits = prefix.rstrip("9")
    if not digits:
        return prefix, None  # "999…": everything from here on
    return prefix, digits[:-1] + str(int(digits[-1]) + 1)
