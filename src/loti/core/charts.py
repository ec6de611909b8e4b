"""Vega-Lite specifications built in Python, each paired with a table of the same data.

The page always renders the table; with JavaScript, vega-embed draws the chart above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from loti.core.money import money

# High-contrast categorical colours (Okabe–Ito), safe for the common colour-vision
# deficiencies. Colour is never the only signal: the table carries every value.
UK_LOCALE = {
    "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["£", ""]},
}
# Bands are this many pixels per row: a chart is as tall as its table is long. (A height set
# in pixels, not as a step, since Vega-Lite warns of a step with a container width.)
ROW_HEIGHT = 36
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# A count has whole-number ticks: never "0 0 0 1 1 1" from a scale of a few things.
COUNT_AXIS = {"tickMinStep": 1, "format": ",d"}


def _is_count(values: Any) -> bool:
    """Whether every value counts things (is a whole number as Python holds it, an int)."""
    values = list(values)
    return bool(values) and all(
        isinstance(value, int) and not isinstance(value, bool) for value in values
    )


def _count_axis() -> dict[str, Any]:
    """The axis of a quantitative channel that counts things."""
    return dict(COUNT_AXIS)


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    spec: dict[str, Any]
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]

    @property
    def header_cells(self) -> list[tuple[str, bool]]:
        """(heading, is numeric) for the table beside the chart."""
        return list(zip(self.columns, self.numeric, strict=True))

    @property
    def body_rows(self) -> list[list[tuple[str, bool]]]:
        """Each row as (cell, is numeric) pairs; the first cell heads its row."""
        return [list(zip(row, self.numeric, strict=True)) for row in self.rows]


def stacked_bar(
    *,
    title: str,
    description: str,
    values: list[dict[str, Any]],
    category: str,
    series: str,
    value: str,
    value_title: str,
    currency: bool = False,
    rule: tuple[str, float] | None = None,
    series_order: list[str] | None = None,
) -> dict[str, Any]:
    """A horizontal bar per category, in the order of `values` (the order of the table beside
    it), stacked by series in `series_order`, with an optional reference line
    (`rule` = (label, value)) such as a budget. Values that are all ints are counts, drawn on
    a whole-number axis."""
    counts = not currency and _is_count(datum[value] for datum in values)
    # "$" is d3-format's currency symbol; the locale below makes it a pound sign.
    number_format = "$,.0f" if currency else ",d" if counts else ",.0f"
    axis = _count_axis() if counts else {"format": number_format}
    bars: dict[str, Any] = {
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "y": {"field": category, "type": "nominal", "title": None, "sort": None},
            "x": {
                "field": value,
                "type": "quantitative",
                "title": value_title,
                "stack": "zero",
                "axis": axis,
            },
            "color": {
                "field": series,
                "type": "nominal",
                "title": None,
                # Segments stack, and the legend reads, in the order of the table's columns.
                "sort": series_order,
                "scale": {"range": PALETTE, **({"domain": series_order} if series_order else {})},
                # One series needs no key: the axis title names it.
                "legend": {"orient": "bottom"} if len({d[series] for d in values}) > 1 else None,
            },
            "tooltip": [
                {"field": category, "type": "nominal"},
                {"field": series, "type": "nominal"},
                {"field": value, "type": "quantitative", "format": number_format},
            ],
        },
    }
    layers: list[dict[str, Any]] = [bars]
    if rule is not None:
        label, at = rule
        layers.append(
            {
                "data": {"values": [{"label": label, "at": at}]},
                "mark": {
                    "type": "rule",
                    "color": "#0b0c0c",
                    "strokeWidth": 2,
                    "strokeDash": [6, 4],
                },
                "encoding": {"x": {"field": "at", "type": "quantitative"}},
            }
        )
        layers.append(
            {
                "data": {
                    "values": [
                        {
                            "label": f"{label}: {money(at)}" if currency else f"{label}: {at:,.0f}",
                            "at": at,
                        }
                    ]
                },
                "mark": {
                    "type": "text",
                    "align": "right",
                    "dx": -4,
                    "dy": -6,
                    "baseline": "bottom",
                    "fontSize": 13,
                },
                "encoding": {
                    "x": {"field": "at", "type": "quantitative"},
                    "y": {"value": 0},
                    "text": {"field": "label"},
                },
            }
        )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": description,
        "title": {"text": title, "anchor": "start", "fontSize": 16},
        "width": "container",
        "height": ROW_HEIGHT * max(1, len({datum[category] for datum in values})),
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            "locale": UK_LOCALE,
            "font": "arial, sans-serif",
            # Labels are shown whole, however long (the plot narrows instead): a cut-off
            # supplier or service name is a different name.
            "axis": {"labelFontSize": 14, "titleFontSize": 14, "labelLimit": 0},
            "legend": {"labelFontSize": 14, "labelLimit": 0},
        },
        "data": {"values": values},
        "layer": layers,
    }


def bar_chart(
    *,
    id: str,
    title: str,
    description: str,
    label: str,
    value_label: str,
    bars: list[tuple[str, float]],
    value_format: str = "{:,.0f}",
    currency: bool = False,
) -> Chart:
    """One horizontal bar per (label, value), with the same rows in the same order as its
    table; int values are counts, on a whole-number axis; with `currency`, values are whole
    pounds written as `loti.core.money` writes them."""
    values = [{"label": name, "series": value_label, "value": value} for name, value in bars]
    return Chart(
        id=id,
        title=title,
        spec=stacked_bar(
            title=title,
            description=description,
            values=values,
            category="label",
            series="series",
            value="value",
            value_title=value_label,
            currency=currency,
        ),
        columns=[label, value_label],
        rows=[
            [name, money(round(value)) if currency else value_format.format(value)]
            for name, value in bars
        ],
        numeric=[False, True],
    )
