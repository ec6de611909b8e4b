"""Figures an activity draws from the platform's own records instead of an entered input.

An activity may take its benefit model's quantity (the first input: units supplied, parties,
incidents or outcomes) from another app's records for one financial year; the other inputs,
such as the cost avoided per unit, are still entered with their sources. The evaluation
reads those records through the other app's selectors and counts them afresh each time the
activity is appraised, so a reuse recorded today shows in today's appraisal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from loti.evaluation.activities.models import Activity
from loti.library import selectors as library_selectors
from loti.members.financial_year import FinancialYear


@dataclass(frozen=True)
class Source:
    unit: str  # what is counted, plural: "reuses"
    where: str  # where, for the source line: "recorded in the library"
    count: Callable[[FinancialYear], int]


SOURCES: dict[str, Source] = {
    Activity.QuantityFrom.LIBRARY_REUSES: Source(
        unit="reuses",
        where="recorded in the library",
        count=lambda year: library_selectors.reuses_in(start=year.start, end=year.end),
    ),
}


@dataclass(frozen=True)
class Drawn:
    """A figure drawn from records: the input it stands for, its value and where it came
    from, in words."""

    key: str
    value: int
    unit: str
    source: str


def drawn(*, records: str, year: int, key: str) -> Drawn:
    """The count `records` gives for the financial year starting in `year`, as input `key`."""
    source = SOURCES[records]
    financial_year = FinancialYear(year)
    value = source.count(financial_year)
    return Drawn(
        key=key,
        value=value,
        unit=source.unit,
        source=(
            f"From records: the {source.unit} {source.where} in {financial_year} "
            f"({financial_year.start:%-d %B %Y} to {financial_year.end:%-d %B %Y})"
        ),
    )
