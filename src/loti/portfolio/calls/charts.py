"""The results chart of a call for ideas, with the table of its data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from loti.core.charts import PALETTE, UK_LOCALE, Chart

SELECTED, NOT_SELECTED = "Selected", "Not selected"


def combined_scores_chart(rows: Sequence[Any], *, id: str = "combined-scores") -> Chart:
    """A bar per proposal's combined score, highest first. Selected bars are solid and
    labelled "Selected"; the others are outlined: colour is not the only signal."""
    values = [
        {
            "proposal": row.proposal.title,
            "score": round(row.combined, 3),
            "status": SELECTED if row.selected else NOT_SELECTED,
        }
        for row in rows
    ]
    spec: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": (
            f"Combined score of each of {len(values)} proposals, highest first; "
            f"{sum(v['status'] == SELECTED for v in values)} are selected."
        ),
        "title": {"text": "Combined score of each proposal", "anchor": "start", "fontSize": 16},
        "width": "container",
        "height": 30 * max(1, len(values)),
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            "locale": UK_LOCALE,
            "font": "arial, sans-serif",
            "axis": {"labelFontSize": 13, "titleFontSize": 14, "labelLimit": 0},
            "legend": {"labelFontSize": 14},
        },
        "data": {"values": values},
        "encoding": {
            "y": {"field": "proposal", "type": "nominal", "title": None, "sort": None},
            "x": {
                "field": "score",
                "type": "quantitative",
                "title": "Combined score (0 to 1)",
                "scale": {"domain": [0, 1]},
            },
        },
        "layer": [
            {
                "mark": {"type": "bar", "tooltip": True, "strokeWidth": 2},
                "encoding": {
                    "color": {
                        "field": "status",
                        "type": "nominal",
                        "title": None,
                        "scale": {"domain": [SELECTED, NOT_SELECTED], "range": PALETTE[:2]},
                        "legend": {"orient": "bottom"},
                    },
                    # Unselected bars are hollow: their fill is faint, their outline strong.
                    "fillOpacity": {
                        "field": "status",
                        "type": "ordinal",
                        "scale": {"domain": [SELECTED, NOT_SELECTED], "range": [1, 0.15]},
                        "legend": None,
                    },
                    "stroke": {"value": "#0b0c0c"},
                    "tooltip": [
                        {"field": "proposal", "type": "nominal"},
                        {"field": "score", "type": "quantitative", "format": ".3f"},
                        {"field": "status", "type": "nominal"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 12},
                "encoding": {
                    "text": {
                        "condition": {
                            "test": f"datum.status === '{SELECTED}'",
                            "value": "✓ Selected",
                        },
                        "value": "",
                    },
                },
            },
        ],
    }
    return Chart(
        id=id,
        title="Combined score of each proposal",
        spec=spec,
        columns=["Proposal", "Combined score", "Selected"],
        rows=[
            [v["proposal"], f"{v['score']:.3f}", "Yes" if v["status"] == SELECTED else "No"]
            for v in values
        ],
        numeric=[False, True, False],
    )
