"""The programme's pairing rules and the engine input built from them (pure: no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from kompis.matching.engine import match
from kompis.programmes.pairing import (
    PairingRules,
    PairPerson,
    RulesError,
    add_months,
    engine_input,
    pair_reasons,
)

DAY = dt.date(2026, 3, 1)


def person(pid, field="it", languages=("uk", "en"), muni="0380", mode="either", places=1, postal="75320"):
    return PairPerson(pid, field, tuple(languages), muni, postal, mode, DAY, places)


def run(rules, mentees, mentors):
    data = engine_input(rules, mentees, mentors)
    result = match(data.newcomers, data.established, weights=data.weights, exclude=data.exclude, today=DAY)
    return {(p.newcomer_id, p.established_id): p for p in result.pairs}, result


def test_rules_round_trip_and_bad_stored_rules_give_defaults():
    rules = PairingRules(field_weight=7, language_weight=0, must_same_field=True)
    assert PairingRules.from_json(rules.to_json()) == rules
    assert PairingRules.from_json({"field_weight": 99}) == PairingRules()
    assert PairingRules.from_json({"field_weight": 4, "unknown": 1}).field_weight == 4
    with pytest.raises(RulesError) as err:
        PairingRules(language_weight=-1)
    assert err.value.field == "language_weight"


def test_field_of_work_weighs_more_than_language_when_the_rules_say_so():
    mentees = [person("n1", field="health", languages=("uk", "sv"))]
    nurse = person("m1", field="health", languages=("sv",))
    ukrainian = person("m2", field="it", languages=("sv", "uk"))
    pairs, _ = run(PairingRules(field_weight=8, language_weight=2), mentees, [nurse, ukrainian])
    assert list(pairs) == [("n1", "m1")]
    pairs, _ = run(PairingRules(field_weight=2, language_weight=8), mentees, [nurse, ukrainian])
    assert list(pairs) == [("n1", "m2")]


def test_scores_reach_100_and_reasons_name_field_language_and_municipality():
    rules = PairingRules(field_weight=5, language_weight=3, municipality_weight=2)
    mentee, mentor = person("n1"), person("m1", languages=("sv", "en"), postal="75321")
    pairs, _ = run(rules, [mentee], [mentor])
    pair = pairs[("n1", "m1")]
    assert pair.score == 100
    reasons = {r["code"]: r for r in pair_reasons(rules, mentee, mentor, pair.reasons)}
    assert reasons["same_field"]["points"] == 50
    assert reasons["shared_language"] == {
        "code": "shared_language",
        "params": {"items": ["en"]},
        "points": 30,
    }
    assert reasons["same_municipality"]["params"]["code"] == "0380"
    assert "both_online" not in reasons


def test_must_same_field_rules_out_other_fields_and_other():
    rules = PairingRules(must_same_field=True)
    pairs, result = run(
        rules,
        [person("n1", field="it"), person("n2", field="other")],
        [person("m1", field="health", places=2), person("m2", field="other")],
    )
    assert pairs == {}
    assert set(result.unmatched_newcomers) == {"n1", "n2"}


def test_can_meet_rule_lets_online_pairs_cross_municipalities_and_can_be_switched_off():
    mentee = person("n1", muni="0380", mode="physical")
    mentor = person("m1", muni="2580", mode="either")
    assert run(PairingRules(), [mentee], [mentor])[0] == {}
    assert list(run(PairingRules(must_can_meet=False), [mentee], [mentor])[0]) == [("n1", "m1")]
    online = person("n2", muni="0380", mode="digital")
    rules = PairingRules()
    pairs, _ = run(rules, [online], [mentor])
    codes = [r["code"] for r in pair_reasons(rules, online, mentor, pairs[("n2", "m1")].reasons)]
    assert "both_online" in codes
    assert run(PairingRules(must_same_municipality=True), [online], [mentor])[0] == {}


def test_a_mentor_takes_as_many_mentees_as_places_and_a_full_mentor_none():
    mentees = [person("n1"), person("n2"), person("n3")]
    pairs, result = run(PairingRules(), mentees, [person("m1", places=2), person("m2", places=0)])
    assert len(pairs) == 2 and all(m == "m1" for _, m in pairs)
    assert len(result.unmatched_newcomers) == 1


def test_people_without_a_municipality_are_never_in_the_same_one():
    mentee, mentor = person("n1", muni="", mode="physical"), person("m1", muni="", mode="either")
    assert run(PairingRules(), [mentee], [mentor])[0] == {}
    online = person("n2", muni="", mode="digital")
    pairs, _ = run(PairingRules(), [online], [mentor])
    codes = [r["code"] for r in pair_reasons(PairingRules(), online, mentor, pairs[("n2", "m1")].reasons)]
    assert "same_municipality" not in codes and "both_online" in codes


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 9, 15), 6) == dt.date(2027, 3, 15)
