"""Compile (or load from numba's cache) every kernel of the engine once, at install time.

The top of the engine's import order: it drives the public api, the explainer and the kernels on a
small synthetic pool, and nothing in the engine imports it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from kompis.matching.engine.api import Solver, candidates_for, match
from kompis.matching.engine.encode import C_CAP, build_problem
from kompis.matching.engine.explain import _combined_blocker
from kompis.matching.engine.hubs import build_hubs
from kompis.matching.engine.kernels import has_allowed, repair
from kompis.matching.engine.synth import generate
from kompis.matching.engine.weights import Weights


def warm_up() -> None:
    """Compile (or load from numba's on-disk cache) every kernel on a tiny instance.

    Run once at install time (``python -m kompis.matching.engine.warmup``, from `make install`) so that
    a user's first match does not pay for compilation.
    """
    today = dt.date(2026, 1, 1)
    people = generate(40, 30, seed=1, today=today)
    newcomers = [p for p in people if p.role == "newcomer"]
    established = [p for p in people if p.role == "established"]
    exclude = {(newcomers[0].id, established[0].id)}
    solvers: tuple[Solver, ...] = ("fast", "greedy", "exact")
    for solver in solvers:
        match(newcomers, established, solver=solver, today=today, exclude=exclude)
    candidates_for(newcomers[0].id, newcomers, established, today=today)
    candidates_for(established[0].id, newcomers, established, today=today)
    prob = build_problem(newcomers, established, Weights(), today, exclude)
    hubs = build_hubs(prob)
    capN, capE = prob.N.A[:, C_CAP], prob.E.A[:, C_CAP]
    matchN = np.full((prob.N.n, max(1, int(capN.max()))), -1, dtype=np.int64)
    matchE = np.full((prob.E.n, max(1, int(capE.max()))), -1, dtype=np.int64)
    repair(
        prob.N.A, prob.N.L, prob.N.I, prob.E.A, prob.E.L, prob.E.I, prob.P, prob.excl,
        hubs.n_hub_ptr, hubs.n_hub_list, hubs.e_bucket_ptr, hubs.e_bucket_members,
        matchN, matchE, capN, capE, 1 << 30, 2,
    )  # fmt: skip
    idx = np.arange(prob.E.n, dtype=np.int64)
    has_allowed(
        idx, False, prob.E.A, prob.N.A, hubs.e_hub_ptr, hubs.e_hub_list, hubs.n_bucket_ptr,
        hubs.n_bucket_members, prob.P, prob.excl, prob.E.n,
    )  # fmt: skip
    _combined_blocker(prob, prob.N, prob.E, 0, True)


if __name__ == "__main__":
    warm_up()
