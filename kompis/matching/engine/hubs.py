"""Compatibility index: "hubs" that connect exactly the allowed pairs.

A hub is a key ``(language, family flag, [has children], gender class, location, [interest],
[availability slot])``. A person is *listed* in, and *scans*, the hubs for each of its
languages, for the location "digital" (when it accepts digital meetings) and "physical in
municipality m" (when it accepts physical ones), and for gender classes chosen so that each
allowed pair meets in exactly one class (see ``_gender_classes``). Fields in brackets appear
only when the matching component is a ``must`` rule. A person scanning a hub that lists
somebody of the other role **iff** the pair satisfies the hard rules 2-5 and the ``must``
rules except the age one (checked pair-wise), so the members of the hubs a person scans are
all of its allowed partners. This lets candidate search and
augmenting paths visit only allowed partners, and makes people with the same hub set
interchangeable (the basis of the group max-flow bound).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python import max_flow

from kompis.matching.engine._jit import U64, Int, njit
from kompis.matching.engine.encode import (
    C_AVAIL,
    C_BY,
    C_CAP,
    C_DIG,
    C_FAM,
    C_G,
    C_HC,
    C_MUNI,
    C_PHYS,
    C_SGO,
    C_SV,
    P_MUST_AVAIL,
    P_MUST_FAMSIT,
    P_MUST_INT,
    P_MUST_PROX,
    P_MUST_SV,
    UNSPECIFIED,
    Problem,
)

I64 = npt.NDArray[np.int64]


@njit(cache=True, inline="always")
def _gender_classes(sgo: bool, g: Int, scan: bool) -> I64:
    """Gender classes a person scans (``scan``) or is listed under.

    0 = open (no same-gender wish), 1 + g = no wish and gender g, 4 + g = same-gender wish and
    gender g. Listed: no wish -> open and 1 + g; wish -> 4 + g. Scans: no wish -> open and 4 + g;
    wish -> 1 + g and 4 + g. Each allowed pair meets in exactly one class, so scans see no
    duplicates from the gender rule.
    """
    out = np.full(2, -1, dtype=np.int64)
    specified = g != UNSPECIFIED
    if not sgo:
        out[0] = 0
        if specified:
            out[1] = 4 + g if scan else 1 + g
    elif specified:
        if scan:
            out[0] = 1 + g
            out[1] = 4 + g
        else:
            out[0] = 4 + g
    return out


@njit(cache=True)
def _emit(
    A: I64,
    L: U64,
    I: U64,  # noqa: E741
    P: I64,
    is_established: bool,
    n_int: Int,
    nloc: Int,
    scan: bool,
    fill: bool,
    out_p: I64,
    out_k: I64,
) -> Int:
    ni = n_int if P[P_MUST_INT] else 1
    na = 3 if P[P_MUST_AVAIL] else 1
    k = 0
    for i in range(A.shape[0]):
        if A[i, C_CAP] <= 0:
            continue
        if is_established and P[P_MUST_SV] and not A[i, C_SV]:
            continue
        hc = A[i, C_HC] if P[P_MUST_FAMSIT] else 0
        gcs = _gender_classes(A[i, C_SGO] != 0, A[i, C_G], scan)
        for w in range(L.shape[1]):
            word = L[i, w]
            for b in range(64):
                if not (word >> np.uint64(b)) & np.uint64(1):
                    continue
                lang = w * 64 + b
                for gq in range(2):
                    gc = gcs[gq]
                    if gc < 0:
                        continue
                    for mode in range(2):
                        if mode == 0:
                            if not A[i, C_DIG]:
                                continue
                            loc = 2 * (A[i, C_MUNI] + 1) + 1 if P[P_MUST_PROX] else 1
                        else:
                            if not A[i, C_PHYS]:
                                continue
                            loc = 2 * (A[i, C_MUNI] + 1)
                        for it in range(ni):
                            if P[P_MUST_INT] and not (I[i, it // 64] >> np.uint64(it % 64)) & np.uint64(1):
                                continue
                            for av in range(na):
                                if P[P_MUST_AVAIL] and not (A[i, C_AVAIL] >> av) & 1:
                                    continue
                                if fill:
                                    key = (lang * 2 + A[i, C_FAM]) * 2 + hc
                                    key = (key * 7 + gc) * nloc + loc
                                    key = (key * ni + it) * na + av
                                    out_p[k] = i
                                    out_k[k] = key
                                k += 1
    return k


def _keys(prob: Problem, established: bool, scan: bool) -> tuple[I64, I64]:
    """(person, hub key) for every hub a person of one side scans (``scan``) or is listed in."""
    side = prob.E if established else prob.N
    n_int = max(1, len(prob.interests))
    nloc = 2 * (len(prob.municipalities) + 2)
    dummy = np.zeros(0, dtype=np.int64)
    cnt = _emit(side.A, side.L, side.I, prob.P, established, n_int, nloc, scan, False, dummy, dummy)
    out_p = np.empty(cnt, dtype=np.int64)
    out_k = np.empty(cnt, dtype=np.int64)
    _emit(side.A, side.L, side.I, prob.P, established, n_int, nloc, scan, True, out_p, out_k)
    return out_p, out_k


@dataclass(slots=True)
class Hubs:
    """CSR structures of the compatibility index, for both scan directions.

    Newcomers scan hubs ``n_hub_*`` whose established members are ``e_bucket_*`` (sorted by birth
    year); established people scan hubs ``e_hub_*`` whose newcomer members are ``n_bucket_*``.
    ``e_member_*`` lists, per established person, the newcomer-scanned hubs it belongs to.
    """

    n_hubs: int
    n_hub_ptr: I64
    n_hub_list: I64
    e_bucket_ptr: I64
    e_bucket_members: I64
    e_bucket_by: I64
    e_member_ptr: I64
    e_member_list: I64
    e_hub_ptr: I64
    e_hub_list: I64
    n_bucket_ptr: I64
    n_bucket_members: I64
    n_bucket_by: I64


def _csr(owner: I64, n_owner: int, values: I64) -> tuple[I64, I64]:
    order = np.argsort(owner, kind="stable")
    ptr = np.zeros(n_owner + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=n_owner), out=ptr[1:])
    return ptr, values[order]


def _direction(
    scan_p: I64, scan_k: I64, n_scanners: int, mem_p: I64, mem_k: I64, n_members: int, by: I64
) -> tuple[int, I64, I64, I64, I64, I64, I64, I64]:
    """Hubs seen from one side: scanner CSR, member buckets (sorted by birth year), member CSR."""
    shared = np.intersect1d(scan_k, mem_k)
    H = int(shared.shape[0])
    ms = np.isin(scan_k, shared)
    mm = np.isin(mem_k, shared)
    sp, sh = scan_p[ms], np.searchsorted(shared, scan_k[ms])
    mp, mh = mem_p[mm], np.searchsorted(shared, mem_k[mm])
    hub_ptr, hub_list = _csr(sp, n_scanners, sh)
    order = np.lexsort((mp, by[mp], mh))
    members = mp[order]
    bucket_ptr = np.zeros(H + 1, dtype=np.int64)
    np.cumsum(np.bincount(mh, minlength=H), out=bucket_ptr[1:])
    member_ptr, member_list = _csr(mp, n_members, mh)
    return H, hub_ptr, hub_list, bucket_ptr, members, by[members].copy(), member_ptr, member_list


def build_hubs(prob: Problem) -> Hubs:
    byN = prob.N.A[:, C_BY]
    byE = prob.E.A[:, C_BY]
    pNs, kNs = _keys(prob, False, True)
    pNm, kNm = _keys(prob, False, False)
    pEs, kEs = _keys(prob, True, True)
    pEm, kEm = _keys(prob, True, False)
    H, n_hub_ptr, n_hub_list, e_bucket_ptr, e_members, e_by, e_member_ptr, e_member_list = _direction(
        pNs, kNs, prob.N.n, pEm, kEm, prob.E.n, byE
    )
    _, e_hub_ptr, e_hub_list, n_bucket_ptr, n_members, n_by, _, _ = _direction(
        pEs, kEs, prob.E.n, pNm, kNm, prob.N.n, byN
    )
    return Hubs(
        n_hubs=H,
        n_hub_ptr=n_hub_ptr,
        n_hub_list=n_hub_list,
        e_bucket_ptr=e_bucket_ptr,
        e_bucket_members=e_members,
        e_bucket_by=e_by,
        e_member_ptr=e_member_ptr,
        e_member_list=e_member_list,
        e_hub_ptr=e_hub_ptr,
        e_hub_list=e_hub_list,
        n_bucket_ptr=n_bucket_ptr,
        n_bucket_members=n_members,
        n_bucket_by=n_by,
    )


@njit(cache=True)
def _group_ids(ptr: I64, lst: I64) -> U64:
    n = ptr.shape[0] - 1
    h = np.empty(n, dtype=np.uint64)
    for i in range(n):
        x = np.uint64(ptr[i + 1] - ptr[i]) * np.uint64(0x9E3779B97F4A7C15)
        for t in range(ptr[i], ptr[i + 1]):
            x ^= np.uint64(lst[t]) + np.uint64(0x9E3779B97F4A7C15) + (x << np.uint64(6)) + (x >> np.uint64(2))
            x *= np.uint64(0xBF58476D1CE4E5B9)
        h[i] = x
    return h


def max_pairs_bound(prob: Problem, hubs: Hubs) -> int:
    """Maximum number of pairs under rules 1-5 and the hub-expressible ``must`` rules.

    People with the same hub sets are interchangeable, so a max-flow
    source → newcomer group → (scanned) hub → established group (by listed hubs) → sink (group capacities = summed
    person capacities) gives the exact maximum when there are no exclusions and no age
    ``must`` rule (otherwise it is an upper bound).
    """
    capN = prob.N.A[:, C_CAP]
    capE = prob.E.A[:, C_CAP]
    gN_hash = _group_ids(hubs.n_hub_ptr, hubs.n_hub_list)
    gE_hash = _group_ids(hubs.e_member_ptr, hubs.e_member_list)
    hasN = np.diff(hubs.n_hub_ptr) > 0
    hasE = np.diff(hubs.e_member_ptr) > 0
    if not hasN.any() or not hasE.any():
        return 0
    uN, repN, invN = np.unique(gN_hash[hasN], return_index=True, return_inverse=True)
    uE, repE, invE = np.unique(gE_hash[hasE], return_index=True, return_inverse=True)
    idxN = np.flatnonzero(hasN)
    idxE = np.flatnonzero(hasE)
    gcapN = np.bincount(invN, weights=capN[hasN], minlength=len(uN)).astype(np.int64)
    gcapE = np.bincount(invE, weights=capE[hasE], minlength=len(uE)).astype(np.int64)
    GN, GE, H = len(uN), len(uE), hubs.n_hubs
    src, sink = 0, 1
    baseN, baseH = 2, 2 + GN
    baseE = baseH + H
    big = int(capN.sum() + capE.sum() + 1)
    tails: list[I64] = []
    heads: list[I64] = []
    caps: list[I64] = []
    tails.append(np.full(GN, src, dtype=np.int64))
    heads.append(baseN + np.arange(GN, dtype=np.int64))
    caps.append(gcapN)
    for reps, idx, ptr, lst, base, to_hub in (
        (repN, idxN, hubs.n_hub_ptr, hubs.n_hub_list, baseN, True),
        (repE, idxE, hubs.e_member_ptr, hubs.e_member_list, baseE, False),
    ):
        people = idx[reps]
        lens = ptr[people + 1] - ptr[people]
        gid = np.repeat(np.arange(len(people), dtype=np.int64), lens)
        starts = np.repeat(ptr[people], lens)
        offs = np.arange(int(lens.sum()), dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens)
        hub = lst[starts + offs]
        if to_hub:
            tails.append(base + gid)
            heads.append(baseH + hub)
        else:
            tails.append(baseH + hub)
            heads.append(base + gid)
        caps.append(np.full(len(gid), big, dtype=np.int64))
    tails.append(baseE + np.arange(GE, dtype=np.int64))
    heads.append(np.full(GE, sink, dtype=np.int64))
    caps.append(gcapE)
    smf = max_flow.SimpleMaxFlow()
    smf.add_arcs_with_capacity(np.concatenate(tails), np.concatenate(heads), np.concatenate(caps))
    status = smf.solve(src, sink)
    if status != smf.OPTIMAL:
        raise RuntimeError(f"max-flow failed with status {status}")
    return int(smf.optimal_flow())
