"""The coverage matrix as a heatmap: a cell for each pair of organisations that may share,
shaded by how many agreements cover it, beside a table of the same pairs."""

from __future__ import annotations

from loti.core.charts import UK_LOCALE, Chart

# Pixels per organisation: a label of 14px with room around it.
CELL = 24
# Beyond this many organisations a chart of every pair is too dense to read: the table says it.
MOST_CHARTED = 60


def coverage_chart(
    *, id: str, title: str, organisations: list[str], cells: list[tuple[str, str, int]]
) -> Chart:
    """A heatmap of `organisations` (names, in the order of the rows and columns) by each
    other, with a cell for each (a, b, number of agreements) of `cells`; the table beside it
    has a row per cell, in the same order."""
    values = [{"a": a, "b": b, "agreements": count} for a, b, count in cells]
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": (
            f"{title}: a square for each pair of organisations that may share data, darker "
            "the more agreements cover it."
        ),
        "title": {"text": title, "anchor": "start", "fontSize": 16},
        "width": "container",
        "height": CELL * max(1, len(organisations)),
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            "locale": UK_LOCALE,
            "font": "arial, sans-serif",
            "axis": {"labelFontSize": 14, "titleFontSize": 14, "labelLimit": 0},
            "legend": {"labelFontSize": 14, "titleFontSize": 14, "labelLimit": 0},
        },
        "data": {"values": values},
        "mark": {"type": "rect", "tooltip": True, "stroke": "#ffffff", "strokeWidth": 1},
        "encoding": {
            "y": {
                "field": "a",
                "type": "nominal",
                "title": "Organisation",
                "sort": organisations,
                "scale": {"domain": organisations},
            },
            "x": {
                "field": "b",
                "type": "nominal",
                "title": "May share with",
                "sort": organisations,
                "scale": {"domain": organisations},
                "axis": {"labelAngle": -45, "orient": "top"},
            },
            "color": {
                "field": "agreements",
                "type": "ordinal",
                "title": "Agreements",
                "scale": {"scheme": "blues"},
                "legend": {"orient": "bottom"},
            },
            "tooltip": [
                {"field": "a", "type": "nominal", "title": "Organisation"},
                {"field": "b", "type": "nominal", "title": "May share with"},
                {"field": "agreements", "type": "quantitative", "format": ",d"},
            ],
        },
    }
    return Chart(
        id=id,
        title=title,
        spec=spec,
        columns=["Organisation", "May share with", "Agreements"],
        rows=[[a, b, f"{count:,d}"] for a, b, count in cells],
        numeric=[False, False, True],
    )
