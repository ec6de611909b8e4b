"""Figures an activity draws from the platform's own records instead of an entered input.

An activity may take its benefit model's quantity (the first input: units supplied, parties,
incidents or outcomes) from another app's records for one financial year; the other inputs,
such as the cost avoided per unit, are still entered with their sources. The evaluation
reads those records through the other app's selectors and counts them afresh each time the
activity is appraised, so a record made today shows in today's appraisal.

- The library's reuses: those recorded between 1 April and 31 March.
- The signed parties of one data-sharing agreement: the organisations sharing under it on
  the year's last day (or today, while the year runs), the `parties` of avoided duplication.
- Every data-sharing agreement in force on that day: the distinct pairs of organisations
  sharing under at least one of them, each pair once however many agreements it shares
  under, and the agreements covering them. Without the registry each pair would have made
  one bilateral agreement; with it, the agreements in force were made instead, so the
  agreements avoided are the pairs less those agreements. The engine's `avoided_pairs`
  model takes the two counts (docs/appraisal.md).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from loti.datasharing import evaluation as datasharing_records
from loti.evaluation.activities.models import Activity
from loti.library import selectors as library_selectors
from loti.members.financial_year import FinancialYear


@dataclass(frozen=True)
class Drawn:
    """A figure drawn from records: the input it stands for, its words, its value and where
    it came from, in words."""

    key: str
    label: str
    value: int
    unit: str
    source: str


def _on(year: FinancialYear) -> datetime.date:
    """The day a year's agreements are counted on: its last, or today while it runs."""
    return min(year.end, timezone.localdate())


def _dates(year: FinancialYear) -> str:
    return f"{year} ({year.start:%-d %B %Y} to {year.end:%-d %B %Y})"


def drawn(*, activity: Activity, key: str, label: str) -> tuple[Drawn, ...]:
    """The figures `activity`'s records give, for the financial year it names; `key` and
    `label` are those of the benefit model's quantity."""
    year = FinancialYear(activity.quantity_year)
    kind = Activity.QuantityFrom
    if activity.quantity_from == kind.LIBRARY_REUSES:
        value = library_selectors.reuses_in(start=year.start, end=year.end)
        return (
            Drawn(
                key=key,
                label=label,
                value=value,
                unit="reuses",
                source=f"From records: the reuses recorded in the library in {_dates(year)}",
            ),
        )
    on = _on(year)
    if activity.quantity_from == kind.AGREEMENT_PARTIES:
        agreement = activity.quantity_agreement
        if agreement is None:  # deleted since it was chosen
            value, source = 0, "From records: the agreement chosen is no longer in the registry"
        else:
            value = datasharing_records.signed_parties(agreement_id=agreement.pk, on=on)
            source = (
                f"From records: the parties that signed “{agreement}” and shared under it "
                f"on {on:%-d %B %Y}, in {year}"
            )
        return (Drawn(key=key, label=label, value=value, unit="parties", source=source),)
    covered = datasharing_records.coverage(on=on)
    where = f"every data-sharing agreement in force on {on:%-d %B %Y}, in {year}"
    return (
        Drawn(
            key="pairs",
            label="Pairs of organisations sharing",
            value=covered.pairs,
            unit="pairs",
            source=(
                f"From records: the distinct pairs of the {covered.organisations} organisations "
                f"sharing under {where}, each pair counted once"
            ),
        ),
        Drawn(
            key="agreements",
            label="Agreements made instead",
            value=covered.agreements,
            unit="agreements",
            source=f"From records: {where} that covers a pair",
        ),
    )
