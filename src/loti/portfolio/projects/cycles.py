"""Dates of six-week cycles and financial-year quarters: plain calculations, no database."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from loti.members.financial_year import FinancialYear

CYCLE_DAYS = 42


@dataclass(frozen=True)
class PlannedCycle:
    number: int
    starts_on: datetime.date
    # Exclusive: the day the review is due and the next cycle starts.
    ends_on: datetime.date


def plan(*, starts_on: datetime.date, chunks: int, first_number: int = 1) -> list[PlannedCycle]:
    """`chunks` cycles back to back from `starts_on`: cycle n starts 42 × (n - 1) days in."""
    if chunks < 1:
        raise ValueError("A plan needs at least one cycle")
    return [
        PlannedCycle(
            number=first_number + i,
            starts_on=starts_on + datetime.timedelta(days=CYCLE_DAYS * i),
            ends_on=starts_on + datetime.timedelta(days=CYCLE_DAYS * (i + 1)),
        )
        for i in range(chunks)
    ]


@dataclass(frozen=True, order=True)
class Quarter:
    """A quarter of a financial year: Q1 is April to June, Q4 January to March."""

    year: FinancialYear
    number: int

    @classmethod
    def containing(cls, day: datetime.date) -> Quarter:
        return cls(FinancialYear.containing(day), ((day.month - 4) % 12) // 3 + 1)

    @property
    def start(self) -> datetime.date:
        month = 4 + 3 * (self.number - 1)
        year = self.year.start_year + (month - 1) // 12
        return datetime.date(year, (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> datetime.date:
        following = (
            Quarter(self.year, self.number + 1).start if self.number < 4 else self.year.next().start
        )
        return following - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year.label} Q{self.number}"

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def quarters(year: FinancialYear) -> list[Quarter]:
    return [Quarter(year, number) for number in range(1, 5)]
