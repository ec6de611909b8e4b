"""Charts of the technology map, each with the table of its data."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any, NamedTuple

from loti.core.charts import PALETTE, ROW_HEIGHT, UK_LOCALE, Chart, bar_chart
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


class ContractSpan(NamedTuple):
    """One contract of an opportunity as its timeline shows it."""

    organisation: str
    title: str
    supplier: str
    starts_on: datetime.date | None
    ends_on: datetime.date
    annual_value: str  # as the page writes it, or "Not shown" where hidden


def opportunity_timeline_chart(
    contracts: Iterable[ContractSpan],
    *,
    window: tuple[datetime.date, datetime.date],
    today: datetime.date,
    show_values: bool,
) -> Chart:
    """A bar per contract from its start to its end (a dot at its end where the start is not
    known), one row per contract in end-date order, over the shaded span in which the
    opportunity's contracts end; a dashed line marks today."""
    contracts = list(contracts)
    values: list[dict[str, Any]] = []
    for number, c in enumerate(contracts, 1):
        values.append(
            {
                # Numbered, so two contracts of one organisation with one supplier stay apart.
                "row": f"{number}. {c.organisation}: {c.supplier}",
                "title": c.title,
                "start": (c.starts_on or c.ends_on).isoformat(),
                "end": c.ends_on.isoformat(),
            }
        )
    first, last = window
    y = {"field": "row", "type": "nominal", "title": None, "sort": None}
    x = {"field": "start", "type": "temporal", "title": None, "axis": {"format": "%b %Y"}}
    tooltip = [
        {"field": "row", "type": "nominal", "title": "Contract"},
        {"field": "title", "type": "nominal", "title": "Title"},
        {"field": "start", "type": "temporal", "title": "Starts"},
        {"field": "end", "type": "temporal", "title": "Ends"},
    ]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": (
            f"{len(contracts)} contracts, each a bar from its start to its end (a dot at its "
            f"end where its start is not known). They end between {first:%B %Y} and "
            f"{last:%B %Y}, the shaded span; the dashed line is today."
        ),
        "title": {"text": "When the contracts run", "anchor": "start", "fontSize": 16},
        "width": "container",
        "height": ROW_HEIGHT * max(1, len(contracts)),
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            "locale": UK_LOCALE,
            "font": "arial, sans-serif",
            # Labels are shown whole, as in every chart: a cut-off name is a different name.
            "axis": {"labelFontSize": 14, "titleFontSize": 14, "labelLimit": 0},
            "legend": {"labelFontSize": 14},
        },
        "layer": [
            {
                "data": {"values": [{"from": first.isoformat(), "to": last.isoformat()}]},
                "mark": {"type": "rect", "color": "#BFC1C3", "opacity": 0.5},
                "encoding": {
                    "x": {"field": "from", "type": "temporal"},
                    "x2": {"field": "to"},
                },
            },
            {
                "data": {"values": values},
                "mark": {"type": "bar", "tooltip": True, "color": PALETTE[0], "height": 16},
                "encoding": {"x": x, "x2": {"field": "end"}, "y": y, "tooltip": tooltip},
            },
            {
                "data": {"values": values},
                "mark": {"type": "point", "filled": True, "size": 80, "shape": "circle"},
                "encoding": {
                    "x": {"field": "end", "type": "temporal"},
                    "y": y,
                    "color": {"value": "#0b0c0c"},
                    "tooltip": tooltip,
                },
            },
            {
                "data": {"values": [{"today": today.isoformat()}]},
                "mark": {"type": "rule", "color": "#0b0c0c", "strokeDash": [4, 4]},
                "encoding": {"x": {"field": "today", "type": "temporal"}},
            },
        ],
    }
    columns = ["Organisation", "Contract", "Supplier", "Starts", "Ends"]
    if show_values:
        columns.append("Annual value")
    rows = [
        [
            c.organisation,
            c.title,
            c.supplier,
            f"{c.starts_on:%-d %b %Y}" if c.starts_on else "Not known",
            f"{c.ends_on:%-d %b %Y}",
            *([c.annual_value] if show_values else []),
        ]
        for c in contracts
    ]
    return Chart(
        id="opportunity-timeline",
        title="The contracts in this opportunity",
        spec=spec,
        columns=columns,
        rows=rows,
        numeric=[False] * 5 + ([True] if show_values else []),
    )
