"""Charts of survey results and interview themes, each with the table of its data.

A Likert question is drawn as a diverging stacked bar: disagreement to the left of zero,
agreement to the right, "neither" split across zero. Segments are labelled with their
answer and share above the bar and the legend names every colour, so colour is never the
only signal; "don't know" is left out of the bar and reported beside it.
"""

from __future__ import annotations

from typing import Any

from loti.core.charts import UK_LOCALE, Chart, bar_chart
from loti.evaluation.surveys.stats import (
    DONT_KNOW,
    LIKERT_LABELS,
    LIKERT_SCALE,
    ChoiceCount,
    LikertSummary,
    percent,
)

POINTS = LIKERT_SCALE[:5]
SHORT = {
    "strongly_disagree": "SD",
    "disagree": "D",
    "neither": "N",
    "agree": "A",
    "strongly_agree": "SA",
}
# Brown to teal (ColorBrewer BrBG, darkened): safe for the common colour-vision deficiencies,
# every colour at least 3:1 against white.
COLOURS = ["#8c510a", "#a6711f", "#6f6f6f", "#2d8a82", "#01665e"]
# Segments narrower than this carry no label above them (the table has every value).
LABEL_FROM = 0.08


def _segments(summary: LikertSummary) -> list[dict[str, Any]]:
    """Each point's segment as start and end in percent of those who gave a view, with the
    middle of "neither" at zero."""
    shares = {value: summary.share_of_base(value) for value in POINTS}
    position = -100 * (shares["strongly_disagree"] + shares["disagree"] + shares["neither"] / 2)
    segments = []
    for value in POINTS:
        width = 100 * shares[value]
        segments.append(
            {
                "answer": LIKERT_LABELS[value],
                "start": round(position, 4),
                "end": round(position + width, 4),
                "middle": round(position + width / 2, 4),
                "share": round(width, 1),
                "count": summary.counts[value],
                "label": f"{SHORT[value]} {width:.0f}%" if shares[value] >= LABEL_FROM else "",
            }
        )
        position += width
    return segments


def likert_chart(*, id: str, title: str, summary: LikertSummary) -> Chart:
    """One question's answers as a diverging stacked bar, with a table of the counts and
    shares (of those who gave a view; "don't know" as a share of all answers)."""
    segments = _segments(summary)
    dont_know = (
        f"Don't know: {summary.dont_know} of {summary.answers} answers "
        f"({percent(summary.share_of_base(DONT_KNOW))}), not in the bar."
    )
    description = (
        f"{title}: of {summary.n} who gave a view, {percent(summary.agree_share)} agree and "
        f"{percent(summary.disagree_share)} disagree. {dont_know}"
    )
    bar_encoding = {
        "y": {"field": "row", "type": "nominal", "title": None, "axis": None},
        "x": {
            "field": "start",
            "type": "quantitative",
            "title": "Share of those who gave a view (%): disagree to the left, agree to the right",
            "scale": {"domain": [-100, 100]},
            "axis": {"labelExpr": "abs(datum.value) + '%'", "tickCount": 9},
        },
        "x2": {"field": "end"},
        "color": {
            "field": "answer",
            "type": "nominal",
            "title": None,
            "sort": None,
            "scale": {"domain": [LIKERT_LABELS[v] for v in POINTS], "range": COLOURS},
            "legend": {"orient": "bottom", "columns": 3, "labelLimit": 0},
        },
        "tooltip": [
            {"field": "answer", "type": "nominal", "title": "Answer"},
            {"field": "count", "type": "quantitative", "title": "Answers"},
            {"field": "share", "type": "quantitative", "title": "Share (%)"},
        ],
    }
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": description,
        "title": {"text": title, "subtitle": dont_know, "anchor": "start", "fontSize": 16},
        "width": "container",
        "height": 40,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            "locale": UK_LOCALE,
            "font": "arial, sans-serif",
            "axis": {"labelFontSize": 14, "titleFontSize": 14},
            "legend": {"labelFontSize": 14},
        },
        "data": {"values": [{"row": "answers", **segment} for segment in segments]},
        "layer": [
            {
                "mark": {"type": "bar", "stroke": "#ffffff", "strokeWidth": 1},
                "encoding": bar_encoding,
            },
            {
                "mark": {"type": "text", "baseline": "bottom", "dy": -22, "fontSize": 13},
                "encoding": {
                    "x": {"field": "middle", "type": "quantitative"},
                    "y": {"field": "row", "type": "nominal", "axis": None},
                    "text": {"field": "label"},
                },
            },
            {
                "data": {"values": [{"at": 0}]},
                "mark": {"type": "rule", "color": "#0b0c0c", "strokeWidth": 2},
                "encoding": {"x": {"field": "at", "type": "quantitative"}},
            },
        ],
    }
    rows = [
        [LIKERT_LABELS[value], str(summary.counts[value]), percent(summary.share_of_base(value))]
        for value in POINTS
    ]
    rows.append(["Gave a view (the base)", str(summary.n), "100%" if summary.n else "0%"])
    rows.append(
        [
            "Don't know (share of all answers)",
            str(summary.dont_know),
            percent(summary.share_of_base(DONT_KNOW)),
        ]
    )
    return Chart(
        id=id,
        title=f"Answers to: {title}",
        spec=spec,
        columns=["Answer", "Answers", "Share of those who gave a view"],
        rows=rows,
        numeric=[False, True, True],
    )


def choice_chart(*, id: str, title: str, choices: list[ChoiceCount], base: int) -> Chart:
    """How many chose each option, with shares of the `base` respondents who answered."""
    chart = bar_chart(
        id=id,
        title=title,
        description=f"{title}: how many of the {base} who answered chose each option.",
        label="Option",
        value_label="Respondents",
        bars=[(choice.label, choice.count) for choice in choices],
    )
    return Chart(
        id=chart.id,
        title=f"Answers to: {title}",
        spec=chart.spec,
        columns=["Option", "Respondents", f"Share of the {base} who answered"],
        rows=[[c.label, str(c.count), percent(c.share)] for c in choices],
        numeric=[False, True, True],
    )
