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
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from itertools import accumulate
from operator import itemgetter
from typing import Any

WHOLE_POUNDS = Decimal("1")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Group:
    """One service area's or product category's contracts within the horizon, as rows
    ``(ends_on, contract_id, organisation_id, vendor_key, annual_value, ...)`` sorted by end
    date then contract id; items after the fifth are ignored."""

    slug: str
    name: str
    rows: Sequence[tuple[Any, ...]]


@dataclass(frozen=True)
class Names:
    """The names behind the ids in groups' rows."""

    organisations: Mapping[int, str]
    vendors: Mapping[Any, str]


ENDS_ON, CONTRACT_ID, ORGANISATION_ID, VENDOR_KEY, ANNUAL_VALUE = range(5)


@dataclass(eq=False)  # not frozen: a frozen dataclass is several times slower to create
class Opportunity:
    """One maximal window of a group's contracts (read-only by convention).

    Its sums and organisation count are known when it is found (from prefix sums over the
    group); the organisations, contracts and vendors in it are read from the group's rows
    only when asked for, as a page shows a hundred of what can be tens of thousands.
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

    @property
    def key(self) -> str:
        # Stable across recalculations while the earliest contract stays in place; it is what
        # OpportunityInterest stores (group slug plus window start).
        return f"{self.group}:{self.window_starts_on.isoformat()}"

    def _column(self, index: int) -> list[Any]:
        return [row[index] for row in self.rows[self.start : self.stop]]

    @cached_property
    def organisations(self) -> tuple[tuple[int, str], ...]:
        """(organisation_id, name), sorted by name."""
        names = self.names.organisations
        named = {(pk, names[pk]) for pk in self._column(ORGANISATION_ID)}
        return tuple(sorted(named, key=lambda item: (item[1], item[0])))

    @cached_property
    def contract_ids(self) -> tuple[int, ...]:
        return tuple(sorted(self._column(CONTRACT_ID)))

    @cached_property
    def vendors(self) -> tuple[str, ...]:
        names = self.names.vendors
        return tuple(sorted({names[key] for key in self._column(VENDOR_KEY)}))

    @property
    def saving_low(self) -> Decimal:
        return _whole_pounds(self.combined_annual_value * self.discount_low)

    @property
    def saving_high(self) -> Decimal:
        return _whole_pounds(self.combined_annual_value * self.discount_high)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Calendar months later (or earlier, for negative ``months``), clamping the day to the end
    of a shorter month: 31 January + 1 month is 28 (or 29) February."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


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

    Each group, already sorted, is swept with two pointers, and each window's sums come from
    prefix sums: linear in the contracts however many windows overlap.
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
        windows = _maximal_windows(
            ends, list(map(itemgetter(ORGANISATION_ID), rows)), window_months, limits
        )
        if not windows:
            continue
        values = list(map(itemgetter(ANNUAL_VALUE), rows))
        value_sums = list(accumulate([ZERO if v is None else v for v in values], initial=ZERO))
        unknown_sums = list(accumulate([v is None for v in values], initial=0))
        for start, stop, organisation_count in windows:
            found.append(
                Opportunity(
                    group=group.slug,
                    group_name=group.name,
                    window_starts_on=ends[start],
                    window_ends_on=ends[stop - 1],
                    organisation_count=organisation_count,
                    combined_annual_value=value_sums[stop] - value_sums[start],
                    unknown_values=unknown_sums[stop] - unknown_sums[start],
                    discount_low=discount_low,
                    discount_high=discount_high,
                    rows=rows,
                    start=start,
                    stop=stop,
                    names=names,
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


def _maximal_windows(
    ends: Sequence[datetime.date],
    organisation_ids: Sequence[int],
    window_months: int,
    limits: dict[datetime.date, datetime.date],
) -> list[tuple[int, int, int]]:
    """``(start, stop, organisations)`` for each slice ``[start, stop)`` of a group's contracts
    (their end dates ``ends`` ascending, with their ``organisation_ids``) that is a maximal
    candidate holding at least two organisations.

    Anchors sharing an end date give the same candidate, so only the first contract of each
    date anchors. As the anchor moves later both ends of the window only move forward
    (``add_months`` is non-decreasing), so each contract enters and leaves the running count of
    organisations once, and a candidate is contained in an earlier one exactly when it is
    contained in the previous anchor's, which is when ``stop`` did not advance: one comparison
    replaces the subset checks. ``limits`` keeps each end date's window end, across groups.
    """
    # Organisations numbered from 0, so the running count is a list rather than a dict.
    number = {pk: index for index, pk in enumerate(set(organisation_ids))}
    organisations = list(map(number.__getitem__, organisation_ids))
    in_window = [0] * len(number)  # contracts of each organisation in [start, stop)
    distinct = 0  # organisations with a contract in [start, stop)
    windows: list[tuple[int, int, int]] = []
    start = stop = 0
    for day in sorted(set(ends)):
        anchor = bisect_left(ends, day, start)
        for leaving in organisations[start:anchor]:
            in_window[leaving] -= 1
            if not in_window[leaving]:
                distinct -= 1
        start = anchor
        limit = limits.get(day)
        if limit is None:
            limit = limits[day] = add_months(day, window_months)
        end = bisect_right(ends, limit, stop)
        if end == stop:
            continue  # contained in the previous anchor's window (never true of the first)
        for joining in organisations[stop:end]:
            if not in_window[joining]:
                distinct += 1
            in_window[joining] += 1
        stop = end
        if distinct >= 2:
            windows.append((start, stop, distinct))
    return windows


def _whole_pounds(amount: Decimal) -> Decimal:
    # Savings are estimates: pence would suggest a precision they do not have.
    return amount.quantize(WHOLE_POUNDS, rounding=ROUND_HALF_UP)
