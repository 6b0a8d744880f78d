"""Suppression in the report table model: which mark a hidden cell carries, that no hidden cell can be worked
out from a published table (property test on what the table displays), linked figures, and charts."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompis.reports.charts import bar_values, grouped_bars
from kompis.reports.suppression import (
    PERCENT,
    SECONDARY_MARK,
    TARGET,
    Cell,
    Column,
    Row,
    Table,
    suppress,
    suppress_tables,
)
from kompis.reports.tidy import facts
from tests.disclosure.audit import feasible_range
from tests.reports.test_suppression import role_table

K = 5


def published(table: Table) -> tuple[list[tuple[str, int | None]], list[tuple[int, list[int]]], dict]:
    """What a reader has: each count cell as displayed, and the sums a reader sees in the table's layout."""
    index: dict[tuple[str, str], int] = {}
    pub: list[tuple[str, int | None]] = []
    for r in table.rows:
        for c, cell in r.cells.items():
            shown = cell.display(K)
            index[(r.key, c)] = len(pub)
            if shown == f"<{K}":
                pub.append(("small", None))
            elif shown == SECONDARY_MARK:
                pub.append(("secondary", None))
            else:
                pub.append(("", int(shown.replace("\xa0", "").replace(",", "").replace("\u202f", ""))))
    sums = []
    parts = [c.key for c in table.columns if not c.is_total]
    totals = [c.key for c in table.columns if c.is_total]
    for r in table.rows:
        for t in totals:
            sums.append((index[(r.key, t)], [index[(r.key, p)] for p in parts]))
    body = [r for r in table.rows if not r.is_total]
    for total_row in (r for r in table.rows if r.is_total):
        for c in table.columns:
            sums.append((index[(total_row.key, c.key)], [index[(r.key, c.key)] for r in body]))
    return pub, sums, index


def assert_nothing_derivable(table: Table) -> None:
    pub, sums, index = published(table)
    for (row, col), i in index.items():
        if pub[i][0]:
            lo, hi = feasible_range(pub, sums, K, i)
            value = table.cell(row, col).value
            assert lo - 1e-6 <= value <= hi + 1e-6
            assert hi - lo >= 1 - 1e-6, (row, col, value, lo, hi)


def test_probe_arabic_newcomers_hidden_only_to_protect_are_not_marked_small():
    """35 Arabic-speaking newcomers beside 2 established (languages: no total row) were printed "<5"."""
    t = suppress(role_table({"ar": (35, 2), "sv": (40, 30)}, additive=False), k=K)
    assert t.cell("ar", "established").display(K) == "<5"
    assert t.cell("ar", "newcomer").display(K) == SECONDARY_MARK  # not "<5": it is 35
    assert t.cell("ar", "total").display(K) == "37"  # totals stay exact where they can
    reasons = {(f.category, f.role): f.as_row()[-1] for f in facts([t])}
    assert reasons[("ar", "newcomer")] == "secondary" and reasons[("ar", "established")] == "small"
    assert reasons[("sv", "newcomer")] == ""
    assert_nothing_derivable(t)


def probe_age_table() -> Table:
    rows = {
        "18-25": (12, 13),
        "26-35": (6, 30),
        "36-45": (20, 7),
        "46-55": (30, 40),
        "56-65": (25, 30),
        "66+": (1, 2),
    }
    return suppress(role_table(rows), k=K)


def test_probe_66_plus_total_cannot_be_worked_out():
    """The old rule hid the 18–25 total (25, printed "<5") beside its shown parts 12 and 13, so 25 and then the
    66+ total (3) followed from the column total."""
    t = probe_age_table()
    assert t.cell("66+", "total").display(K) == "<5"
    assert t.cell("18-25", "total").display(K) in ("25", SECONDARY_MARK)
    pub, sums, index = published(t)
    lo, hi = feasible_range(pub, sums, K, index[("66+", "total")])
    assert hi - lo >= 1
    assert_nothing_derivable(t)


def test_a_total_whose_parts_are_shown_is_shown():
    t = probe_age_table()
    for r in t.rows:
        if not r.cells["newcomer"].suppressed and not r.cells["established"].suppressed:
            assert not r.cells["total"].suppressed, r.key
    for col in ("newcomer", "established", "total"):
        if not any(r.cells[col].suppressed for r in t.rows if not r.is_total):
            assert not t.cell("total", col).suppressed, col


counts = st.one_of(st.integers(0, 6), st.integers(0, 60))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from([f"c{i}" for i in range(9)]), st.tuples(counts, counts), min_size=1))
def test_random_two_way_tables_as_displayed_leak_no_hidden_cell(rows):
    assert_nothing_derivable(suppress(role_table(rows), k=K))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(counts, min_size=1, max_size=10))
def test_random_one_way_tables_as_displayed_leak_no_hidden_cell(values):
    rows = [Row(f"c{i}", f"c{i}", {"n": Cell(v)}) for i, v in enumerate(values)]
    rows.append(Row("total", "Total", {"n": Cell(sum(values))}, is_total=True))
    t = suppress(Table("one", "one", "d", [Column("n", "n")], rows, additive=True), k=K)
    assert_nothing_derivable(t)


def test_matches_made_is_individual_plus_family():
    rows = [
        Row(key, key, {"n": Cell(v)})
        for key, v in (("matches_made", 30), ("individual_matches", 28), ("family_matches", 2))
    ]
    sums = [("n", "matches_made", ["individual_matches", "family_matches"])]
    t = suppress(Table("matches", "m", "d", [Column("n", "n")], rows, extra={"sums": sums}), k=K)
    assert t.cell("family_matches", "n").display(K) == "<5"
    assert t.cell("individual_matches", "n").display(K) == SECONDARY_MARK  # else 30 − 28 = 2
    assert t.cell("matches_made", "n").display(K) == "30"


def test_a_figure_in_two_tables_is_hidden_in_both_and_its_percentage_with_it():
    summary = role_table({"signups": (40, 3)}, additive=False)
    for c in ("newcomer", "established", "total"):
        summary.rows[0].cells[c].ref = f"signups:{c}"

    def target(key: str, target: int, actual: int) -> Row:
        return Row(
            f"p:{key}",
            key,
            {
                "target": Cell(target, TARGET),
                "actual": Cell(actual, ref=f"signups:{key}"),
                "percent": Cell(actual / target * 100, PERCENT, base=actual, follows="actual"),
            },
        )

    targets = Table(
        "targets",
        "t",
        "d",
        [Column("target", "T"), Column("actual", "A"), Column("percent", "%")],
        [target("newcomer", 50, 40), target("total", 60, 43)],
    )
    s, t = suppress_tables([summary, targets], k=K)
    # 43 − 40 would give the 3 away: one of them is hidden, alike in both tables, with its percentage
    # (80 % of a target of 50 is 40)
    for key in ("newcomer", "total"):
        hidden = s.cell("signups", key).suppressed
        assert t.cell(f"p:{key}", "actual").suppressed == hidden
        assert t.cell(f"p:{key}", "percent").suppressed == hidden
        if hidden:
            assert t.cell(f"p:{key}", "percent").display(K) == SECONDARY_MARK
    assert s.cell("signups", "newcomer").suppressed or s.cell("signups", "total").suppressed
    assert s.cell("signups", "established").display(K) == "<5"


def test_a_chart_draws_no_bar_for_a_hidden_value():
    series = [("newcomer", "Newcomers"), ("established", "Established")]
    shown = suppress(role_table({"a": (20, 30), "b": (40, 50), "c": (60, 70)}), k=K)
    hidden = suppress(role_table({"a": (20, 30), "b": (3, 50), "c": (60, 70)}), k=K)
    body = [r for r in hidden.rows if not r.is_total]
    for key, _label in series:
        assert bar_values(body, key) == [
            None if r.cells[key].suppressed else r.cells[key].value for r in body
        ]
    n_hidden = sum(r.cells[key].suppressed for r in body for key, _label in series)
    assert n_hidden >= 2 and None in bar_values(body, "newcomer")  # 3 small, another hidden to protect it

    def bars(svg: str) -> int:
        return len(re.findall(r'<g id="patch_\d+"', svg))

    svg_shown, svg_hidden = grouped_bars(shown, series, K), grouped_bars(hidden, series, K)
    assert bars(svg_shown) - bars(svg_hidden) == n_hidden  # bars left out, not drawn with length 0
    assert "&lt;5" in svg_hidden and SECONDARY_MARK in svg_hidden


def test_a_chart_with_every_value_hidden_is_not_drawn():
    t = suppress(role_table({"a": (1, 2), "b": (3, 1)}), k=K)
    assert grouped_bars(t, [("newcomer", "N"), ("established", "E")], K) == ""
