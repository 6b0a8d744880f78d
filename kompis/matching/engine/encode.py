"""Turn participants into compact numpy arrays the kernels work on.

Every person of a side becomes one row of an ``int64`` attribute matrix (columns ``C_*``) plus
bit masks for languages and interests (``uint64`` words). Scores are integers in
*centipoints* (1/100 point) computed from small lookup tables, so the numba kernels, the
exact solver and the reasons rendering all agree to the last digit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from kompis.matching.engine._util import gc_paused
from kompis.matching.engine.model import AVAILABILITY_SLOTS, GENDERS, Participant
from kompis.matching.engine.weights import Weights

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]

# attribute columns
C_BY, C_G, C_SGO, C_MUNI, C_POST, C_AVAIL, C_HC, C_FAM, C_PHYS, C_DIG, C_CAP, C_WAITPTS, C_SV, C_WAIT = range(
    14
)
NCOL = 14

# scalar parameters
(
    P_SV,
    P_MUNI,
    P_POST,
    P_FAM,
    P_AVAIL,
    P_MUST_INT,
    P_MUST_AGE,
    P_MUST_SV,
    P_MUST_PROX,
    P_MUST_FAMSIT,
    P_MUST_AVAIL,
    P_AGE_SPAN,
) = range(12)
NPARAM = 12

GENDER_INDEX = {g: i for i, g in enumerate(GENDERS)}  # unspecified == 3
UNSPECIFIED = GENDER_INDEX["unspecified"]
AVAIL_BIT = {s: 1 << i for i, s in enumerate(AVAILABILITY_SLOTS)}

#: share of the proximity weight for the same municipality / a postal code with the same 3 digits
PROX_MUNI_SHARE = 0.6
PROX_POSTAL_SHARE = 0.4


def cp(points: float) -> int:
    """Points to integer centipoints."""
    return round(points * 100)


@dataclass(slots=True)
class Side:
    """Arrays for one role."""

    ids: list[str]
    people: Sequence[Participant]
    A: I64  # (n, NCOL)
    L: U64  # (n, WL) language bits
    I: U64  # (n, WI) interest bits  # noqa: E741

    @property
    def n(self) -> int:
        return len(self.ids)


@dataclass(slots=True)
class Problem:
    """Everything the solvers need: both sides, vocabularies, score tables, exclusions."""

    N: Side
    E: Side
    weights: Weights
    today: dt.date
    languages: list[str]
    interests: list[str]
    municipalities: list[str]
    P: I64
    tab_int: I64
    tab_age: I64
    excl: I64  # sorted keys n * nE + e

    def pair_key(self, n: int, e: int) -> int:
        return n * self.E.n + e


def _masks(values: Iterable[tuple[str, ...]], index: dict[str, int], words: int) -> U64:
    cache: dict[tuple[str, ...], int] = {}
    ints = []
    for vals in values:
        x = cache.get(vals)
        if x is None:
            x = 0
            for v in vals:
                x |= 1 << index[v]
            cache[vals] = x
        ints.append(x)
    out = np.zeros((len(ints), words), dtype=np.uint64)
    full = (1 << 64) - 1
    for w in range(words):
        out[:, w] = np.array([(x >> (64 * w)) & full for x in ints], dtype=np.uint64)
    return out


def _side(
    people: Sequence[Participant],
    today: dt.date,
    weights: Weights,
    lang_index: dict[str, int],
    int_index: dict[str, int],
    muni_index: dict[str, int],
    wl: int,
    wi: int,
) -> Side:
    n = len(people)
    A = np.zeros((n, NCOL), dtype=np.int64)
    if n:
        cap_days = weights.waiting_cap_days
        half_wait = weights.waiting.weight / 2.0
        A[:, C_BY] = [p.birth_year for p in people]
        A[:, C_G] = [GENDER_INDEX[p.gender] for p in people]
        A[:, C_SGO] = [p.same_gender_only for p in people]
        A[:, C_MUNI] = [muni_index[p.municipality_code] for p in people]
        postal_cache: dict[str, int] = {}
        A[:, C_POST] = [
            postal_cache[c] if c in postal_cache else postal_cache.setdefault(c, _postal3(c))
            for c in (p.postal_code for p in people)
        ]
        av_cache: dict[tuple[str, ...], int] = {}
        A[:, C_AVAIL] = [
            av_cache[a] if a in av_cache else av_cache.setdefault(a, sum(AVAIL_BIT.get(x, 0) for x in set(a)))
            for a in (p.availability for p in people)
        ]
        A[:, C_HC] = [p.has_children for p in people]
        A[:, C_FAM] = [p.wants_family_match for p in people]
        A[:, C_PHYS] = [p.meeting_mode != "digital" for p in people]
        A[:, C_DIG] = [p.meeting_mode != "physical" for p in people]
        A[:, C_CAP] = [p.capacity for p in people]
        wait = np.array([(today - p.signed_up).days for p in people], dtype=np.int64)
        wait = np.maximum(wait, 0)
        A[:, C_WAIT] = wait
        A[:, C_WAITPTS] = np.rint(half_wait * 100.0 * np.minimum(wait, cap_days) / cap_days).astype(np.int64)
        A[:, C_SV] = ["sv" in p.languages for p in people]
        del postal_cache, av_cache
    return Side(
        ids=[p.id for p in people],
        people=people,
        A=A,
        L=_masks((p.languages for p in people), lang_index, wl),
        I=_masks((p.interests for p in people), int_index, wi),
    )


def _postal3(code: str) -> int:
    digits = "".join(ch for ch in code if ch.isdigit())
    return int(digits[:3]) if len(digits) == 5 else -1


def build_problem(
    newcomers: Sequence[Participant],
    established: Sequence[Participant],
    weights: Weights,
    today: dt.date,
    exclude: Iterable[tuple[str, str]] = (),
) -> Problem:
    """Validate roles/ids and encode both sides."""
    with gc_paused():
        return _build_problem(newcomers, established, weights, today, exclude)


def _build_problem(
    newcomers: Sequence[Participant],
    established: Sequence[Participant],
    weights: Weights,
    today: dt.date,
    exclude: Iterable[tuple[str, str]],
) -> Problem:
    for p in newcomers:
        if p.role != "newcomer":
            raise ValueError(f"participant {p.id!r} is passed as newcomer but has role {p.role!r}")
        if p.capacity < 0:
            raise ValueError(f"participant {p.id!r} has a negative capacity")
    for p in established:
        if p.role != "established":
            raise ValueError(f"participant {p.id!r} is passed as established but has role {p.role!r}")
        if p.capacity < 0:
            raise ValueError(f"participant {p.id!r} has a negative capacity")
    seen: set[str] = set()
    for p in (*newcomers, *established):
        if p.id in seen:
            raise ValueError(f"duplicate participant id {p.id!r}")
        seen.add(p.id)

    lang_sets = {p.languages for p in (*newcomers, *established)}
    int_sets = {p.interests for p in (*newcomers, *established)}
    langs = sorted({lang for s in lang_sets for lang in s})
    ints = sorted({i for s in int_sets for i in s})
    munis = sorted({p.municipality_code for p in (*newcomers, *established)})
    lang_index = {v: i for i, v in enumerate(langs)}
    int_index = {v: i for i, v in enumerate(ints)}
    muni_index = {v: i for i, v in enumerate(munis)}
    wl = max(1, (len(langs) + 63) // 64)
    wi = max(1, (len(ints) + 63) // 64)
    N = _side(newcomers, today, weights, lang_index, int_index, muni_index, wl, wi)
    E = _side(established, today, weights, lang_index, int_index, muni_index, wl, wi)

    P = np.zeros(NPARAM, dtype=np.int64)
    P[P_SV] = cp(weights.swedish.weight)
    P[P_MUNI] = cp(weights.proximity.weight * PROX_MUNI_SHARE)
    P[P_POST] = cp(weights.proximity.weight * PROX_POSTAL_SHARE)
    P[P_FAM] = cp(weights.family_situation.weight)
    P[P_AVAIL] = cp(weights.availability.weight)
    P[P_MUST_INT] = weights.interests.must
    P[P_MUST_AGE] = weights.age.must
    P[P_MUST_SV] = weights.swedish.must
    P[P_MUST_PROX] = weights.proximity.must
    P[P_MUST_FAMSIT] = weights.family_situation.must
    P[P_MUST_AVAIL] = weights.availability.must
    P[P_AGE_SPAN] = weights.age_span_years

    full = weights.interests_full_at
    tab_int = np.array(
        [cp(weights.interests.weight * min(s, full) / full) for s in range(129)], dtype=np.int64
    )
    span = weights.age_span_years
    tab_age = np.array(
        [cp(weights.age.weight * max(0.0, 1.0 - d / span)) for d in range(256)], dtype=np.int64
    )

    n_index = {pid: i for i, pid in enumerate(N.ids)}
    e_index = {pid: i for i, pid in enumerate(E.ids)}
    keys = sorted({n_index[a] * E.n + e_index[b] for a, b in exclude if a in n_index and b in e_index})
    return Problem(
        N=N,
        E=E,
        weights=weights,
        today=today,
        languages=langs,
        interests=ints,
        municipalities=munis,
        P=P,
        tab_int=tab_int,
        tab_age=tab_age,
        excl=np.array(keys, dtype=np.int64),
    )
