"""The report's charts: NPSV by activity, and each activity's own charts."""

from __future__ import annotations

from typing import Any

from loti.core.charts import Chart, bar_chart
from loti.evaluation.activities.charts import tornado_chart


def npsv_by_activity_chart(activities: list[dict]) -> Chart:
    appraised = [a for a in activities if a["appraised"]]
    return bar_chart(
        id="npsv-by-activity",
        title="Net present social value of each activity",
        description="The net present social value of each appraised activity, in pounds.",
        label="Activity",
        value_label="NPSV",
        bars=[(a["title"], a["npsv"]) for a in appraised],
        currency=True,
    )


def report_charts(content: dict) -> dict[str, Any]:
    """The report's charts, from its content (so a published report draws its own figures):
    NPSV by activity, and a tornado chart for each appraised activity."""
    appraised = [a for a in content["activities"] if a["appraised"]]
    return {
        "npsv": npsv_by_activity_chart(appraised) if appraised else None,
        "tornadoes": {
            activity["slug"]: tornado_chart(
                id=f"tornado-{activity['slug']}",
                title=f"{activity['title']}: how far each input moves NPSV",
                base_npsv=activity["npsv"],
                rows=activity["tornado"],
            )
            for activity in appraised
            if activity["tornado"]
        },
    }
