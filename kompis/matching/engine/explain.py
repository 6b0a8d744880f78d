"""Why is somebody unmatched? Per-rule elimination counts without scanning all pairs.

A person who still has an allowed partner (found through the hub index, then checked against
the age rule and exclusions) is reported as ``all_compatible_partners_taken``. For everybody
else, each hard rule's elimination count ("how many people of the other role does this rule
rule out") is computed from small frequency tables of the other side, and the rule with the
largest count is the blocker.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from kompis.matching.engine import kernels
from kompis.matching.engine._util import gc_paused
from kompis.matching.engine.encode import (
    C_AVAIL,
    C_BY,
    C_DIG,
    C_FAM,
    C_G,
    C_HC,
    C_MUNI,
    C_PHYS,
    C_SGO,
    C_SV,
    P_AGE_SPAN,
    P_MUST_AGE,
    P_MUST_AVAIL,
    P_MUST_FAMSIT,
    P_MUST_INT,
    P_MUST_PROX,
    P_MUST_SV,
    UNSPECIFIED,
    Problem,
    Side,
)
from kompis.matching.engine.hubs import Hubs
from kompis.matching.engine.model import RULE_ALL_TAKEN, RULE_EXCLUDED, RULE_NO_PARTNERS, Role, Unmatched

I64 = npt.NDArray[np.int64]


def _mask_pass(me: npt.NDArray[np.uint64], other: npt.NDArray[np.uint64]) -> I64:
    """For each row of ``me``: how many rows of ``other`` share at least one bit."""
    uniq, counts = np.unique(other, axis=0, return_counts=True)
    out = np.zeros(me.shape[0], dtype=np.int64)
    step = max(1, 2_000_000 // max(1, uniq.shape[0]))
    for s in range(0, me.shape[0], step):
        block = me[s : s + step]
        hit = ((block[:, None, :] & uniq[None, :, :]) != 0).any(axis=2)
        out[s : s + step] = hit.astype(np.int64) @ counts
    return out


def rule_passes(prob: Problem, me: Side, other: Side, idx: I64, newcomer_side: bool) -> I64:
    """Matrix (len(idx), NRULES): how many of the other side pass each rule for each person."""
    A, O = me.A[idx], other.A  # noqa: E741
    no = other.n
    nm = len(prob.municipalities) + 1
    out = np.zeros((len(idx), kernels.NRULES), dtype=np.int64)
    out[:, kernels.R_LANGUAGE] = _mask_pass(me.L[idx], other.L)
    dig_total = int(O[:, C_DIG].sum())
    phys_by_muni = np.bincount(O[:, C_MUNI], weights=O[:, C_PHYS], minlength=nm).astype(np.int64)
    both_by_muni = np.bincount(O[:, C_MUNI], weights=O[:, C_PHYS] * O[:, C_DIG], minlength=nm).astype(
        np.int64
    )
    m = A[:, C_MUNI]
    out[:, kernels.R_MODE] = (
        A[:, C_DIG] * dig_total
        + A[:, C_PHYS] * phys_by_muni[m]
        - A[:, C_DIG] * A[:, C_PHYS] * both_by_muni[m]
    )
    same_g = np.bincount(O[:, C_G], minlength=4)  # everyone of that gender
    sgo_g = np.bincount(O[:, C_G], weights=O[:, C_SGO], minlength=4).astype(np.int64)
    not_sgo = int(no - O[:, C_SGO].sum())
    g = A[:, C_G]
    specified = g != UNSPECIFIED
    out[:, kernels.R_GENDER] = np.where(
        A[:, C_SGO] == 1, specified * same_g[g], not_sgo + specified * sgo_g[g]
    )
    fam = np.bincount(O[:, C_FAM], minlength=2)
    out[:, kernels.R_FAMILY] = fam[A[:, C_FAM]]
    P = prob.P
    full = np.full(len(idx), no, dtype=np.int64)
    out[:, kernels.R_M_INT] = _mask_pass(me.I[idx], other.I) if P[P_MUST_INT] else full
    if P[P_MUST_AGE]:
        span = int(P[P_AGE_SPAN])
        by = np.sort(O[:, C_BY])
        out[:, kernels.R_M_AGE] = np.searchsorted(by, A[:, C_BY] + span, side="left") - np.searchsorted(
            by, A[:, C_BY] - span, side="right"
        )
    else:
        out[:, kernels.R_M_AGE] = full
    if P[P_MUST_SV]:
        out[:, kernels.R_M_SV] = int(O[:, C_SV].sum()) if newcomer_side else A[:, C_SV] * no
    else:
        out[:, kernels.R_M_SV] = full
    out[:, kernels.R_M_PROX] = np.bincount(O[:, C_MUNI], minlength=nm)[m] if P[P_MUST_PROX] else full
    out[:, kernels.R_M_FAMSIT] = (
        np.bincount(O[:, C_HC], minlength=2)[A[:, C_HC]] if P[P_MUST_FAMSIT] else full
    )
    if P[P_MUST_AVAIL]:
        av = np.bincount(O[:, C_AVAIL], minlength=8)
        table = np.array([sum(int(av[v]) for v in range(8) if v & a) for a in range(8)], dtype=np.int64)
        out[:, kernels.R_M_AVAIL] = table[A[:, C_AVAIL]]
    else:
        out[:, kernels.R_M_AVAIL] = full
    return out


def explain_unmatched(prob: Problem, hubs: Hubs, idx: I64, newcomer_side: bool) -> dict[str, Unmatched]:
    """The blocking rule of every person ``idx`` of one side (see :class:`Unmatched`)."""
    with gc_paused():
        return _explain_unmatched(prob, hubs, idx, newcomer_side)


def _explain_unmatched(prob: Problem, hubs: Hubs, idx: I64, newcomer_side: bool) -> dict[str, Unmatched]:
    if len(idx) == 0:
        return {}
    idx = np.asarray(idx, dtype=np.int64)
    me, other = (prob.N, prob.E) if newcomer_side else (prob.E, prob.N)
    role: Role = "newcomer" if newcomer_side else "established"
    if newcomer_side:
        has = kernels.has_allowed(
            idx,
            True,
            prob.N.A,
            prob.E.A,
            hubs.n_hub_ptr,
            hubs.n_hub_list,
            hubs.e_bucket_ptr,
            hubs.e_bucket_members,
            prob.P,
            prob.excl,
            prob.E.n,
        )
    else:
        has = kernels.has_allowed(
            idx,
            False,
            prob.E.A,
            prob.N.A,
            hubs.e_hub_ptr,
            hubs.e_hub_list,
            hubs.n_bucket_ptr,
            hubs.n_bucket_members,
            prob.P,
            prob.excl,
            prob.E.n,
        )
    out: dict[str, Unmatched] = {}
    for i in idx[has].tolist():
        out[me.ids[i]] = Unmatched(me.ids[i], role, RULE_ALL_TAKEN, 0)
    blocked = idx[~has]
    if len(blocked) == 0:
        return out
    fails = other.n - rule_passes(prob, me, other, blocked, newcomer_side)
    # exclusions: people whose every rule passes for some partner but those partners are excluded
    for pos, i in enumerate(blocked.tolist()):
        row = fails[pos]
        if other.n == 0:
            rule, elim = RULE_NO_PARTNERS, 0
        else:
            q = int(np.argmax(row))
            rule, elim = kernels.RULE_CODES[q], int(row[q])
            if elim == 0:
                # every rule passes for some partner on its own: combinations or exclusions block
                rule, elim = _combined_blocker(prob, me, other, i, newcomer_side)
        out[me.ids[i]] = Unmatched(me.ids[i], role, rule, elim)
    return out


def _combined_blocker(prob: Problem, me: Side, other: Side, i: int, newcomer_side: bool) -> tuple[str, int]:
    """Exact per-pair scan for the rare person whom no single rule blocks on its own."""
    counts = np.zeros(kernels.NRULES, dtype=np.int64)
    excluded = 0
    for j in range(other.n):
        n, e = (i, j) if newcomer_side else (j, i)
        m = kernels.fail_mask(n, e, prob.N.A, prob.N.L, prob.N.I, prob.E.A, prob.E.L, prob.E.I, prob.P)
        if m == 0:
            excluded += 1
        for q in range(kernels.NRULES):
            if m & (1 << q):
                counts[q] += 1
    q = int(np.argmax(counts))
    if excluded >= counts[q]:
        return RULE_EXCLUDED, excluded
    return kernels.RULE_CODES[q], int(counts[q])
