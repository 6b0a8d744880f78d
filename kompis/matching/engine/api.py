"""Public entry points: :func:`match`, :func:`candidates_for`, :func:`explain_pool`."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from kompis.matching.engine import kernels
from kompis.matching.engine._util import gc_paused
from kompis.matching.engine.encode import C_CAP, Problem, build_problem
from kompis.matching.engine.english import render_shortage
from kompis.matching.engine.explain import explain_unmatched
from kompis.matching.engine.hubs import build_hubs
from kompis.matching.engine.model import (
    Candidate,
    MatchResult,
    MatchStats,
    Pair,
    Participant,
    Reason,
    Unmatched,
)
from kompis.matching.engine.reasons import batch_reasons, pair_reasons
from kompis.matching.engine.solvers import Progress, SolveOutput, solve_exact, solve_fast, solve_greedy
from kompis.matching.engine.weights import Weights

Solver = Literal["fast", "exact", "greedy"]


def match(
    newcomers: Sequence[Participant],
    established: Sequence[Participant],
    *,
    weights: Weights | None = None,
    exclude: Iterable[tuple[str, str]] = (),
    solver: Solver = "fast",
    seed: int = 0,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> MatchResult:
    """Propose pairs: first as many as the hard rules allow, then the highest total score.

    ``exclude`` holds ``(newcomer_id, established_id)`` pairs that must not be proposed (earlier
    matches, staff rejections). ``progress(phase, done, total)`` is called between phases.
    Raises ``ValueError`` for inconsistent input (role mismatch, duplicate id, bad solver).
    """
    t0 = time.perf_counter()
    weights = weights or Weights()
    today = today or dt.date.today()
    prob = build_problem(newcomers, established, weights, today, exclude)
    t_build = time.perf_counter() - t0
    out: SolveOutput
    if solver == "fast":
        out = solve_fast(prob, seed=seed, progress=progress)
    elif solver == "exact":
        out = solve_exact(prob)
    elif solver == "greedy":
        out = solve_greedy(prob, seed=seed)
    else:
        raise ValueError(f"unknown solver {solver!r}")
    t1 = time.perf_counter()
    pairs = _pairs(prob, out.n, out.e)
    t2 = time.perf_counter()
    matched_n = np.zeros(prob.N.n, dtype=bool)
    matched_e = np.zeros(prob.E.n, dtype=bool)
    matched_n[out.n] = True
    matched_e[out.e] = True
    un_n = np.flatnonzero(~matched_n & (prob.N.A[:, C_CAP] > 0))
    un_e = np.flatnonzero(~matched_e & (prob.E.A[:, C_CAP] > 0))
    hubs = out.hubs if out.hubs is not None else build_hubs(prob)
    unmatched = explain_unmatched(prob, hubs, un_n, True) | explain_unmatched(prob, hubs, un_e, False)
    t3 = time.perf_counter()
    total = sum(p.score for p in pairs)
    phases = {"build": t_build, **out.phases, "reasons": t2 - t1, "explain": t3 - t2}
    stats = MatchStats(
        pairs=len(pairs),
        max_pairs_bound=out.bound if out.bound >= 0 else -1,
        total_score=round(total, 2),
        mean_score=round(total / len(pairs), 2) if pairs else 0.0,
        unmatched_newcomers=len(un_n),
        unmatched_established=len(un_e),
        blocking_rules=dict(Counter(u.rule for u in unmatched.values()).most_common()),
        solver=solver,
        seconds=time.perf_counter() - t0,
        phase_seconds=phases,
        candidate_arcs=out.arcs,
    )
    return MatchResult(
        pairs=pairs,
        unmatched_newcomers=sorted(prob.N.ids[i] for i in un_n),
        unmatched_established=sorted(prob.E.ids[i] for i in un_e),
        unmatched=unmatched,
        stats=stats,
    )


def _pairs(prob: Problem, n: np.ndarray, e: np.ndarray) -> list[Pair]:
    scores, reasons = batch_reasons(prob, n.astype(np.int64), e.astype(np.int64))
    nid, eid = prob.N.ids, prob.E.ids
    with gc_paused():
        pairs = [
            Pair(nid[a], eid[b], s / 100.0, r)
            for a, b, s, r in zip(n.tolist(), e.tolist(), scores.tolist(), reasons, strict=True)
        ]
        pairs.sort(key=lambda p: (p.newcomer_id, p.established_id))
    return pairs


def candidates_for(
    person_id: str,
    newcomers: Sequence[Participant],
    established: Sequence[Participant],
    *,
    weights: Weights | None = None,
    exclude: Iterable[tuple[str, str]] = (),
    taken: Mapping[str, int] | None = None,
    limit: int = 20,
    today: dt.date | None = None,
) -> list[Candidate]:
    """Allowed partners of one person, best score first (ties by id).

    ``taken`` maps participant ids to the number of matches they already have; a candidate is
    ``available`` while that is below its capacity. Raises ``KeyError`` for an unknown id.
    """
    weights = weights or Weights()
    today = today or dt.date.today()
    prob = build_problem(newcomers, established, weights, today, exclude)
    taken = taken or {}
    args = (
        prob.N.A,
        prob.N.L,
        prob.N.I,
        prob.E.A,
        prob.E.L,
        prob.E.I,
        prob.P,
        prob.excl,
        prob.tab_int,
        prob.tab_age,
    )
    if person_id in (ids := {pid: i for i, pid in enumerate(prob.N.ids)}):
        me = ids[person_id]
        scores = kernels.score_row(me, *args)
        others, other_people = prob.E.ids, prob.E.people
    else:
        e_ids = {pid: i for i, pid in enumerate(prob.E.ids)}
        if person_id not in e_ids:
            raise KeyError(person_id)
        me = e_ids[person_id]
        scores = kernels.score_col(me, *args)
        others, other_people = prob.N.ids, prob.N.people
    allowed = np.flatnonzero(scores >= 0)
    order = sorted(allowed.tolist(), key=lambda j: (-int(scores[j]), others[j]))[: max(0, limit)]
    out = []
    for j in order:
        n, e = (me, j) if others is prob.E.ids else (j, me)
        cpts, reasons = pair_reasons(prob, n, e)
        out.append(
            Candidate(others[j], cpts / 100.0, reasons, taken.get(others[j], 0) < other_people[j].capacity)
        )
    return out


@dataclass(frozen=True, slots=True)
class Shortage:
    """Unmatched people sharing role, language, meeting mode and (for physical) municipality.

    ``compatible`` counts people of the other role who speak the language and can meet that way
    (same municipality for physical); ``free`` those of them with capacity left.
    """

    role: str
    language: str
    mode: str
    municipality_code: str | None
    waiting: int
    compatible: int
    free: int

    def reason(self) -> Reason:
        return Reason(
            "pool_shortage",
            {
                "role": self.role,
                "language": self.language,
                "mode": self.mode,
                "municipality_code": self.municipality_code,
                "waiting": self.waiting,
                "compatible": self.compatible,
                "free": self.free,
            },
        )

    def english(self) -> str:
        return render_shortage(self.reason().params)


@dataclass(slots=True)
class PoolReport:
    """Why the waiting pool is waiting: per-person blocking rules and group shortages."""

    unmatched: dict[str, Unmatched]
    shortages: list[Shortage]
    blocking_rules: dict[str, int]

    def english(self, limit: int = 20) -> list[str]:
        return [s.english() for s in self.shortages[:limit]]


def explain_pool(
    newcomers: Sequence[Participant],
    established: Sequence[Participant],
    *,
    weights: Weights | None = None,
    exclude: Iterable[tuple[str, str]] = (),
    result: MatchResult | None = None,
    today: dt.date | None = None,
    seed: int = 0,
) -> PoolReport:
    """Explain who stays unmatched (running the fast solver unless ``result`` is given).

    Unmatched people are grouped by (role, first-listed language, meeting mode, municipality for
    physical/either); groups are sorted by size, largest first.
    """
    exclude = list(exclude)
    if result is None:
        result = match(newcomers, established, weights=weights, exclude=exclude, today=today, seed=seed)
    used: Counter[str] = Counter()
    for pair in result.pairs:
        used[pair.newcomer_id] += 1
        used[pair.established_id] += 1
    people = {p.id: p for p in (*newcomers, *established)}
    groups: Counter[tuple[str, str, str, str | None]] = Counter()
    for pid in (*result.unmatched_newcomers, *result.unmatched_established):
        p = people[pid]
        if not p.languages:
            continue
        muni = None if p.meeting_mode == "digital" else p.municipality_code
        groups[(p.role, p.languages[0], p.meeting_mode, muni)] += 1
    by_lang: dict[tuple[str, str], list[Participant]] = defaultdict(list)
    for p in (*newcomers, *established):
        for lang in p.languages:
            by_lang[(p.role, lang)].append(p)
    shortages = []
    for (role, lang, mode, muni), waiting in groups.items():
        other_role = "established" if role == "newcomer" else "newcomer"
        compatible = free = 0
        for q in by_lang.get((other_role, lang), []):
            phys_ok = q.meeting_mode != "digital" and q.municipality_code == muni and mode != "digital"
            dig_ok = q.meeting_mode != "physical" and mode != "physical"
            if phys_ok or dig_ok:
                compatible += 1
                free += used[q.id] < q.capacity
        shortages.append(Shortage(role, lang, mode, muni, waiting, compatible, free))
    shortages.sort(
        key=lambda s: (-s.waiting, s.compatible, s.role, s.language, s.mode, s.municipality_code or "")
    )
    return PoolReport(result.unmatched, shortages, dict(result.stats.blocking_rules))
