"""Collaborative-procurement opportunities: contracts in the same service area or product
category, held by different organisations, that end close enough together to be re-procured
jointly.

Within a group, a *candidate* is anchored on a contract ``a``: every contract in the group
ending between ``a.ends_on`` and ``window_months`` calendar months later, both ends inclusive.
An opportunity is a candidate that is not contained in another candidate of the same group and
involves at least two different organisations.
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

WHOLE_POUNDS = Decimal("1")


@dataclass(frozen=True)
class ContractEnd:
    contract_id: int
    organisation_id: int
    organisation: str
    group: str  # a service-area or product-category slug
    group_name: str
    vendor: str
    ends_on: datetime.date
    annual_value: Decimal | None


@dataclass(frozen=True)
class Opportunity:
    group: str
    group_name: str
    window_starts_on: datetime.date  # the earliest end date in the opportunity
    window_ends_on: datetime.date  # the latest end date in the opportunity
    organisations: tuple[tuple[int, str], ...]  # (organisation_id, name), sorted by name
    contract_ids: tuple[int, ...]
    vendors: tuple[str, ...]
    combined_annual_value: Decimal  # contracts without a value count as 0
    unknown_values: int  # how many contracts have no annual value
    saving_low: Decimal
    saving_high: Decimal

    @property
    def key(self) -> str:
        # Stable across recalculations while the earliest contract stays in place; it is what
        # OpportunityInterest stores (group slug plus window start).
        return f"{self.group}:{self.window_starts_on.isoformat()}"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Calendar months later (or earlier, for negative ``months``), clamping the day to the end
    of a shorter month: 31 January + 1 month is 28 (or 29) February."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def find_opportunities(
    contracts: Iterable[ContractEnd],
    *,
    today: datetime.date,
    window_months: int = 12,
    horizon_months: int = 36,
    discount_low: Decimal = Decimal("0.05"),
    discount_high: Decimal = Decimal("0.15"),
) -> list[Opportunity]:
    """Opportunities among contracts ending from ``today`` to ``horizon_months`` ahead, both
    inclusive, ranked by combined annual value (highest first), then number of organisations
    (most first), then window start, then group.

    Each group is sorted once and swept with two pointers: O(n log n), plus the size of the
    opportunities returned.
    """
    if window_months < 0 or horizon_months < 0:
        raise ValueError("window_months and horizon_months must not be negative")
    horizon = add_months(today, horizon_months)
    by_group: defaultdict[str, list[ContractEnd]] = defaultdict(list)
    for contract in contracts:
        if today <= contract.ends_on <= horizon:
            by_group[contract.group].append(contract)

    found: list[Opportunity] = []
    for members in by_group.values():
        members.sort(key=lambda c: (c.ends_on, c.contract_id))
        for start, stop in _maximal_windows(members, window_months):
            found.append(
                _opportunity(
                    members[start:stop], discount_low=discount_low, discount_high=discount_high
                )
            )
    found.sort(key=_rank_key)
    return found


def _rank_key(opportunity: Opportunity) -> tuple[Decimal, int, datetime.date, str]:
    return (
        -opportunity.combined_annual_value,
        -len(opportunity.organisations),
        opportunity.window_starts_on,
        opportunity.group,
    )


def _maximal_windows(members: Sequence[ContractEnd], window_months: int) -> list[tuple[int, int]]:
    """Slices ``[start, stop)`` of ``members`` (sorted by end date) that are maximal candidates
    with at least two organisations.

    Anchors sharing an end date give the same candidate, so only the first contract of each
    date anchors. As the anchor moves later both pointers only move forward (``add_months`` is
    non-decreasing), so a candidate is contained in an earlier one exactly when it is contained
    in the previous anchor's, which is when ``stop`` did not advance: one comparison replaces
    the subset checks.
    """
    windows: list[tuple[int, int]] = []
    organisations: Counter[int] = Counter()
    stop = 0
    previous_stop = -1
    for start, anchor in enumerate(members):
        if start > 0:
            # stop > start - 1 always (a contract is in its own window), so this one was counted.
            _drop(organisations, members[start - 1].organisation_id)
            if members[start - 1].ends_on == anchor.ends_on:
                continue
        limit = add_months(anchor.ends_on, window_months)
        while stop < len(members) and members[stop].ends_on <= limit:
            organisations[members[stop].organisation_id] += 1
            stop += 1
        if stop > previous_stop and len(organisations) >= 2:
            windows.append((start, stop))
        previous_stop = stop
    return windows


def _drop(counter: Counter[int], key: int) -> None:
    counter[key] -= 1
    if not counter[key]:
        del counter[key]


def _opportunity(
    members: Sequence[ContractEnd], *, discount_low: Decimal, discount_high: Decimal
) -> Opportunity:
    organisations = {c.organisation_id: c.organisation for c in members}
    combined = sum((c.annual_value for c in members if c.annual_value is not None), Decimal(0))
    return Opportunity(
        group=members[0].group,
        group_name=members[0].group_name,
        window_starts_on=members[0].ends_on,
        window_ends_on=members[-1].ends_on,
        organisations=tuple(sorted(organisations.items(), key=lambda item: (item[1], item[0]))),
        contract_ids=tuple(sorted(c.contract_id for c in members)),
        vendors=tuple(sorted({c.vendor for c in members})),
        combined_annual_value=combined,
        unknown_values=sum(1 for c in members if c.annual_value is None),
        saving_low=_whole_pounds(combined * discount_low),
        saving_high=_whole_pounds(combined * discount_high),
    )


def _whole_pounds(amount: Decimal) -> Decimal:
    # Savings are estimates: pence would suggest a precision they do not have.
    return amount.quantize(WHOLE_POUNDS, rounding=ROUND_HALF_UP)
