"""Reasons rendering, weights (TOML, must flags), unmatched explanations, candidates_for, explain_pool."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kompis.matching.engine import Reason, Weights, WeightsError, candidates_for, explain_pool, match
from kompis.matching.engine.synth import INTEREST_KEYS, generate
from tests.matching_engine.engine_oracle import TODAY, check_valid, make, py_allowed


def reasons_by_code(pair_reasons: list[Reason]) -> dict[str, Reason]:
    return {r.code: r for r in pair_reasons}


def test_reason_rendering_for_a_pair() -> None:
    n = make(
        "n1", birth_year=1997, municipality_code="0380", postal_code="75220", interests=("football", "cooking", "music"),
        has_children=True, availability=("weekend",), signed_up=TODAY - dt.timedelta(days=212), meeting_mode="physical",
    )  # fmt: skip
    e = make(
        "e1", "established", birth_year=1992, municipality_code="0380", postal_code="75237",
        interests=("music", "football", "cooking", "books"), has_children=True, availability=("weekend", "weekday_evening"),
        signed_up=TODAY - dt.timedelta(days=30),
    )  # fmt: skip
    r = match([n], [e], today=TODAY)
    assert len(r.pairs) == 1
    pair = r.pairs[0]
    texts = [x.english() for x in pair.reasons]
    assert texts == [
        "3 shared interests: cooking, football, music",
        "ages 29 and 34",
        "waiting 212 days",
        "established speaks Swedish",
        "both in Uppsala",
        "postal codes close",
        "both families with children",
        "shared availability: weekend",
    ]
    by = reasons_by_code(pair.reasons)
    assert by["shared_interests"].params == {"count": 3, "items": ["cooking", "football", "music"]}
    assert by["shared_interests"].points == 25.0
    assert by["same_municipality"].params["code"] == "0380"
    assert by["age_close"].points == pytest.approx(15 * (1 - 5 / 20))
    assert pair.score == pytest.approx(sum(x.points for x in pair.reasons))
    assert 0 <= pair.score <= 100


def test_reason_single_interest_and_no_proximity_for_digital() -> None:
    n = make("n1", interests=("fika",), meeting_mode="digital")
    e = make("e1", "established", interests=("fika",), languages=("en",))
    pair = match([n], [e], today=TODAY).pairs[0]
    codes = [x.code for x in pair.reasons]
    assert "same_municipality" not in codes and "swedish_practice" not in codes
    assert pair.reasons[0].english() == "1 shared interest: fika"


def test_weights_defaults_sum_to_100() -> None:
    assert Weights().max_score == 100.0
    assert Weights().musts() == frozenset()


def test_weights_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(
        "age_span_years = 10\n[interests]\nweight = 40\nmust = true\n[proximity]\nmust = true\n[swedish]\nweight = 0\n",
        encoding="utf-8",
    )
    w = Weights.from_toml(path)
    assert w.interests.weight == 40 and w.interests.must
    assert w.proximity.must and w.proximity.weight == 15
    assert w.swedish.weight == 0
    assert w.age_span_years == 10
    assert w.musts() == {"interests", "proximity"}


@pytest.mark.parametrize(
    "data",
    [{"nonsense": 1}, {"interests": {"weight": "a lot"}}, {"waiting": {"must": True}}, {"age": -3},
     {"interests": {"must": "yes"}}, {"age_span_years": 0}, {"age": {"weight": 1, "extra": 2}}],
)  # fmt: skip
def test_bad_weights_rejected(data: dict[str, object]) -> None:
    with pytest.raises(WeightsError):
        Weights.from_mapping(data)


@pytest.mark.parametrize(
    ("component", "n_kw", "e_kw"),
    [
        ("interests", {"interests": ("fika",)}, {"interests": ("music",)}),
        ("age", {"birth_year": 1960}, {"birth_year": 2000}),
        ("swedish", {}, {"languages": ("en",)}),
        ("proximity", {"meeting_mode": "digital"}, {"municipality_code": "1480", "meeting_mode": "digital"}),
        ("family_situation", {"has_children": True}, {"has_children": False}),
        ("availability", {"availability": ("weekend",)}, {"availability": ("weekday_daytime",)}),
    ],
)
def test_must_flags_become_hard_rules(
    component: str, n_kw: dict[str, object], e_kw: dict[str, object]
) -> None:
    n = make("n1", **n_kw)
    e = make("e1", "established", **e_kw)
    assert len(match([n], [e], today=TODAY).pairs) == 1  # allowed as a mere preference
    w = Weights.from_mapping({component: {"must": True}})
    for solver in ("fast", "exact", "greedy"):
        r = match([n], [e], weights=w, solver=solver, today=TODAY)  # type: ignore[arg-type]
        assert r.pairs == []
        assert r.unmatched["n1"].rule == f"must_{component}"
        assert r.unmatched["e1"].rule == f"must_{component}"


def test_must_interest_on_synthetic_data() -> None:
    people = generate(300, 300, seed=21, today=TODAY)
    newcomers = [p for p in people if p.role == "newcomer"]
    established = [p for p in people if p.role == "established"]
    w = Weights.from_mapping({"interests": {"must": True, "weight": 30}, "proximity": {"must": True}})
    r = match(newcomers, established, weights=w, today=TODAY)
    check_valid(r, newcomers, established, w)
    assert r.pairs and all(p.reasons[0].code == "shared_interests" for p in r.pairs)


def test_unmatched_blocking_rules() -> None:
    newcomers = [
        make("n_lang", languages=("ti",)),
        make("n_mode", meeting_mode="physical", municipality_code="2580"),
        make("n_gender", same_gender_only=True, gender="man"),
        make("n_family", wants_family_match=True),
        make("n_taken"),
    ]
    established = [make("e1", "established", gender="woman")]
    r = match(newcomers, established, solver="exact", today=TODAY)
    assert len(r.pairs) == 1
    rules = {pid: u.rule for pid, u in r.unmatched.items()}
    assert rules["n_lang"] == "language"
    assert rules["n_mode"] == "meeting_mode"
    assert rules["n_gender"] == "same_gender"
    assert rules["n_family"] == "family_match"
    winner = r.pairs[0].newcomer_id
    assert rules.get("n_taken", "all_compatible_partners_taken") == "all_compatible_partners_taken"
    assert winner not in rules
    assert r.unmatched["n_lang"].eliminated == 1
    assert "no shared language" in r.unmatched["n_lang"].english()
    assert r.stats.blocking_rules["language"] == 1


def test_unmatched_reason_counts_the_biggest_eliminator() -> None:
    # two established: one fails language only, the other fails language and mode -> language wins
    n = make("n1", languages=("so",), meeting_mode="physical", municipality_code="0180")
    es = [
        make("e1", "established", meeting_mode="physical", municipality_code="0180"),
        make("e2", "established", meeting_mode="physical", municipality_code="1480"),
    ]
    u = match([n], es, today=TODAY).unmatched["n1"]
    assert (u.rule, u.eliminated) == ("language", 2)


def test_candidates_for_ranks_allowed_partners() -> None:
    people = generate(80, 80, seed=3, today=TODAY)
    newcomers = [p for p in people if p.role == "newcomer"]
    established = [p for p in people if p.role == "established"]
    target = next(n for n in newcomers if sum(py_allowed(n, e, Weights()) for e in established) >= 5)
    cands = candidates_for(target.id, newcomers, established, limit=500, today=TODAY)
    assert cands, "expected some allowed partners"
    expected = {e.id for e in established if py_allowed(target, e, Weights())}
    assert {c.partner_id for c in cands} == expected
    scores = [c.score for c in cands]
    assert scores == sorted(scores, reverse=True)
    exclude = {(target.id, cands[0].partner_id)}
    again = candidates_for(target.id, newcomers, established, exclude=exclude, limit=3, today=TODAY)
    assert len(again) <= 3 and cands[0].partner_id not in {c.partner_id for c in again}
    # from the established side, with "taken" capacity
    e = established[0]
    ec = candidates_for(e.id, newcomers, established, taken={newcomers[1].id: 1}, limit=500, today=TODAY)
    assert {c.partner_id for c in ec} == {n.id for n in newcomers if py_allowed(n, e, Weights())}
    for c in ec:
        assert c.available == (c.partner_id != newcomers[1].id)
    with pytest.raises(KeyError):
        candidates_for("nobody", newcomers, established, today=TODAY)


def test_explain_pool_reports_shortages() -> None:
    newcomers = [
        make(f"n{i}", languages=("ar",), meeting_mode="physical", municipality_code="2580") for i in range(6)
    ] + [make("nd", languages=("uk",), meeting_mode="digital")]
    established = [
        make(f"e{i}", "established", languages=("sv", "ar"), meeting_mode="either", municipality_code="2580")
        for i in range(2)
    ]
    report = explain_pool(newcomers, established, today=TODAY)
    lulea = next(s for s in report.shortages if s.language == "ar")
    assert (lulea.role, lulea.mode, lulea.municipality_code, lulea.waiting, lulea.compatible, lulea.free) == (
        "newcomer", "physical", "2580", 4, 2, 0,
    )  # fmt: skip
    assert lulea.english() == (
        "4 Arabic-speaking newcomers in Luleå want to meet physically; 2 compatible established (0 still free)"
    )
    assert report.unmatched["nd"].rule == "language"
    assert report.blocking_rules["all_compatible_partners_taken"] == 4
    assert report.english()[0] == lulea.english()


def test_interest_vocabulary_exported() -> None:
    assert len(INTEREST_KEYS) == 25 and "fika" in INTEREST_KEYS and "board_games" in INTEREST_KEYS
