"""Records the project tests build on: projects, their weeknotes and resources. Calls and
proposals come from tests/portfolio/call_helpers.py."""

from __future__ import annotations

import datetime
from decimal import Decimal

from loti.portfolio.models import ProposalType
from loti.portfolio.projects import services as project_services
from tests.portfolio.call_helpers import make_workstream as workstream


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
