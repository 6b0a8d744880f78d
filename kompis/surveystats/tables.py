"""Per-question counts and percentages, with n and the response rate.

An answer is what `Response.answers[code]` holds: an option code (single choice, yes/no as "yes"/"no",
Likert as "1".."7" or an int), a list of option codes (multiple choice), a number, a date, or text.
Missing answers (None, "", []) do not count in n. Percentages are of n (those who answered the question);
in a multiple-choice question they add up to more than 100.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


def is_missing(value: Any) -> bool:
    return value is None or value == "" or value == []


def code_of(value: Any) -> str:
    """An answer's category as text (True → "yes", 3 → "3")."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class Rate:
    """ "94 of 118 answered, 80 %"."""

    answered: int
    invited: int

    @property
    def share(self) -> float | None:
        return self.answered / self.invited if self.invited else None

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else round_half_up(share * 100)


def round_half_up(x: float) -> int:
    return int(x + 0.5) if x >= 0 else -int(-x + 0.5)


@dataclass
class Count:
    code: str
    count: int
    share: float  # of n, 0..1

    @property
    def percent(self) -> int:
        return round_half_up(self.share * 100)


@dataclass
class QuestionTable:
    n: int  # answered this question
    counts: list[Count] = field(default_factory=list)
    mean: float | None = None  # numbers and scales


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def question_table(
    answers: Iterable[Any], codes: Sequence[str] = (), *, numeric: bool = False
) -> QuestionTable:
    """Counts of each code (in the order of `codes`, then any others seen, in order of frequency).

    `numeric`: also the mean of the answers that are numbers (scales and number questions)."""
    counter: Counter[str] = Counter()
    given = [v for v in answers if not (v is None or v == "" or v == [])]
    n = len(given)
    singles = [v for v in given if not isinstance(v, list)]
    if len(singles) == n and all(type(v) is str for v in singles):
        counter.update(singles)  # the common case (option codes): one pass in C
    else:
        for value in given:
            values = value if isinstance(value, list) else [value]
            for v in dict.fromkeys(code_of(x) for x in values if not is_missing(x)):
                counter[v] += 1
    numbers: list[float] = []
    if numeric:
        numbers = [x for x in (_number(v) for v in singles) if x is not None]
    order = list(codes) + [c for c, _ in counter.most_common() if c not in codes]
    counts = [Count(c, counter[c], counter[c] / n if n else 0.0) for c in order]
    mean = sum(numbers) / len(numbers) if numbers else None
    return QuestionTable(n=n, counts=counts, mean=mean)


def breakdown(answers: Iterable[tuple[str, Any]], codes: Sequence[str] = ()) -> dict[str, QuestionTable]:
    """One table per group: `answers` are (group, answer) pairs."""
    groups: dict[str, list[Any]] = {}
    for group, value in answers:
        groups.setdefault(group, []).append(value)
    return {g: question_table(v, codes) for g, v in sorted(groups.items())}
