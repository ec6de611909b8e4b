"""The calls for ideas on the home page: a member lead's ballots, calls open for proposals,
the office's view of who has voted, and published results."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from loti.core import home
from loti.portfolio.calls import selectors

RESULTS_SHOWN = 3


def ballots(user: Any) -> list[home.Row] | None:
    open_ballots = selectors.ballots_open(user=user, today=timezone.localdate())
    if open_ballots is None:
        return None
    return [
        home.Row(
            text=f"{'Change' if found.cast else 'Cast'} your ballot in {found.call.title}",
            url=reverse("portfolio:ballot", args=[found.call.slug]),
            tag="Voted" if found.cast else "Not voted",
            tag_colour="green" if found.cast else "red",
            detail=f"Voting closes {home.day(found.call.voting_closes_on)}",
        )
        for found in open_ballots
    ]


def proposing(user: Any) -> list[home.Row] | None:
    calls = selectors.calls_open_for_proposals(user=user, today=timezone.localdate())
    if calls is None:
        return None
    return [
        home.Row(
            text=call.title,
            url=call.get_absolute_url(),
            tag=f"Closes {home.day(call.proposals_close_on)}",
            tag_colour="grey",
        )
        for call in calls
    ]


def turnout(user: Any) -> list[home.Row] | None:
    found = selectors.ballot_turnout(user=user, today=timezone.localdate())
    if found is None:
        return None
    return [
        home.Row(
            text=(
                f"{call.call.title}: {len(call.voted)} of "
                f"{len(call.voted) + len(call.not_voted)} core members have voted"
            ),
            url=call.call.get_absolute_url(),
            tag=f"Closes {home.day(call.call.voting_closes_on)}",
            tag_colour="grey",
            detail=(
                f"Not voted yet: {', '.join(call.not_voted)}"
                if call.not_voted
                else "Every core member has voted."
            ),
        )
        for call in found
    ]


def results(user: Any) -> list[home.Row]:
    return [
        home.Row(
            text=f"Results of {call.title}",
            url=reverse("portfolio:results", args=[call.slug]),
            detail=f"Published {home.day(timezone.localdate(call.results_published_at))}",
        )
        for call in selectors.published_results(limit=RESULTS_SHOWN)
    ]


def register() -> None:
    home.register(
        key="ballots",
        heading="Calls for ideas open for your vote",
        section=home.WAITING,
        order=10,
        rows=ballots,
        empty="No call for ideas is open for your organisation's vote.",
    )
    home.register(
        key="calls-proposing",
        heading="Calls for ideas taking proposals",
        section=home.WAITING,
        order=40,
        rows=proposing,
        empty="No call for ideas is taking proposals.",
    )
    home.register(
        key="ballot-turnout",
        heading="Who has voted in open calls",
        section=home.WAITING,
        order=10,
        rows=turnout,
        empty="No call for ideas is open for voting.",
    )
    home.register(
        key="call-results",
        heading="Results of calls for ideas",
        section=home.RECENT,
        order=20,
        rows=results,
        empty="No call for ideas has published its results yet.",
    )
