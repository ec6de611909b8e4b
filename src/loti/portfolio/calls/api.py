"""Calls for ideas over the API: calls, their proposals and their published results, and
proposing an idea for one's own organisation. Projects are in projects/api.py."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictInt

from loti.core.api import ERRORS, Pagination, Payload, Text, public_or_token, token_auth, user_of
from loti.core.permissions import Action, Data, can
from loti.members import selectors as member_selectors
from loti.portfolio.calls import selectors, services
from loti.portfolio.calls.models import Call, ProposalType, VotingMethod
from loti.portfolio.workstreams import selectors as workstream_selectors

router = Router(tags=["portfolio"])

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]


class CriterionOut(Schema):
    name: str
    description: str
    weight: int


class RoundOut(Schema):
    slug: str
    title: str
    description: str
    state: str
    proposals_open_on: datetime.date
    proposals_close_on: datetime.date
    voting_opens_on: datetime.date
    voting_closes_on: datetime.date
    budget: Decimal
    capacity_chunks: int
    method: VotingMethod
    points: int
    approvals_max: int
    vote_weight: Decimal
    results_published_at: datetime.datetime | None
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_state(obj: Call) -> str:
        return obj.state(timezone.localdate()).value

    @staticmethod
    def resolve_criteria(obj: Call) -> list:
        return list(obj.criteria.all())


class ProposalOut(Schema):
    id: int
    round: str = Field(..., alias="call.slug")
    title: str
    problem: str
    outcome: str
    type: ProposalType
    workstream: str = Field(..., alias="workstream.slug")
    organisation: str = Field(..., alias="organisation.slug")
    supporters: list[str] = Field(
        ..., description="Slugs of the supporting organisations that have confirmed"
    )
    awaiting_confirmation: list[str] = Field(
        ..., description="Slugs of organisations named as supporters that have not yet confirmed"
    )
    estimated_cost: Decimal
    chunks: int
    ethical_considerations: str

    @staticmethod
    def resolve_supporters(obj) -> list[str]:
        return [organisation.slug for organisation in obj.confirmed_supporters]

    @staticmethod
    def resolve_awaiting_confirmation(obj) -> list[str]:
        return [organisation.slug for organisation in obj.awaiting_supporters]


class ProposalIn(Payload):
    title: Text = Field(min_length=1, max_length=200)
    problem: Text = Field(min_length=1, max_length=20_000)
    outcome: Text = Field(min_length=1, max_length=20_000)
    type: ProposalType
    workstream: Text = Field(description="The workstream's slug")
    organisation: Text | None = Field(
        None,
        description="The proposing organisation's slug: your own (the default); the office "
        "names any",
    )
    supporters: list[Text] = Field(
        default_factory=list,
        max_length=100,
        description="Supporting organisations' slugs: each is shown as a supporter once its "
        "own lead or officer confirms",
    )
    estimated_cost: Money
    chunks: Annotated[StrictInt, Field(ge=1, le=50)]
    ethical_considerations: Text = Field(min_length=1, max_length=20_000)


class ResultOut(Schema):
    proposal: int = Field(..., alias="proposal_id")
    title: str = Field(..., alias="proposal.title")
    organisation: str = Field(..., alias="proposal.organisation.slug")
    estimated_cost: Decimal = Field(..., alias="proposal.estimated_cost")
    chunks: int = Field(..., alias="proposal.chunks")
    vote_share: float
    criteria_score: float | None
    combined: float
    chosen_by_optimiser: bool
    chosen_by_greedy: bool
    selected: bool
    reason: str
    override: str
    override_reason: str


class ResultsOut(Schema):
    round: str
    published_at: datetime.datetime | None
    budget: int
    capacity_chunks: int
    selected_cost: int
    selected_chunks: int
    greedy_cost: int
    greedy_chunks: int
    proposals: list[ResultOut]


def _call(request: HttpRequest, slug: str) -> Call:
    return selectors.call_for(user=user_of(request), slug=slug)


@router.get("/portfolio/rounds", response={200: list[RoundOut], **ERRORS}, auth=public_or_token)
@paginate(Pagination)
def list_rounds(request):
    """Calls for ideas, newest first: every call for members, those with published results
    for everyone else."""
    return selectors.call_list(user=user_of(request)).prefetch_related("criteria")


@router.get("/portfolio/rounds/{slug}", response={200: RoundOut, **ERRORS}, auth=public_or_token)
def get_round(request, slug: str):
    return _call(request, slug)


@router.get(
    "/portfolio/rounds/{slug}/proposals",
    response={200: list[ProposalOut], **ERRORS},
    auth=token_auth,
)
@paginate(Pagination)
def list_proposals(request, slug: str):
    """A call's proposals: for members and the office."""
    if not selectors.reads_calls(user_of(request)):
        raise PermissionDenied
    return selectors.proposal_list(user=user_of(request), call=_call(request, slug)).order_by("pk")


def _by_slug(records: QuerySet, slug: str, field: str, noun: str):
    found = records.filter(slug=slug).first()
    if found is None:
        raise ValidationError({field: [f"There is no {noun} with the slug {slug!r}"]})
    return found


@router.post(
    "/portfolio/rounds/{slug}/proposals", response={201: ProposalOut, **ERRORS}, auth=token_auth
)
def create_proposal(request, slug: str, payload: ProposalIn):
    """Propose an idea while the call is open for proposals: for your own organisation (the
    office, for any)."""
    user = user_of(request)
    if not can(user, Data.CALLS, Action.WRITE):
        raise PermissionDenied
    call = _call(request, slug)
    fields = payload.dict()
    organisation_slug = fields.pop("organisation")
    if organisation_slug is None:
        if user.organisation_id is None:
            raise ValidationError({"organisation": ["Name the proposing organisation"]})
        organisation = user.organisation
    else:
        organisation = _by_slug(
            member_selectors.organisations(), organisation_slug, "organisation", "organisation"
        )
    supporters = [
        _by_slug(member_selectors.organisations(), s, "supporters", "organisation")
        for s in dict.fromkeys(fields.pop("supporters"))
    ]
    fields["workstream"] = _by_slug(
        workstream_selectors.workstream_list(), fields["workstream"], "workstream", "workstream"
    )
    proposal = services.proposal_create(
        actor=user,
        call=call,
        organisation=organisation,
        supporters=supporters,
        today=timezone.localdate(),
        **fields,
    )
    return Status(201, proposal)


@router.get(
    "/portfolio/rounds/{slug}/results", response={200: ResultsOut, **ERRORS}, auth=public_or_token
)
def get_results(request, slug: str):
    """A call's selection, once its results are published (a 404 before)."""
    call = selectors.call_for(user=user_of(request), slug=slug, published_only=True)
    outcome = selectors.results_for(user=user_of(request), call=call)
    return {
        "round": call.slug,
        "published_at": call.results_published_at,
        "budget": outcome.budget,
        "capacity_chunks": outcome.capacity,
        "selected_cost": outcome.selected.cost,
        "selected_chunks": outcome.selected.chunks,
        "greedy_cost": outcome.greedy.cost,
        "greedy_chunks": outcome.greedy.chunks,
        "proposals": outcome.rows,
    }
