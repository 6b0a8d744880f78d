"""Numba kernels: hard rules, scores, candidate search, augmenting-path repair.

All kernels are compiled with ``cache=True``; call :func:`warm_up` once at install time so a
user's first run does not pay for compilation.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from kompis.matching.engine.encode import (
    C_AVAIL,
    C_BY,
    C_DIG,
    C_FAM,
    C_G,
    C_HC,
    C_MUNI,
    C_PHYS,
    C_POST,
    C_SGO,
    C_SV,
    C_WAITPTS,
    P_AGE_SPAN,
    P_AVAIL,
    P_FAM,
    P_MUNI,
    P_MUST_AGE,
    P_MUST_AVAIL,
    P_MUST_FAMSIT,
    P_MUST_INT,
    P_MUST_PROX,
    P_MUST_SV,
    P_POST,
    P_SV,
    UNSPECIFIED,
)

# rule indices for fail_mask / explain (order = reporting order)
R_LANGUAGE, R_MODE, R_GENDER, R_FAMILY, R_M_INT, R_M_AGE, R_M_SV, R_M_PROX, R_M_FAMSIT, R_M_AVAIL = range(10)
NRULES = 10
RULE_CODES = (
    "language",
    "meeting_mode",
    "same_gender",
    "family_match",
    "must_interests",
    "must_age",
    "must_swedish",
    "must_proximity",
    "must_family_situation",
    "must_availability",
)


@njit(cache=True, inline="always")
def popcount64(x):
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (x * np.uint64(0x0101010101010101)) >> np.uint64(56)


@njit(cache=True, inline="always")
def overlap(Ma, a, Mb, b):
    c = 0
    for w in range(Ma.shape[1]):
        c += popcount64(Ma[a, w] & Mb[b, w])
    return c


@njit(cache=True, inline="always")
def any_overlap(Ma, a, Mb, b):
    for w in range(Ma.shape[1]):
        if Ma[a, w] & Mb[b, w]:
            return True
    return False


@njit(cache=True, inline="always")
def is_excluded(excl, key):
    if excl.shape[0] == 0:
        return False
    k = np.searchsorted(excl, key)
    return k < excl.shape[0] and excl[k] == key


@njit(cache=True)
def fail_mask(n, e, An, Ln, In, Ae, Le, Ie, P):
    """Bit r set when the pair breaks rule r (exclusions are not part of it)."""
    m = 0
    if not any_overlap(Ln, n, Le, e):
        m |= 1 << R_LANGUAGE
    dig = An[n, C_DIG] and Ae[e, C_DIG]
    phys = An[n, C_PHYS] and Ae[e, C_PHYS] and An[n, C_MUNI] == Ae[e, C_MUNI]
    if not (dig or phys):
        m |= 1 << R_MODE
    if An[n, C_SGO] or Ae[e, C_SGO]:
        if An[n, C_G] != Ae[e, C_G] or An[n, C_G] == UNSPECIFIED:
            m |= 1 << R_GENDER
    if An[n, C_FAM] != Ae[e, C_FAM]:
        m |= 1 << R_FAMILY
    if P[P_MUST_INT] and not any_overlap(In, n, Ie, e):
        m |= 1 << R_M_INT
    if P[P_MUST_AGE] and abs(An[n, C_BY] - Ae[e, C_BY]) >= P[P_AGE_SPAN]:
        m |= 1 << R_M_AGE
    if P[P_MUST_SV] and not Ae[e, C_SV]:
        m |= 1 << R_M_SV
    if P[P_MUST_PROX] and An[n, C_MUNI] != Ae[e, C_MUNI]:
        m |= 1 << R_M_PROX
    if P[P_MUST_FAMSIT] and An[n, C_HC] != Ae[e, C_HC]:
        m |= 1 << R_M_FAMSIT
    if P[P_MUST_AVAIL] and (An[n, C_AVAIL] & Ae[e, C_AVAIL]) == 0:
        m |= 1 << R_M_AVAIL
    return m


@njit(cache=True)
def allowed(n, e, An, Ln, In, Ae, Le, Ie, P, excl, nE):
    """True when the pair satisfies every hard rule (capacity aside)."""
    if fail_mask(n, e, An, Ln, In, Ae, Le, Ie, P) != 0:
        return False
    return not is_excluded(excl, np.int64(n) * nE + e)


@njit(cache=True)
def score(n, e, An, In, Ae, Ie, P, tab_int, tab_age):
    """Pair score in integer centipoints (see ``kompis.matching.engine.scoring``)."""
    s = tab_int[min(overlap(In, n, Ie, e), tab_int.shape[0] - 1)]
    s += tab_age[min(abs(An[n, C_BY] - Ae[e, C_BY]), tab_age.shape[0] - 1)]
    s += An[n, C_WAITPTS] + Ae[e, C_WAITPTS]
    if Ae[e, C_SV]:
        s += P[P_SV]
    if An[n, C_PHYS] and Ae[e, C_PHYS]:
        if An[n, C_MUNI] == Ae[e, C_MUNI]:
            s += P[P_MUNI]
        if An[n, C_POST] >= 0 and An[n, C_POST] == Ae[e, C_POST]:
            s += P[P_POST]
    if An[n, C_HC] and Ae[e, C_HC]:
        s += P[P_FAM]
    if An[n, C_AVAIL] & Ae[e, C_AVAIL]:
        s += P[P_AVAIL]
    return s


@njit(cache=True)
def all_allowed_pairs(An, Ln, In, Ae, Le, Ie, P, excl, tab_int, tab_age):
    """Every allowed pair with its score (for the exact solver and small instances)."""
    nN = An.shape[0]
    nE = Ae.shape[0]
    counts = np.zeros(nN, dtype=np.int64)
    for n in prange(nN):
        c = 0
        for e in range(nE):
            if allowed(n, e, An, Ln, In, Ae, Le, Ie, P, excl, nE):
                c += 1
        counts[n] = c
    starts = np.zeros(nN + 1, dtype=np.int64)
    for n in range(nN):
        starts[n + 1] = starts[n] + counts[n]
    total = starts[nN]
    rn = np.empty(total, dtype=np.int64)
    re = np.empty(total, dtype=np.int64)
    rs = np.empty(total, dtype=np.int64)
    for n in prange(nN):
        k = starts[n]
        for e in range(nE):
            if allowed(n, e, An, Ln, In, Ae, Le, Ie, P, excl, nE):
                rn[k] = n
                re[k] = e
                rs[k] = score(n, e, An, In, Ae, Ie, P, tab_int, tab_age)
                k += 1
    return rn, re, rs


@njit(cache=True)
def score_row(n, An, Ln, In, Ae, Le, Ie, P, excl, tab_int, tab_age):
    """Scores of newcomer ``n`` against every established person (-1 = not allowed)."""
    nE = Ae.shape[0]
    out = np.full(nE, -1, dtype=np.int64)
    for e in range(nE):
        if allowed(n, e, An, Ln, In, Ae, Le, Ie, P, excl, nE):
            out[e] = score(n, e, An, In, Ae, Ie, P, tab_int, tab_age)
    return out


@njit(cache=True)
def score_col(e, An, Ln, In, Ae, Le, Ie, P, excl, tab_int, tab_age):
    """Scores of established ``e`` against every newcomer (-1 = not allowed)."""
    nN = An.shape[0]
    nE = Ae.shape[0]
    out = np.full(nN, -1, dtype=np.int64)
    for n in range(nN):
        if allowed(n, e, An, Ln, In, Ae, Le, Ie, P, excl, nE):
            out[n] = score(n, e, An, In, Ae, Ie, P, tab_int, tab_age)
    return out


@njit(cache=True)
def _mix(x):
    # splitmix64 finaliser, deterministic hashing for sampling offsets
    z = np.uint64(x) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True, parallel=True)
def candidates(
    self_is_newcomer,
    As, Ls, Is_, Ao, Lo, Io,
    hub_ptr, hub_list, bucket_ptr, bucket_members, bucket_by,
    P, excl, tab_int, tab_age, k, window, seed,
):
    """Top-``k`` allowed partners (by score) of every person of one side.

    A person's allowed partners live in the buckets of its hubs (``hub_ptr``/``hub_list``);
    each bucket of the other side is sorted by birth year. Small buckets are scanned whole;
    large ones through a window around the person's birth year plus a pseudo-random window.
    Returns ``(partner, score)`` matrices with -1 for empty slots.
    """
    ns = As.shape[0]
    best_p = np.full((ns, k), -1, dtype=np.int64)
    best_s = np.full((ns, k), -1, dtype=np.int64)
    nE = Ao.shape[0] if self_is_newcomer else As.shape[0]
    for i in prange(ns):
        bp = best_p[i]
        bs = best_s[i]
        filled = 0
        minpos = 0
        for hp in range(hub_ptr[i], hub_ptr[i + 1]):
            h = hub_list[hp]
            b0 = bucket_ptr[h]
            b1 = bucket_ptr[h + 1]
            m = b1 - b0
            if m <= 0:
                continue
            if m <= 2 * window:
                ranges0 = b0
                ranges1 = b1
                r2a = b0
                r2b = b0
            else:
                pos = b0 + np.searchsorted(bucket_by[b0:b1], As[i, C_BY])
                lo = pos - window // 2
                if lo < b0:
                    lo = b0
                hi = lo + window
                if hi > b1:
                    hi = b1
                    lo = b1 - window
                ranges0 = lo
                ranges1 = hi
                off = np.int64(_mix(np.uint64(seed) * np.uint64(1000003) + np.uint64(i * 131 + h)) % np.uint64(m))
                r2a = b0 + off
                r2b = r2a + window
            for rep in range(2):
                if rep == 0:
                    a0 = ranges0
                    a1 = ranges1
                else:
                    a0 = r2a
                    a1 = r2b
                for t in range(a0, a1):
                    j = bucket_members[b0 + (t - b0) % m] if rep == 1 else bucket_members[t]
                    if self_is_newcomer:
                        ok = allowed(i, j, As, Ls, Is_, Ao, Lo, Io, P, excl, nE)
                    else:
                        ok = allowed(j, i, Ao, Lo, Io, As, Ls, Is_, P, excl, nE)
                    if not ok:
                        continue
                    if self_is_newcomer:
                        s = score(i, j, As, Is_, Ao, Io, P, tab_int, tab_age)
                    else:
                        s = score(j, i, Ao, Io, As, Is_, P, tab_int, tab_age)
                    if filled == k and s <= bs[minpos]:
                        continue
                    dup = False
                    for q in range(filled):
                        if bp[q] == j:
                            dup = True
                            break
                    if dup:
                        continue
                    if filled < k:
                        bp[filled] = j
                        bs[filled] = s
                        filled += 1
                    else:
                        bp[minpos] = j
                        bs[minpos] = s
                    if filled == k:
                        minpos = 0
                        for q in range(1, k):
                            if bs[q] < bs[minpos]:
                                minpos = q
    return best_p, best_s


@njit(cache=True)
def greedy_assign(order, an, ae, capN, capE):
    """Take arcs in ``order`` while both ends have capacity; returns a boolean mask of taken arcs."""
    leftN = capN.copy()
    leftE = capE.copy()
    taken = np.zeros(an.shape[0], dtype=np.bool_)
    for t in range(order.shape[0]):
        a = order[t]
        n = an[a]
        e = ae[a]
        if leftN[n] > 0 and leftE[e] > 0:
            leftN[n] -= 1
            leftE[e] -= 1
            taken[a] = True
    return taken


@njit(cache=True)
def repair(
    An, Ln, In, Ae, Le, Ie, P, excl,
    hub_ptr, hub_list, bucket_ptr, bucket_members,
    matchN, matchE, capN, capE, target, max_phases,
):
    """Grow a b-matching to maximum cardinality with augmenting paths.

    ``matchN[n, s]`` / ``matchE[e, s]`` hold partners (-1 = free slot). The adjacency of a
    newcomer is the union of its hubs' buckets filtered by ``allowed`` (this covers every allowed
    pair), scanned lazily: a bucket member is dropped from the bucket once visited, so one BFS
    phase costs O(total bucket size). Each phase grows a BFS forest from all free newcomers and
    augments along vertex-disjoint paths (one per tree). Stops at ``target`` pairs or when no
    augmenting path exists (then the matching is maximum). Returns the number of augmentations.
    """
    nN = An.shape[0]
    nE = Ae.shape[0]
    count = 0
    for n in range(nN):
        for s in range(matchN.shape[1]):
            if matchN[n, s] >= 0:
                count += 1
    added = 0
    nb = bucket_ptr.shape[0] - 1
    for _phase in range(max_phases):
        if count >= target:
            break
        rem = bucket_members.copy()
        blen = np.empty(nb, dtype=np.int64)
        for h in range(nb):
            blen[h] = bucket_ptr[h + 1] - bucket_ptr[h]
        visN = np.zeros(nN, dtype=np.bool_)
        visE = np.zeros(nE, dtype=np.bool_)
        parN = np.full(nN, -1, dtype=np.int64)  # established through which newcomer was reached
        parE = np.full(nE, -1, dtype=np.int64)  # newcomer from which established was reached
        root = np.full(nN, -1, dtype=np.int64)
        used = np.zeros(nN, dtype=np.bool_)
        queue = np.empty(nN, dtype=np.int64)
        qh = 0
        qt = 0
        for n in range(nN):
            free = 0
            for s in range(matchN.shape[1]):
                if s < capN[n] and matchN[n, s] < 0:
                    free += 1
            if free > 0 and hub_ptr[n + 1] > hub_ptr[n]:
                visN[n] = True
                root[n] = n
                queue[qt] = n
                qt += 1
        found = 0
        while qh < qt:
            u = queue[qh]
            qh += 1
            if used[root[u]]:
                continue
            done = False
            for hp in range(hub_ptr[u], hub_ptr[u + 1]):
                if done:
                    break
                h = hub_list[hp]
                b0 = bucket_ptr[h]
                t = 0
                while t < blen[h]:
                    e = rem[b0 + t]
                    if visE[e]:
                        blen[h] -= 1
                        rem[b0 + t] = rem[b0 + blen[h]]
                        continue
                    if not allowed(u, e, An, Ln, In, Ae, Le, Ie, P, excl, nE):
                        t += 1
                        continue
                    already = False
                    for s in range(matchN.shape[1]):
                        if matchN[u, s] == e:
                            already = True
                    if already:
                        t += 1
                        continue
                    visE[e] = True
                    parE[e] = u
                    blen[h] -= 1
                    rem[b0 + t] = rem[b0 + blen[h]]
                    free_slot = -1
                    for s in range(matchE.shape[1]):
                        if s < capE[e] and matchE[e, s] < 0:
                            free_slot = s
                            break
                    if free_slot >= 0:
                        # augment: walk back e <- u <- e' <- u' ...
                        cur_e = e
                        cur_slot = free_slot
                        while True:
                            cu = parE[cur_e]
                            matchE[cur_e, cur_slot] = cu
                            if parN[cu] < 0:
                                # root: fill a free slot of cu
                                for s in range(matchN.shape[1]):
                                    if s < capN[cu] and matchN[cu, s] < 0:
                                        matchN[cu, s] = cur_e
                                        break
                                break
                            prev_e = parN[cu]
                            # cu gives up prev_e, takes cur_e
                            for s in range(matchN.shape[1]):
                                if matchN[cu, s] == prev_e:
                                    matchN[cu, s] = cur_e
                                    break
                            # prev_e's slot that held cu goes to parE[prev_e]
                            slot = -1
                            for s in range(matchE.shape[1]):
                                if matchE[prev_e, s] == cu:
                                    slot = s
                                    break
                            cur_e = prev_e
                            cur_slot = slot
                        used[root[u]] = True
                        found += 1
                        count += 1
                        done = True
                        break
                    for s in range(matchE.shape[1]):
                        u2 = matchE[e, s]
                        if u2 >= 0 and not visN[u2]:
                            visN[u2] = True
                            parN[u2] = e
                            root[u2] = root[u]
                            queue[qt] = u2
                            qt += 1
        added += found
        if found == 0:
            break
    return added


@njit(cache=True, parallel=True)
def explain_counts(reps, As, Ls, Is_, Ao, Lo, Io, P, self_is_newcomer):
    """For each representative person: per-rule elimination counts and allowed partners (no exclusions)."""
    r = reps.shape[0]
    fails = np.zeros((r, NRULES), dtype=np.int64)
    ok = np.zeros(r, dtype=np.int64)
    no = Ao.shape[0]
    for t in prange(r):
        i = reps[t]
        for j in range(no):
            if self_is_newcomer:
                m = fail_mask(i, j, As, Ls, Is_, Ao, Lo, Io, P)
            else:
                m = fail_mask(j, i, Ao, Lo, Io, As, Ls, Is_, P)
            if m == 0:
                ok[t] += 1
            else:
                for q in range(NRULES):
                    if m & (1 << q):
                        fails[t, q] += 1
    return fails, ok


def warm_up() -> None:
    """Compile (or load from the numba cache) every kernel on a tiny instance."""
    import datetime as dt

    from kompis.matching.engine.api import match
    from kompis.matching.engine.synth import generate

    people = generate(30, 30, seed=1)
    newcomers = [p for p in people if p.role == "newcomer"]
    established = [p for p in people if p.role == "established"]
    today = dt.date(2026, 1, 1)
    for solver in ("fast", "greedy", "exact"):
        match(newcomers, established, solver=solver, today=today)  # type: ignore[arg-type]
