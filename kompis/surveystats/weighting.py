"""Weighting a sample to known population margins by raking (iterative proportional fitting).

No well-kept raking library is in the project's lock files (statsmodels has none, and is not installed),
so this is plain iterative proportional fitting in numpy (Deming & Stephan 1940): start from weight 1 per
respondent; for each variable in turn, multiply the weights of every category by
(population share of the category) / (weighted sample share of the category); repeat until every weighted
margin is within `tolerance` of its target. Weights are scaled to sum to n (the sample size), so a weight
reads as "this respondent counts as w respondents".

Design effect (Kish 1965) of unequal weights: deff = n · Σw² / (Σw)²; effective sample size n / deff
= (Σw)² / Σw².
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt


class RakingError(ValueError):
    """The margins cannot be met (a category in the population has no respondent, or shares don't add up)."""


@dataclass(frozen=True)
class Raked:
    weights: list[float]
    iterations: int
    converged: bool

    @property
    def design_effect(self) -> float:
        return design_effect(self.weights)

    @property
    def effective_n(self) -> float:
        return effective_n(self.weights)


def design_effect(weights: Sequence[float]) -> float:
    w = np.asarray(weights, dtype=float)
    return float(len(w) * (w**2).sum() / w.sum() ** 2) if len(w) else 1.0


def effective_n(weights: Sequence[float]) -> float:
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / (w**2).sum()) if len(w) else 0.0


def rake(
    sample: Mapping[str, Sequence[str]],
    margins: Mapping[str, Mapping[str, float]],
    *,
    tolerance: float = 1e-8,
    max_iterations: int = 1000,
) -> Raked:
    """Weights for the respondents so that the weighted shares meet `margins`.

    `sample`: per variable, each respondent's category (all lists of the same length n).
    `margins`: per variable, the population's count or share of each category (normalised to shares)."""
    lengths = {len(v) for v in sample.values()}
    if len(lengths) > 1:
        raise RakingError("every variable needs one category per respondent")
    n = lengths.pop() if lengths else 0
    if n == 0:
        return Raked([], 0, True)
    columns: list[tuple[npt.NDArray[np.int_], npt.NDArray[np.float64]]] = []
    for variable, targets in margins.items():
        if variable not in sample:
            raise RakingError(f"no answers for {variable}")
        total = float(sum(targets.values()))
        if total <= 0:
            raise RakingError(f"the margins of {variable} add up to 0")
        cats = list(targets)
        index = {c: i for i, c in enumerate(cats)}
        codes = np.array([index.get(str(c), -1) for c in sample[variable]])
        if (codes < 0).any():
            raise RakingError(f"a respondent's {variable} is not among its margins")
        shares = np.array([targets[c] / total for c in cats], dtype=float)
        present = np.bincount(codes, minlength=len(cats)) > 0
        if (shares[~present] > 0).any():
            raise RakingError(f"a category of {variable} has no respondent")
        columns.append((codes, shares))
    w = np.ones(n)
    for iteration in range(1, max_iterations + 1):
        for codes, shares in columns:
            current = np.bincount(codes, weights=w, minlength=len(shares)) / w.sum()
            factor = np.divide(shares, current, out=np.zeros_like(shares), where=current > 0)
            w = w * factor[codes]
        gap = max(
            float(np.abs(np.bincount(c, weights=w, minlength=len(s)) / w.sum() - s).max()) for c, s in columns
        )
        if gap < tolerance:
            return Raked([float(x) for x in w * n / w.sum()], iteration, True)
    return Raked([float(x) for x in w * n / w.sum()], max_iterations, False)


def weighted_shares(categories: Sequence[str], weights: Sequence[float] | None = None) -> dict[str, float]:
    """Each category's share of the total (weighted when `weights` are given)."""
    w = np.ones(len(categories)) if weights is None else np.asarray(weights, dtype=float)
    out: dict[str, float] = {}
    for c, x in zip(categories, w, strict=True):
        out[c] = out.get(c, 0.0) + float(x)
    total = float(w.sum())
    return {c: v / total if total else 0.0 for c, v in out.items()}
