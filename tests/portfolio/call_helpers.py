"""Calls in each stage, built through the services, for the tests of calls for ideas."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from loti.members.financial_year import FinancialYear
from loti.portfolio.calls import services
from loti.portfolio.models import Call, Proposal, ProposalType, Workstream
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

CRITERIA = [
    {"name": "Relevance to the workstreams", "description": "", "weight": 2},
    {"name": "Clear benefit to London", "description": "", "weight": 1},
]


def make_workstream(name: str = "Data collaboration") -> Workstream:
    existing = Workstream.objects.filter(name=name).first()
    return existing or workstream_services.workstream_create(actor=None, name=name)


def make_call(
    *,
    today: datetime.date,
    stage: str,
    title: str | None = None,
    method: str = "points",
    budget: int = 100_000,
    capacity: int = 10,
    criteria: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Call:
    offsets = STAGES[stage]
    dates = [today + datetime.timedelta(days=days) for days in offsets]
    return services.call_create(
        actor=None,
        criteria=criteria or CRITERIA,
        title=title or f"Call for ideas ({stage})",
        proposals_open_on=dates[0],
        proposals_close_on=dates[1],
        voting_opens_on=dates[2],
        voting_closes_on=dates[3],
        budget=Decimal(budget),
        capacity_chunks=capacity,
        method=method,
        **fields,
    )


def make_proposal(
    *,
    call: Call,
    organisation,
    title: str = "Shared digital inclusion hub",
    cost: int = 20_000,
    chunks: int = 2,
    actor=None,
    problem: str = "Residents without internet access miss out on council services.",
    outcome: str = "One hub that every borough can refer residents to.",
) -> Proposal:
    """A proposal made while the call was open, whatever its stage now."""
    return services.proposal_create(
        actor=actor,
        call=call,
        organisation=organisation,
        today=call.proposals_open_on,
        title=title,
        problem=problem,
        outcome=outcome,
        type=ProposalType.ADOPTION,
        workstream=make_workstream(),
        estimated_cost=Decimal(cost),
        chunks=chunks,
        ethical_considerations="Personal data stays with each borough.",
    )


def make_core(organisation, *, on: datetime.date) -> None:
    """Make `organisation` a core member in the financial year of `on`."""
    MembershipFactory(organisation=organisation, year=FinancialYear.containing(on).start_year)
