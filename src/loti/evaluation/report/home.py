"""Published evaluation reports on the home page: public."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from loti.core import home
from loti.evaluation.report import selectors

SHOWN = 3


def reports(user: Any) -> list[home.Row]:
    return [
        home.Row(
            text=publication.title,
            url=publication.get_absolute_url(),
            detail=f"Published {home.day(timezone.localdate(publication.published_at))}",
        )
        for publication in selectors.newest_publications(limit=SHOWN)
    ]


def register() -> None:
    home.register(
        key="published-reports",
        heading="Evaluation reports",
        section=home.RECENT,
        order=40,
        rows=reports,
        empty="No evaluation report has been published yet.",
    )
