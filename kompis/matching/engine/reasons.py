"""Structured reasons for a pair's score and their plain-English rendering."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from kompis.matching.engine._util import gc_paused
from kompis.matching.engine.encode import (
    AVAIL_BIT,
    C_AVAIL,
    C_BY,
    C_HC,
    C_MUNI,
    C_PHYS,
    C_POST,
    C_SV,
    C_WAIT,
    C_WAITPTS,
    P_AVAIL,
    P_FAM,
    P_MUNI,
    P_POST,
    P_SV,
    Problem,
)
from kompis.matching.engine.model import Reason
from kompis.matching.engine.municipalities import municipality_name

#: order in which reasons are listed (bigger components first is not stable across weights)
REASON_CODES = (
    "shared_interests",
    "age_close",
    "waiting",
    "swedish_practice",
    "same_municipality",
    "postal_close",
    "family",
    "shared_availability",
)


def pair_reasons(prob: Problem, n: int, e: int) -> tuple[int, list[Reason]]:
    """Score (centipoints) and reasons of the pair (newcomer index ``n``, established ``e``)."""
    scores, reasons = batch_reasons(prob, np.array([n], dtype=np.int64), np.array([e], dtype=np.int64))
    return int(scores[0]), reasons[0]


def batch_reasons(
    prob: Problem, n: npt.NDArray[np.int64], e: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], list[list[Reason]]]:
    with gc_paused():
        return _batch_reasons(prob, n, e)


def _batch_reasons(
    prob: Problem, n: npt.NDArray[np.int64], e: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], list[list[Reason]]]:
    """Scores (centipoints) and reasons for many pairs at once.

    Mirrors :func:`kompis.matching.engine.kernels.score` component by component, vectorised.
    """
    An, Ae = prob.N.A[n], prob.E.A[e]
    shared_masks = prob.N.I[n] & prob.E.I[e]
    n_shared = np.bitwise_count(shared_masks).sum(axis=1).astype(np.int64)
    p_int = prob.tab_int[np.minimum(n_shared, len(prob.tab_int) - 1)]
    diff = np.abs(An[:, C_BY] - Ae[:, C_BY])
    p_age = prob.tab_age[np.minimum(diff, len(prob.tab_age) - 1)]
    p_wait = An[:, C_WAITPTS] + Ae[:, C_WAITPTS]
    p_sv = Ae[:, C_SV] * prob.P[P_SV]
    phys = (An[:, C_PHYS] & Ae[:, C_PHYS]).astype(bool)
    same_muni = phys & (An[:, C_MUNI] == Ae[:, C_MUNI])
    close = phys & (An[:, C_POST] >= 0) & (An[:, C_POST] == Ae[:, C_POST])
    p_muni = same_muni * prob.P[P_MUNI]
    p_post = close * prob.P[P_POST]
    p_fam = (An[:, C_HC] & Ae[:, C_HC]) * prob.P[P_FAM]
    common_av = An[:, C_AVAIL] & Ae[:, C_AVAIL]
    p_av = (common_av != 0) * prob.P[P_AVAIL]
    total = p_int + p_age + p_wait + p_sv + p_muni + p_post + p_fam + p_av

    interests = prob.interests
    item_cache: dict[object, list[str]] = {}
    mask_keys: list[object] = (
        shared_masks[:, 0].tolist()
        if shared_masks.shape[1] == 1
        else [tuple(r) for r in shared_masks.tolist()]
    )
    muni_names = [municipality_name(c) for c in prob.municipalities]
    av_names = [[s for s, bit in AVAIL_BIT.items() if v & bit] for v in range(8)]
    muni_codes = prob.municipalities
    year = prob.today.year
    out: list[list[Reason]] = []
    cols = (
        p_int.tolist(), p_age.tolist(), p_wait.tolist(), p_sv.tolist(), p_muni.tolist(), p_post.tolist(),
        p_fam.tolist(), p_av.tolist(), n_shared.tolist(), An[:, C_BY].tolist(), Ae[:, C_BY].tolist(),
        An[:, C_WAIT].tolist(), Ae[:, C_WAIT].tolist(), An[:, C_MUNI].tolist(), An[:, C_POST].tolist(),
        common_av.tolist(), diff.tolist(),
    )  # fmt: skip
    for t, row in enumerate(zip(*cols, strict=True)):
        (pi, pa, pw, ps, pm, pp, pf, pv, cnt, byn, bye, wn, we, mu, po, av, d) = row
        rs: list[Reason] = []
        if pi > 0:
            key = mask_keys[t]
            items = item_cache.get(key)
            if items is None:
                items = [
                    interests[w * 64 + b]
                    for w, word in enumerate(shared_masks[t].tolist())
                    for b in range(64)
                    if (word >> b) & 1
                ]
                item_cache[key] = items
            rs.append(Reason("shared_interests", {"count": cnt, "items": list(items)}, pi / 100.0))
        if pa > 0:
            rs.append(Reason("age_close", {"ages": [year - byn, year - bye], "difference": d}, pa / 100.0))
        if pw > 0:
            rs.append(Reason("waiting", {"newcomer_days": wn, "established_days": we}, pw / 100.0))
        if ps > 0:
            rs.append(Reason("swedish_practice", {}, ps / 100.0))
        if pm > 0:
            rs.append(
                Reason("same_municipality", {"code": muni_codes[mu], "name": muni_names[mu]}, pm / 100.0)
            )
        if pp > 0:
            rs.append(Reason("postal_close", {"prefix": f"{po:03d}"}, pp / 100.0))
        if pf > 0:
            rs.append(Reason("family", {}, pf / 100.0))
        if pv > 0:
            rs.append(Reason("shared_availability", {"items": list(av_names[av])}, pv / 100.0))
        out.append(rs)
    return total.astype(np.int64), out
