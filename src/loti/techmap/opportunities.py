"""Collaborative-procurement opportunities: contracts for the same service area, held by
different organisations, that end close enough together to be re-procured jointly.

Within a service area, a *window* is anchored on a contract ``a``: every contract of the area
ending between ``a.ends_on`` and ``window_months`` calendar months later, both ends inclusive.
A window counts when it is not contained in another window of the area and involves at least
two different organisations.

Windows of one area that share most of their contracts are one opportunity, not several. Two
sets of contracts *share most* of them when more of their contracts are in both than in only
one (more than half of all the contracts in either are in both). Taken in order of their first
end date, each window is merged into the opportunity before it when the two share most of
their contracts; the opportunity then holds every contract of either, so its end dates can
spread over more than ``window_months``, though not far: a window shares most of an
opportunity's contracts only if it holds more than half as many. After merging, no two
opportunities of an area share most of their contracts: each is a run of the area's contracts
in end-date order, both ends of the runs only move later, and a run only grows away from the
one before it.

A contract counts once, in each service area its system serves; its product category is a
facet of the opportunity (how many of its contracts are for each kind of product), not a
second opportunity.
"""

from __future__ import annotations

import calendar
import datetime
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from itertools import compress
from operator import itemgetter, ne
from typing import Any

from loti.core.money import estimate_range

WHOLE_POUNDS = Decimal("1")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Group:
    """One service area's contracts within the horizon, as rows
    ``(ends_on, contract_id, organisation_id, vendor_key, annual_value, category_key, ...)``
    sorted by end date then contract id; items after the sixth are ignored."""

    slug: str
    name: str
    rows: Sequence[tuple[Any, ...]]


@dataclass(frozen=True)
class Names:
    """The names behind the ids in groups' rows."""

    organisations: Mapping[int, str]
    vendors: Mapping[Any, str]
    categories: Mapping[Any, str] = field(default_factory=dict)


ENDS_ON, CONTRACT_ID, ORGANISATION_ID, VENDOR_KEY, ANNUAL_VALUE, CATEGORY_KEY = range(6)


@dataclass(eq=False)  # not frozen: a frozen dataclass is several times slower to create
class Opportunity:
    """One opportunity: a run of a group's contracts (read-only by convention).

    Its sums and organisation count are known when it is found; the organisations,
    contracts, vendors and categories in it are read from the group's rows only when asked
    for, as a page shows a few of what can be thousands.
    """

    group: str
    group_name: str
    window_starts_on: datetime.date  # the earliest end date in the opportunity
    window_ends_on: datetime.date  # the latest end date in the opportunity
    organisation_count: int
    combined_annual_value: Decimal  # contracts without a value count as 0
    unknown_values: int  # how many contracts have no annual value
    discount_low: Decimal
    discount_high: Decimal
    rows: Sequence[tuple[Any, ...]] = field(repr=False)  # the group's rows ...
    start: int = field(repr=False)  # ... of which the opportunity is rows[start:stop]
    stop: int = field(repr=False)
    names: Names = field(repr=False)
    windows: int = 1  # how many overlapping windows were merged into it

    @property
    def key(self) -> str:
        # Stable across recalculations while the earliest contract stays in place; it is what
        # OpportunityInterest stores (group slug plus window start).
        return f"{self.group}:{self.window_starts_on.isoformat()}"

    @property
    def contract_count(self) -> int:
        return self.stop - self.start

    def _column(self, index: int) -> list[Any]:
        return [row[index] for row in self.rows[self.start : self.stop]]

    @cached_property
    def organisations(self) -> tuple[tuple[int, str], ...]:
        """(organisation_id, name), sorted by name."""
        names = self.names.organisations
        named = {(pk, names[pk]) for pk in self._column(ORGANISATION_ID)}
        return tuple(sorted(named, key=lambda item: (item[1], item[0])))

    @cached_property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(self._column(ORGANISATION_ID))

    @cached_property
    def contract_ids(self) -> tuple[int, ...]:
        return tuple(sorted(self._column(CONTRACT_ID)))

    @cached_property
    def vendor_keys(self) -> frozenset[Any]:
        return frozenset(self._column(VENDOR_KEY))

    @cached_property
    def vendors(self) -> tuple[str, ...]:
        names = self.names.vendors
        return tuple(sorted({names[key] for key in self.vendor_keys}))

    @cached_property
    def categories(self) -> tuple[tuple[str, int], ...]:
        """(product category name, contracts): the facet of the kinds of product bought,
        most contracts first, then by name."""
        names = self.names.categories
        counts = Counter(names.get(key, "Other") for key in self._column(CATEGORY_KEY))
        return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    @property
    def saving_low(self) -> Decimal:
        return _whole_pounds(self.combined_annual_value * self.discount_low)

    @property
    def saving_high(self) -> Decimal:
        return _whole_pounds(self.combined_annual_value * self.discount_high)

    @property
    def saving_estimate(self) -> str:
        """The saving a year as the estimate it is: "£570k to £1.7m"."""
        return estimate_range(self.saving_low, self.saving_high)

    def holds(self, day: datetime.date) -> bool:
        """Whether ``day`` lies within the opportunity's end dates."""
        return self.window_starts_on <= day <= self.window_ends_on


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Calendar months later (or earlier, for negative ``months``), clamping the day to the end
    of a shorter month: 31 January + 1 month is 28 (or 29) February."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def shares_most(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two runs ``[start, stop)`` of one group's rows share most of their contracts:
    more of them are in both runs than in only one."""
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    either = max(a[1], b[1]) - min(a[0], b[0])
    return overlap > 0 and overlap > either - overlap


def find_in_groups(
    groups: Iterable[Group],
    *,
    names: Names,
    window_months: int = 12,
    discount_low: Decimal = Decimal("0.05"),
    discount_high: Decimal = Decimal("0.15"),
) -> list[Opportunity]:
    """The opportunities in ``groups``, ranked by combined annual value (highest first), then
    number of organisations (most first), then window start, then group.

    Each group, already sorted, is swept with two pointers, and only the opportunities (far
    fewer than the windows) are summed: close to linear in the contracts however many windows
    overlap.
    """
    if window_months < 0:
        raise ValueError("window_months must not be negative")
    limits: dict[datetime.date, datetime.date] = {}  # end date -> end of its window
    found: list[Opportunity] = []
    for group in groups:
        if not group.rows:
            continue
        rows = group.rows
        ends = list(map(itemgetter(ENDS_ON), rows))
        organisation_ids = list(map(itemgetter(ORGANISATION_ID), rows))
        windows = _merged(_maximal_windows(ends, organisation_ids, window_months, limits))
        if not windows:
            continue
        values = list(map(itemgetter(ANNUAL_VALUE), rows))
        for start, stop, merged in windows:
            # Only the opportunities are summed, not every window: they are far fewer. (Not
            # list.count(None): comparing each Decimal with None is many times slower.)
            known = [value for value in values[start:stop] if value is not None]
            found.append(
                Opportunity(
                    group=group.slug,
                    group_name=group.name,
                    window_starts_on=ends[start],
                    window_ends_on=ends[stop - 1],
                    organisation_count=len(set(organisation_ids[start:stop])),
                    combined_annual_value=sum(known, ZERO),
                    unknown_values=stop - start - len(known),
                    discount_low=discount_low,
                    discount_high=discount_high,
                    rows=rows,
                    start=start,
                    stop=stop,
                    names=names,
                    windows=merged,
                )
            )
    found.sort(key=_rank_key)
    return found


def _rank_key(opportunity: Opportunity) -> tuple[Decimal, int, datetime.date, str]:
    return (
        -opportunity.combined_annual_value,
        -opportunity.organisation_count,
        opportunity.window_starts_on,
        opportunity.group,
    )


def _merged(windows: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """``(start, stop, windows merged)`` for each opportunity made of ``windows`` (in the
    order of their starts, which is also the order of their stops): a window joins the
    opportunity before it when the two share most of their contracts (`shares_most`)."""
    merged: list[tuple[int, int, int]] = []
    for start, stop in windows:
        if merged:
            first, last, count = merged[-1]
            # shares_most((first, last), (start, stop)), inline: first < start, last < stop.
            overlap = last - start
            if overlap > 0 and overlap > stop - first - overlap:
                merged[-1] = (first, stop, count + 1)
                continue
        merged.append((start, stop, 1))
    return merged


def _maximal_windows(
    ends: Sequence[datetime.date],
    organisation_ids: Sequence[int],
    window_months: int,
    limits: dict[datetime.date, datetime.date],
) -> list[tuple[int, int]]:
    """``(start, stop)`` for each slice ``[start, stop)`` of a group's contracts (their end
    dates ``ends`` ascending, with their ``organisation_ids``) that is a maximal window
    holding at least two organisations.

    Anchors sharing an end date give the same window, so only the first contract of each
    date anchors. As the anchor moves later both ends of the window only move forward
    (``add_months`` is non-decreasing), so a window is contained in an earlier one exactly
    when it is contained in the previous anchor's, which is when ``stop`` did not advance: one
    comparison replaces the subset checks. A window holds two organisations when the first
    contract after its first that another organisation holds lies inside it. ``limits`` keeps each
    end date's window end, across groups.
    """
    # Where the organisation changes from one contract to the next (in C, not a Python loop):
    # the first contract after `start` of another organisation is the first change after it.
    changes = list(
        compress(range(1, len(organisation_ids)), map(ne, organisation_ids[1:], organisation_ids))
    )
    changes.append(len(organisation_ids))
    windows: list[tuple[int, int]] = []
    start = stop = 0
    for day in sorted(set(ends)):
        start = bisect_left(ends, day, start)
        limit = limits.get(day)
        if limit is None:
            limit = limits[day] = add_months(day, window_months)
        end = bisect_right(ends, limit, stop)
        if end == stop:
            continue  # contained in the previous anchor's window (never true of the first)
        stop = end
        if changes[bisect_right(changes, start)] < stop:
            windows.append((start, stop))
    return windows


def _whole_pounds(amount: Decimal) -> Decimal:
    # Savings are estimates: pence would suggest a precision they do not have.
    return amount.quantize(WHOLE_POUNDS, rounding=ROUND_HALF_UP)
