"""Records the project tests build on: a workstream, a call with published results and a
selected proposal, written straight to the database so the project tests stand alone."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from loti.portfolio.models import Call, Proposal, ProposalType, SelectionResult, VotingMethod
from loti.portfolio.projects import services as project_services
from tests.portfolio.call_helpers import make_workstream as workstream


def call(*, budget: Decimal = Decimal(300000), opens: datetime.date, published: bool) -> Call:
    return Call.objects.create(
        title=f"Call for ideas {opens:%B %Y}",
        slug=f"call-{opens:%Y-%m}",
        proposals_open_on=opens,
        proposals_close_on=opens + datetime.timedelta(days=30),
        voting_opens_on=opens + datetime.timedelta(days=45),
        voting_closes_on=opens + datetime.timedelta(days=60),
        budget=budget,
        capacity_chunks=20,
        method=VotingMethod.POINTS,
        results_published_at=timezone.now() if published else None,
    )


def proposal(
    *,
    call: Call,
    organisation,
    supporters=(),
    selected: bool = True,
    chunks: int = 3,
    cost: Decimal = Decimal(45000),
    title: str = "Shared cyber attack surface mapping pilot",
) -> Proposal:
    item = Proposal.objects.create(
        call=call,
        title=title,
        problem="Each borough maps its internet-facing assets alone.",
        outcome="One shared map of every member's attack surface.",
        type=ProposalType.INNOVATION,
        workstream=workstream(),
        organisation=organisation,
        estimated_cost=cost,
        chunks=chunks,
    )
    item.supporters.set(supporters)
    SelectionResult.objects.create(
        call=call,
        proposal=item,
        vote_share=0.5,
        criteria_score=4.0,
        combined=0.8,
        chosen_by_optimiser=selected,
        chosen_by_greedy=selected,
        selected=selected,
    )
    return Proposal.objects.select_related("call", "selection").get(pk=item.pk)


def project(
    *,
    lead,
    partners=(),
    started_on: datetime.date = datetime.date(2026, 5, 4),
    chunks: int = 3,
    title: str = "Common job descriptions for data roles",
    budget: Decimal = Decimal(60000),
    type: str = ProposalType.CAPABILITY,
):
    return project_services.project_create(
        actor=None,
        title=title,
        introduction="Boroughs write the same data job descriptions again and again.",
        lead_organisation=lead,
        partners=partners,
        type=type,
        workstream=workstream(),
        budget=budget,
        started_on=started_on,
        chunks=chunks,
        first_goal="Collect the job descriptions members use now",
    )


def post_weeknote(author, project, *, title: str = "Week 3"):
    return project_services.weeknote_post(
        actor=author,
        project=project,
        published_on=datetime.date(2026, 11, 22),
        title=title,
        body="We met suppliers.",
    )


def link_resource(added_by, project, *, title: str = "Draft specification"):
    return project_services.resource_add(
        actor=added_by, project=project, title=title, url="https://example.org/s", kind="code"
    )
