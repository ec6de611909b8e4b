"""The chart of interview themes, with the table of its data."""

from __future__ import annotations

from typing import Any

from loti.core.charts import Chart, stacked_bar


def themes_chart(themes: list[Any]) -> Chart:
    """Passages tagged with each theme, with how many interviews they come from."""
    values = [{"theme": t.name, "series": "Passages", "value": t.passage_count} for t in themes]
    return Chart(
        id="themes",
        title="Passages and interviews for each theme",
        spec=stacked_bar(
            title="Passages tagged with each theme",
            description=(
                "How many interview passages are tagged with each theme; the table also "
                "gives how many different interviews they come from."
            ),
            values=values,
            category="theme",
            series="series",
            value="value",
            value_title="Passages",
        ),
        columns=["Theme", "Passages", "Interviews"],
        rows=[[t.name, str(t.passage_count), str(t.interview_count)] for t in themes],
        numeric=[False, True, True],
    )
