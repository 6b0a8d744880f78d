"""Plain data types of the matching engine (no Django, no numpy in the public surface)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from kompis.contract.participants import AVAILABILITY_SLOTS, GENDERS, MEETING_MODES, ROLES
from kompis.matching.engine.english import render_english

__all__ = ["AVAILABILITY_SLOTS", "GENDERS", "MEETING_MODES", "ROLES"]  # the contract's, re-exported

Role = Literal["newcomer", "established"]
Gender = Literal["woman", "man", "nonbinary", "unspecified"]
MeetingMode = Literal["physical", "digital", "either"]


#: Hard-rule codes, used for "why is this person unmatched" answers.
RULE_LANGUAGE = "language"
RULE_MEETING_MODE = "meeting_mode"
RULE_SAME_GENDER = "same_gender"
RULE_FAMILY = "family_match"
RULE_EXCLUDED = "excluded"
RULE_MUST_PREFIX = "must_"
RULE_NO_PARTNERS = "no_partners"
RULE_ALL_TAKEN = "all_compatible_partners_taken"

RULE_ENGLISH: dict[str, str] = {
    RULE_LANGUAGE: "no shared language",
    RULE_MEETING_MODE: "meeting mode / municipality",
    RULE_SAME_GENDER: "same-gender wish",
    RULE_FAMILY: "family match wish",
    RULE_EXCLUDED: "earlier match or staff rejection",
    RULE_NO_PARTNERS: "nobody of the other role",
    RULE_ALL_TAKEN: "all compatible partners taken",
    "must_interests": "must share an interest",
    "must_age": "must be close in age",
    "must_swedish": "established must speak Swedish",
    "must_proximity": "must live in the same municipality",
    "must_family_situation": "must have the same family situation",
    "must_availability": "must share availability",
}


@dataclass(frozen=True, slots=True)
class Participant:
    """One person waiting for a match.

    ``languages`` are ISO 639-1 codes (three-letter codes such as ``prs`` are accepted too),
    ``availability`` values come from :data:`AVAILABILITY_SLOTS`.
    """

    id: str
    role: Role
    birth_year: int
    gender: Gender
    municipality_code: str
    postal_code: str
    languages: tuple[str, ...]
    interests: tuple[str, ...]
    has_children: bool
    wants_family_match: bool
    meeting_mode: MeetingMode
    same_gender_only: bool
    signed_up: dt.date
    capacity: int = 1
    availability: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reason:
    """One structured reason why a pair scores (or a person is unmatched).

    ``code`` is stable and translatable, ``params`` hold the values to fill in and
    ``points`` is the contribution to the pair's score (0 for non-score reasons).
    """

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    points: float = 0.0

    def english(self) -> str:
        """Plain-English rendering, e.g. ``3 shared interests: football, cooking, music``."""
        return render_english(self)


@dataclass(frozen=True, slots=True)
class Pair:
    """A proposed match with its score (0-100 with default weights) and reasons."""

    newcomer_id: str
    established_id: str
    score: float
    reasons: list[Reason]


@dataclass(frozen=True, slots=True)
class Unmatched:
    """An unmatched person and the hard rule that leaves them without a partner.

    ``rule`` is one of the ``RULE_*`` codes (``all_compatible_partners_taken`` when some
    partner is allowed but every allowed partner is at capacity); ``eliminated`` counts how
    many people of the other role that rule rules out.
    """

    id: str
    role: Role
    rule: str
    eliminated: int

    def english(self) -> str:
        text = RULE_ENGLISH.get(self.rule, self.rule)
        if self.rule in (RULE_ALL_TAKEN, RULE_NO_PARTNERS):
            return text
        return f"blocked by: {text} (rules out {self.eliminated} of the other role)"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One allowed partner for a person, as returned by ``candidates_for``."""

    partner_id: str
    score: float
    reasons: list[Reason]
    available: bool


@dataclass(slots=True)
class MatchStats:
    """Aggregate figures of a matching run."""

    pairs: int
    max_pairs_bound: int
    total_score: float
    mean_score: float
    unmatched_newcomers: int
    unmatched_established: int
    blocking_rules: dict[str, int]
    solver: str
    seconds: float
    phase_seconds: dict[str, float]
    candidate_arcs: int = 0


@dataclass(slots=True)
class MatchResult:
    """Output of :func:`kompis.matching.engine.match`."""

    pairs: list[Pair]
    unmatched_newcomers: list[str]
    unmatched_established: list[str]
    unmatched: dict[str, Unmatched]
    stats: MatchStats
