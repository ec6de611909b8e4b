"""Projects over the API: public to read, like their pages."""

import datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from loti.core.api import ERRORS, Pagination, Text, is_slug, public_or_token, user_of
from loti.portfolio.calls.models import ProposalType
from loti.portfolio.projects import selectors
from loti.portfolio.projects.models import Phase
from loti.portfolio.workstreams.models import Workstream

router = Router(tags=["projects"])


class ProjectSummaryOut(Schema):
    slug: str
    title: str
    summary: str
    type: ProposalType
    workstream: str = Field(..., alias="workstream.slug")
    phase: Phase
    lead_organisation: str = Field(..., alias="lead_organisation.slug")
    budget: Decimal
    started_on: datetime.date
    ended_on: datetime.date | None
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class CycleOut(Schema):
    number: int
    goal: str
    starts_on: datetime.date
    ends_on: datetime.date = Field(
        ..., description="Exclusive: the day the review is due and the next cycle starts"
    )
    decision: str | None
    notes: str
    decided_on: datetime.date | None

    @staticmethod
    def resolve_decision(obj) -> str | None:
        return obj.decision or None


class ResourceOut(Schema):
    title: str
    url: str
    kind: str
    licence: str


class ProjectOut(ProjectSummaryOut):
    introduction: str
    proposal: int | None = Field(None, alias="proposal_id")
    partners: list[str]
    cycles: list[CycleOut]
    resources: list[ResourceOut]

    @staticmethod
    def resolve_partners(obj) -> list[str]:
        return [organisation.slug for organisation in obj.partner_list]

    @staticmethod
    def resolve_cycles(obj) -> list:
        return obj.cycle_list

    @staticmethod
    def resolve_resources(obj) -> list:
        return obj.resource_list


@router.get(
    "/portfolio/projects", response={200: list[ProjectSummaryOut], **ERRORS}, auth=public_or_token
)
@paginate(Pagination)
def list_projects(
    request: HttpRequest,
    workstream: Text | None = None,
    type: ProposalType | None = None,
    phase: Phase | None = None,
):
    """Projects, newest first. Filter by a workstream's slug, a type and a phase."""
    if workstream is not None:
        get_object_or_404(Workstream, slug=workstream)
    return selectors.project_list(
        user=user_of(request), workstream=workstream, type=type, phase=phase
    )


@router.get(
    "/portfolio/projects/{slug}", response={200: ProjectOut, **ERRORS}, auth=public_or_token
)
def get_project(request: HttpRequest, slug: str):
    """A project with its partners, plan of cycles (with their decisions) and resources."""
    if not is_slug(slug):
        raise Http404
    return selectors.project_with_plan(user=user_of(request), slug=slug)
