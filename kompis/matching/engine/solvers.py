"""The three solvers. Each returns the chosen pairs as index arrays ``(newcomer, established)``.

Objective (lexicographic): the largest number of pairs under the hard rules, then the largest
total score.

* ``exact``  - OR-Tools ``SimpleMinCostFlow.solve_max_flow_with_min_cost`` over *all* allowed
  arcs (source -> newcomer (capacity) -> established (1 per pair) -> sink (capacity), cost
  ``max_score - score``): the flow is maximised first, then the cost minimised, which is exactly
  the lexicographic optimum (scores are integers in centipoints, so no rounding is involved).
* ``fast``   - (1) hub index (:mod:`kompis.matching.engine.hubs`); (2) group max-flow giving the
  maximum number of pairs; (3) top-k candidate arcs per person from both sides, scanning only
  allowed partners (numba, GIL-free threads); (4) forward auction on the candidate arcs (value =
  score + a pair bonus, bidders may stay alone); (5) augmenting-path repair over the hub index
  (exclusions and the age rule checked pair-wise) until no augmenting path exists, i.e. the
  maximum cardinality of the *full* allowed graph.
* ``greedy`` - the same candidate arcs sorted by score, taken while both ends have capacity.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from kompis.matching.engine import kernels
from kompis.matching.engine.encode import (
    C_AVAIL,
    C_BY,
    C_CAP,
    C_HC,
    C_MUNI,
    C_PHYS,
    C_POST,
    C_SV,
    C_WAITPTS,
    P_SV,
    Problem,
)
from kompis.matching.engine.hubs import Hubs, build_hubs, max_pairs_bound

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]
Progress = Callable[[str, int, int], None]

#: exact solver refuses instances with more allowed pairs than this (memory)
EXACT_MAX_ARCS = 40_000_000


@dataclass(slots=True)
class SolveOutput:
    n: I64
    e: I64
    bound: int
    arcs: int
    phases: dict[str, float] = field(default_factory=dict)
    hubs: Hubs | None = None


def _flow_match(an: I64, ae: I64, ascore: I64, capN: I64, capE: I64, max_cp: int) -> tuple[I64, I64]:
    """Maximum-cardinality, then maximum-score b-matching restricted to the given arcs."""
    nN, nE = capN.shape[0], capE.shape[0]
    if an.shape[0] == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    src, sink = nN + nE, nN + nE + 1
    smcf = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([np.full(nN, src), an, nN + np.arange(nE)]).astype(np.int64)
    heads = np.concatenate([np.arange(nN), nN + ae, np.full(nE, sink)]).astype(np.int64)
    caps = np.concatenate([capN, np.ones(an.shape[0], dtype=np.int64), capE]).astype(np.int64)
    costs = np.concatenate(
        [np.zeros(nN, dtype=np.int64), (max_cp - ascore).astype(np.int64), np.zeros(nE, dtype=np.int64)]
    )
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supply = int(min(capN.sum(), capE.sum()))
    smcf.set_node_supply(src, supply)
    smcf.set_node_supply(sink, -supply)
    status = smcf.solve_max_flow_with_min_cost()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    arc_ids = np.arange(nN, nN + an.shape[0])
    flows = smcf.flows(arc_ids)
    chosen = np.flatnonzero(flows > 0)
    return an[chosen].astype(np.int64), ae[chosen].astype(np.int64)


def _args(prob: Problem) -> tuple[I64, U64, U64, I64, U64, U64, I64]:
    """The pair-rule arguments of the kernels: (An, Ln, In, Ae, Le, Ie, P)."""
    return (prob.N.A, prob.N.L, prob.N.I, prob.E.A, prob.E.L, prob.E.I, prob.P)


def solve_exact(prob: Problem) -> SolveOutput:
    t0 = time.perf_counter()
    an, ae, asc = kernels.all_allowed_pairs(*_args(prob), prob.excl, prob.tab_int, prob.tab_age)
    if an.shape[0] > EXACT_MAX_ARCS:
        raise ValueError(f"exact solver: {an.shape[0]} allowed pairs is too many; use solver='fast'")
    t1 = time.perf_counter()
    max_cp = int(asc.max()) + 1 if asc.shape[0] else 1
    n, e = _flow_match(an, ae, asc, prob.N.A[:, C_CAP], prob.E.A[:, C_CAP], max_cp)
    t2 = time.perf_counter()
    return SolveOutput(n, e, bound=len(n), arcs=int(an.shape[0]), phases={"arcs": t1 - t0, "flow": t2 - t1})


def _compact(prob: Problem, established: bool) -> tuple[I64, I64, I64, I64, I64, npt.NDArray[np.uint64]]:
    """Per-person (birth year, static points, flags, municipality, postal prefix, interests) of a side.

    Static points are the separable score parts: own waiting points, plus the Swedish-practice
    points for an established person who speaks Swedish. Flags: bit 0 accepts physical,
    bit 1 has children, bits 2-4 availability.
    """
    side = prob.E if established else prob.N
    A = side.A
    static = A[:, C_WAITPTS].copy()
    if established:
        static += A[:, C_SV] * prob.P[P_SV]
    flags = A[:, C_PHYS] | (A[:, C_HC] << 1) | (A[:, C_AVAIL] << 2)
    return A[:, C_BY].copy(), static, flags, A[:, C_MUNI].copy(), A[:, C_POST].copy(), side.I


def n_threads() -> int:
    """Worker threads for the GIL-free kernels (``KOMPIS_MATCH_THREADS`` overrides; default: CPUs)."""
    env = os.environ.get("KOMPIS_MATCH_THREADS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _threaded_candidates(n_self: int, n_other: int, *args: Any) -> tuple[I64, I64]:
    """Run :func:`kernels.candidates` over chunks of people in threads (the kernel drops the GIL)."""
    k = int(args[-3])
    best_p = np.full((n_self, k), -1, dtype=np.int64)
    best_s = np.full((n_self, k), -1, dtype=np.int64)
    threads = n_threads()
    chunks = max(1, min(n_self, 8 * threads))
    bounds = [n_self * c // chunks for c in range(chunks + 1)]

    def run(c: int) -> None:
        kernels.candidates(bounds[c], bounds[c + 1], n_other, best_p, best_s, *args)

    if threads == 1 or n_self < 2000:
        for c in range(chunks):
            run(c)
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(run, range(chunks)))
    return best_p, best_s


def _year_positions(bucket_ptr: I64, bucket_by: I64) -> tuple[I64, int]:
    """``pos[h, y - y0]``: first position in bucket ``h`` (sorted by birth year) born in ``y`` or later."""
    n_buckets = bucket_ptr.shape[0] - 1
    if bucket_by.shape[0] == 0 or n_buckets == 0:
        return np.zeros((max(n_buckets, 1), 1), dtype=np.int64), 0
    y0, y1 = int(bucket_by.min()), int(bucket_by.max())
    years = np.arange(y0, y1 + 2, dtype=np.int64)
    owner = np.repeat(np.arange(n_buckets, dtype=np.int64), np.diff(bucket_ptr))
    span = y1 - y0 + 2
    keys = owner * span + (bucket_by - y0)  # increasing: buckets are contiguous and sorted
    queries = (np.arange(n_buckets, dtype=np.int64)[:, None] * span + (years - y0)[None, :]).ravel()
    pos = np.searchsorted(keys, queries, side="left").reshape(n_buckets, years.shape[0])
    return pos.astype(np.int64), y0


def _packed(members: I64, c: tuple[I64, I64, I64, I64, I64, npt.NDArray[np.uint64]]) -> list[Any]:
    """Bucket-ordered attributes of the other side as columns of one row-major record array.

    Everything the scan reads about one bucket member sits in one cache line; the kernel gets
    strided column views (members, birth year, static points, flags, municipality, postal
    prefix, interest words).
    """
    by, static, flags, muni, post, interests = c
    wi = interests.shape[1]
    rec = np.empty((members.shape[0], 6 + wi), dtype=np.int64)
    rec[:, 0] = members
    for col, values in enumerate((by, static, flags, muni, post), start=1):
        rec[:, col] = values[members]
    rec[:, 6:] = interests[members].view(np.int64)
    return [rec[:, 0], rec[:, 1], rec[:, 2], rec[:, 3], rec[:, 4], rec[:, 5], rec.view(np.uint64)[:, 6:]]


def candidate_arcs(
    prob: Problem,
    hubs: Hubs,
    k: int,
    window: int,
    seed: int,
    k_e: int | None = None,
    window_e: int | None = None,
) -> tuple[I64, I64, I64]:
    """Union of every newcomer's top-``k`` and every established person's top-``k_e`` allowed partners."""
    cN = _compact(prob, False)
    cE = _compact(prob, True)
    nE = max(prob.E.n, 1)
    common = (prob.P, prob.excl, nE, prob.tab_int, prob.tab_age)
    bpN, bsN = _threaded_candidates(
        prob.N.n, prob.E.n, True, *cN, hubs.n_hub_ptr, hubs.n_hub_list, hubs.e_bucket_ptr,
        *_year_positions(hubs.e_bucket_ptr, hubs.e_bucket_by),
        *_packed(hubs.e_bucket_members, cE), *common, k, window, seed,
    )  # fmt: skip
    ke = k if k_e is None else k_e
    bpE, bsE = _threaded_candidates(
        prob.E.n, prob.N.n, False, *cE, hubs.e_hub_ptr, hubs.e_hub_list, hubs.n_bucket_ptr,
        *_year_positions(hubs.n_bucket_ptr, hubs.n_bucket_by),
        *_packed(hubs.n_bucket_members, cN), *common, ke, window if window_e is None else window_e,
        seed + 1,
    )  # fmt: skip
    ptr, ae, asc = kernels.merge_arcs(bpN, bsN, bpE, bsE, nE)
    an = np.repeat(np.arange(prob.N.n, dtype=np.int64), np.diff(ptr))
    return an, ae, asc


def _pairs_to_slots(n: I64, e: I64, capN: I64, capE: I64) -> tuple[I64, I64]:
    wN = max(1, int(capN.max()) if capN.shape[0] else 1)
    wE = max(1, int(capE.max()) if capE.shape[0] else 1)
    matchN = np.full((capN.shape[0], wN), -1, dtype=np.int64)
    matchE = np.full((capE.shape[0], wE), -1, dtype=np.int64)
    fillN = np.zeros(capN.shape[0], dtype=np.int64)
    fillE = np.zeros(capE.shape[0], dtype=np.int64)
    for a, b in zip(n.tolist(), e.tolist(), strict=True):
        matchN[a, fillN[a]] = b
        fillN[a] += 1
        matchE[b, fillE[b]] = a
        fillE[b] += 1
    return matchN, matchE


#: candidate arcs kept per person (each side) and scan window of the fast solver
FAST_K = 32
FAST_WINDOW = 256
#: established people scan newcomer buckets with a smaller window (measured: same quality, fewer evals)
FAST_WINDOW_E = 192
#: auction: value bonus per pair as a share of the maximum score (favours more pairs; the repair
#: step guarantees the maximum count) and the bid increment in centipoints (each newcomer ends
#: within ``AUCTION_EPS`` of its best choice at the final prices)
AUCTION_PAIR_BONUS_SHARE = 0.5
AUCTION_EPS = 16


def _auction_match(prob: Problem, an: I64, ae: I64, asc: I64) -> npt.NDArray[np.int64]:
    """Near-optimal b-matching on the candidate arcs (sorted by newcomer) via :func:`kernels.auction`."""
    capN, capE = prob.N.A[:, C_CAP], prob.E.A[:, C_CAP]
    ptr = np.zeros(prob.N.n + 1, dtype=np.int64)
    np.cumsum(np.bincount(an, minlength=prob.N.n), out=ptr[1:])
    bonus = max(100, round(prob.weights.max_score * 100 * AUCTION_PAIR_BONUS_SHARE))
    match, _bids = kernels.auction(ptr, ae, asc + bonus, capN, capE, AUCTION_EPS, 1 << 40)
    return match


def solve_fast(
    prob: Problem,
    seed: int = 0,
    k: int = FAST_K,
    window: int = FAST_WINDOW,
    window_e: int = FAST_WINDOW_E,
    progress: Progress | None = None,
    matcher: str = "auction",
) -> SolveOutput:
    """Fast solver; ``matcher`` is ``"auction"`` (default) or ``"flow"`` (OR-Tools on the arcs)."""
    phases: dict[str, float] = {}
    t = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        phases[name] = now - t
        t = now
        if progress:
            progress(name, len(phases), 5)

    hubs = build_hubs(prob)
    lap("index")
    bound = max_pairs_bound(prob, hubs)
    lap("bound")
    an, ae, asc = candidate_arcs(prob, hubs, k, window, seed, k, window_e)
    lap("candidates")
    capN, capE = prob.N.A[:, C_CAP], prob.E.A[:, C_CAP]
    if matcher == "flow":
        n, e = _flow_match(an, ae, asc, capN, capE, int(asc.max()) + 1 if asc.shape[0] else 1)
        matchN, matchE = _pairs_to_slots(n, e, capN, capE)
    else:
        matchN = _auction_match(prob, an, ae, asc)
        rows, cols = np.nonzero(matchN >= 0)
        matchN, matchE = _pairs_to_slots(rows.astype(np.int64), matchN[rows, cols], capN, capE)
    lap("assign")
    if int((matchN >= 0).sum()) < bound:
        kernels.repair(
            *_args(prob),
            prob.excl,
            hubs.n_hub_ptr,
            hubs.n_hub_list,
            hubs.e_bucket_ptr,
            hubs.e_bucket_members,
            matchN,
            matchE,
            capN,
            capE,
            bound,
            1_000_000,
        )
    rows, cols = np.nonzero(matchN >= 0)
    lap("repair")
    return SolveOutput(
        rows.astype(np.int64),
        matchN[rows, cols],
        bound=bound,
        arcs=int(an.shape[0]),
        phases=phases,
        hubs=hubs,
    )


def solve_greedy(
    prob: Problem, seed: int = 0, k: int = FAST_K, window: int = FAST_WINDOW, window_e: int = FAST_WINDOW_E
) -> SolveOutput:
    t0 = time.perf_counter()
    hubs = build_hubs(prob)
    an, ae, asc = candidate_arcs(prob, hubs, k, window, seed, k, window_e)
    t1 = time.perf_counter()
    rng = np.random.default_rng(seed)
    tie = rng.permutation(an.shape[0])
    order = np.lexsort((tie, -asc)).astype(np.int64)
    taken = kernels.greedy_assign(order, an, ae, prob.N.A[:, C_CAP], prob.E.A[:, C_CAP])
    t2 = time.perf_counter()
    return SolveOutput(
        an[taken],
        ae[taken],
        bound=-1,
        arcs=int(an.shape[0]),
        phases={"candidates": t1 - t0, "greedy": t2 - t1},
        hubs=hubs,
    )
