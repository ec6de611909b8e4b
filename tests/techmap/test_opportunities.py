import datetime
import itertools
import random
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loti.techmap.opportunities import (
    Names,
    Opportunity,
    add_months,
    find_in_groups,
    shares_most,
)
from tests.techmap.contract_ends import ContractEnd, find_opportunities

TODAY = datetime.date(2026, 1, 1)
ORGANISATIONS = {1: "Barnet", 2: "Camden", 3: "Hackney", 4: "Islington", 5: "Lambeth", 6: "Sutton"}
GROUPS = {"housing": "Housing", "waste": "Waste", "finance": "Finance", "libraries": "Libraries"}
_ids = itertools.count(1)


def contract(
    ends_on: datetime.date,
    organisation_id: int = 1,
    *,
    group: str = "housing",
    vendor: str = "Civica",
    value: Decimal | None = Decimal(1000),
    contract_id: int | None = None,
    category: str = "Case management",
) -> ContractEnd:
    return ContractEnd(
        contract_id=next(_ids) if contract_id is None else contract_id,
        organisation_id=organisation_id,
        organisation=ORGANISATIONS[organisation_id],
        group=group,
        group_name=GROUPS[group],
        vendor=vendor,
        ends_on=ends_on,
        annual_value=value,
        category=category,
    )


def ids(opportunity: Opportunity) -> tuple[int, ...]:
    return opportunity.contract_ids


FIELDS = (
    "group",
    "group_name",
    "window_starts_on",
    "window_ends_on",
    "organisations",
    "contract_ids",
    "vendors",
    "combined_annual_value",
    "unknown_values",
    "saving_low",
    "saving_high",
)


def described(opportunity: Opportunity) -> dict[str, object]:
    """Everything a reader of an opportunity sees, to compare with the reference."""
    assert opportunity.organisation_count == len(opportunity.organisations)
    return {name: getattr(opportunity, name) for name in FIELDS}


def brute_force_opportunities(
    contracts: Iterable[ContractEnd],
    *,
    today: datetime.date,
    window_months: int = 12,
    horizon_months: int = 36,
    discount_low: Decimal = Decimal("0.05"),
    discount_high: Decimal = Decimal("0.15"),
) -> list[dict[str, object]]:
    """The definition spelled out the slow way: every anchor scans every contract, then
    candidates contained in another of the same group are dropped by pairwise subset checks,
    then, in order of first end date, each window joins the opportunity before it when more
    of their contracts are in both than in only one."""
    horizon = add_months(today, horizon_months)
    eligible = [c for c in contracts if today <= c.ends_on <= horizon]
    candidates = set()
    for anchor in eligible:
        limit = add_months(anchor.ends_on, window_months)
        members = frozenset(
            c for c in eligible if c.group == anchor.group and anchor.ends_on <= c.ends_on <= limit
        )
        candidates.add((anchor.group, members))
    maximal = [
        (group, members)
        for group, members in candidates
        if not any(other_group == group and members < other for other_group, other in candidates)
    ]
    by_group: dict[str, list[frozenset[ContractEnd]]] = {}
    for group, members in sorted(
        maximal, key=lambda item: (item[0], min((c.ends_on, c.contract_id) for c in item[1]))
    ):
        if len({c.organisation_id for c in members}) < 2:
            continue
        merged = by_group.setdefault(group, [])
        if merged and len(merged[-1] & members) > len(merged[-1] ^ members):
            merged[-1] = merged[-1] | members
        else:
            merged.append(members)
    found = []
    for members in (m for merged in by_group.values() for m in merged):
        combined = sum((c.annual_value or Decimal(0) for c in members), Decimal(0))
        first = min(members, key=lambda c: c.ends_on)
        found.append(
            {
                "group": first.group,
                "group_name": first.group_name,
                "window_starts_on": first.ends_on,
                "window_ends_on": max(c.ends_on for c in members),
                "organisations": tuple(
                    sorted(
                        {(c.organisation_id, c.organisation) for c in members},
                        key=lambda o: (o[1], o[0]),
                    )
                ),
                "contract_ids": tuple(sorted(c.contract_id for c in members)),
                "vendors": tuple(sorted({c.vendor for c in members})),
                "combined_annual_value": combined,
                "unknown_values": sum(c.annual_value is None for c in members),
                "saving_low": (combined * discount_low).quantize(Decimal(1), ROUND_HALF_UP),
                "saving_high": (combined * discount_high).quantize(Decimal(1), ROUND_HALF_UP),
            }
        )
    found.sort(
        key=lambda o: (
            -o["combined_annual_value"],
            -len(o["organisations"]),
            o["window_starts_on"],
            o["group"],
        )
    )
    return found


# add_months ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 4, 30)),
        (datetime.date(2026, 3, 31), -1, datetime.date(2026, 2, 28)),
        (datetime.date(2026, 12, 31), 2, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 11, 15), 14, datetime.date(2028, 1, 15)),
        (datetime.date(2028, 2, 29), 12, datetime.date(2029, 2, 28)),
        (datetime.date(2026, 5, 17), 0, datetime.date(2026, 5, 17)),
    ],
)
def test_add_months_clamps_the_day(day, months, expected):
    assert add_months(day, months) == expected


@given(st.dates(max_value=datetime.date(9000, 1, 1)), st.integers(0, 600), st.integers(0, 600))
def test_add_months_never_goes_backwards(day, months, more):
    assert day <= add_months(day, months) <= add_months(day, months + more)


# Hand-computed examples ------------------------------------------------------------------


def test_window_edges_are_inclusive():
    a = contract(datetime.date(2026, 3, 31), 1)
    b = contract(datetime.date(2027, 3, 31), 2)  # exactly 12 months after a
    c = contract(datetime.date(2027, 4, 1), 3)  # a day too late for a's window

    found = find_opportunities([c, b, a], today=TODAY)

    assert [ids(o) for o in found] == [
        (a.contract_id, b.contract_id),
        (b.contract_id, c.contract_id),
    ]
    assert (found[0].window_starts_on, found[0].window_ends_on) == (a.ends_on, b.ends_on)


def test_one_organisation_with_several_contracts_is_not_an_opportunity():
    contracts = [contract(datetime.date(2026, month, 1), 1) for month in range(2, 8)]

    assert find_opportunities(contracts, today=TODAY) == []


def test_overlapping_windows_that_share_most_of_their_contracts_merge_and_a_disjoint_one_does_not():
    # With a 3-month window: a's window is a b c d (Jan to Apr), b's is b c d e (Feb to May):
    # they share 3 contracts and hold 2 apart, so they are one opportunity, a to e. f and g,
    # in October, share nothing with it and stay apart.
    a = contract(datetime.date(2026, 1, 15), 1)
    b = contract(datetime.date(2026, 2, 15), 2)
    c = contract(datetime.date(2026, 3, 15), 3)
    d = contract(datetime.date(2026, 4, 15), 4)
    e = contract(datetime.date(2026, 5, 15), 5)
    f = contract(datetime.date(2026, 10, 1), 1)
    g = contract(datetime.date(2026, 10, 2), 6)

    found = find_opportunities([a, b, c, d, e, f, g], today=TODAY, window_months=3)

    assert [ids(o) for o in found] == [
        tuple(x.contract_id for x in (a, b, c, d, e)),
        (f.contract_id, g.contract_id),
    ]
    merged, apart = found
    assert (merged.window_starts_on, merged.window_ends_on) == (a.ends_on, e.ends_on)
    assert (merged.windows, merged.organisation_count, merged.contract_count) == (2, 5, 5)
    assert merged.combined_annual_value == Decimal(5000)
    assert merged.key == f"housing:{a.ends_on.isoformat()}"
    assert (apart.windows, apart.organisation_count) == (1, 2)


def test_windows_with_as_many_contracts_apart_as_shared_stay_apart():
    # a's window (1 month) is a b; b's is b c: they share b and hold a and c apart.
    a = contract(datetime.date(2026, 3, 1), 1)
    b = contract(datetime.date(2026, 3, 20), 2)
    c = contract(datetime.date(2026, 4, 10), 3)

    found = find_opportunities([a, b, c], today=TODAY, window_months=1)

    assert sorted(ids(o) for o in found) == [
        (a.contract_id, b.contract_id),
        (b.contract_id, c.contract_id),
    ]
    assert not shares_most((0, 2), (1, 3))
    assert not shares_most((0, 3), (1, 4))  # 2 shared, 2 apart
    assert shares_most((0, 4), (1, 5))  # 3 shared, 2 apart
    assert not shares_most((0, 10), (8, 11))  # all of the smaller's 3 but 2 shared of 11
    assert not shares_most((0, 2), (2, 4))
    assert shares_most((0, 4), (0, 4))


def test_product_categories_are_a_facet_not_a_second_opportunity():
    a = contract(datetime.date(2026, 3, 1), 1, category="Case management")
    b = contract(datetime.date(2026, 3, 5), 2, category="Case management")
    c = contract(datetime.date(2026, 4, 1), 3, category="CRM")
    d = contract(datetime.date(2026, 4, 2), 1, category="Case management")

    [found] = find_opportunities([a, b, c, d], today=TODAY)

    assert found.categories == (("Case management", 3), ("CRM", 1))
    assert found.contract_count == 4


def test_savings_read_as_an_estimate():
    a = contract(datetime.date(2026, 3, 1), 1, value=Decimal(5_700_000))
    b = contract(datetime.date(2026, 4, 1), 2, value=Decimal(5_700_000))

    [found] = find_opportunities([a, b], today=TODAY)

    assert found.saving_estimate == "£570k to £1.7m"


def test_only_maximal_windows_are_kept():
    # Windows anchored on b and c lie inside a's, so only a's is an opportunity.
    a = contract(datetime.date(2026, 2, 1), 1)
    b = contract(datetime.date(2026, 5, 1), 2)
    c = contract(datetime.date(2026, 9, 1), 3)

    found = find_opportunities([a, b, c], today=TODAY)

    assert [ids(o) for o in found] == [(a.contract_id, b.contract_id, c.contract_id)]


def test_contracts_ending_on_the_same_day_share_one_window():
    a = contract(datetime.date(2026, 6, 30), 1)
    b = contract(datetime.date(2026, 6, 30), 2)
    c = contract(datetime.date(2026, 6, 30), 2)

    found = find_opportunities([a, b, c], today=TODAY, window_months=1)

    assert [ids(o) for o in found] == [(a.contract_id, b.contract_id, c.contract_id)]
    assert found[0].organisations == ((1, "Barnet"), (2, "Camden"))


def test_horizon_edges():
    yesterday = contract(datetime.date(2025, 12, 31), 1)
    today = contract(TODAY, 2)
    last_day = contract(datetime.date(2029, 1, 1), 3)  # today + 36 months
    too_late = contract(datetime.date(2029, 1, 2), 4)
    contracts = [yesterday, today, last_day, too_late]

    everything = find_opportunities(contracts, today=TODAY, window_months=36)

    assert [ids(o) for o in everything] == [(today.contract_id, last_day.contract_id)]
    assert find_opportunities(contracts, today=TODAY, window_months=36, horizon_months=35) == []


def test_windows_follow_calendar_months_with_clamping():
    a = contract(datetime.date(2026, 1, 31), 1)
    b = contract(datetime.date(2026, 2, 28), 2)  # 31 January + 1 month, clamped
    c = contract(datetime.date(2026, 3, 1), 3)

    found = find_opportunities([a, b, c], today=TODAY, window_months=1)

    assert [ids(o) for o in found] == [
        (a.contract_id, b.contract_id),
        (b.contract_id, c.contract_id),
    ]


def test_groups_are_never_mixed():
    a = contract(datetime.date(2026, 3, 1), 1, group="housing")
    b = contract(datetime.date(2026, 3, 1), 2, group="waste")

    assert find_opportunities([a, b], today=TODAY) == []


def test_unknown_values_count_as_nothing_but_are_reported():
    a = contract(datetime.date(2026, 3, 1), 1, value=Decimal("1200.50"), vendor="Civica")
    b = contract(datetime.date(2026, 4, 1), 2, value=None, vendor="Capita")
    c = contract(datetime.date(2026, 5, 1), 2, value=Decimal("800"), vendor="Civica")

    [found] = find_opportunities([a, b, c], today=TODAY)

    assert found.combined_annual_value == Decimal("2000.50")
    assert found.unknown_values == 1
    assert found.vendors == ("Capita", "Civica")
    assert found.organisations == ((1, "Barnet"), (2, "Camden"))
    assert found.group == "housing"
    assert found.group_name == "Housing"
    assert found.key == "housing:2026-03-01"


def test_no_known_values_at_all():
    a = contract(datetime.date(2026, 3, 1), 1, value=None)
    b = contract(datetime.date(2026, 4, 1), 2, value=None)

    [found] = find_opportunities([a, b], today=TODAY)

    assert (found.combined_annual_value, found.unknown_values) == (Decimal(0), 2)
    assert (found.saving_low, found.saving_high) == (Decimal(0), Decimal(0))


@pytest.mark.parametrize(
    ("combined", "low", "high"),
    [
        # 5% of 10 is 0.50 and 15% is 1.50: half up gives 1 and 2 (banker's would give 0 and 2).
        (Decimal(10), Decimal(1), Decimal(2)),
        # 0.495 and 1.485: just under the half.
        (Decimal("9.9"), Decimal(0), Decimal(1)),
        (Decimal("49.99"), Decimal(2), Decimal(7)),
        (Decimal(400_000), Decimal(20_000), Decimal(60_000)),
    ],
)
def test_savings_are_rounded_half_up_to_whole_pounds(combined, low, high):
    a = contract(datetime.date(2026, 3, 1), 1, value=combined)
    b = contract(datetime.date(2026, 4, 1), 2, value=Decimal(0))

    [found] = find_opportunities([a, b], today=TODAY)

    assert (found.saving_low, found.saving_high) == (low, high)


def test_discounts_can_be_changed():
    a = contract(datetime.date(2026, 3, 1), 1, value=Decimal(1000))
    b = contract(datetime.date(2026, 4, 1), 2, value=Decimal(3000))

    [found] = find_opportunities(
        [a, b], today=TODAY, discount_low=Decimal("0.1"), discount_high=Decimal("0.25")
    )

    assert (found.saving_low, found.saving_high) == (Decimal(400), Decimal(1000))


def test_ranking_by_value_then_organisations_then_start_then_group():
    contracts = [
        # Housing, March: 3 organisations, 3,000 a year.
        contract(datetime.date(2026, 3, 1), 1, group="housing"),
        contract(datetime.date(2026, 3, 2), 2, group="housing"),
        contract(datetime.date(2026, 3, 3), 3, group="housing"),
        # Waste, March: 2 organisations, 3,000 a year.
        contract(datetime.date(2026, 3, 1), 1, group="waste", value=Decimal(1500)),
        contract(datetime.date(2026, 3, 2), 2, group="waste", value=Decimal(1500)),
        # Finance, June: 2 organisations, 2,000 a year.
        contract(datetime.date(2026, 6, 1), 1, group="finance"),
        contract(datetime.date(2026, 6, 2), 2, group="finance"),
        # Libraries, February: 2 organisations, 2,000 a year (earlier than finance).
        contract(datetime.date(2026, 2, 1), 1, group="libraries"),
        contract(datetime.date(2026, 2, 2), 2, group="libraries"),
        # Waste and finance, May 2029 ... out of the default horizon: ignored.
        contract(datetime.date(2029, 5, 1), 1, group="waste", value=Decimal(10**9)),
        contract(datetime.date(2029, 5, 1), 2, group="waste", value=Decimal(10**9)),
    ]

    found = find_opportunities(contracts, today=TODAY, window_months=1)

    assert [o.group for o in found] == ["housing", "waste", "libraries", "finance"]


def test_equal_everything_but_group_ranks_by_group():
    contracts = [
        contract(datetime.date(2026, 3, 1), 1, group="waste"),
        contract(datetime.date(2026, 3, 1), 2, group="waste"),
        contract(datetime.date(2026, 3, 1), 1, group="housing"),
        contract(datetime.date(2026, 3, 1), 2, group="housing"),
    ]

    assert [o.group for o in find_opportunities(contracts, today=TODAY)] == ["housing", "waste"]


def test_a_negative_window_is_refused():
    with pytest.raises(ValueError, match="window_months"):
        find_in_groups([], names=Names(organisations={}, vendors={}), window_months=-1)


# Against the reference -------------------------------------------------------------------

MONTH_ENDS = [add_months(datetime.date(2025, 1, 31), months) for months in range(72)]

estates = st.lists(
    st.tuples(
        st.sampled_from(sorted(GROUPS)),
        st.integers(1, 6),
        st.one_of(
            st.dates(datetime.date(2025, 6, 1), datetime.date(2031, 1, 31)),
            st.sampled_from(MONTH_ENDS),
        ),
        st.one_of(st.none(), st.decimals(0, 10**6, places=2)),
        st.sampled_from(["Capita", "Civica", "Northgate", "Oracle"]),
    ),
    max_size=30,
)


@settings(max_examples=400, deadline=None)
@given(
    estate=estates,
    window_months=st.integers(0, 24),
    horizon_months=st.integers(1, 60),
    today=st.dates(datetime.date(2025, 6, 1), datetime.date(2027, 1, 1)),
)
def test_matches_the_brute_force_reference(estate, window_months, horizon_months, today):
    contracts = [
        contract(ends_on, organisation_id, group=group, vendor=vendor, value=value, contract_id=i)
        for i, (group, organisation_id, ends_on, value, vendor) in enumerate(estate)
    ]
    options = {"today": today, "window_months": window_months, "horizon_months": horizon_months}

    fast = find_opportunities(contracts, **options)
    slow = brute_force_opportunities(contracts, **options)

    assert {(o.group, o.contract_ids) for o in fast} == {
        (o["group"], o["contract_ids"]) for o in slow
    }
    # Every field and the ranking agree too; the ranking is total (a group's windows start on
    # different days), so the lists compare exactly.
    assert [described(o) for o in fast] == slow


@settings(max_examples=300, deadline=None)
@given(estate=estates, window_months=st.integers(0, 24))
def test_no_two_opportunities_of_a_group_share_most_of_their_contracts(estate, window_months):
    contracts = [
        contract(ends_on, organisation_id, group=group, vendor=vendor, value=value, contract_id=i)
        for i, (group, organisation_id, ends_on, value, vendor) in enumerate(estate)
    ]

    found = find_opportunities(contracts, today=TODAY, window_months=window_months)

    for one, other in itertools.combinations(found, 2):
        if one.group == other.group:
            ours, theirs = set(one.contract_ids), set(other.contract_ids)
            assert len(ours & theirs) <= len(ours ^ theirs)
    assert all(len(o.organisations) >= 2 for o in found)


def test_a_large_estate_is_swept_without_pairwise_work():
    # 50,000 contracts over 40 groups and 33 organisations: pairwise work would be 2.5e9
    # comparisons; the sweep finishes in seconds.
    rng = random.Random(2026)
    contracts = [
        ContractEnd(
            contract_id=i,
            organisation_id=(organisation := rng.randrange(33)),
            organisation=f"Borough {organisation}",
            group=(group := f"group-{rng.randrange(40)}"),
            group_name=group.title(),
            vendor=f"Vendor {rng.randrange(500)}",
            ends_on=TODAY + datetime.timedelta(days=rng.randrange(5 * 365)),
            annual_value=Decimal(rng.randrange(1, 10**6)),
        )
        for i in range(50_000)
    ]

    found = find_opportunities(contracts, today=TODAY)

    assert found
    assert all(len(o.organisations) >= 2 for o in found)
    assert len({o.key for o in found}) == len(found)
