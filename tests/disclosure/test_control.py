"""kompis.disclosure on its own (no database): marks, secondary suppression, and a property test that no
hidden cell of a random one- or two-way table with totals can be worked out from what is published."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompis.disclosure import SECONDARY, SMALL, intervals, is_safe, protect
from tests.disclosure.audit import feasible_range

K = 5


def one_way(counts: list[int]) -> tuple[list[int], list[tuple[int, tuple[int, ...]]]]:
    """Categories and their total (last)."""
    return [*counts, sum(counts)], [(len(counts), tuple(range(len(counts))))]


def two_way(rows: list[list[int]]) -> tuple[list[int], list[tuple[int, tuple[int, ...]]]]:
    """Rows of parts with a total column, and a total row: the layout of a Kompis breakdown."""
    width = len(rows[0]) + 1
    values: list[int] = []
    for parts in [*rows, [sum(col) for col in zip(*rows, strict=True)]]:
        values += [*parts, sum(parts)]
    n = len(rows) + 1
    sums = [(r * width + width - 1, tuple(r * width + c for c in range(width - 1))) for r in range(n)]
    sums += [((n - 1) * width + c, tuple(r * width + c for r in range(n - 1))) for c in range(width)]
    return values, sums


def published(values: list[int], status: list[str]) -> list[tuple[str, int | None]]:
    return [(s, None if s else v) for v, s in zip(values, status, strict=True)]


def check(values: list[int], sums: list[tuple[int, tuple[int, ...]]], status: list[str]) -> None:
    under_small = {p for total, parts in sums if 0 < values[total] < K for p in parts}
    for i, (v, s) in enumerate(zip(values, status, strict=True)):
        if 0 < v < K:  # every small count hidden as small
            assert s == SMALL
        elif v == 0:  # a zero is shown, or hidden as a part of a small total
            assert s == "" or (s == SMALL and i in under_small)
        else:  # a secondary mark never hides a zero or a small count
            assert s in ("", SECONDARY)
    pub = published(values, status)
    for i, s in enumerate(status):
        if s:
            lo, hi = feasible_range(pub, sums, K, i)
            assert lo - 1e-6 <= values[i] <= hi + 1e-6
            assert hi - lo >= 1 - 1e-6, (i, values[i], lo, hi, values, status)  # at least two values
    for total, parts in sums:  # a total whose parts are all shown is shown
        if not any(status[p] for p in parts):
            assert not status[total], (total, values, status)


counts = st.one_of(st.integers(0, 6), st.integers(0, 80))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(counts, min_size=1, max_size=12))
def test_one_way_tables_leak_no_hidden_cell(cats):
    values, sums = one_way(cats)
    check(values, sums, protect(values, sums, K))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(2, 3).flatmap(
        lambda w: st.lists(st.lists(counts, min_size=w, max_size=w), min_size=1, max_size=10)
    )
)
def test_two_way_tables_leak_no_hidden_cell(rows):
    values, sums = two_way(rows)
    check(values, sums, protect(values, sums, K))


def test_probe_66_plus_total_cannot_be_worked_out():
    """The probe's age table: the old rule hid the 66+ total (3) and the 18–25 total (25) but showed the
    18–25 newcomers and established, so 25 and then 3 followed by subtraction."""
    rows = [[12, 13], [6, 30], [20, 7], [30, 40], [25, 30], [1, 2]]
    values, sums = two_way(rows)
    old = [""] * len(values)  # what the old rule hid, cell by cell (see the docstring)
    for i in (15, 16, 17, 3, 4, 6, 7, 2):  # 66+ row; 26–35 and 36–45 newcomers and established; 18–25 total
        old[i] = SMALL if 0 < values[i] < K else SECONDARY
    lo, hi = feasible_range(published(values, old), sums, K, 17)
    assert lo == hi == 3  # the leak: exactly 3
    status = protect(values, sums, K)
    check(values, sums, status)
    lo, hi = feasible_range(published(values, status), sums, K, 17)
    assert hi - lo >= 1


def test_two_categories_of_one_protect_each_other_only_with_a_third():
    # 1 + 1 + 40 = 42: with the 40 shown, both ones follow (1 + 1 = 2, each at least 1)
    values, sums = one_way([1, 1, 40])
    assert protect(values, sums, K) == [SMALL, SMALL, SECONDARY, ""]


def test_five_categories_of_one_hide_their_total():
    values, sums = one_way([1, 1, 1, 1, 1])
    assert protect(values, sums, K) == [SMALL] * 5 + [SECONDARY]


def test_a_total_whose_parts_are_shown_stays_shown():
    values, sums = two_way([[20, 30], [40, 50], [3, 60], [44, 70]])
    status = protect(values, sums, K)
    check(values, sums, status)
    assert status[2] == status[5] == status[11] == ""  # rows 1, 2 and 4: their parts are shown
    assert status[-1] == ""  # the grand total


def test_intervals_and_is_safe_agree_with_the_audit():
    values, sums = two_way([[20, 5], [30, 40], [12, 9], [1, 2], [50, 6], [10, 10]])
    status = protect(values, sums, K)
    assert is_safe(values, sums, status, K)
    for i, (lo, hi) in intervals(values, sums, status, K).items():
        assert (lo, hi) == feasible_range(published(values, status), sums, K, i)
    assert not is_safe(values, sums, [SMALL if 0 < v < K else "" for v in values], K)


def test_sums_that_do_not_hold_are_refused():
    import pytest

    with pytest.raises(ValueError):
        protect([1, 2, 4], [(2, (0, 1))], K)
