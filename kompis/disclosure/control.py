"""Primary and secondary suppression of count tables, checked by linear programming.

The input is a list of counts (whole numbers ≥ 0) and the sums that hold between them and are published
with them: `(total, parts)` means `values[total] == sum(values[p] for p in parts)` (a row adding up to its
total column, a column adding up to its total row, a grand total, one figure appearing in two tables as
the same cell). The output is a status per cell: "" (shown), "small" or "secondary".

Rules
- Primary: a count of 1 … k−1 is "small" and hidden. Zero is shown, except as a part of a total that
  is itself small: there the zeros are hidden as "small" too, and every part of it means 0 … k−1
  (otherwise four persons in four categories under a "<5" total would each be exactly 1).
- What a reader knows: every shown count, every sum above, that counts are whole and ≥ 0, and what the
  marks say: a small cell is 1 … k−1 (0 … k−1 as a part of a small total), a secondary cell is at least k (only counts ≥ k are ever chosen as
  secondary, so its mark says just that).
- Safe: for every hidden cell, the smallest and the largest value it can take under all of that (two
  linear programmes over the hidden cells linked to it) are at least one apart, so the table admits at
  least two values for it (`min_values`; never more than a small cell's own k−1 possible values).
- Secondary: while a small cell is not safe, a shown count ≥ k that shares a sum with it (or with a hidden
  cell linked to it) is hidden too: the cheapest (by `cost`; by default parts before totals, then the
  smallest, preferring cells that do not leave another sum with a single hidden cell) that makes the
  small cell safe, else the cheapest, and the check is repeated. Hiding more
  only widens what the others can take, so a cell once safe stays safe.
- Finally a secondary cell or a hidden zero that the rest determines anyway (e.g. a total whose parts are
  all shown, a zero in a column whose total is 0) is shown again: publishing what is already implied
  changes nothing for the other cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.optimize import linprog

SMALL, SECONDARY = "small", "secondary"
Sum = tuple[int, tuple[int, ...]]
EPS = 1e-6
MAX_TRIALS = 12  # candidates tried one by one before the cheapest is taken without proof that it suffices


class _Tables:
    def __init__(self, values: Sequence[int], sums: Sequence[Sum], k: int) -> None:
        self.values = [int(v) for v in values]
        if any(v < 0 for v in self.values):
            raise ValueError("counts must be ≥ 0")
        self.sums = [(int(t), tuple(int(p) for p in parts)) for t, parts in sums]
        for t, parts in self.sums:
            if self.values[t] != sum(self.values[p] for p in parts):
                raise ValueError(f"cell {t} is not the sum of cells {parts}")
        self.k = k
        # feasible points found by earlier programmes ({cell: value} over hidden cells, the others at their
        # true values): hiding more keeps them feasible, so a point where cell i is at least 1 away from its
        # true value proves i safe without solving again
        self.witnesses: list[dict[int, float]] = []
        self.sums_of: list[list[int]] = [[] for _ in self.values]
        self.under_small = [False] * len(self.values)  # a part of a small total: hidden even when 0
        for j, (t, parts) in enumerate(self.sums):
            for i in {t, *parts}:
                self.sums_of[i].append(j)
            if 0 < self.values[t] < k:
                for p in parts:
                    self.under_small[p] = True

    def cells(self, j: int) -> tuple[int, ...]:
        t, parts = self.sums[j]
        return (t, *parts)

    def bounds(self, i: int, status: str) -> tuple[float, float | None]:
        if status == SMALL:
            return (0 if self.under_small[i] else 1, self.k - 1)
        return (self.k, None)

    def component(self, seeds: Sequence[int], status: Sequence[str]) -> tuple[list[int], list[int]]:
        """The hidden cells linked to the seed cells through sums with hidden cells, and those sums."""
        cells, sums, todo = set(seeds), set(), list(seeds)
        while todo:
            c = todo.pop()
            for j in self.sums_of[c]:
                if j in sums:
                    continue
                sums.add(j)
                for other in self.cells(j):
                    if status[other] and other not in cells:
                        cells.add(other)
                        todo.append(other)
        return sorted(cells), sorted(sums)

    def solve(
        self, cells: list[int], sums: list[int], status: Sequence[str], objective: dict[int, float]
    ) -> Any:
        """One linear programme over the hidden cells `cells` under `sums`; its optimum is kept as a witness."""
        col = {c: n for n, c in enumerate(cells)}
        a = np.zeros((len(sums), len(cells)))
        b = np.zeros(len(sums))
        for r, j in enumerate(sums):
            t, parts = self.sums[j]
            for cell, coef in ((t, 1.0), *((p, -1.0) for p in parts)):
                if status[cell]:
                    a[r, col[cell]] += coef
                else:
                    b[r] -= coef * self.values[cell]
        c = np.zeros(len(cells))
        for cell, weight in objective.items():
            c[col[cell]] = weight
        res = linprog(c, A_eq=a, b_eq=b, bounds=[self.bounds(x, status[x]) for x in cells], method="highs")
        if res.status not in (0, 3):  # the true values are always feasible; anything else is an accident
            raise RuntimeError(f"disclosure check failed: {res.message}")
        if res.status == 0:
            self.witnesses.append({x: float(res.x[n]) for x, n in col.items()})
        return res

    def extreme(self, i: int, status: Sequence[str], sense: int) -> float:
        """min (sense=1) or max (sense=-1) of cell i over everything published."""
        cells, sums = self.component([i], status)
        if not sums:
            lo, hi = self.bounds(i, status[i])
            return lo if sense == 1 else (np.inf if hi is None else hi)
        res = self.solve(cells, sums, status, {i: sense})
        if res.status == 3:  # unbounded
            return -sense * np.inf
        return float(res.fun) * sense

    def explore(self, targets: Sequence[int], status: Sequence[str]) -> None:
        """Two programmes that push all the target cells up and then down at once: their optima usually
        move most of them, which proves those safe without a programme each."""
        targets = [i for i in targets if self.sums_of[i]]
        if not targets:
            return
        cells, sums = self.component(targets, status)
        for sense in (-1.0, 1.0):
            self.solve(cells, sums, status, {i: sense for i in targets})

    def proven(self, i: int, width: float = 1) -> bool:
        """A known feasible point has cell i at least `width` away from its true value."""
        v = self.values[i]
        return any(abs(w[i] - v) >= width - EPS for w in self.witnesses if i in w)

    def width_at_least(self, i: int, status: Sequence[str], width: float) -> bool:
        v = self.values[i]
        if width <= 1 and self.proven(i, width):
            return True
        hi = self.extreme(i, status, -1)
        if width <= 1 and hi >= v + width - EPS:
            return True
        lo = self.extreme(i, status, 1)
        return hi - lo >= width - EPS

    def required(self, i: int, status: Sequence[str], min_values: int) -> float:
        if status[i] == SMALL:  # never more than its mark allows
            lo, hi = self.bounds(i, SMALL)
            return max(0, min(min_values, int(hi or 0) - int(lo) + 1) - 1)
        return 1

    def safe(self, i: int, status: Sequence[str], min_values: int) -> bool:
        need = self.required(i, status, min_values)
        return need == 0 or self.width_at_least(i, status, need)


def _default_cost(t: _Tables) -> list[tuple[int, int]]:
    as_total = [0] * len(t.values)
    for total, _parts in t.sums:
        as_total[total] += 1
    return [(as_total[i], v) for i, v in enumerate(t.values)]


def protect(
    values: Sequence[int],
    sums: Sequence[Sum],
    k: int,
    *,
    cost: Sequence[object] | None = None,
    eligible: Sequence[bool] | None = None,
    min_values: int = 2,
) -> list[str]:
    """The status of each cell ("", "small" or "secondary") so that no small cell can be worked out."""
    t = _Tables(values, sums, k)
    n = len(t.values)
    order_cost: Sequence[object] = cost if cost is not None else _default_cost(t)
    may_hide = [
        t.values[i] >= k and (eligible is None or bool(eligible[i])) for i in range(n)
    ]  # a secondary mark must not hide a zero or look like a small count
    status = [SMALL if 0 < v < k or t.under_small[i] else "" for i, v in enumerate(t.values)]

    def candidates(cells: list[int], sums_: list[int]) -> list[int]:
        found = {c for j in sums_ for c in t.cells(j) if not status[c] and may_hide[c]}

        def opened(c: int) -> int:  # sums in which c would be the only hidden cell (each needs another)
            return sum(1 for j in t.sums_of[c] if not any(status[x] for x in t.cells(j)))

        return sorted(found, key=lambda c: (opened(c), order_cost[c], c))  # type: ignore[index]

    # a quick first pass: no sum with exactly one hidden cell (most tables need nothing more)
    changed = True
    while changed:
        changed = False
        for j in range(len(t.sums)):
            cells = t.cells(j)
            if sum(1 for c in cells if status[c]) == 1:
                found = candidates([], [j])
                if found:
                    status[found[0]] = SECONDARY
                    changed = True

    pending = [i for i in range(n) if status[i] == SMALL and t.sums_of[i]]
    t.explore(pending, status)
    while pending:
        i = pending[0]
        if t.safe(i, status, min_values):
            pending.pop(0)
            continue
        found = candidates(*t.component([i], status))
        if not found:  # nothing left to hide around it (only when k is 2 or less): leave it
            pending.pop(0)
            continue
        for c in found[:MAX_TRIALS]:
            status[c] = SECONDARY
            known = len(t.witnesses)
            if t.safe(i, status, min_values):
                pending.pop(0)
                break
            status[c] = ""
            del t.witnesses[known:]  # found with c hidden: not feasible once c is shown again
        else:
            status[found[0]] = SECONDARY

    shown_if_implied = [
        i for i in range(n) if status[i] == SECONDARY or (status[i] == SMALL and t.values[i] == 0)
    ]
    t.explore([i for i in shown_if_implied if not t.proven(i)], status)
    for i in range(n):  # hidden cells the rest determines anyway are shown (not a small count, of course)
        if (status[i] == SECONDARY or (status[i] == SMALL and t.values[i] == 0)) and not t.width_at_least(
            i, status, 1
        ):
            status[i] = ""
    return status


def intervals(
    values: Sequence[int], sums: Sequence[Sum], status: Sequence[str], k: int
) -> dict[int, tuple[float, float]]:
    """For each hidden cell, the least and the greatest value a reader can infer from what is published."""
    t = _Tables(values, sums, k)
    return {i: (t.extreme(i, status, 1), t.extreme(i, status, -1)) for i, s in enumerate(status) if s}


def is_safe(
    values: Sequence[int], sums: Sequence[Sum], status: Sequence[str], k: int, min_values: int = 2
) -> bool:
    t = _Tables(values, sums, k)
    return all(t.safe(i, status, min_values) for i, s in enumerate(status) if s)
