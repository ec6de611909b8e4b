"""Ballots: what each voting method allows, and the vote shares. Pure maths, no database."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti.portfolio.calls.voting import BallotError, check_ballot, vote_shares

COSTS = {1: 80_000, 2: 120_000, 3: 45_000, 4: 30_000}


def check(method, choices, *, points=10, approvals_max=2, budget=200_000):
    check_ballot(
        method=method,
        choices=choices,
        points=points,
        approvals_max=approvals_max,
        costs=COSTS,
        budget=budget,
    )


def test_a_points_ballot_that_spreads_every_point_is_accepted():
    check("points", {1: 6, 2: 0, 3: 4})
    check("points", {4: 10})


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({1: 4, 3: 3}, "Spread all 10 points: you have given 7"),
        ({}, "Spread all 10 points: you have given 0"),
        ({1: 8, 3: 4}, "You can give only 10 points: you have given 12"),
        ({1: 11, 3: -1}, "Points must be 0 or more"),
        ({1: 5.5, 3: 4.5}, "Points must be whole numbers, like 2"),
        ({1: True, 3: 9}, "Points must be whole numbers, like 2"),
        ({1: 5, 9: 5}, "Choose only proposals from this call for ideas"),
    ],
)
def test_a_points_ballot_is_refused_with_a_message_saying_what_to_fix(choices, message):
    with pytest.raises(BallotError) as refused:
        check("points", choices)
    assert str(refused.value) == message


def test_one_point_to_spread_is_singular():
    with pytest.raises(BallotError, match=r"^Spread all 1 point: you have given 0$"):
        check("points", {}, points=1)


def test_an_approval_ballot_may_choose_up_to_the_maximum():
    check("approval", {1: 1, 2: 1})
    check("approval", {1: 1, 2: 0, 3: 0})


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({}, "Choose at least 1 proposal"),
        ({1: 0}, "Choose at least 1 proposal"),
        ({1: 1, 2: 1, 3: 1}, "Choose no more than 2 proposals: you have chosen 3"),
        ({1: 2}, "Choose each proposal no more than once"),
        ({7: 1}, "Choose only proposals from this call for ideas"),
    ],
)
def test_an_approval_ballot_is_refused_with_a_message_saying_what_to_fix(choices, message):
    with pytest.raises(BallotError) as refused:
        check("approval", choices)
    assert str(refused.value) == message


def test_a_basket_must_fit_the_budget():
    check("basket", {1: 1, 2: 1})  # exactly £200,000
    with pytest.raises(BallotError) as refused:
        check("basket", {1: 1, 2: 1, 3: 1})
    assert str(refused.value) == (
        "Your basket costs £245,000: choose proposals that cost £200,000 or less in total"
    )
    with pytest.raises(BallotError, match=r"^Choose at least 1 proposal for your basket$"):
        check("basket", {1: 0})


def test_a_ballot_error_is_a_value_error_and_an_unknown_method_is_a_programming_error():
    assert issubclass(BallotError, ValueError)
    with pytest.raises(ValueError, match="Unknown voting method") as raised:
        check("ranked", {1: 1})
    assert not isinstance(raised.value, BallotError)


@given(st.dictionaries(st.sampled_from(list(COSTS)), st.integers(0, 10)))
def test_a_points_ballot_passes_exactly_when_its_points_add_up_to_the_total(choices):
    given_points = sum(choices.values())
    if given_points == 10:
        check("points", choices)
    else:
        with pytest.raises(BallotError, match=f"you have given {given_points}$"):
            check("points", choices)


@given(st.dictionaries(st.sampled_from([1, 2, 3]), st.integers(-5, -1), min_size=1))
def test_negative_points_are_always_refused(negatives):
    with pytest.raises(BallotError, match=r"^Points must be 0 or more$"):
        # The points still add up to 10, so only the negative ones are wrong.
        check("points", {**negatives, 4: 10 - sum(negatives.values())})


@given(st.sets(st.sampled_from(list(COSTS))), st.integers(1, 4))
def test_an_approval_ballot_passes_exactly_when_it_chooses_1_to_the_maximum(chosen, most):
    choices = dict.fromkeys(chosen, 1)
    if 1 <= len(chosen) <= most:
        check("approval", choices, approvals_max=most)
    else:
        with pytest.raises(BallotError):
            check("approval", choices, approvals_max=most)


@given(st.sets(st.sampled_from(list(COSTS))), st.integers(0, 300_000))
def test_a_basket_passes_exactly_when_it_is_not_empty_and_fits_the_budget(chosen, budget):
    choices = dict.fromkeys(chosen, 1)
    if chosen and sum(COSTS[key] for key in chosen) <= budget:
        check("basket", choices, budget=budget)
    else:
        with pytest.raises(BallotError):
            check("basket", choices, budget=budget)


def test_points_shares_are_each_proposals_part_of_all_points():
    shares = vote_shares(method="points", ballots=[{1: 6, 2: 4}, {1: 2, 3: 8}, {2: 0, 3: 0}])
    assert shares == {1: 0.4, 2: 0.2, 3: 0.4}


def test_approval_and_basket_shares_count_each_time_a_proposal_is_chosen():
    ballots = [{1: 1, 2: 1}, {1: 1}, {1: 1, 3: 1, 4: 0}]
    expected = {1: 0.6, 2: 0.2, 3: 0.2, 4: 0.0}
    assert vote_shares(method="approval", ballots=ballots) == expected
    assert vote_shares(method="basket", ballots=ballots) == expected


def test_no_votes_give_no_shares():
    assert vote_shares(method="points", ballots=[]) == {}
    assert vote_shares(method="approval", ballots=[{1: 0}]) == {1: 0.0}


ballot_lists = st.lists(
    st.dictionaries(st.integers(1, 12), st.integers(0, 10), max_size=6), max_size=12
)


@given(st.sampled_from(["points", "approval", "basket"]), ballot_lists, st.randoms())
def test_vote_shares_add_up_to_1_and_do_not_depend_on_the_order_of_ballots(method, ballots, random):
    shares = vote_shares(method=method, ballots=ballots)
    if any(value > 0 for ballot in ballots for value in ballot.values()):
        assert sum(shares.values()) == pytest.approx(1.0)
    else:
        assert all(share == 0 for share in shares.values())
    assert all(0 <= share <= 1 for share in shares.values())
    shuffled = list(ballots)
    random.shuffle(shuffled)
    assert vote_shares(method=method, ballots=shuffled) == shares
