"""Shared helpers for the matching-engine tests: an independent rule/score oracle and strategies."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from hypothesis import strategies as st

from kompis.matching.engine import MatchResult, Participant, Weights

TODAY = dt.date(2026, 1, 1)


def make(pid: str, role: str = "newcomer", **kw: Any) -> Participant:
    """A participant with sensible defaults (Stockholm, Swedish + English, either mode)."""
    base: dict[str, Any] = dict(
        id=pid,
        role=role,
        birth_year=1990,
        gender="woman",
        municipality_code="0180",
        postal_code="11122",
        languages=("sv", "en"),
        interests=("fika",),
        has_children=False,
        wants_family_match=False,
        meeting_mode="either",
        same_gender_only=False,
        signed_up=dt.date(2025, 6, 1),
        capacity=1,
        availability=(),
    )
    base.update(kw)
    return Participant(**base)


# ---------------------------------------------------------------- independent oracle


def py_allowed(n: Participant, e: Participant, w: Weights, exclude: Iterable[tuple[str, str]] = ()) -> bool:
    """The hard rules, written independently of the engine."""
    if n.role != "newcomer" or e.role != "established":
        return False
    if not set(n.languages) & set(e.languages):
        return False
    both_digital = n.meeting_mode in ("digital", "either") and e.meeting_mode in ("digital", "either")
    both_physical = n.meeting_mode in ("physical", "either") and e.meeting_mode in ("physical", "either")
    if not (both_digital or (both_physical and n.municipality_code == e.municipality_code)):
        return False
    if (n.same_gender_only or e.same_gender_only) and (n.gender != e.gender or n.gender == "unspecified"):
        return False
    if n.wants_family_match != e.wants_family_match:
        return False
    if (n.id, e.id) in set(exclude):
        return False
    if w.interests.must and not set(n.interests) & set(e.interests):
        return False
    if w.age.must and abs(n.birth_year - e.birth_year) >= w.age_span_years:
        return False
    if w.swedish.must and "sv" not in e.languages:
        return False
    if w.proximity.must and n.municipality_code != e.municipality_code:
        return False
    if w.family_situation.must and n.has_children != e.has_children:
        return False
    return not (w.availability.must and not set(n.availability) & set(e.availability))


def py_score_cp(n: Participant, e: Participant, w: Weights, today: dt.date = TODAY) -> int:
    """The documented score formula, in centipoints (each component rounded separately)."""
    shared = len(set(n.interests) & set(e.interests))
    s = round(w.interests.weight * min(shared, w.interests_full_at) / w.interests_full_at * 100)
    d = abs(n.birth_year - e.birth_year)
    s += round(w.age.weight * max(0.0, 1 - d / w.age_span_years) * 100)
    for p in (n, e):
        days = max(0, (today - p.signed_up).days)
        s += round(w.waiting.weight / 2 * 100 * min(days, w.waiting_cap_days) / w.waiting_cap_days)
    if "sv" in e.languages:
        s += round(w.swedish.weight * 100)
    if n.meeting_mode != "digital" and e.meeting_mode != "digital":
        if n.municipality_code == e.municipality_code:
            s += round(w.proximity.weight * 0.6 * 100)
        if len(n.postal_code) == 5 and n.postal_code[:3] == e.postal_code[:3]:
            s += round(w.proximity.weight * 0.4 * 100)
    if n.has_children and e.has_children:
        s += round(w.family_situation.weight * 100)
    if set(n.availability) & set(e.availability):
        s += round(w.availability.weight * 100)
    return s


def check_valid(
    result: MatchResult,
    newcomers: Sequence[Participant],
    established: Sequence[Participant],
    weights: Weights,
    exclude: Iterable[tuple[str, str]] = (),
    today: dt.date = TODAY,
) -> int:
    """Assert every pair obeys the hard rules, capacities and the score formula; returns total cp."""
    exclude = set(exclude)
    people = {p.id: p for p in (*newcomers, *established)}
    used: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    total = 0
    for pair in result.pairs:
        n, e = people[pair.newcomer_id], people[pair.established_id]
        assert py_allowed(n, e, weights, exclude), pair
        key = (n.id, e.id)
        assert key not in seen, f"duplicate pair {key}"
        seen.add(key)
        used[n.id] += 1
        used[e.id] += 1
        cpts = py_score_cp(n, e, weights, today)
        assert round(pair.score * 100) == cpts, (pair, cpts)
        assert abs(sum(r.points for r in pair.reasons) - pair.score) < 1e-6
        total += cpts
    for pid, k in used.items():
        assert k <= people[pid].capacity, pid
    matched = set(used)
    assert set(result.unmatched_newcomers) == {
        p.id for p in newcomers if p.id not in matched and p.capacity > 0
    }
    assert set(result.unmatched_established) == {
        p.id for p in established if p.id not in matched and p.capacity > 0
    }
    return total


# ---------------------------------------------------------------- strategies


@st.composite
def participant(draw: st.DrawFn, role: str, idx: int, small: bool = True) -> Participant:
    langs = ["sv", "en", "ar"] if small else ["sv", "en", "ar", "fa", "so"]
    ints = ["fika", "music", "football", "books"]
    return Participant(
        id=f"{role[0]}{idx}",
        role=role,  # type: ignore[arg-type]
        birth_year=draw(st.integers(1945, 2007)),
        gender=draw(st.sampled_from(["woman", "man", "nonbinary", "unspecified"])),
        municipality_code=draw(st.sampled_from(["0180", "1480", "0380"])),
        postal_code=draw(st.sampled_from(["11122", "11145", "41101", "75220"])),
        languages=tuple(draw(st.lists(st.sampled_from(langs), min_size=1, max_size=2, unique=True))),
        interests=tuple(draw(st.lists(st.sampled_from(ints), max_size=3, unique=True))),
        has_children=draw(st.booleans()),
        wants_family_match=draw(st.integers(0, 3).map(lambda x: x == 0)),
        meeting_mode=draw(st.sampled_from(["physical", "digital", "either"])),
        same_gender_only=draw(st.integers(0, 4).map(lambda x: x == 0)),
        signed_up=TODAY - dt.timedelta(days=draw(st.integers(0, 800))),
        capacity=draw(st.sampled_from([1, 1, 1, 2, 0])),
        availability=tuple(
            draw(
                st.lists(
                    st.sampled_from(["weekday_daytime", "weekday_evening", "weekend"]),
                    max_size=2,
                    unique=True,
                )
            )
        ),
    )


@st.composite
def instance(
    draw: st.DrawFn, max_n: int = 8, max_e: int = 8, small: bool = True
) -> tuple[list[Participant], list[Participant], set[tuple[str, str]]]:
    nn = draw(st.integers(0, max_n))
    ne = draw(st.integers(0, max_e))
    newcomers = [draw(participant("newcomer", i, small)) for i in range(nn)]
    established = [draw(participant("established", i, small)) for i in range(ne)]
    exclude: set[tuple[str, str]] = set()
    if newcomers and established:
        k = draw(st.integers(0, 3))
        for _ in range(k):
            exclude.add((draw(st.sampled_from(newcomers)).id, draw(st.sampled_from(established)).id))
    return newcomers, established, exclude


weights_st = st.builds(
    lambda flags: Weights.from_mapping({name: {"must": flag} for name, flag in flags.items() if flag}),
    st.fixed_dictionaries(
        {
            name: st.sampled_from([False, False, True])
            for name in ("interests", "age", "swedish", "proximity", "family_situation", "availability")
        }
    ),
)
