"""Kompis matching engine: pure Python + numpy/numba, no Django.

Public API::

    from kompis.matching.engine import Participant, Weights, match, candidates_for, explain_pool

See :mod:`kompis.matching.engine.scoring` for the score formula and
:mod:`kompis.matching.engine.solvers` for the solvers.
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
