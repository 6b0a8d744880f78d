"""Kompis matching engine: pure Python + numpy/numba/OR-Tools, no Django.

Public API::

    from kompis.matching.engine import (
        Participant, Weights, match, candidates_for, explain_pool,
        Pair, Reason, MatchResult, Unmatched, Candidate, PoolReport, Shortage,
    )
    from kompis.matching.engine.csvio import parse_participants, parse_exclusions, write_matches
    from kompis.matching.engine.warmup import warm_up    # compile/load the numba kernels

Hard rules
----------
A pair (newcomer n, established e) is allowed only if: (1) the roles are right; (2) they share
a language; (3) both accept digital meetings, or both accept physical meetings and live in the
same municipality; (4) if either wants a same-gender match, both have the same gender and it
is not ``unspecified``; (5) ``wants_family_match`` is equal; (6) the pair is not in
``exclude``; (7) nobody exceeds its ``capacity``; plus every component marked ``must`` in
:class:`Weights`.

Score
-----
With the weights ``W`` of :class:`Weights` (defaults in brackets, summing to 100) a pair scores
the sum of

* interests ``W_interests [25] * min(shared, interests_full_at [3]) / interests_full_at``;
* age ``W_age [15] * max(0, 1 - |birth year difference| / age_span_years [20])``;
* waiting ``W_waiting [20] / 2 * (min(days_n, cap) + min(days_e, cap)) / cap`` with
  ``cap = waiting_cap_days [365]`` - people who waited long are preferred;
* Swedish practice ``W_swedish [10]`` when the established participant speaks ``sv``;
* proximity, only when both accept physical meetings: ``0.6 * W_proximity [15]`` for the same
  municipality plus ``0.4 * W_proximity`` when the 5-digit postal codes share the first 3 digits;
* family ``W_family_situation [5]`` when both have children;
* availability ``W_availability [10]`` when they share an availability slot.

Every component is rounded to 1/100 point separately, so scores are exact multiples of 0.01 and
all solvers agree on them; each positive component is reported as a :class:`Reason`.

Objective
---------
Lexicographic: the largest number of pairs, then the largest total score. ``solver="exact"`` is
optimal (min-cost max-flow over all allowed arcs); ``"fast"`` reaches the same number of pairs
(augmenting paths over the compatibility index) and nearly the same score; ``"greedy"`` is a
baseline. See :mod:`kompis.matching.engine.solvers`.
"""

from kompis.matching.engine.api import PoolReport, Shortage, candidates_for, explain_pool, match
from kompis.matching.engine.model import (
    Candidate,
    MatchResult,
    MatchStats,
    Pair,
    Participant,
    Reason,
    Unmatched,
)
from kompis.matching.engine.weights import Component, Weights, WeightsError

__all__ = [
    "Candidate",
    "Component",
    "MatchResult",
    "MatchStats",
    "Pair",
    "Participant",
    "PoolReport",
    "Reason",
    "Shortage",
    "Unmatched",
    "Weights",
    "WeightsError",
    "candidates_for",
    "explain_pool",
    "match",
]
