"""Hard rules, capacities, optimality against brute force, fast-vs-exact quality, determinism."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompis.matching.engine import Participant, Weights, match
from kompis.matching.engine.synth import generate
from tests.matching_engine.engine_oracle import (
    TODAY,
    check_valid,
    instance,
    make,
    py_allowed,
    py_score_cp,
    weights_st,
)

SOLVERS = ("fast", "exact", "greedy")


def brute_force(
    newcomers: list[Participant], established: list[Participant], w: Weights, exclude: set[tuple[str, str]]
) -> tuple[int, int]:
    """Best (pair count, total centipoints) by enumerating every subset of allowed pairs."""
    arcs = [
        (n, e, py_score_cp(n, e, w)) for n in newcomers for e in established if py_allowed(n, e, w, exclude)
    ]
    best = (0, 0)

    def rec(i: int, used: dict[str, int], count: int, total: int) -> None:
        nonlocal best
        if (count, total) > best:
            best = (count, total)
        if i == len(arcs):
            return
        n, e, s = arcs[i]
        if used.get(n.id, 0) < n.capacity and used.get(e.id, 0) < e.capacity:
            used[n.id] = used.get(n.id, 0) + 1
            used[e.id] = used.get(e.id, 0) + 1
            rec(i + 1, used, count + 1, total + s)
            used[n.id] -= 1
            used[e.id] -= 1
        rec(i + 1, used, count, total)

    rec(0, {}, 0, 0)
    return best


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=instance(max_n=7, max_e=7), weights=weights_st, solver=st.sampled_from(SOLVERS))
def test_no_output_breaks_a_hard_rule_or_capacity(data, weights, solver):  # type: ignore[no-untyped-def]
    newcomers, established, exclude = data
    result = match(newcomers, established, weights=weights, exclude=exclude, solver=solver, today=TODAY)
    check_valid(result, newcomers, established, weights, exclude)
    assert result.stats.pairs == len(result.pairs)
    # every unmatched person gets an explanation, consistent with the oracle
    assert set(result.unmatched) == set(result.unmatched_newcomers) | set(result.unmatched_established)
    for pid, info in result.unmatched.items():
        if info.role == "newcomer":
            me = next(p for p in newcomers if p.id == pid)
            has_partner = any(py_allowed(me, e, weights, exclude) for e in established if e.capacity > 0)
        else:
            me = next(p for p in established if p.id == pid)
            has_partner = any(py_allowed(n, me, weights, exclude) for n in newcomers if n.capacity > 0)
        assert (info.rule == "all_compatible_partners_taken") == has_partner, (pid, info)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=instance(max_n=4, max_e=4), weights=weights_st)
def test_exact_agrees_with_brute_force(data, weights):  # type: ignore[no-untyped-def]
    newcomers, established, exclude = data
    result = match(newcomers, established, weights=weights, exclude=exclude, solver="exact", today=TODAY)
    total = check_valid(result, newcomers, established, weights, exclude)
    assert (len(result.pairs), total) == brute_force(newcomers, established, weights, exclude)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=instance(max_n=6, max_e=6), weights=weights_st)
def test_fast_reaches_maximum_count_on_small_instances(data, weights):  # type: ignore[no-untyped-def]
    newcomers, established, exclude = data
    exact = match(newcomers, established, weights=weights, exclude=exclude, solver="exact", today=TODAY)
    fast = match(newcomers, established, weights=weights, exclude=exclude, solver="fast", today=TODAY)
    assert len(fast.pairs) == len(exact.pairs)
    assert fast.stats.total_score <= exact.stats.total_score + 1e-6
    # the group max-flow bound is an upper bound, exact without exclusions / age rule / duplicates
    bound = fast.stats.max_pairs_bound
    assert bound >= len(exact.pairs)
    simple_caps = all(p.capacity <= 1 for p in newcomers) or all(p.capacity <= 1 for p in established)
    if not exclude and not weights.age.must and simple_caps:
        assert bound == len(exact.pairs)


def test_exact_prefers_more_pairs_over_higher_score() -> None:
    # n1 could take the great partner e1, but then n2 (who only fits e1) stays alone.
    n1 = make("n1", interests=("fika", "music", "books"))
    n2 = make("n2", languages=("ar",), interests=())
    e1 = make("e1", "established", languages=("sv", "en", "ar"), interests=("fika", "music", "books"))
    e2 = make("e2", "established", interests=(), birth_year=1950)
    for solver in ("exact", "fast"):
        r = match([n1, n2], [e1, e2], solver=solver, today=TODAY)  # type: ignore[arg-type]
        assert {(p.newcomer_id, p.established_id) for p in r.pairs} == {("n1", "e2"), ("n2", "e1")}
    greedy = match([n1, n2], [e1, e2], solver="greedy", today=TODAY)
    assert {(p.newcomer_id, p.established_id) for p in greedy.pairs} == {("n1", "e1")}


def test_capacity_two_is_used_and_not_exceeded() -> None:
    newcomers = [make(f"n{i}") for i in range(3)]
    established = [make("e1", "established", capacity=2)]
    for solver in ("exact", "fast", "greedy"):
        r = match(newcomers, established, solver=solver, today=TODAY)  # type: ignore[arg-type]
        assert len(r.pairs) == 2
        assert len(r.unmatched_newcomers) == 1
        assert r.unmatched[r.unmatched_newcomers[0]].rule == "all_compatible_partners_taken"


def _split(people: list[Participant]) -> tuple[list[Participant], list[Participant]]:
    return [p for p in people if p.role == "newcomer"], [p for p in people if p.role == "established"]


@pytest.mark.parametrize(("n", "m", "seed"), [(300, 300, 1), (600, 450, 2), (1000, 1000, 3)])
def test_fast_matches_exact_count_and_nearly_its_score(n: int, m: int, seed: int) -> None:
    newcomers, established = _split(generate(n, m, seed=seed, today=TODAY))
    exclude = {(newcomers[i].id, established[(7 * i) % m].id) for i in range(0, n, 5)}
    exact = match(newcomers, established, exclude=exclude, solver="exact", today=TODAY)
    fast = match(newcomers, established, exclude=exclude, solver="fast", today=TODAY)
    greedy = match(newcomers, established, exclude=exclude, solver="greedy", today=TODAY)
    w = Weights()
    total_exact = check_valid(exact, newcomers, established, w, exclude)
    total_fast = check_valid(fast, newcomers, established, w, exclude)
    check_valid(greedy, newcomers, established, w, exclude)
    assert len(fast.pairs) == len(exact.pairs)
    assert fast.stats.max_pairs_bound >= len(exact.pairs)
    assert total_fast <= total_exact
    assert total_fast >= 0.995 * total_exact
    # the baseline is a real comparison point: never more pairs than the optimum
    assert len(greedy.pairs) <= len(exact.pairs)


def test_fast_with_must_rules_keeps_maximum_count() -> None:
    newcomers, established = _split(generate(400, 400, seed=9, today=TODAY))
    w = Weights.from_mapping(
        {"interests": {"must": True}, "age": {"must": True}, "availability": {"must": True}}
    )
    exact = match(newcomers, established, weights=w, solver="exact", today=TODAY)
    fast = match(newcomers, established, weights=w, solver="fast", today=TODAY)
    check_valid(fast, newcomers, established, w)
    assert len(fast.pairs) == len(exact.pairs) > 0
    assert fast.stats.total_score >= 0.995 * exact.stats.total_score


@pytest.mark.parametrize("solver", SOLVERS)
def test_deterministic(solver: str) -> None:
    people = generate(250, 200, seed=5, today=TODAY)
    newcomers, established = _split(people)
    a = match(newcomers, established, solver=solver, seed=7, today=TODAY)  # type: ignore[arg-type]
    b = match(list(newcomers), list(established), solver=solver, seed=7, today=TODAY)  # type: ignore[arg-type]
    assert [(p.newcomer_id, p.established_id, p.score) for p in a.pairs] == [
        (p.newcomer_id, p.established_id, p.score) for p in b.pairs
    ]
    assert a.unmatched == b.unmatched


def test_pairs_sorted_and_roles_validated() -> None:
    newcomers, established = _split(generate(60, 60, seed=4, today=TODAY))
    r = match(newcomers, established, today=TODAY)
    keys = [(p.newcomer_id, p.established_id) for p in r.pairs]
    assert keys == sorted(keys)
    with pytest.raises(ValueError, match="role"):
        match(established, newcomers, today=TODAY)
    with pytest.raises(ValueError, match="duplicate"):
        match([make("x")], [make("x", "established")], today=TODAY)
    with pytest.raises(ValueError, match="solver"):
        match(newcomers, established, solver="magic", today=TODAY)  # type: ignore[arg-type]


def test_exclusions_are_respected_even_when_they_cost_pairs() -> None:
    n = [make("n1"), make("n2")]
    e = [make("e1", "established"), make("e2", "established")]
    exclude = {("n1", "e1"), ("n1", "e2")}
    for solver in SOLVERS:
        r = match(n, e, exclude=exclude, solver=solver, today=TODAY)  # type: ignore[arg-type]
        assert len(r.pairs) == 1
        assert all(p.newcomer_id == "n2" for p in r.pairs)
        assert r.unmatched["n1"].rule == "excluded"


def test_large_digital_pool_pairs_everyone() -> None:
    """Everyone digital and sharing a language: a perfect matching must be found."""
    people = [
        make(f"n{i:04d}", meeting_mode="digital", municipality_code=code, birth_year=1950 + i % 50)
        for i, code in zip(range(800), itertools.cycle(["0180", "1480", "1280", "0380"]), strict=False)
    ] + [
        make(
            f"e{i:04d}",
            "established",
            meeting_mode="either",
            municipality_code="2580",
            birth_year=1960 + i % 40,
        )
        for i in range(800)
    ]
    newcomers, established = _split(people)
    r = match(newcomers, established, solver="fast", today=TODAY)
    assert len(r.pairs) == 800
    assert not r.unmatched


def test_progress_callback_and_warm_up() -> None:
    from kompis.matching.engine.warmup import warm_up

    warm_up()
    newcomers, established = _split(generate(50, 50, seed=2, today=TODAY))
    calls: list[tuple[str, int, int]] = []
    match(newcomers, established, today=TODAY, progress=lambda *a: calls.append(a))
    assert [c[0] for c in calls] == ["index", "bound", "candidates", "assign", "repair"]
    assert calls[-1][1] == calls[-1][2]
