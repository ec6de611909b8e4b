"""Projects on the home page: the ones a person's organisation works on with their next
review, the reviews the office has to run, and the newest projects."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from loti.core import home
from loti.portfolio.projects import selectors

NEWEST_SHOWN = 3
SHOWN = 5
# The office sees reviews due within the next fortnight, and every overdue one.
REVIEWS_AHEAD = datetime.timedelta(days=14)


def _review_tag(due: datetime.date, today: datetime.date) -> tuple[str, str]:
    if due < today:
        return f"Review overdue since {home.day(due)}", "red"
    return f"Review due {home.day(due)}", "grey" if due > today + REVIEWS_AHEAD else "yellow"


def worked_on(user: Any) -> home.Rows | None:
    running = selectors.projects_worked_on(user=user)
    if running is None:
        return None
    today = timezone.localdate()
    own = user.organisation.short_name

    def row(found: selectors.Running) -> home.Row:
        project, cycle = found.project, found.next_review
        tag, colour = _review_tag(cycle.ends_on, today) if cycle else ("No review planned", "grey")
        if project.lead_organisation_id == user.organisation_id:
            detail = f"Led by {own}"
        else:
            detail = f"Led by {project.lead_organisation.short_name}, with {own} as a partner"
        return home.Row(
            text=project.title,
            url=project.get_absolute_url(),
            tag=tag,
            tag_colour=colour,
            detail=detail + (f". Next: the review of cycle {cycle.number}" if cycle else ""),
        )

    return home.rows_of(running, limit=SHOWN, row=row, more_url=reverse("portfolio:projects"))


def reviews(user: Any) -> home.Rows | None:
    today = timezone.localdate()
    due = selectors.reviews_due(user=user, until=today + REVIEWS_AHEAD)
    if due is None:
        return None

    def row(cycle: Any) -> home.Row:
        tag, colour = _review_tag(cycle.ends_on, today)
        return home.Row(
            text=f"{cycle.project.title}: review cycle {cycle.number}",
            url=reverse("portfolio:cycle_review", args=[cycle.project.slug, cycle.number]),
            tag=tag,
            tag_colour=colour,
        )

    return home.rows_of(due, limit=SHOWN, row=row, more_url=reverse("portfolio:timeline"))


def newest(user: Any) -> list[home.Row]:
    return [
        home.Row(
            text=project.title,
            url=project.get_absolute_url(),
            detail=f"Led by {project.lead_organisation.short_name}, started "
            f"{home.day(project.started_on)}",
        )
        for project in selectors.newest_projects(user=user, limit=NEWEST_SHOWN)
    ]


def register() -> None:
    home.register(
        key="reviews-due",
        heading="Cycle reviews due",
        section=home.WAITING,
        order=30,
        rows=reviews,
        empty="No cycle review is due in the next 2 weeks.",
    )
    home.register(
        key="projects-worked-on",
        heading="Projects your organisation works on",
        section=home.ORGANISATION,
        order=40,
        rows=worked_on,
        empty="Your organisation is not working on any running project.",
    )
    home.register(
        key="newest-projects",
        heading="Newest projects",
        section=home.RECENT,
        order=10,
        rows=newest,
        empty="No project has started yet.",
    )
