"""A programme's rules and weights for mentor pairs, and the matching engine's input built from them (pure:
no database, no Django models; the services hand in plain `PairPerson`s).

The engine (`kompis.matching.engine`) scores friend matches on fixed components. A programme's rules are
mapped onto them:

* **field of work** and **shared language** (a language both speak, other than Swedish) use the engine's
  *interests* component: every person gets `k` tokens for their field and `m` tokens for each language
  besides Swedish, with `k : m` the ratio of the two weights and "full at" `k + m` shared tokens. A pair
  in the same field earns the field's weight, a shared language the language's weight (a pair sharing two
  languages besides Swedish earns the language weight twice, within the two weights together).
  "Other" or no field never counts as the same field.
* **same municipality** uses the engine's *proximity* component (60 % for the same municipality, 40 % for
  postal codes within the same 3 digits; only when both can meet in person).
* The musts: *same field* excludes every pair in different fields; *can meet* ("the same municipality
  unless both can meet online") is the engine's own rule on how people meet (off: everyone is treated as
  able to meet either way); *same municipality* requires it even for pairs meeting online.

Every other component of the engine weighs nothing. Scores are scaled so that a pair meeting every
weighed rule scores 100.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from math import gcd
from typing import Any, Literal

from kompis.matching.engine import Component, Participant, Reason, Weights

#: each weight is a whole number in this range
MAX_WEIGHT = 10
#: a language everyone in a Swedish programme is expected to learn: sharing it is no reason of its own
SWEDISH = "sv"
#: fields that never count as "the same field of work"
NO_FIELD = frozenset({"", "other"})


class RulesError(ValueError):
    """Invalid rules; `field` names the rule at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class PairingRules:
    """Stored as JSON on `Programme.pairing_rules` (missing keys take these defaults)."""

    field_weight: int = 5
    language_weight: int = 3
    municipality_weight: int = 2
    must_same_field: bool = False
    #: the same municipality unless both can meet online
    must_can_meet: bool = True
    #: the same municipality even when both can meet online
    must_same_municipality: bool = False

    def __post_init__(self) -> None:
        for name in ("field_weight", "language_weight", "municipality_weight"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_WEIGHT:
                raise RulesError(name, f"a whole number from 0 to {MAX_WEIGHT}")
        for name in ("must_same_field", "must_can_meet", "must_same_municipality"):
            if not isinstance(getattr(self, name), bool):
                raise RulesError(name, "true or false")

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> PairingRules:
        """The stored rules; unknown keys are ignored and invalid rules give the defaults."""
        known = {f.name for f in fields(cls)}
        try:
            return cls(**{k: v for k, v in (data or {}).items() if k in known})
        except (RulesError, TypeError):
            return cls()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def total_weight(self) -> int:
        return self.field_weight + self.language_weight + self.municipality_weight


@dataclass(frozen=True)
class PairPerson:
    """What pairing needs to know of an enrolment (`id`: the enrolment's id, as a string)."""

    id: str
    field: str
    languages: tuple[str, ...]
    municipality_code: str
    postal_code: str
    #: "physical", "digital", "either" or "" (not asked: either)
    meeting_mode: str
    enrolled_on: dt.date
    #: how many more mentees a mentor can take (1 for a mentee)
    places: int = 1


@dataclass(frozen=True)
class EngineInput:
    newcomers: list[Participant]
    established: list[Participant]
    weights: Weights
    exclude: set[tuple[str, str]]


def _tokens(rules: PairingRules) -> tuple[int, int]:
    """Tokens per field and per language (0 when the weight is 0)."""
    f, lang = rules.field_weight, rules.language_weight
    g = gcd(f, lang) or 1
    return f // g, lang // g


def _mode(person: PairPerson, rules: PairingRules) -> Literal["physical", "digital", "either"]:
    if not rules.must_can_meet or person.meeting_mode not in ("physical", "digital"):
        return "either"
    return "physical" if person.meeting_mode == "physical" else "digital"


def _interests(person: PairPerson, rules: PairingRules) -> tuple[str, ...]:
    k, m = _tokens(rules)
    out = [f"field:{person.field}:{i}" for i in range(k)] if person.field not in NO_FIELD else []
    for lang in sorted(set(person.languages) - {SWEDISH}):
        out.extend(f"lang:{lang}:{j}" for j in range(m))
    return tuple(out)


def _engine_person(
    person: PairPerson, role: Literal["newcomer", "established"], rules: PairingRules
) -> Participant:
    return Participant(
        id=person.id,
        role=role,
        birth_year=2000,  # age weighs nothing
        gender="unspecified",
        # no municipality given: a place of one's own (never "the same municipality" as anyone)
        municipality_code=person.municipality_code or f"unknown:{person.id}",
        postal_code=person.postal_code,
        languages=tuple(person.languages),
        interests=_interests(person, rules),
        has_children=False,
        wants_family_match=False,
        meeting_mode=_mode(person, rules),
        same_gender_only=False,
        signed_up=person.enrolled_on,
        capacity=max(0, person.places),
    )


def engine_weights(rules: PairingRules) -> Weights:
    total = rules.total_weight
    scale = 100.0 / total if total else 0.0
    k, m = _tokens(rules)
    zero = Component(0.0)
    return Weights(
        interests=Component((rules.field_weight + rules.language_weight) * scale),
        proximity=Component(rules.municipality_weight * scale, rules.must_same_municipality),
        age=zero,
        waiting=zero,
        swedish=zero,
        family_situation=zero,
        availability=zero,
        interests_full_at=max(1, k + m),
    )


def engine_input(
    rules: PairingRules,
    mentees: Sequence[PairPerson],
    mentors: Sequence[PairPerson],
    *,
    exclude: Iterable[tuple[str, str]] = (),
) -> EngineInput:
    """The engine's input: mentees as newcomers, mentors as established (capacity = places left), the
    weights, and the pairs never to propose (`exclude`, plus different fields under "must: same field")."""
    excluded = set(exclude)
    if rules.must_same_field:
        excluded |= {
            (a.id, b.id) for a in mentees for b in mentors if a.field in NO_FIELD or a.field != b.field
        }
    return EngineInput(
        newcomers=[_engine_person(p, "newcomer", rules) for p in mentees],
        established=[_engine_person(p, "established", rules) for p in mentors if p.places > 0],
        weights=engine_weights(rules),
        exclude=excluded,
    )


def can_meet_online(person: PairPerson) -> bool:
    return person.meeting_mode != "physical"


def pair_reasons(
    rules: PairingRules, mentee: PairPerson, mentor: PairPerson, engine_reasons: Iterable[Reason]
) -> list[dict[str, Any]]:
    """The engine's reasons for a pair in the programme's words, as stored on `MentorPair.reasons`
    ({"code", "params", "points"}): same_field, shared_language, same_municipality, postal_close,
    both_online."""
    by_code = {r.code: r for r in engine_reasons}
    scale = 100.0 / rules.total_weight if rules.total_weight else 0.0
    out: list[dict[str, Any]] = []
    shared_points = by_code["shared_interests"].points if "shared_interests" in by_code else 0.0
    field_points = 0.0
    if mentee.field not in NO_FIELD and mentee.field == mentor.field:
        field_points = round(min(shared_points, rules.field_weight * scale), 2) if rules.field_weight else 0.0
        out.append({"code": "same_field", "params": {"field": mentee.field}, "points": field_points})
    shared = sorted((set(mentee.languages) & set(mentor.languages)) - {SWEDISH})
    if shared:
        points = round(max(0.0, shared_points - field_points), 2)
        out.append({"code": "shared_language", "params": {"items": shared}, "points": points})
    for code in ("same_municipality", "postal_close"):
        if code in by_code:
            r = by_code[code]
            out.append({"code": code, "params": dict(r.params), "points": round(float(r.points), 2)})
    if can_meet_online(mentee) and can_meet_online(mentor) and "same_municipality" not in by_code:
        out.append({"code": "both_online", "params": {}, "points": 0.0})
    return out


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter: 31 Jan + 1 = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")
