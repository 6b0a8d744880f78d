"""The pure survey statistics (no database)."""

from __future__ import annotations

import pytest

from kompis.surveystats.change import mean_change, proportion_change
from kompis.surveystats.dropoff import dropoff
from kompis.surveystats.tables import Rate, breakdown, question_table
from kompis.surveystats.weighting import (
    RakingError,
    design_effect,
    effective_n,
    rake,
    weighted_shares,
)


def test_response_rate_94_of_118_is_80_percent() -> None:
    rate = Rate(answered=94, invited=118)
    assert rate.percent == 80  # 94 / 118 = 0.7966
    assert Rate(0, 0).percent is None


def test_question_table_counts_shares_and_n_leave_out_missing_answers() -> None:
    # 27 yes, 73 no of 100 who answered; 3 skipped
    answers = ["yes"] * 27 + ["no"] * 73 + [None, "", []]
    table = question_table(answers, ["yes", "no"])
    assert table.n == 100
    assert [(c.code, c.count, c.percent) for c in table.counts] == [("yes", 27, 27), ("no", 73, 73)]


def test_multiple_choice_counts_a_person_once_per_option_and_shares_can_pass_100() -> None:
    table = question_table([["a", "b"], ["a"], ["a", "a"]], ["a", "b", "c"])
    assert table.n == 3
    assert {c.code: c.count for c in table.counts} == {"a": 3, "b": 1, "c": 0}


def test_scale_mean_and_breakdown() -> None:
    table = question_table([1, 2, "3", 5], ["1", "2", "3", "4", "5"], numeric=True)
    assert table.mean == pytest.approx(11 / 4)
    groups = breakdown([("uppsala", "yes"), ("uppsala", "no"), ("luleå", "yes")], ["yes", "no"])
    assert groups["uppsala"].n == 2 and groups["luleå"].counts[0].count == 1


def test_mean_change_is_the_paired_t_interval() -> None:
    """Differences 1, 2, 3: mean 2, sd 1, se 1/√3, t(0.975, 2) = 4.3027 → 2 ± 2.4842."""
    change = mean_change([(1, 2), (2, 4), (3, 6), (None, 4)])
    assert change.n == 3
    assert change.difference == pytest.approx(2)
    assert change.low == pytest.approx(2 - 2.48414, abs=1e-4)
    assert change.high == pytest.approx(2 + 2.48414, abs=1e-4)


def test_proportion_change_is_the_matched_pairs_wald_interval() -> None:
    """10 pairs: 4 no→yes (b), 1 yes→no (c), 3 yes→yes, 2 no→no. d = (4−1)/10 = 0.3;
    se = √(4 + 1 − 9/10)/10 = √4.1/10 = 0.20248; 95 %: 0.3 ± 1.96·0.20248 = [−0.0969, 0.6969]."""
    pairs = [("no", "yes")] * 4 + [("yes", "no")] + [("yes", "yes")] * 3 + [("no", "no")] * 2
    change = proportion_change(pairs)
    assert change.n == 10
    assert (change.before, change.after) == (pytest.approx(0.4), pytest.approx(0.7))
    assert change.difference == pytest.approx(0.3)
    assert change.low == pytest.approx(-0.0969, abs=1e-3)
    assert change.high == pytest.approx(0.6969, abs=1e-3)


def test_dropoff_counts_who_reached_and_who_stopped_at_each_question() -> None:
    # 10 started: 6 finished, 1 stopped at q1, 3 at the last question q3
    respondents = [("q3", True)] * 6 + [("q1", False)] + [("q3", False)] * 3
    steps = dropoff(["q1", "q2", "q3"], respondents)
    assert [(s.code, s.reached, s.stopped) for s in steps] == [
        ("q1", 10, 1),
        ("q2", 9, 0),
        ("q3", 9, 3),
    ]


def test_raking_matches_the_hand_worked_example() -> None:
    """10 respondents, gender × region: woman-Sweden 3, woman-abroad 3, man-Sweden 2, man-abroad 2
    (sample: women 60 %, born in Sweden 50 %). Population: women 50 %, born in Sweden 70 %.

    Step 1, gender: women × 0.5/0.6 = 5/6, men × 0.5/0.4 = 5/4. Weighted, born in Sweden is now
    3·5/6 + 2·5/4 = 5 of 10 = 50 %.
    Step 2, region: Sweden × 0.7/0.5 = 1.4, abroad × 0.3/0.5 = 0.6. Weights: woman-Sweden 7/6,
    woman-abroad 1/2, man-Sweden 7/4, man-abroad 3/4. Gender still holds (3·7/6 + 3·1/2 = 5 = 2·7/4 + 2·3/4),
    so raking has converged; Σw = 10 = n.
    Σw² = 3·49/36 + 3·1/4 + 2·49/16 + 2·9/16 = 12.0833; Kish deff = 10·12.0833/10² = 1.2083;
    effective n = 10²/12.0833 = 8.276.
    A yes given by the three woman-Sweden respondents only: unweighted 3/10 = 30 %, weighted 3.5/10 = 35 %."""
    gender = ["woman"] * 6 + ["man"] * 4
    region = ["sweden"] * 3 + ["abroad"] * 3 + ["sweden"] * 2 + ["abroad"] * 2
    raked = rake(
        {"gender": gender, "region": region},
        {"gender": {"woman": 50, "man": 50}, "region": {"sweden": 0.7, "abroad": 0.3}},
    )
    assert raked.converged
    expected = [7 / 6] * 3 + [1 / 2] * 3 + [7 / 4] * 2 + [3 / 4] * 2
    assert raked.weights == pytest.approx(expected)
    assert raked.design_effect == pytest.approx(1.20833, abs=1e-4)
    assert raked.effective_n == pytest.approx(8.2759, abs=1e-3)
    job = ["yes"] * 3 + ["no"] * 7
    assert weighted_shares(job)["yes"] == pytest.approx(0.30)
    assert weighted_shares(job, raked.weights)["yes"] == pytest.approx(0.35)


def test_equal_weights_have_no_design_effect() -> None:
    assert design_effect([1, 1, 1]) == pytest.approx(1.0)
    assert effective_n([2, 2]) == pytest.approx(2.0)


def test_raking_refuses_margins_it_cannot_meet() -> None:
    with pytest.raises(RakingError, match="region"):
        rake({"region": ["sweden", "sweden"]}, {"region": {"sweden": 1, "abroad": 1}})
    with pytest.raises(RakingError, match="region"):
        rake({"region": ["mars"]}, {"region": {"sweden": 1}})
