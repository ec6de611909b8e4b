"""Calls for ideas and their proposals, built through the services, for every test that needs
one: a call in a given stage today, or one that opened on a given day (with its results
published, if asked); a proposal made while its call was open, selected or not if asked."""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from loti.members.financial_year import FinancialYear
from loti.portfolio.calls import services
from loti.portfolio.models import (
    Call,
    Proposal,
    ProposalType,
    SelectionResult,
    Support,
    SupportState,
    Workstream,
)
from loti.portfolio.workstreams import services as workstream_services
from tests.factories import MembershipFactory

# Days from today to each of a call's dates: proposals open, close, voting opens, closes.
STAGES = {
    "upcoming": (10, 30, 40, 50),
    "proposing": (-5, 10, 20, 30),
    "assessing": (-30, -5, 5, 15),
    "voting": (-40, -20, -2, 10),
    "closed": (-60, -40, -30, -2),
}
# Days from the day a call opens to each of its dates, for a call given by that day.
FROM_OPENING = (0, 30, 45, 60)

CRITERIA = [
    {"name": "Relevance to the workstreams", "description": "", "weight": 2},
    {"name": "Clear benefit to London", "description": "", "weight": 1},
]


def make_workstream(name: str = "Data collaboration") -> Workstream:
    existing = Workstream.objects.filter(name=name).first()
    return existing or workstream_services.workstream_create(actor=None, name=name)


def make_call(
    *,
    today: datetime.date | None = None,
    stage: str | None = None,
    opens: datetime.date | None = None,
    published: bool = False,
    title: str | None = None,
    method: str = "points",
    budget: int = 100_000,
    capacity: int = 10,
    criteria: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Call:
    """A call in `stage` on `today`, or one that opened on `opens`; `published` stamps its
    results as published now (whatever its proposals, as the project tests need)."""
    if opens is not None:
        dates = [opens + datetime.timedelta(days=days) for days in FROM_OPENING]
        title = title or f"Call for ideas {opens:%B %Y}"
    else:
        dates = [today + datetime.timedelta(days=days) for days in STAGES[stage]]
        title = title or f"Call for ideas ({stage})"
    call = services.call_create(
        actor=None,
        criteria=criteria or CRITERIA,
        title=title,
        proposals_open_on=dates[0],
        proposals_close_on=dates[1],
        voting_opens_on=dates[2],
        voting_closes_on=dates[3],
        budget=Decimal(budget),
        capacity_chunks=capacity,
        method=method,
        **fields,
    )
    if published:
        call.results_published_at = timezone.now()
        call.save(update_fields=["results_published_at"])
    return call


def make_proposal(
    *,
    call: Call,
    organisation,
    title: str = "Shared digital inclusion hub",
    cost: int = 20_000,
    chunks: int = 2,
    type: str = ProposalType.ADOPTION,
    supporters=(),
    supporters_confirmed: bool = True,
    selected: bool | None = None,
    actor=None,
    problem: str = "Residents without internet access miss out on council services.",
    outcome: str = "One hub that every borough can refer residents to.",
) -> Proposal:
    """A proposal made while the call was open, whatever its stage now. Its `supporters`
    have confirmed their support unless `supporters_confirmed` is False. With `selected`, the
    call's selection has run and chose it (True) or not (False)."""
    # On the day proposals opened the results were not yet published, whatever they are now.
    as_it_was = copy.copy(call)
    as_it_was.results_published_at = None
    proposal = services.proposal_create(
        actor=actor,
        call=as_it_was,
        organisation=organisation,
        today=call.proposals_open_on,
        supporters=supporters,
        title=title,
        problem=problem,
        outcome=outcome,
        type=type,
        workstream=make_workstream(),
        estimated_cost=Decimal(cost),
        chunks=chunks,
        ethical_considerations="Personal data stays with each borough.",
    )
    proposal.call = call
    if supporters_confirmed:
        Support.objects.filter(proposal=proposal).update(state=SupportState.CONFIRMED)
    if selected is not None:
        SelectionResult.objects.create(
            call=call,
            proposal=proposal,
            vote_share=0.5,
            criteria_score=4.0,
            combined=0.8,
            chosen_by_optimiser=selected,
            chosen_by_greedy=selected,
            selected=selected,
        )
    return proposal


def make_core(organisation, *, on: datetime.date) -> None:
    """Make `organisation` a core member in the financial year of `on`."""
    MembershipFactory(organisation=organisation, year=FinancialYear.containing(on).start_year)
