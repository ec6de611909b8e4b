"""Charts of projects, each with the table of its data: the timeline of cycles and the
quarterly summary."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from loti.core.charts import UK_LOCALE, Chart, stacked_bar
from loti.core.money import money
from loti.portfolio.projects.models import Cycle, Decision
from loti.portfolio.projects.selectors import YearSummary

# Each status has a colour and a mark written on its bar, so colour is not the only signal.
STATUSES = {
    Decision.CONTINUE.value: ("Continue", "C"),
    Decision.PIVOT.value: ("Pivot", "P"),
    Decision.STOP.value: ("Stop", "S"),
    Decision.COMPLETE.value: ("Complete", "D"),
    "due": ("Review due", "R"),
    "current": ("In progress", "…"),
    "planned": ("Planned", ""),
}
STATUS_COLOURS = ["#009E73", "#E69F00", "#D55E00", "#0072B2", "#F0E442", "#CC79A7", "#BFC1C3"]


def cycle_status(cycle: Cycle, *, today: datetime.date) -> str:
    if cycle.decision:
        return cycle.decision
    if today >= cycle.ends_on:
        return "due"
    if cycle.starts_on <= today:
        return "current"
    return "planned"


def status_legend(key: str) -> str:
    """ "Continue (C)": the legend names the letter written on the bars."""
    label, mark = STATUSES[key]
    return f"{label} ({mark})" if mark else label


def timeline_chart(
    cycles: Iterable[Cycle], *, today: datetime.date, id: str, title: str, by_project: bool
) -> Chart:
    """A bar per cycle from its start to its end, one row per project (or, for one project,
    per cycle), coloured and lettered by its decision."""
    cycles = list(cycles)
    values: list[dict[str, Any]] = []
    rows: list[list[str]] = []
    for cycle in cycles:
        status = cycle_status(cycle, today=today)
        row_label = cycle.project.title if by_project else f"Cycle {cycle.number}"
        values.append(
            {
                "row": row_label,
                "cycle": f"Cycle {cycle.number}",
                "start": cycle.starts_on.isoformat(),
                "end": cycle.ends_on.isoformat(),
                "status": status_legend(status),
                "mark": STATUSES[status][1],
            }
        )
        rows.append(
            [
                *([cycle.project.title] if by_project else []),
                f"Cycle {cycle.number}",
                f"{cycle.starts_on:%-d %b %Y}",
                f"{cycle.ends_on:%-d %b %Y}",
                cycle.goal or "Not set",
                STATUSES[status][0],
            ]
        )
    y = {"field": "row", "type": "nominal", "title": None, "sort": None}
    x = {"field": "start", "type": "temporal", "title": None, "axis": {"format": "%b %Y"}}
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": (
            f"{len(cycles)} six-week cycles, each a bar from its start to its end, coloured "
            "and lettered by its review decision: C continue, P pivot, S stop, D complete, "
            "R review due, … in progress; planned cycles are grey."
        ),
        "title": {"text": title, "anchor": "start", "fontSize": 16},
        "width": "container",
        "height": 28 * max(1, len({value["row"] for value in values})),
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            "locale": UK_LOCALE,
            "font": "arial, sans-serif",
            "axis": {"labelFontSize": 14, "titleFontSize": 14, "labelLimit": 0},
            "legend": {"labelFontSize": 14},
        },
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "bar", "tooltip": True, "stroke": "#ffffff"},
                "encoding": {
                    "x": x,
                    "x2": {"field": "end"},
                    "y": y,
                    "color": {
                        "field": "status",
                        "type": "nominal",
                        "title": None,
                        "scale": {
                            "domain": [status_legend(key) for key in STATUSES],
                            "range": STATUS_COLOURS,
                        },
                        "legend": {"orient": "bottom", "columns": 4},
                    },
                    "tooltip": [
                        {"field": "row", "type": "nominal", "title": "Project"},
                        {"field": "cycle", "type": "nominal", "title": "Cycle"},
                        {"field": "start", "type": "temporal", "title": "Starts"},
                        {"field": "end", "type": "temporal", "title": "Ends"},
                        {"field": "status", "type": "nominal", "title": "Decision"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 12},
                "encoding": {
                    "x": x,
                    "y": y,
                    "text": {"field": "mark"},
                    "color": {"value": "#0b0c0c"},
                },
            },
            {
                "data": {"values": [{"today": today.isoformat()}]},
                "mark": {"type": "rule", "color": "#0b0c0c", "strokeDash": [4, 4]},
                "encoding": {"x": {"field": "today", "type": "temporal"}},
            },
        ],
    }
    columns = [*(["Project"] if by_project else []), "Cycle", "Starts", "Ends", "Goal", "Decision"]
    return Chart(
        id=id, title=title, spec=spec, columns=columns, rows=rows, numeric=[False] * len(columns)
    )


def quarterly_chart(summary: YearSummary) -> Chart:
    """Money allocated to projects started in each quarter, stacked on what the year's earlier
    quarters allocated, against the budget of the year's calls for ideas."""
    values = []
    rows = []
    earlier = Decimal(0)
    for row in summary.quarters:
        label = f"Q{row.quarter.number}"
        values.append({"quarter": label, "part": "Earlier in the year", "amount": float(earlier)})
        values.append(
            {"quarter": label, "part": "Started this quarter", "amount": float(row.allocated)}
        )
        earlier += row.allocated
        rows.append(
            [
                f"{row.quarter.label} ({row.quarter.start:%b}–{row.quarter.end:%b})",
                str(row.started),
                str(row.completed),
                str(row.stopped),
                str(row.chunks_delivered),
                money(row.allocated),
                money(earlier),
            ]
        )
    budget = float(summary.round_budget)
    title = f"Money allocated to projects in {summary.year.label}"
    return Chart(
        id="quarterly-allocation",
        title=f"Projects in {summary.year.label}, by quarter",
        spec=stacked_bar(
            title=title,
            description=(
                f"{money(summary.allocated)} allocated to projects started in "
                f"{summary.year.label}, by quarter, against "
                + (
                    f"the {money(summary.round_budget)} budget of the year's calls for ideas."
                    if budget
                    else "no budget: no call for ideas opened that year."
                )
            ),
            values=values,
            category="quarter",
            series="part",
            value="amount",
            value_title="Allocated (£)",
            currency=True,
            rule=("Budget", budget) if budget else None,
            series_order=["Earlier in the year", "Started this quarter"],
        ),
        columns=[
            "Quarter",
            "Started",
            "Completed",
            "Stopped",
            "Chunks delivered",
            "Allocated",
            "Allocated to date",
        ],
        rows=rows,
        numeric=[False, True, True, True, True, True, True],
    )
