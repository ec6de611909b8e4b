"""UK public-sector financial years, which run from 1 April to 31 March.

A year is named by the calendar year it starts in: 2025 is "2025/26", slug "2025-26".
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

SLUG = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    start_year: int

    @classmethod
    def containing(cls, day: datetime.date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def from_slug(cls, slug: str) -> FinancialYear:
        """ "2025-26" -> FinancialYear(2025); ValueError for anything else."""
        match = SLUG.match(slug)
        if not match:
            raise ValueError(f"{slug!r} is not a financial year like 2025-26")
        start, end = int(match[1]), int(match[2])
        if (start + 1) % 100 != end:
            raise ValueError(f"{slug!r} is not a financial year: {end:02d} does not follow {start}")
        return cls(start)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.start_year, 4, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.start_year + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def slug(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label

    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1)

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1)


def year_choices(
    *, around: datetime.date, before: int = 6, after: int = 2
) -> list[tuple[int, str]]:
    current = FinancialYear.containing(around).start_year
    return [
        (year, FinancialYear(year).label)
        for year in range(current + after, current - before - 1, -1)
    ]
