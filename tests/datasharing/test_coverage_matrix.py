"""The coverage matrix's arithmetic, without a database."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from loti.datasharing.coverage.matrix import build

# Agreements 10, 20, 30 over organisations 1..5 (5 shares under none).
MEMBERSHIPS = [(10, 1), (10, 2), (10, 3), (20, 2), (20, 3), (20, 4), (30, 1), (30, 4)]
CATEGORIES = [(10, "personal"), (10, "special"), (20, "personal"), (30, "criminal")]


def test_a_hand_computed_case():
    coverage = build(
        MEMBERSHIPS,
        CATEGORIES,
        organisations=[1, 2, 3, 4, 5],
        category_names=["personal", "special", "criminal"],
    )
    assert coverage.agreements == (10, 20, 30)
    assert coverage.counts().tolist() == [
        [2, 1, 1, 1, 0],
        [1, 2, 2, 1, 0],
        [1, 2, 2, 1, 0],
        [1, 1, 1, 2, 0],
        [0, 0, 0, 0, 0],
    ]
    assert coverage.agreements_of(2, 3) == [10, 20]
    assert coverage.agreements_of(1, 5) == []
    assert coverage.agreements_of(1, 99) == []
    assert coverage.categories_of([10, 20]) == ["personal", "special"]
    assert coverage.partners(1) == [2, 3, 4]
    assert coverage.partners(5) == []
    by_category = coverage.category_counts()
    assert by_category["criminal"][0, 3] == 1 and by_category["criminal"][0, 1] == 0
    assert by_category["special"][1, 2] == 1 and by_category["special"][2, 3] == 0


def test_organisations_default_to_those_sharing_and_others_are_left_out():
    assert build(MEMBERSHIPS).organisations == (1, 2, 3, 4)
    only = build(MEMBERSHIPS, organisations=[4, 1])
    assert only.organisations == (4, 1)
    assert only.counts().tolist() == [[2, 1], [1, 2]]


def test_nobody_sharing_is_an_empty_matrix():
    coverage = build([], organisations=[1, 2])
    assert coverage.counts().tolist() == [[0, 0], [0, 0]]
    assert build([]).counts().shape == (0, 0)


memberships = st.lists(st.tuples(st.integers(1, 12), st.integers(1, 9)), max_size=60)


@given(memberships)
def test_the_matrix_is_symmetric(pairs):
    counts = build(pairs).counts()
    assert np.array_equal(counts, counts.T)


@given(memberships, st.integers(1, 9), st.integers(1, 9))
def test_a_pair_is_covered_iff_some_agreement_holds_both(pairs, a, b):
    coverage = build(pairs, organisations=range(1, 10))
    holding = {agreement for agreement, org in pairs if org == a} & {
        agreement for agreement, org in pairs if org == b
    }
    assert coverage.counts()[a - 1, b - 1] == len(holding)
    assert coverage.agreements_of(a, b) == sorted(holding)
    assert (b in coverage.partners(a)) == (a != b and bool(holding))
