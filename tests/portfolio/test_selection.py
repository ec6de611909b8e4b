"""The portfolio selection: exact choice, the greedy rule, the reasons for leaving a proposal
out and the combined score. Pure maths, no database."""

import itertools
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loti.portfolio.calls import selection
from loti.portfolio.calls.selection import (
    Candidate,
    choose,
    combined_scores,
    greedy,
    rejection_reasons,
)


def brute_force(candidates, budget, capacity):
    """The best total over every subset, counted with numpy: (total, cost, chunks) rows of
    every subset that fits, and the best total among them."""
    count = len(candidates)
    masks = (np.arange(2**count)[:, None] >> np.arange(count)) & 1
    values = np.array([c.value for c in candidates], dtype=float)
    costs = np.array([c.cost for c in candidates], dtype=np.int64)
    chunks = np.array([c.chunks for c in candidates], dtype=np.int64)
    fits = (masks @ costs <= budget) & (masks @ chunks <= capacity)
    return float((masks @ values)[fits].max())


def fits(choice, candidates, budget, capacity):
    members = [c for c in candidates if c.key in choice.chosen]
    return (
        sum(c.cost for c in members) == choice.cost <= budget
        and sum(c.chunks for c in members) == choice.chunks <= capacity
    )


values = st.one_of(
    st.floats(min_value=0, max_value=1, allow_nan=False),
    # Multiples of a quarter, as criteria-only scores are: many sets tie.
    st.integers(min_value=0, max_value=4).map(lambda quarters: quarters / 4),
)
costs = st.one_of(
    st.integers(min_value=0, max_value=20), st.integers(min_value=0, max_value=5_000_000)
)


@st.composite
def instances(draw, max_size=18):
    size = draw(st.integers(min_value=0, max_value=max_size))
    keys = draw(st.lists(st.integers(1, 10_000), min_size=size, max_size=size, unique=True))
    candidates = [
        Candidate(key=key, value=draw(values), cost=draw(costs), chunks=draw(st.integers(0, 8)))
        for key in keys
    ]
    budget = draw(st.integers(min_value=0, max_value=sum(c.cost for c in candidates) + 1))
    capacity = draw(st.integers(min_value=0, max_value=sum(c.chunks for c in candidates) + 1))
    return candidates, budget, capacity


# Hand-computed: budget £200,000, 24 chunks. The greedy rule skips F (too dear even alone),
# takes A (0.9) and B (0.8), £190,000, skips C and D, and takes E (£10,000): total 1.9.
# The best set leaves A out: B, C, D and E cost exactly £200,000 and score 2.3. (With A in,
# £80,000 is left, and B and E are the most it buys: 1.9.)
EXAMPLE = [
    Candidate(key=1, value=0.9, cost=120_000, chunks=6),  # A
    Candidate(key=2, value=0.8, cost=70_000, chunks=4),  # B
    Candidate(key=3, value=0.7, cost=60_000, chunks=4),  # C
    Candidate(key=4, value=0.6, cost=60_000, chunks=4),  # D
    Candidate(key=5, value=0.2, cost=10_000, chunks=1),  # E
    Candidate(key=6, value=0.95, cost=250_000, chunks=2),  # F
]


def test_choose_finds_the_best_set_where_the_greedy_rule_does_not():
    best = choose(EXAMPLE, budget=200_000, capacity=24)
    assert best.chosen == {2, 3, 4, 5}
    assert best.total == pytest.approx(2.3)
    assert (best.cost, best.chunks) == (200_000, 13)
    assert best.optimal and best.gap == 0


def test_greedy_takes_the_highest_first_and_skips_what_no_longer_fits():
    rule = greedy(EXAMPLE, budget=200_000, capacity=24)
    assert rule.chosen == {1, 2, 5}
    assert rule.total == pytest.approx(1.9)
    assert (rule.cost, rule.chunks) == (200_000, 11)
    # Its gap is measured against the linear relaxation, which is at least 2.3.
    assert not rule.optimal and rule.gap >= (2.3 - 1.9) / 2.3 - 1e-9


def test_greedy_breaks_equal_values_by_lower_cost_then_lower_key():
    candidates = [
        Candidate(key=3, value=0.5, cost=60, chunks=1),
        Candidate(key=2, value=0.5, cost=50, chunks=1),
        Candidate(key=1, value=0.5, cost=50, chunks=1),
    ]
    assert greedy(candidates, budget=100, capacity=5).chosen == {1, 2}
    assert greedy(candidates, budget=55, capacity=5).chosen == {1}


def test_the_capacity_in_chunks_binds_as_well_as_the_budget():
    candidates = [
        Candidate(key=1, value=0.9, cost=10, chunks=5),
        Candidate(key=2, value=0.6, cost=10, chunks=3),
        Candidate(key=3, value=0.5, cost=10, chunks=3),
    ]
    # Plenty of money, 6 chunks: 2 and 3 (1.1) beat 1 alone (0.9).
    assert choose(candidates, budget=1_000, capacity=6).chosen == {2, 3}
    assert greedy(candidates, budget=1_000, capacity=6).chosen == {1}


def test_among_equal_totals_the_cheaper_set_is_chosen():
    # {1} and {2, 3} both score 0.5; {2, 3} costs £40 less.
    candidates = [
        Candidate(key=1, value=0.5, cost=100, chunks=1),
        Candidate(key=2, value=0.25, cost=30, chunks=1),
        Candidate(key=3, value=0.25, cost=30, chunks=1),
    ]
    best = choose(candidates, budget=100, capacity=10)
    assert best.chosen == {2, 3} and best.cost == 60


def test_among_equal_totals_and_costs_the_lower_keys_are_chosen():
    candidates = [Candidate(key=key, value=0.5, cost=100, chunks=1) for key in (4, 2, 3)]
    assert choose(candidates, budget=200, capacity=10).chosen == {2, 3}


def test_the_same_candidates_in_any_order_give_the_same_set():
    twins = [Candidate(key=key, value=0.5, cost=100, chunks=2) for key in (9, 4, 7, 1, 5)]
    first = choose(twins, budget=300, capacity=100)
    assert first.chosen == {1, 4, 5}
    for order in itertools.islice(itertools.permutations(twins), 0, 120, 7):
        assert choose(list(order), budget=300, capacity=100) == first


def test_nothing_fits_gives_an_empty_proven_choice():
    candidates = [Candidate(key=1, value=1.0, cost=500, chunks=1)]
    empty = choose(candidates, budget=100, capacity=5)
    assert empty.chosen == frozenset() and empty.total == 0 and empty.optimal
    assert choose([], budget=100, capacity=5).chosen == frozenset()


def test_bad_candidates_are_refused():
    with pytest.raises(ValueError, match="different key"):
        choose([Candidate(1, 0.5, 1, 1), Candidate(1, 0.2, 1, 1)], budget=5, capacity=5)
    with pytest.raises(ValueError, match="outside 0 to 1"):
        choose([Candidate(1, 1.5, 1, 1)], budget=5, capacity=5)
    with pytest.raises(ValueError, match="negative"):
        greedy([Candidate(1, 0.5, -1, 1)], budget=5, capacity=5)


def test_a_solver_answer_that_overruns_the_budget_is_repaired_and_not_called_optimal(
    monkeypatch,
):
    # The solver accepts a row a tolerance over its bound: x = 0.9999995 on a £2,000,000
    # proposal calls to 1 and overruns the budget by a pound.
    candidates = [
        Candidate(key=1, value=0.9, cost=2_000_000, chunks=1),
        Candidate(key=2, value=0.5, cost=1, chunks=1),
        Candidate(key=3, value=0.1, cost=1, chunks=1),
    ]
    answer = SimpleNamespace(x=np.array([0.9999995, 1.0, 1.0]), status=0, mip_gap=0.0)
    monkeypatch.setattr(selection, "milp", lambda **kwargs: answer)
    repaired = choose(candidates, budget=2_000_001, capacity=5)
    assert repaired.chosen == {1, 2}
    assert repaired.cost == 2_000_001
    assert not repaired.optimal and repaired.gap > 0


def test_a_time_limit_reports_the_best_set_found_and_its_gap(monkeypatch):
    answer = SimpleNamespace(x=np.array([1.0, 0.0]), status=1, mip_gap=0.25)
    monkeypatch.setattr(selection, "milp", lambda **kwargs: answer)
    found = choose([Candidate(1, 0.6, 10, 1), Candidate(2, 0.5, 10, 1)], budget=10, capacity=5)
    assert found.chosen == {1}
    assert found.gap == 0.25 and not found.optimal


@settings(max_examples=150, deadline=None)
@given(instances())
def test_choose_equals_brute_force_and_never_loses_to_greedy(instance):
    candidates, budget, capacity = instance
    best = choose(candidates, budget=budget, capacity=capacity)
    assert best.optimal and best.gap == 0
    assert fits(best, candidates, budget, capacity)
    assert best.total == pytest.approx(brute_force(candidates, budget, capacity), abs=1e-9)
    rule = greedy(candidates, budget=budget, capacity=capacity)
    assert fits(rule, candidates, budget, capacity)
    assert best.total >= rule.total


@settings(max_examples=40, deadline=None)
@given(instances(max_size=10), st.randoms(use_true_random=False))
def test_choose_does_not_depend_on_the_order_of_the_candidates(instance, random):
    candidates, budget, capacity = instance
    shuffled = list(candidates)
    random.shuffle(shuffled)
    assert choose(shuffled, budget=budget, capacity=capacity) == choose(
        candidates, budget=budget, capacity=capacity
    )


def test_large_costs_stay_within_the_budget_to_the_pound():
    candidates = [
        Candidate(key=key, value=(key % 7) / 7, cost=999_999 + key * 1_000_003, chunks=key % 5)
        for key in range(1, 41)
    ]
    budget = sum(c.cost for c in candidates) // 3
    best = choose(candidates, budget=budget, capacity=40)
    assert fits(best, candidates, budget, 40) and best.optimal


def test_combined_scores_weigh_the_normalised_vote_share_against_the_criteria():
    combined = combined_scores(
        vote_shares={1: 0.5, 2: 0.25, 3: 0.25},
        criteria_scores={1: 3.0, 2: 5.0, 4: 1.0},
        vote_weight=0.4,
    )
    # 1: votes 0.5/0.5 = 1, criteria (3-1)/4 = 0.5 -> 0.4 + 0.3 = 0.7
    # 2: votes 0.5, criteria 1 -> 0.2 + 0.6 = 0.8
    # 3: votes 0.5, no scores -> 0.2
    # 4: no votes, criteria 0 -> 0
    assert combined == pytest.approx({1: 0.7, 2: 0.8, 3: 0.2, 4: 0.0})


def test_combined_scores_with_no_votes_at_all_use_the_criteria_alone():
    combined = combined_scores(vote_shares={}, criteria_scores={1: 4.0, 2: 2.0}, vote_weight=0.0)
    assert combined == {1: 0.75, 2: 0.25}
    with pytest.raises(ValueError, match="between 0 and 1"):
        combined_scores(vote_shares={}, criteria_scores={}, vote_weight=1.5)


@given(
    st.dictionaries(st.integers(1, 30), st.floats(0, 1), max_size=10),
    st.dictionaries(st.integers(1, 30), st.floats(1, 5), max_size=10),
    st.floats(0, 1),
)
def test_combined_scores_lie_between_0_and_1(shares, scores, weight):
    combined = combined_scores(vote_shares=shares, criteria_scores=scores, vote_weight=weight)
    assert set(combined) == set(shares) | set(scores)
    assert all(-1e-12 <= value <= 1 + 1e-12 for value in combined.values())


NAMES = {1: "Open data portal", 2: "Cyber training", 3: "Shared parking", 4: "Smart bins"}


def test_a_proposal_too_big_even_alone_says_so_with_the_numbers():
    reasons = rejection_reasons(EXAMPLE, {2, 3, 4, 5}, budget=200_000, capacity=24)
    assert reasons[6] == (
        "It does not fit even alone: its cost of £250,000 is more than the whole budget "
        "of £200,000."
    )
    too_long = [Candidate(key=1, value=0.5, cost=1_000, chunks=30)]
    assert rejection_reasons(too_long, set(), budget=200_000, capacity=24)[1] == (
        "It does not fit even alone: it needs 30 chunks, more than the whole capacity of 24 chunks."
    )


def test_a_proposal_that_does_not_fit_beside_the_chosen_set_names_the_trade_off():
    reasons = rejection_reasons(EXAMPLE, {2, 3, 4, 5}, budget=200_000, capacity=24, names=NAMES)
    # Nothing is left. Making room for A (£120,000) means dropping C and D (1.3), B and C
    # (1.5), B and D (1.4) or more: C and D are the least loss.
    assert reasons[1] == (
        "Its cost of £120,000 would take the chosen set over the £200,000 budget (£0 is "
        "left). The least the chosen set could give up to make room for it is “Shared "
        "parking” and “Smart bins”, which score 1.300 against its 0.900, so the total would "
        "fall by 0.400."
    )
    assert set(reasons) == {1, 6}


def test_a_proposal_short_of_chunks_says_how_many_remain():
    candidates = [
        Candidate(key=1, value=0.9, cost=10, chunks=22),
        Candidate(key=2, value=0.3, cost=10, chunks=4),
    ]
    reason = rejection_reasons(candidates, {1}, budget=1_000, capacity=24)[2]
    assert reason == (
        "It needs 4 chunks; only 2 of 24 remain. The least the chosen set could give up to "
        "make room for it is proposal 1, which scores 0.900 against its 0.300, so the total "
        "would fall by 0.600."
    )


def test_a_proposal_short_of_both_money_and_chunks_says_both():
    candidates = [
        Candidate(key=1, value=0.9, cost=90, chunks=24),
        Candidate(key=2, value=0.3, cost=20, chunks=1),
    ]
    reason = rejection_reasons(candidates, {1}, budget=100, capacity=24)[2]
    assert reason.startswith(
        "Its cost of £20 would take the chosen set over the £100 budget (£10 is left). "
        "It needs 1 chunk; none of 24 remain. The least"
    )


def test_a_trade_off_the_solver_cannot_settle_is_not_called_the_least(monkeypatch):
    candidates = [
        Candidate(key=1, value=0.2, cost=50, chunks=1),
        Candidate(key=2, value=0.4, cost=50, chunks=1),
        Candidate(key=3, value=0.9, cost=40, chunks=1),
    ]
    # The solver says "drop nothing", which frees nothing: the lowest scorer is dropped.
    answer = SimpleNamespace(x=np.zeros(2), status=0, mip_gap=0.0)
    monkeypatch.setattr(selection, "milp", lambda **kwargs: answer)
    reason = rejection_reasons(candidates, {1, 2}, budget=100, capacity=5)[3]
    assert reason == (
        "Its cost of £40 would take the chosen set over the £100 budget (£0 is left). Making "
        "room for it would mean giving up proposal 1, which scores 0.200 against its 0.900, "
        "so the total would rise by 0.700."
    )


def test_an_override_that_leaves_room_is_described_honestly():
    # Staff chose only E: the others fit beside it and would add to the total.
    reasons = rejection_reasons(EXAMPLE, {5}, budget=200_000, capacity=24)
    assert reasons[3] == (
        "It fits in what is left (£190,000 and 23 chunks) and would raise the total by 0.700."
    )
    zero = [Candidate(key=1, value=0.0, cost=10, chunks=1)]
    assert rejection_reasons(zero, set(), budget=100, capacity=2)[1] == (
        "It fits in what is left (£100 and 2 chunks), but its score of 0 would not raise the total."
    )


def test_a_swap_that_would_raise_the_total_is_reported_as_a_rise():
    candidates = [
        Candidate(key=1, value=0.2, cost=100, chunks=1),
        Candidate(key=2, value=0.9, cost=100, chunks=1),
    ]
    reason = rejection_reasons(candidates, {1}, budget=100, capacity=5)[2]
    assert reason.endswith(
        "is proposal 1, which scores 0.200 against its 0.900, so the total would rise by 0.700."
    )


@settings(max_examples=60, deadline=None)
@given(instances(max_size=10))
def test_every_rejected_proposal_gets_one_reason_of_the_right_kind(instance):
    candidates, budget, capacity = instance
    best = choose(candidates, budget=budget, capacity=capacity)
    reasons = rejection_reasons(candidates, best.chosen, budget=budget, capacity=capacity)
    assert set(reasons) == {c.key for c in candidates} - best.chosen
    for candidate in candidates:
        if candidate.key in best.chosen:
            continue
        reason = reasons[candidate.key]
        if candidate.cost > budget or candidate.chunks > capacity:
            assert reason.startswith("It does not fit even alone: ")
        elif candidate.value > 2**-30 and reason.startswith("It fits in what is left"):
            pytest.fail(f"the best set left out a proposal that fits beside it: {reason}")
        elif not reason.startswith("It fits in what is left"):
            # The best set never gains from the cheapest swap.
            assert "so the total would rise" not in reason
