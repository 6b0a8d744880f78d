"""Numba kernels: hard rules, scores, candidate search, augmenting-path repair.

All kernels are compiled with ``cache=True``; call :func:`kompis.matching.engine.warmup.warm_up` once at install time so a
user's first run does not pay for compilation.
"""

from __future__ import annotations

import numpy as np

from kompis.matching.engine._jit import I64, U64, Bools, Int, njit
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
def popcount64(x: np.uint64) -> np.uint64:
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return (x * np.uint64(0x0101010101010101)) >> np.uint64(56)


@njit(cache=True, inline="always")
def overlap(Ma: U64, a: Int, Mb: U64, b: Int) -> Int:
    c: Int = 0
    for w in range(Ma.shape[1]):
        c += popcount64(Ma[a, w] & Mb[b, w])
    return c


@njit(cache=True, inline="always")
def any_overlap(Ma: U64, a: Int, Mb: U64, b: Int) -> bool:
    for w in range(Ma.shape[1]):  # noqa: SIM110 - numba wants the explicit early-exit loop
        if Ma[a, w] & Mb[b, w]:
            return True
    return False


@njit(cache=True, inline="always")
def is_excluded(excl: I64, key: Int) -> bool:
    if excl.shape[0] == 0:
        return False
    k = np.searchsorted(excl, key)
    return bool(k < excl.shape[0] and excl[k] == key)


@njit(cache=True)
def fail_mask(n: Int, e: Int, An: I64, Ln: U64, In: U64, Ae: I64, Le: U64, Ie: U64, P: I64) -> Int:
    """Bit r set when the pair breaks rule r (exclusions are not part of it)."""
    m = 0
    if not any_overlap(Ln, n, Le, e):
        m |= 1 << R_LANGUAGE
    dig = An[n, C_DIG] and Ae[e, C_DIG]
    phys = An[n, C_PHYS] and Ae[e, C_PHYS] and An[n, C_MUNI] == Ae[e, C_MUNI]
    if not (dig or phys):
        m |= 1 << R_MODE
    if (An[n, C_SGO] or Ae[e, C_SGO]) and (An[n, C_G] != Ae[e, C_G] or An[n, C_G] == UNSPECIFIED):
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
def allowed(
    n: Int, e: Int, An: I64, Ln: U64, In: U64, Ae: I64, Le: U64, Ie: U64, P: I64, excl: I64, nE: Int
) -> bool:
    """True when the pair satisfies every hard rule (capacity aside)."""
    if fail_mask(n, e, An, Ln, In, Ae, Le, Ie, P) != 0:
        return False
    return not is_excluded(excl, np.int64(n) * nE + e)


@njit(cache=True, inline="always")
def hub_allowed(n: Int, e: Int, An: I64, Ae: I64, P: I64, excl: I64, nE: Int) -> bool:
    """``allowed`` for two people who share a hub: only the age rule and exclusions remain."""
    if P[P_MUST_AGE] and abs(An[n, C_BY] - Ae[e, C_BY]) >= P[P_AGE_SPAN]:
        return False
    return not is_excluded(excl, np.int64(n) * nE + e)


@njit(cache=True)
def score(n: Int, e: Int, An: I64, In: U64, Ae: I64, Ie: U64, P: I64, tab_int: I64, tab_age: I64) -> Int:
    """Pair score in integer centipoints (formula: see the ``kompis.matching.engine`` docstring)."""
    s: Int = tab_int[min(overlap(In, n, Ie, e), tab_int.shape[0] - 1)]
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
def all_allowed_pairs(
    An: I64, Ln: U64, In: U64, Ae: I64, Le: U64, Ie: U64, P: I64, excl: I64, tab_int: I64, tab_age: I64
) -> tuple[I64, I64, I64]:
    """Every allowed pair with its score (for the exact solver and small instances)."""
    nN = An.shape[0]
    nE = Ae.shape[0]
    counts = np.zeros(nN, dtype=np.int64)
    for n in range(nN):
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
    for n in range(nN):
        k = starts[n]
        for e in range(nE):
            if allowed(n, e, An, Ln, In, Ae, Le, Ie, P, excl, nE):
                rn[k] = n
                re[k] = e
                rs[k] = score(n, e, An, In, Ae, Ie, P, tab_int, tab_age)
                k += 1
    return rn, re, rs


@njit(cache=True)
def score_row(
    n: Int,
    An: I64,
    Ln: U64,
    In: U64,
    Ae: I64,
    Le: U64,
    Ie: U64,
    P: I64,
    excl: I64,
    tab_int: I64,
    tab_age: I64,
) -> I64:
    """Scores of newcomer ``n`` against every established person (-1 = not allowed)."""
    nE = Ae.shape[0]
    out = np.full(nE, -1, dtype=np.int64)
    for e in range(nE):
        if allowed(n, e, An, Ln, In, Ae, Le, Ie, P, excl, nE):
            out[e] = score(n, e, An, In, Ae, Ie, P, tab_int, tab_age)
    return out


@njit(cache=True)
def score_col(
    e: Int,
    An: I64,
    Ln: U64,
    In: U64,
    Ae: I64,
    Le: U64,
    Ie: U64,
    P: I64,
    excl: I64,
    tab_int: I64,
    tab_age: I64,
) -> I64:
    """Scores of established ``e`` against every newcomer (-1 = not allowed)."""
    nN = An.shape[0]
    nE = Ae.shape[0]
    out = np.full(nN, -1, dtype=np.int64)
    for n in range(nN):
        if allowed(n, e, An, Ln, In, Ae, Le, Ie, P, excl, nE):
            out[n] = score(n, e, An, In, Ae, Ie, P, tab_int, tab_age)
    return out


@njit(cache=True)
def _mix(x: Int | np.uint64) -> np.uint64:
    # splitmix64 finaliser, deterministic hashing for sampling offsets
    z = np.uint64(x) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True, inline="always")
def _sift_down(bp: I64, bs: I64, pos: Int, k: Int, j: Int, s: Int) -> None:
    """Place (j, s) at heap position ``pos`` of the min-heap ``bs`` (size k), sifting down."""
    while True:
        c = 2 * pos + 1
        if c >= k:
            break
        if c + 1 < k and bs[c + 1] < bs[c]:
            c += 1
        if bs[c] < s:
            bs[pos] = bs[c]
            bp[pos] = bp[c]
            pos = c
        else:
            break
    bs[pos] = s
    bp[pos] = j


@njit(cache=True, inline="always")
def _consider(j: Int, s: Int, bp: I64, bs: I64, filled: Int, k: Int) -> Int:
    """Offer partner ``j`` (not yet offered) with score ``s`` to the top-k min-heap; returns ``filled``."""
    if filled < k:
        bp[filled] = j
        bs[filled] = s
        filled += 1
        if filled == k:
            for start in range(k // 2 - 1, -1, -1):
                _sift_down(bp, bs, start, k, bp[start], bs[start])
        return filled
    if s > bs[0]:
        _sift_down(bp, bs, 0, k, j, s)
    return filled


@njit(cache=True, nogil=True)
def candidates(
    i0: Int,
    i1: Int,
    n_other: Int,
    best_p: I64,
    best_s: I64,
    self_is_newcomer: bool,
    s_by: I64,
    s_static: I64,
    s_flags: I64,
    s_muni: I64,
    s_post: I64,
    s_int: U64,
    hub_ptr: I64,
    hub_list: I64,
    bucket_ptr: I64,
    year_pos: I64,
    y0: Int,
    members: I64,
    o_by: I64,
    o_static: I64,
    o_flags: I64,
    o_muni: I64,
    o_post: I64,
    o_int: U64,
    P: I64,
    excl: I64,
    nE: Int,
    tab_int: I64,
    tab_age: I64,
    k: Int,
    window: Int,
    seed: Int,
) -> None:
    """Top-``k`` allowed partners (by score) of persons ``i0 <= i < i1`` of one side.

    Writes partner indices / scores into rows of ``best_p`` / ``best_s`` (pre-filled with -1).
    ``year_pos[h, y - y0]`` is the first position in bucket ``h`` of a member born in ``y`` or later.
    Releases the GIL, so callers run disjoint ranges in threads.

    A person's allowed partners are the members of its hubs' buckets (only the age rule and
    exclusions remain to check). The other side's attributes are stored in bucket order
    (``o_*``) so the scan streams through memory; each bucket is sorted by birth year. Buckets
    up to ``2 * window`` members are scanned whole; larger ones through a window around the
    person's birth year plus a pseudo-random window. The score is the same integer formula as
    :func:`score`, with the separable parts (waiting, Swedish) precomputed in ``*_static``.
    """
    must_age = P[P_MUST_AGE] != 0
    span = P[P_AGE_SPAN]
    has_excl = excl.shape[0] > 0
    nint = tab_int.shape[0] - 1
    nage = tab_age.shape[0] - 1
    wi = s_int.shape[1]
    # seen[j]: partner j was already evaluated for the current person (several hubs / windows);
    # a small byte map (cache friendly) that is reset through the list of touched partners
    seen = np.zeros(n_other, dtype=np.bool_)
    touched = np.empty(max(n_other, 1), dtype=np.int64)
    for i in range(i0, i1):
        n_touched = _scan_person(
            i, seen, touched, best_p[i], best_s[i], self_is_newcomer, s_by, s_static, s_flags, s_muni,
            s_post, s_int, hub_ptr, hub_list, bucket_ptr, year_pos, y0, members, o_by, o_static, o_flags, o_muni,
            o_post, o_int, P, excl, nE, tab_int, tab_age, k, window, seed, must_age, span, has_excl,
            nint, nage, wi,
        )  # fmt: skip
        for t in range(n_touched):
            seen[touched[t]] = False


@njit(cache=True)
def _scan_person(
    i: Int,
    seen: Bools,
    touched: I64,
    bp: I64,
    bs: I64,
    self_is_newcomer: bool,
    s_by: I64,
    s_static: I64,
    s_flags: I64,
    s_muni: I64,
    s_post: I64,
    s_int: U64,
    hub_ptr: I64,
    hub_list: I64,
    bucket_ptr: I64,
    year_pos: I64,
    y0: Int,
    members: I64,
    o_by: I64,
    o_static: I64,
    o_flags: I64,
    o_muni: I64,
    o_post: I64,
    o_int: U64,
    P: I64,
    excl: I64,
    nE: Int,
    tab_int: I64,
    tab_age: I64,
    k: Int,
    window: Int,
    seed: Int,
    must_age: bool,
    span: Int,
    has_excl: bool,
    nint: Int,
    nage: Int,
    wi: Int,
) -> Int:
    """Candidate scan of one person (see :func:`candidates`)."""
    filled: Int = 0
    n_touched = 0
    by_i = s_by[i]
    st_i = s_static[i]
    fl_i = s_flags[i]
    mu_i = s_muni[i]
    po_i = s_post[i]
    phys_i = fl_i & 1
    hc_i = fl_i & 2
    av_i = fl_i >> 2
    p_muni = P[P_MUNI]
    p_post = P[P_POST] if po_i >= 0 else 0
    p_fam = P[P_FAM]
    p_avail = P[P_AVAIL]
    for hp in range(hub_ptr[i], hub_ptr[i + 1]):
        h = hub_list[hp]
        b0 = bucket_ptr[h]
        b1 = bucket_ptr[h + 1]
        m = b1 - b0
        if m <= 0:
            continue
        # first member born in by_i or later (buckets are sorted by birth year)
        pos = year_pos[h, min(max(by_i - y0, 0), year_pos.shape[1] - 1)]
        if m <= 2 * window:
            r0a, r0b, r1a, r1b, r2a, r2b = b0, b1, b0, b0, b0, b0
        else:
            lo = max(b0, pos - window // 2)
            hi = lo + window
            if hi > b1:
                hi = b1
                lo = b1 - window
            r0a, r0b = lo, hi
            off = np.int64(_mix(np.uint64(seed) * np.uint64(1000003) + np.uint64(i * 131 + h)) % np.uint64(m))
            start = b0 + off
            end = start + window
            if end <= b1:
                r1a, r1b, r2a, r2b = start, end, b0, b0
            else:
                r1a, r1b, r2a, r2b = start, b1, b0, b0 + (end - b1)
        for rep in range(3):
            if rep == 0:
                a0, a1 = r0a, r0b
            elif rep == 1:
                a0, a1 = r1a, r1b
            else:
                a0, a1 = r2a, r2b
            # the age window is visited from the closest birth year outwards, so good partners
            # come first and fewer later ones enter the heap
            center = min(max(pos, a0), a1)
            n_left = center - a0
            n_right = a1 - center
            both = 2 * min(n_left, n_right)
            for bt in range(a0, a1):
                if rep == 0:
                    t = bt - a0
                    if t < both:
                        b = center + t // 2 if t % 2 == 0 else center - 1 - t // 2
                    elif n_right > n_left:
                        b = center + t - n_left
                    else:
                        b = center - 1 - (t - n_right)
                else:
                    b = bt
                j = members[b]
                if seen[j]:
                    continue
                seen[j] = True
                touched[n_touched] = j
                n_touched += 1
                d = abs(by_i - o_by[b])
                if must_age and d >= span:
                    continue
                if has_excl:
                    key = np.int64(i) * nE + j if self_is_newcomer else np.int64(j) * nE + i
                    if is_excluded(excl, key):
                        continue
                c = np.int64(0)
                for w in range(wi):
                    c += np.int64(popcount64(s_int[i, w] & o_int[b, w]))
                s = st_i + o_static[b] + tab_int[min(c, nint)] + tab_age[min(d, nage)]
                fl = o_flags[b]
                both = fl & phys_i  # bit 0: both accept physical meetings
                s += p_muni * (both & np.int64(mu_i == o_muni[b]))
                s += p_post * (both & np.int64(po_i == o_post[b]))
                s += p_fam * ((fl & hc_i) >> 1)
                s += p_avail * np.int64(((fl >> 2) & av_i) != 0)
                filled = _consider(j, s, bp, bs, filled, k)
    return n_touched


@njit(cache=True)
def greedy_assign(order: I64, an: I64, ae: I64, capN: I64, capE: I64) -> Bools:
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
    An: I64,
    Ln: U64,
    In: U64,
    Ae: I64,
    Le: U64,
    Ie: U64,
    P: I64,
    excl: I64,
    hub_ptr: I64,
    hub_list: I64,
    bucket_ptr: I64,
    bucket_members: I64,
    matchN: I64,
    matchE: I64,
    capN: I64,
    capE: I64,
    target: Int,
    max_phases: Int,
) -> Int:
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
                    if not hub_allowed(u, e, An, Ae, P, excl, nE):
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


@njit(cache=True)
def has_allowed(
    idx: I64,
    self_is_newcomer: bool,
    As: I64,
    Ao: I64,
    hub_ptr: I64,
    hub_list: I64,
    bucket_ptr: I64,
    bucket_members: I64,
    P: I64,
    excl: I64,
    nE: Int,
) -> Bools:
    """For each person ``idx[t]``: does any hub partner pass the remaining pair rules?"""
    out = np.zeros(idx.shape[0], dtype=np.bool_)
    for t in range(idx.shape[0]):
        i = idx[t]
        found = False
        for hp in range(hub_ptr[i], hub_ptr[i + 1]):
            h = hub_list[hp]
            for b in range(bucket_ptr[h], bucket_ptr[h + 1]):
                j = bucket_members[b]
                if self_is_newcomer:
                    ok = hub_allowed(i, j, As, Ao, P, excl, nE)
                else:
                    ok = hub_allowed(j, i, Ao, As, P, excl, nE)
                if ok:
                    found = True
                    break
            if found:
                break
        out[t] = found
    return out


@njit(cache=True)
def auction(
    arc_ptr: I64, arc_e: I64, arc_val: I64, capN: I64, capE: I64, eps: Int, max_bids: Int
) -> tuple[I64, Int]:
    """Forward (Gauss-Seidel) auction for a b-matching on candidate arcs, bidders may opt out.

    Newcomers bid (one bidder per capacity unit) for established capacity units ("slots").
    A bidder's profit for a slot is ``arc value - slot price``; staying alone is worth 0, so a
    bidder whose best profit is not positive drops out. Each bid raises the price by the
    difference between the best and second-best profit plus ``eps``, which makes the final
    assignment optimal within ``eps`` per bidder (eps-complementary slackness). Returns the
    established partner of every newcomer capacity unit (-1 = none) as an (nN, max cap) array.
    """
    nN = capN.shape[0]
    nE = capE.shape[0]
    slot_ptr = np.zeros(nE + 1, dtype=np.int64)
    for e in range(nE):
        slot_ptr[e + 1] = slot_ptr[e] + max(capE[e], 0)
    n_slots = slot_ptr[nE]
    slot_e = np.empty(n_slots, dtype=np.int64)
    for e in range(nE):
        for t in range(slot_ptr[e], slot_ptr[e + 1]):
            slot_e[t] = e
    price = np.zeros(n_slots, dtype=np.int64)
    owner = np.full(n_slots, -1, dtype=np.int64)
    bid_ptr = np.zeros(nN + 1, dtype=np.int64)
    for n in range(nN):
        bid_ptr[n + 1] = bid_ptr[n] + max(capN[n], 0)
    n_bidders = bid_ptr[nN]
    bidder_n = np.empty(n_bidders, dtype=np.int64)
    for n in range(nN):
        for b in range(bid_ptr[n], bid_ptr[n + 1]):
            bidder_n[b] = n
    assigned = np.full(n_bidders, -1, dtype=np.int64)
    queue = np.empty(n_bidders + 1, dtype=np.int64)
    qsize = n_bidders + 1
    head = 0
    tail = 0
    for b in range(n_bidders):
        n = bidder_n[b]
        if arc_ptr[n + 1] > arc_ptr[n]:
            queue[tail] = b
            tail += 1
    count = tail
    bids = 0
    while count > 0 and bids < max_bids:
        b = queue[head]
        head += 1
        if head == qsize:
            head = 0
        count -= 1
        n = bidder_n[b]
        multi = bid_ptr[n + 1] - bid_ptr[n] > 1
        best1 = np.int64(-(1 << 62))
        best2 = np.int64(0)
        best_slot = -1
        for a in range(arc_ptr[n], arc_ptr[n + 1]):
            e = arc_e[a]
            if multi:
                clash = False
                for b2 in range(bid_ptr[n], bid_ptr[n + 1]):
                    if b2 != b and assigned[b2] >= 0 and slot_e[assigned[b2]] == e:
                        clash = True
                if clash:
                    continue
            v = arc_val[a]
            for t in range(slot_ptr[e], slot_ptr[e + 1]):
                pr = v - price[t]
                if pr > best1:
                    if best1 > best2:
                        best2 = best1
                    best1 = pr
                    best_slot = t
                elif pr > best2:
                    best2 = pr
        if best_slot < 0 or best1 <= 0:
            continue  # opts out for good: prices never fall
        bids += 1
        price[best_slot] += best1 - best2 + eps
        prev = owner[best_slot]
        owner[best_slot] = b
        assigned[b] = best_slot
        if prev >= 0:
            assigned[prev] = -1
            queue[tail] = prev
            tail += 1
            if tail == qsize:
                tail = 0
            count += 1
    width = 1
    for n in range(nN):
        width = max(width, capN[n])
    match = np.full((nN, width), -1, dtype=np.int64)
    for n in range(nN):
        q = 0
        for b in range(bid_ptr[n], bid_ptr[n + 1]):
            if assigned[b] >= 0:
                match[n, q] = slot_e[assigned[b]]
                q += 1
    return match, bids


@njit(cache=True)
def merge_arcs(bpN: I64, bsN: I64, bpE: I64, bsE: I64, nE: Int) -> tuple[I64, I64, I64]:
    """Union of both sides' top-k lists as arcs grouped by newcomer (CSR), without duplicates.

    Within a newcomer, arcs are sorted by established index (deterministic).
    """
    nN = bpN.shape[0]
    cnt = np.zeros(nN + 1, dtype=np.int64)
    for n in range(nN):
        for q in range(bpN.shape[1]):
            if bpN[n, q] >= 0:
                cnt[n + 1] += 1
    for e in range(bpE.shape[0]):
        for q in range(bpE.shape[1]):
            n = bpE[e, q]
            if n >= 0:
                cnt[n + 1] += 1
    ptr = np.zeros(nN + 1, dtype=np.int64)
    for n in range(nN):
        ptr[n + 1] = ptr[n] + cnt[n + 1]
    fill = ptr[:-1].copy()
    tmp_e = np.empty(ptr[nN], dtype=np.int64)
    tmp_s = np.empty(ptr[nN], dtype=np.int64)
    for n in range(nN):
        for q in range(bpN.shape[1]):
            if bpN[n, q] >= 0:
                tmp_e[fill[n]] = bpN[n, q]
                tmp_s[fill[n]] = bsN[n, q]
                fill[n] += 1
    for e in range(bpE.shape[0]):
        for q in range(bpE.shape[1]):
            n = bpE[e, q]
            if n >= 0:
                tmp_e[fill[n]] = e
                tmp_s[fill[n]] = bsE[e, q]
                fill[n] += 1
    out_ptr = np.zeros(nN + 1, dtype=np.int64)
    out_e = np.empty(ptr[nN], dtype=np.int64)
    out_s = np.empty(ptr[nN], dtype=np.int64)
    k = 0
    for n in range(nN):
        seg_e = tmp_e[ptr[n] : ptr[n + 1]]
        order = np.argsort(seg_e, kind="mergesort")
        last = -1
        for t in range(order.shape[0]):
            e = seg_e[order[t]]
            if e != last:
                out_e[k] = e
                out_s[k] = tmp_s[ptr[n] + order[t]]
                k += 1
                last = e
        out_ptr[n + 1] = k
    return out_ptr, out_e[:k].copy(), out_s[:k].copy()
