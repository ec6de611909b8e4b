"""Charts of appraisals, each with the table of its data: a tornado chart of how far each
input moves NPSV, the spread of NPSV from Monte Carlo, and NPSV by activity."""

from __future__ import annotations

from typing import Any

from loti.core.charts import PALETTE, UK_LOCALE, Chart, bar_chart
from loti.evaluation.activities.summary import money

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def _config() -> dict[str, Any]:
    return {
        "locale": UK_LOCALE,
        "font": "arial, sans-serif",
        # Inputs have long names: show them whole rather than cut short.
        "axis": {"labelFontSize": 14, "titleFontSize": 14, "labelLimit": 0},
        "legend": {"labelFontSize": 14, "labelLimit": 0},
    }


def tornado_chart(*, id: str, title: str, base_npsv: float, rows: list[dict]) -> Chart:
    """One bar per input from the base NPSV to NPSV with the input at its low value and
    another to NPSV at its high value, widest swing first. `rows` are the report's tornado
    rows (label, low and high value in words, npsv_low, npsv_high). Bars are labelled with
    their values and told apart by pattern of position and text as well as colour."""
    values = []
    # Low before high, as in the table's columns.
    ends = ["Input at its low value", "Input at its high value"]
    for row in rows:
        for end, npsv in zip(ends, (row["npsv_low"], row["npsv_high"]), strict=True):
            values.append(
                {
                    "input": row["label"],
                    "end": end,
                    "base": base_npsv,
                    "npsv": npsv,
                    "text": f"{'Low' if 'low' in end else 'High'}: {money(npsv)}",
                }
            )
    order = [row["label"] for row in rows]
    y = {"field": "input", "type": "nominal", "title": None, "sort": order}
    # The axis spans the values (not from zero: a swing of £1.5m around £1.4m is the story),
    # with room each side for the labels written beyond the bars' ends.
    npsvs = [base_npsv, *(v["npsv"] for v in values)]
    low, high = min(npsvs), max(npsvs)
    room = (high - low) * 0.35 or abs(base_npsv) * 0.1 or 1.0
    x_scale = {"zero": False, "nice": True, "domain": [low - room, high + room]}
    spec = {
        "$schema": SCHEMA,
        "description": (
            f"How NPSV moves from its central value of {money(base_npsv)} when each input "
            "is set to its low and its high value in turn, the others held central."
        ),
        "title": {"text": title, "anchor": "start", "fontSize": 16},
        "width": "container",
        "height": 48 * max(1, len(order)),
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": _config(),
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "bar", "tooltip": True},
                "encoding": {
                    "y": y,
                    "yOffset": {"field": "end", "sort": ends},
                    "x": {
                        "field": "base",
                        "type": "quantitative",
                        "title": "Net present social value",
                        "axis": {"format": "$,.0f"},
                        "scale": x_scale,
                    },
                    "x2": {"field": "npsv"},
                    "color": {
                        "field": "end",
                        "type": "nominal",
                        "title": None,
                        "sort": ends,
                        "scale": {"range": PALETTE[:2]},
                        "legend": {"orient": "bottom"},
                    },
                },
            },
            # Each label sits beyond its bar's end: to the left of a bar that ends below the
            # central value, to the right of one that ends above it.
            *(
                {
                    "transform": [{"filter": f"datum.npsv {test} datum.base"}],
                    "mark": {"type": "text", "align": align, "dx": dx, "fontSize": 12},
                    "encoding": {
                        "y": y,
                        "yOffset": {"field": "end", "sort": ends},
                        "x": {"field": "npsv", "type": "quantitative"},
                        "text": {"field": "text"},
                    },
                }
                for test, align, dx in (("<", "right", -4), (">=", "left", 4))
            ),
            {
                "data": {"values": [{"base": base_npsv}]},
                "mark": {"type": "rule", "color": "#0b0c0c", "strokeWidth": 2},
                "encoding": {"x": {"field": "base", "type": "quantitative"}},
            },
        ],
    }
    return Chart(
        id=id,
        title=title,
        spec=spec,
        columns=["Input", "Low value", "NPSV at low", "High value", "NPSV at high", "Swing"],
        rows=[
            [
                row["label"],
                row["low_value_text"],
                money(row["npsv_low"]),
                row["high_value_text"],
                money(row["npsv_high"]),
                money(abs(row["npsv_high"] - row["npsv_low"])),
            ]
            for row in rows
        ],
        numeric=[False, True, True, True, True, True],
    )


def npsv_spread_chart(*, id: str, title: str, monte_carlo: dict) -> Chart:
    """NPSV at the 10th, 50th and 90th percentiles of the Monte Carlo draws."""
    spread = monte_carlo["npsv"]
    chart = bar_chart(
        id=id,
        title=title,
        description=(
            f"NPSV from {monte_carlo['draws']:,} Monte Carlo draws: one in ten fell below "
            f"{money(spread['p10'])}, half below {money(spread['p50'])}, nine in ten below "
            f"{money(spread['p90'])}."
        ),
        label="Percentile",
        value_label="NPSV",
        bars=[
            ("P10 (1 in 10 below)", spread["p10"]),
            ("P50 (median)", spread["p50"]),
            ("P90 (9 in 10 below)", spread["p90"]),
        ],
        currency=True,
    )
    return chart
