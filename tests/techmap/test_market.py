from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti.techmap.market import (
    BY_CONTRACTS,
    HIGHLY_CONCENTRATED,
    MODERATELY_CONCENTRATED,
    REMAINDER,
    UNCONCENTRATED,
    ContractValue,
    HhiResult,
    SmeShare,
    concentration,
    hhi,
    hhi_by_group,
    sme_share,
    top_suppliers,
)


def cv(vendor, value, *, group="housing", is_sme=None):
    return ContractValue(
        vendor=vendor,
        is_sme=is_sme,
        group=group,
        annual_value=None if value is None else Decimal(value),
    )


# top_suppliers ---------------------------------------------------------------------------


def test_top_suppliers_hand_computed():
    contracts = [
        cv("Civica", 600),
        cv("Civica", 200),
        cv("Capita", 800),  # same value as Civica, fewer contracts
        cv("Northgate", 400),
        cv("Oracle", None),
    ]

    rows = top_suppliers(contracts)

    assert [(r.vendor, r.contracts, r.value) for r in rows] == [
        ("Civica", 2, Decimal(800)),
        ("Capita", 1, Decimal(800)),
        ("Northgate", 1, Decimal(400)),
        ("Oracle", 1, Decimal(0)),
    ]
    assert [r.share_of_contracts for r in rows] == [0.4, 0.2, 0.2, 0.2]
    assert [r.share_of_value for r in rows] == [0.4, 0.4, 0.2, 0.0]
    assert not any(r.is_remainder for r in rows)


def test_ties_on_value_and_count_go_by_name():
    rows = top_suppliers([cv("b", 1), cv("A", 1), cv("c", 1)])

    assert [r.vendor for r in rows] == ["A", "b", "c"]


def test_the_rest_are_gathered_into_one_remainder_row():
    contracts = [cv("Civica", 500), cv("Capita", 300), cv("Oracle", 150), cv("SAP", 50)]

    rows = top_suppliers(contracts, n=2)

    assert [(r.vendor, r.contracts, r.value, r.is_remainder, r.suppliers) for r in rows] == [
        ("Civica", 1, Decimal(500), False, 1),
        ("Capita", 1, Decimal(300), False, 1),
        (REMAINDER, 2, Decimal(200), True, 2),
    ]
    assert rows[-1].share_of_value == 0.2
    assert rows[-1].share_of_contracts == 0.5


def test_no_remainder_when_exactly_n_vendors():
    rows = top_suppliers([cv("Civica", 1), cv("Capita", 2)], n=2)

    assert [r.vendor for r in rows] == ["Capita", "Civica"]


def test_no_values_at_all_gives_zero_value_shares():
    rows = top_suppliers([cv("Civica", None), cv("Capita", None)])

    assert [r.share_of_value for r in rows] == [0.0, 0.0]
    assert top_suppliers([]) == []


def test_negative_n_is_refused():
    with pytest.raises(ValueError):
        top_suppliers([], n=-1)


# hhi -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([Decimal(100)], 10_000.0),
        ([Decimal(50), Decimal(50)], 5_000.0),
        # Shares 50%, 30%, 20%: 2,500 + 900 + 400.
        ([Decimal(500), Decimal(300), Decimal(200)], 3_800.0),
        # Zero-value vendors have no share.
        ([Decimal(1), Decimal(0), Decimal(3)], 6_250.0),
        ([Decimal(10)] * 10, 1_000.0),
        ([], 0.0),
        ([Decimal(0), Decimal(0)], 0.0),
    ],
)
def test_hhi_hand_computed(values, expected):
    assert hhi(values) == expected


def test_hhi_refuses_negative_values():
    with pytest.raises(ValueError):
        hhi([Decimal(5), Decimal(-1)])


@pytest.mark.parametrize(
    ("index", "label"),
    [
        (0, UNCONCENTRATED),
        (999.99, UNCONCENTRATED),
        (1_000, MODERATELY_CONCENTRATED),
        (2_000, MODERATELY_CONCENTRATED),
        (2_000.01, HIGHLY_CONCENTRATED),
        (10_000, HIGHLY_CONCENTRATED),
    ],
)
def test_concentration_thresholds(index, label):
    assert concentration(index) == label


def test_hhi_by_group():
    contracts = [
        cv("Civica", 900, group="housing"),
        cv("Capita", 100, group="housing"),
        cv("Capita", None, group="housing"),
        *(cv(f"Vendor {i}", 10, group="waste") for i in range(20)),
        cv("Civica", None, group="parking"),
        cv("Capita", 300, group="finance"),
        cv("Oracle", 300, group="finance"),
        cv("SAP", 300, group="finance"),
        cv("Unit4", 100, group="finance"),
    ]

    results = hhi_by_group(contracts)

    assert results["housing"] == HhiResult(
        group="housing",
        hhi=8_200.0,  # 90% and 10%
        vendors=2,
        total_value=Decimal(1000),
        concentration=HIGHLY_CONCENTRATED,
    )
    assert results["waste"].hhi == pytest.approx(500.0)
    assert results["waste"].concentration == UNCONCENTRATED
    # 30%, 30%, 30%, 10%: 900 x 3 + 100.
    assert results["finance"].hhi == pytest.approx(2_800.0)
    assert results["parking"] == HhiResult(
        group="parking", hhi=0.0, vendors=1, total_value=Decimal(0), concentration=None
    )
    assert list(results) == ["finance", "housing", "parking", "waste"]


# Shares of contracts, for those who see only published values ---------------------------

# Of four housing contracts only Civica's one is published: its value is every value the
# public can see, so a share of value would make it a monopoly.
PUBLISHED_FEW = [
    cv("Civica", 500),
    cv("Civica", None),
    cv("Civica", None),
    cv("Capita", None),
    cv("Tiny", None, group="waste", is_sme=True),
]


def test_the_few_published_values_would_make_a_monopoly_of_shares_of_value():
    assert hhi_by_group(PUBLISHED_FEW)["housing"].hhi == 10_000.0


def test_concentration_of_contracts_counts_every_contract():
    results = hhi_by_group(PUBLISHED_FEW, by=BY_CONTRACTS)

    assert results["housing"] == HhiResult(
        group="housing",
        hhi=6_250.0,  # 75% and 25% of the contracts
        vendors=2,
        total_value=Decimal(500),
        concentration=HIGHLY_CONCENTRATED,
        by=BY_CONTRACTS,
    )
    # No value is known in waste, but its one contract is: a monopoly of what is there.
    assert results["waste"].hhi == 10_000.0
    assert results["waste"].concentration == HIGHLY_CONCENTRATED


def test_top_suppliers_by_contracts_rank_by_count_then_name():
    rows = top_suppliers(
        [cv("Big", 900), cv("b", None), cv("b", None), cv("A", 1)], by=BY_CONTRACTS
    )

    assert [(r.vendor, r.contracts) for r in rows] == [("b", 2), ("A", 1), ("Big", 1)]
    assert [r.share_of_contracts for r in rows] == [0.5, 0.25, 0.25]


def test_an_unknown_basis_is_refused():
    with pytest.raises(ValueError, match="not 'pounds'"):
        top_suppliers([], by="pounds")
    with pytest.raises(ValueError, match="not 'pounds'"):
        hhi_by_group([], by="pounds")


# sme_share -------------------------------------------------------------------------------


def test_sme_share_hand_computed():
    contracts = [
        cv("Small", 250, is_sme=True),
        cv("Small", None, is_sme=True),
        cv("Big", 750, is_sme=False),
        cv("Mystery", 4000, is_sme=None),
    ]

    assert sme_share(contracts) == SmeShare(
        sme_value=Decimal(250),
        non_sme_value=Decimal(750),
        unknown_value=Decimal(4000),
        share_by_value=0.25,
        sme_contracts=2,
        non_sme_contracts=1,
        unknown_contracts=1,
        share_by_contracts=pytest.approx(2 / 3),
    )


def test_sme_share_is_none_without_known_value():
    assert sme_share([cv("Mystery", 10)]).share_by_value is None
    assert sme_share([cv("Mystery", 10)]).share_by_contracts is None
    assert sme_share([cv("Small", None, is_sme=True)]).share_by_value is None
    # Its size is known though its value is not: it counts by contracts.
    assert sme_share([cv("Small", None, is_sme=True)]).share_by_contracts == 1.0
    assert sme_share([]) == SmeShare(Decimal(0), Decimal(0), Decimal(0), None)


# Properties ------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=10**9, places=2)
positive_money = st.decimals(min_value=Decimal("0.01"), max_value=10**9, places=2)
contract_values = st.lists(
    st.builds(
        ContractValue,
        vendor=st.sampled_from([f"Vendor {i}" for i in range(25)]),
        is_sme=st.sampled_from([True, False, None]),
        group=st.sampled_from(["housing", "waste", "finance"]),
        annual_value=st.one_of(st.none(), money),
    ),
    max_size=60,
)


@given(st.lists(positive_money, min_size=1, max_size=40))
def test_hhi_lies_between_equal_shares_and_monopoly(values):
    k = len(values)
    index = hhi(values)

    # Exact arithmetic rounded once, and rounding is monotonic: no tolerance needed.
    assert 10_000 / k <= index <= 10_000


@given(positive_money, st.integers(1, 50))
def test_hhi_of_equal_vendors_is_ten_thousand_over_k(value, k):
    assert hhi([value] * k) == 10_000 / k


@given(positive_money, st.lists(st.just(Decimal(0)), max_size=5))
def test_a_monopoly_is_ten_thousand(value, nothing):
    assert hhi([value, *nothing]) == 10_000.0


@given(contract_values, st.integers(0, 30))
def test_top_suppliers_conserve_contracts_and_value(contracts, n):
    rows = top_suppliers(contracts, n=n)

    assert sum(r.contracts for r in rows) == len(contracts)
    assert sum(r.value for r in rows) == sum(c.annual_value or 0 for c in contracts)
    assert len([r for r in rows if not r.is_remainder]) == min(
        n, len({c.vendor for c in contracts})
    )
    assert sum(r.suppliers for r in rows) == len({c.vendor for c in contracts})
    assert [r.is_remainder for r in rows].count(True) <= 1
    if contracts:
        assert sum(r.share_of_contracts for r in rows) == pytest.approx(1)
    if any(c.annual_value for c in contracts):
        assert sum(r.share_of_value for r in rows) == pytest.approx(1)
    named = [r for r in rows if not r.is_remainder]
    assert named == sorted(named, key=lambda r: (-r.value, -r.contracts))


@given(contract_values)
def test_sme_values_add_up(contracts):
    result = sme_share(contracts)

    assert result.sme_value + result.non_sme_value + result.unknown_value == sum(
        c.annual_value or 0 for c in contracts
    )
    if result.share_by_value is not None:
        assert 0 <= result.share_by_value <= 1


@given(contract_values)
def test_hhi_by_group_is_hhi_of_each_groups_vendor_totals(contracts):
    results = hhi_by_group(contracts)

    assert set(results) == {c.group for c in contracts}
    for group, result in results.items():
        mine = [c for c in contracts if c.group == group]
        totals = {r.vendor: r.value for r in top_suppliers(mine, n=len(mine))}
        assert result.hhi == hhi(totals.values())
        assert result.vendors == len(totals)
        assert result.total_value == sum(totals.values())
        assert (result.concentration is None) == (result.total_value == 0)


@given(contract_values)
def test_contracts_totalled_per_vendor_and_group_give_the_same_answers(contracts):
    # What the database hands over: one entry per vendor and group, values summed (a sum of
    # none is None, as in SQL) and the contracts counted.
    totals: dict[tuple[str, bool | None, str], list[Decimal | None]] = {}
    for c in contracts:
        totals.setdefault((c.vendor, c.is_sme, c.group), []).append(c.annual_value)
    summed = [
        ContractValue(
            vendor,
            sme,
            group,
            sum((v for v in values if v is not None), Decimal(0))
            if any(v is not None for v in values)
            else None,
            contracts=len(values),
        )
        for (vendor, sme, group), values in totals.items()
    ]

    assert top_suppliers(summed) == top_suppliers(contracts)
    assert hhi_by_group(summed) == hhi_by_group(contracts)
    assert sme_share(summed) == sme_share(contracts)
    assert top_suppliers(summed, by=BY_CONTRACTS) == top_suppliers(contracts, by=BY_CONTRACTS)
    assert hhi_by_group(summed, by=BY_CONTRACTS) == hhi_by_group(contracts, by=BY_CONTRACTS)


@given(contract_values)
def test_concentration_of_contracts_is_hhi_of_each_groups_contract_counts(contracts):
    results = hhi_by_group(contracts, by=BY_CONTRACTS)

    for group, result in results.items():
        mine = [c for c in contracts if c.group == group]
        counts = {r.vendor: r.contracts for r in top_suppliers(mine, n=len(mine))}
        assert result.hhi == hhi(Decimal(n) for n in counts.values())
        assert result.concentration is not None
    ranked = [r for r in top_suppliers(contracts, by=BY_CONTRACTS) if not r.is_remainder]
    assert ranked == sorted(ranked, key=lambda r: -r.contracts)
