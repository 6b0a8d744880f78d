"""Paired pre/post change for identified waves (the same persons at baseline and final).

- A number or a scale: the mean of the paired differences (final − baseline) with a 95 % confidence
  interval from Student's t distribution (the paired t-test's interval; scipy.stats.t).
- Yes/no (or one option against the rest): the difference in paired proportions p_final − p_baseline =
  (b − c) / n, where b persons changed no → yes and c yes → no, with the Wald interval for matched pairs
  (the one that goes with McNemar's test): se = √(b + c − (b − c)²/n) / n, ± 1.96·se, clipped to [−1, 1].
Pairs where either answer is missing are left out; `n` is the number of pairs used.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scipy import stats

from kompis.surveystats.tables import code_of, is_missing

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Change:
    n: int
    before: float | None  # mean or proportion at baseline
    after: float | None
    difference: float | None
    low: float | None  # 95 % CI
    high: float | None
    method: str  # "mean" | "proportion"


def _float(value: Any) -> float | None:
    if is_missing(value) or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def mean_change(pairs: Iterable[tuple[Any, Any]]) -> Change:
    """Mean difference after − before of paired numbers, with the t interval."""
    before: list[float] = []
    after: list[float] = []
    for a, b in pairs:
        x, y = _float(a), _float(b)
        if x is not None and y is not None:
            before.append(x)
            after.append(y)
    n = len(before)
    if n == 0:
        return Change(0, None, None, None, None, None, "mean")
    diffs = [y - x for x, y in zip(before, after, strict=True)]
    mean = sum(diffs) / n
    low = high = None
    if n > 1:
        sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (n - 1))
        half = float(stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
        low, high = mean - half, mean + half
    return Change(n, sum(before) / n, sum(after) / n, mean, low, high, "mean")


def proportion_change(pairs: Iterable[tuple[Any, Any]], positive: str = "yes") -> Change:
    """Difference in paired proportions of `positive` (after − before), with the matched-pairs Wald interval."""
    n = a_yes = b_yes = gained = lost = 0
    for a, b in pairs:
        if is_missing(a) or is_missing(b):
            continue
        x, y = code_of(a) == positive, code_of(b) == positive
        n += 1
        a_yes += x
        b_yes += y
        gained += (not x) and y
        lost += x and not y
    if n == 0:
        return Change(0, None, None, None, None, None, "proportion")
    d = (gained - lost) / n
    se = math.sqrt(max(gained + lost - (gained - lost) ** 2 / n, 0.0)) / n
    low, high = max(d - Z95 * se, -1.0), min(d + Z95 * se, 1.0)
    return Change(n, a_yes / n, b_yes / n, d, low, high, "proportion")
