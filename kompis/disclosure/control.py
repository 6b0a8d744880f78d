"""Primary and secondary suppression of count tables, checked by linear programming.

The input is a list of counts (whole numbers ≥ 0) and the sums that hold between them and are published
with them: `(total, parts)` means `values[total] == sum(values[p] for p in parts)` (a row adding up to its
total column, a column adding up to its total row, a grand total, one figure appearing in two tables as
the same cell). The output is a status per cell: "" (shown), "small" or "secondary".

Rules
- Primary: a count of 1 … k−1 is "small" and hidden. Zero is shown, except as a part of a total that
  is itself small: there the zeros are hidden as "small" too, and every part of it means 0 … k−1
  (otherwise four persons in four categories under a "<5" total would each be exactly 1).
  Safety does not rest on the reader not knowing these rules.
- What a reader knows: every shown count, every sum above, that counts are whole and ≥ 0, and what the
  marks say: a small cell is 1 … k−1 (0 … k−1 as a part of a small total), a secondary cell is at
  least k (only counts ≥ k are ever chosen as secondary, so its mark says just that).
- Safe: for every hidden cell, the smallest and the largest value it can take under all of that (two
  linear programmes over the hidden cells linked to it) are at least one apart, so the table admits at
  least two values for it (`min_values`; never more than a small cell's own k−1 possible values).
- Secondary: for each small cell that is not safe, one more linear programme finds the cheapest set of
  shown counts (≥ k; by `weight`: parts before totals, then the smaller) whose hiding lets it move by
  one: the change y = x − true values keeps every sum, keeps hidden cells within their marks and newly
  hidden ones ≥ k, and leaves all other shown cells alone; the shown cells it changes are hidden. That
  change is itself a feasible point with the small cell moved, so the cell is then safe. Hiding more
  only widens what the others can take, so a cell once safe stays safe.
- Finally a secondary cell or a hidden zero that the rest determines anyway (e.g. a total whose parts are
  all shown, a zero in a column whose total is 0) is shown again: publishing what is already implied
  changes nothing for the other cells.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt
from scipy.optimize import linprog


class LinprogResult(Protocol):
    """What this module reads of scipy's `OptimizeResult` (scipy ships no type hints)."""

    status: int  # 0 optimal, 2 infeasible, 3 unbounded
    message: str
    fun: float
    x: npt.NDArray[np.float64]


SMALL, SECONDARY = "small", "secondary"
Sum = tuple[int, tuple[int, ...]]
EPS = 1e-6


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
    ) -> LinprogResult:
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
        res: LinprogResult = linprog(
            c, A_eq=a, b_eq=b, bounds=[self.bounds(x, status[x]) for x in cells], method="highs"
        )
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

    def pattern(
        self, i: int, step: float, status: Sequence[str], weight: Sequence[float], may_hide: Sequence[bool]
    ) -> tuple[float, list[int], dict[int, float]] | None:
        """The cheapest set of shown cells whose hiding lets cell i move by `step` (one linear programme
        over the changes y = x − true values: every sum still holds, hidden cells stay within their
        marks, a newly hidden cell stays ≥ k, other shown cells do not change; the cost is the weighted
        size of the changes of shown cells). Returns (cost, cells to hide, the feasible point) or None."""
        lo, hi = self.bounds(i, status[i])
        if not lo <= self.values[i] + step <= (np.inf if hi is None else hi):
            return None  # its own mark does not allow that value
        cells, sums = self.component([i], [SMALL] * len(self.values))  # everything linked by any sum
        cols: dict[int, list[int]] = {}  # cell -> its variables (one, or two for a shown cell: up, down)
        bounds: list[tuple[float | None, float | None]] = []
        cost: list[float] = []
        for c in cells:
            v = self.values[c]
            if c == i:
                cols[c] = [len(bounds)]
                bounds.append((step, step))
                cost.append(0.0)
            elif status[c]:
                c_lo, c_hi = self.bounds(c, status[c])
                cols[c] = [len(bounds)]
                bounds.append((c_lo - v, None if c_hi is None else c_hi - v))
                cost.append(0.0)
            elif may_hide[c]:
                cols[c] = [len(bounds), len(bounds) + 1]
                bounds += [(0, None), (0, v - self.k)]
                cost += [float(weight[c]), float(weight[c])]
        a = np.zeros((len(sums), len(bounds)))
        for r, j in enumerate(sums):
            t, parts = self.sums[j]
            for cell, coef in ((t, 1.0), *((p, -1.0) for p in parts)):
                for sign, var in zip((1.0, -1.0), cols.get(cell, []), strict=False):
                    a[r, var] += coef * sign
        res = linprog(np.array(cost), A_eq=a, b_eq=np.zeros(len(sums)), bounds=bounds, method="highs")
        if res.status != 0:
            return None
        y = {
            c: sum(sign * res.x[var] for sign, var in zip((1.0, -1.0), vs, strict=False))
            for c, vs in cols.items()
        }
        hide = [c for c in cells if not status[c] and c != i and abs(y.get(c, 0.0)) > EPS]
        witness = {c: self.values[c] + y[c] for c in cols if status[c] or c in hide or c == i}
        return float(res.fun), hide, witness

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


def _default_weight(t: _Tables) -> list[float]:
    """Hiding a part costs 1, a total 3 (per sum it totals); among equals the smaller count goes first."""
    as_total = [0] * len(t.values)
    for total, _parts in t.sums:
        as_total[total] += 1
    top = max(t.values, default=0) + 1
    return [1 + 2 * as_total[i] + v / top for i, v in enumerate(t.values)]


def protect(
    values: Sequence[int],
    sums: Sequence[Sum],
    k: int,
    *,
    weight: Sequence[float] | None = None,
    eligible: Sequence[bool] | None = None,
    min_values: int = 2,
) -> list[str]:
    """The status of each cell ("", "small" or "secondary") so that no small cell can be worked out.

    `weight`: what hiding each cell costs (by default parts before totals, then smaller counts first);
    `eligible`: which cells may be hidden as secondary (besides, only counts of at least k ever are)."""
    t = _Tables(values, sums, k)
    n = len(t.values)
    w = list(weight) if weight is not None else _default_weight(t)
    may_hide = [
        t.values[i] >= k and (eligible is None or bool(eligible[i])) for i in range(n)
    ]  # a secondary mark must not hide a zero or look like a small count
    status = [SMALL if 0 < v < k or t.under_small[i] else "" for i, v in enumerate(t.values)]

    pending = [i for i in range(n) if status[i] == SMALL and t.sums_of[i]]
    t.explore(pending, status)
    for i in pending:
        if t.safe(i, status, min_values):
            continue
        need = t.required(i, status, min_values)
        found = [p for p in (t.pattern(i, d, status, w, may_hide) for d in (need, -need)) if p is not None]
        if not found:  # nothing can make it move (only when k is 2 or less): leave it
            continue
        _cost, cells, witness = min(found, key=lambda p: p[0])
        for c in cells:
            status[c] = SECONDARY
        t.witnesses.append(witness)  # proves i safe, and stays feasible as more is hidden

    shown_if_implied = [
        i for i in range(n) if status[i] == SECONDARY or (status[i] == SMALL and t.values[i] == 0)
    ]
    t.explore([i for i in shown_if_implied if not t.proven(i)], status)
    for i in shown_if_implied:  # hidden cells the rest determines anyway are shown (never a small count)
        if not t.width_at_least(i, status, 1):
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
