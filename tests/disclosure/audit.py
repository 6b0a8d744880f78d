"""An attacker's view, written independently of kompis.disclosure: from what is published (shown counts,
the marks, the sums between cells) the least and greatest value each hidden cell can take."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linprog

Published = Sequence[
    tuple[str, int | None]
]  # per cell: ("", value) shown, ("small", None), ("secondary", None)


def feasible_range(
    published: Published, sums: Sequence[tuple[int, Sequence[int]]], k: int, cell: int
) -> tuple[float, float]:
    hidden = [i for i, (kind, _v) in enumerate(published) if kind]
    col = {c: n for n, c in enumerate(hidden)}
    a_eq, b_eq = [], []
    for total, parts in sums:
        row = np.zeros(len(hidden))
        rhs = 0.0
        for i, coef in ((total, 1.0), *((p, -1.0) for p in parts)):
            kind, value = published[i]
            if kind:
                row[col[i]] += coef
            else:
                rhs -= coef * float(value or 0)
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
        else:
            assert abs(rhs) < 1e-9, "the shown cells contradict a sum"
    # a part of a total shown as small may be 0 (its zeros are hidden too)
    under_small = {p for total, parts in sums if published[total][0] == "small" for p in parts}
    bounds = [
        ((0 if i in under_small else 1), k - 1) if published[i][0] == "small" else (k, None) for i in hidden
    ]
    out = []
    for sense in (1, -1):
        c = np.zeros(len(hidden))
        c[col[cell]] = sense
        res = linprog(
            c,
            A_eq=np.array(a_eq) if a_eq else None,
            b_eq=np.array(b_eq) if b_eq else None,
            bounds=bounds,
            method="highs",
        )
        if res.status == 3:
            out.append(-sense * np.inf)
            continue
        assert res.status == 0, res.message
        out.append(res.fun * sense)
    return out[0], out[1]
