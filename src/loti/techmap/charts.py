"""Charts of the technology map, each with the table of its data."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable

from loti.core.charts import Chart, bar_chart
from loti.techmap import market


def expiry_chart(counts: dict[tuple[int, int], int], *, today: datetime.date) -> Chart:
    """Contracts ending in each of the 13 calendar quarters from today's; `counts` maps
    (year, quarter) to a count. Calendar quarters, as notices are published."""
    quarters = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(13):
        quarters.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return bar_chart(
        id="expiry-by-quarter",
        title="Contracts ending each quarter",
        description=f"{sum(counts.values())} contracts end in the next 36 months, by quarter.",
        label="Quarter",
        value_label="Contracts ending",
        bars=[(f"{y} Q{q}", counts.get((y, q), 0)) for y, q in quarters],
    )


def ends_by_year_chart(ends: Iterable[datetime.date | None], *, id: str, subject: str) -> Chart:
    counts = Counter(day.year if day else None for day in ends)
    years = sorted(year for year in counts if year is not None)
    bars = [(str(year), counts[year]) for year in years]
    if counts.get(None):
        bars.append(("End not known", counts[None]))
    return bar_chart(
        id=id,
        title=f"{subject} contracts ending each year",
        description=f"When {subject} contracts end, by calendar year.",
        label="Year",
        value_label="Contracts",
        bars=bars,
    )


def products_per_area_chart(counts: list[tuple[str, int]]) -> Chart:
    return bar_chart(
        id="products-per-service",
        title="Different products in use for each service",
        description=(
            "How many different products organisations use for each service: "
            "fewer means a more standard market."
        ),
        label="Service",
        value_label="Different products",
        bars=counts,
    )


def coverage_chart(counts: list[tuple[str, int]], *, organisations: int) -> Chart:
    return bar_chart(
        id="map-coverage",
        title="Organisations recording a system for each service",
        description=(
            f"Of the {organisations} organisations in the table below, how many record a "
            "system for each service: a short bar is a gap in the map."
        ),
        label="Service",
        value_label="Organisations",
        bars=counts,
    )


def organisations_per_product_chart(rows: list[tuple[str, int]], *, vendor: str) -> Chart:
    return bar_chart(
        id="organisations-per-product",
        title=f"Organisations using each {vendor} product",
        description=f"How many organisations use each of {vendor}'s products.",
        label="Product",
        value_label="Organisations",
        bars=rows,
    )


def suppliers_chart(top: list, *, by: str = market.BY_VALUE) -> Chart:
    """The largest suppliers' shares, of value or `by` contracts as `top` is ranked, in the
    table's order. Shares of value are shown only to those who see every value."""
    of_value = by == market.BY_VALUE
    chart = bar_chart(
        id="top-suppliers",
        title=f"Share of {'value' if of_value else 'contracts'} held by the largest suppliers",
        description=(
            "The largest suppliers' share of the annual value of all contracts, in per cent; "
            "the table gives shares of contracts too."
            if of_value
            else "The largest suppliers' share of all contracts, in per cent."
        ),
        label="Supplier",
        value_label=f"Share of {'value' if of_value else 'contracts'} (%)",
        bars=[
            (s.vendor, round(100 * (s.share_of_value if of_value else s.share_of_contracts), 1))
            for s in top
        ],
    )
    columns = ["Supplier", "Contracts", *(["Share of value"] if of_value else [])]
    return Chart(
        id=chart.id,
        title=chart.title,
        spec=chart.spec,
        columns=[*columns, "Share of contracts"],
        rows=[
            [
                s.vendor,
                str(s.contracts),
                *([f"{100 * s.share_of_value:.1f}%"] if of_value else []),
                f"{100 * s.share_of_contracts:.1f}%",
            ]
            for s in top
        ],
        numeric=[False, *[True] * len(columns)],
    )


def tenders_by_area_chart(counts: list[tuple[str, int]]) -> Chart:
    return bar_chart(
        id="tenders-by-area",
        title="Open technology tenders by service",
        description=f"{sum(n for _, n in counts)} places across services where members are "
        "buying technology now; a tender may serve several services.",
        label="Service",
        value_label="Open tenders",
        bars=counts,
    )
