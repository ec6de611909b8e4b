"""Survey statistics: hand-computed examples and properties, with no database."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti.evaluation.surveys import stats as survey_stats
from loti.evaluation.surveys.stats import (
    choice_distribution,
    net_agreement,
    percent,
    share,
    signed_percent,
    summarise_likert,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        # Worked by hand: p = 0.8, z² = 3.8415; centre = (0.8 + 0.19207) / 1.38415 = 0.71673,
        # half-width = 1.96 · √(0.016 + 0.0096037) / 1.38415 = 0.22658.
        (8, 10, 0.490, 0.943),
        (0, 10, 0.000, 0.278),
        (10, 10, 0.722, 1.000),
        (50, 100, 0.404, 0.596),
        (1, 1, 0.207, 1.000),
    ],
)
def test_wilson_interval_matches_hand_computed_values(k, n, low, high):
    got_low, got_high = wilson_interval(k, n)
    assert got_low == pytest.approx(low, abs=5e-4)
    assert got_high == pytest.approx(high, abs=5e-4)


def test_with_no_answers_the_interval_is_everything():
    assert wilson_interval(0, 0) == (0.0, 1.0)


@pytest.mark.parametrize(("k", "n"), [(-1, 5), (6, 5), (0, -1)])
def test_impossible_counts_are_refused(k, n):
    with pytest.raises(ValueError, match="0 <= k <= n"):
        wilson_interval(k, n)


counts = st.integers(min_value=0, max_value=2000)


@given(st.data())
def test_the_interval_lies_within_zero_and_one_and_contains_the_share(data):
    n = data.draw(st.integers(min_value=1, max_value=5000))
    k = data.draw(st.integers(min_value=0, max_value=n))
    low, high = wilson_interval(k, n)
    assert 0.0 <= low <= k / n + 1e-12
    assert k / n - 1e-12 <= high <= 1.0
    assert low < high


@given(
    st.fractions(min_value=0, max_value=1, max_denominator=20),
    st.integers(min_value=1, max_value=50),
)
def test_the_interval_narrows_as_the_base_grows_at_the_same_share(p, scale):
    base = p.denominator * scale
    k = p.numerator * scale
    low, high = wilson_interval(k, base)
    wider_low, wider_high = wilson_interval(k * 4, base * 4)
    assert wider_high - wider_low < high - low


def test_net_agreement_leaves_out_dont_know():
    # 5 agree + 3 strongly agree − 1 disagree − 1 strongly disagree = 6, over the 10 with a
    # view; the 2 "don't know" are not in the base.
    result = net_agreement(
        {"strongly_agree": 3, "agree": 5, "disagree": 1, "strongly_disagree": 1, "dont_know": 2}
    )
    assert result == pytest.approx(0.6)


def test_net_agreement_with_no_views_is_zero():
    assert net_agreement({"dont_know": 4}) == 0.0


@given(st.lists(counts, min_size=6, max_size=6))
def test_net_agreement_lies_between_minus_one_and_one(values):
    result = net_agreement(dict(zip(survey_stats.LIKERT_SCALE, values, strict=True)))
    assert -1.0 <= result <= 1.0


def test_a_likert_summary_counts_every_point_and_takes_shares_of_those_with_a_view():
    summary = summarise_likert(
        {"strongly_agree": 3, "agree": 5, "neither": 2, "disagree": 1, "dont_know": 4}
    )
    assert summary.counts["strongly_disagree"] == 0
    assert summary.n == 11
    assert summary.answers == 15
    assert summary.agree == 8
    assert summary.disagree == 1
    assert summary.agree_share == pytest.approx(8 / 11)
    assert (summary.low, summary.high) == wilson_interval(8, 11)
    assert summary.net_agreement == pytest.approx(7 / 11)
    assert summary.share_of_base("neither") == pytest.approx(2 / 11)
    assert summary.share_of_base("dont_know") == pytest.approx(4 / 15)
    assert summary.agree_text == "73%"
    assert summary.net_text == "+64%"


def test_a_summary_refuses_answers_off_the_scale():
    with pytest.raises(ValueError, match="not points of the scale"):
        summarise_likert({"very_much": 3})


@given(st.lists(counts, min_size=6, max_size=6))
def test_the_five_points_shares_add_up_to_one_when_anyone_gave_a_view(values):
    summary = summarise_likert(dict(zip(survey_stats.LIKERT_SCALE, values, strict=True)))
    total = sum(summary.share_of_base(value) for value in survey_stats.LIKERT_SCALE[:5])
    assert math.isclose(total, 1.0) if summary.n else total == 0.0


def test_choice_shares_are_of_the_respondents_who_answered():
    result = choice_distribution([("Workshops", 6), ("Webinars", 4)], base=8)
    assert [(c.label, c.count, c.share) for c in result] == [
        ("Workshops", 6, 0.75),
        ("Webinars", 4, 0.5),
    ]


def test_shares_and_their_wording():
    assert share(3, 0) == 0.0
    assert percent(0.4567) == "46%"
    assert signed_percent(0.123) == "+12%"
    assert signed_percent(-0.123) == "−12%"
    assert signed_percent(0.004) == "0%"
