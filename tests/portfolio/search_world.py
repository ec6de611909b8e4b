"""A small portfolio and library for the one search's tests, built once per module: a
project with a weeknote, a proposal, and library resources open, members-only and draft."""

from __future__ import annotations

import datetime

from django.utils import timezone

from loti.library.models import Resource
from loti.portfolio.projects.models import Project, Weeknote
from tests import clock
from tests.personas import PERSONAS, build_personas
from tests.portfolio.call_helpers import make_call, make_proposal, make_workstream


def resource(*, title, summary, organisation, licence="ogl-3.0", published=True, projects=()):
    made = Resource.objects.create(
        title=title,
        summary=summary,
        kind="specification",
        licence=licence,
        published_at=timezone.now() if published else None,
    )
    made.organisations.set([organisation])
    made.projects.set(projects)
    return made


def build_world() -> dict:
    built = build_personas()
    world = {name: built[name] for name in PERSONAS}
    borough_a, borough_b = built["borough_a"], built["borough_b"]
    workstream = make_workstream()
    project = Project.objects.create(
        title="Temporary accommodation data standard",
        slug="ta-standard",
        summary="One schema for placements in temporary accommodation",
        introduction="Boroughs describe temporary accommodation placements the same way.",
        lead_organisation=borough_a,
        type="innovation",
        workstream=workstream,
        budget=50_000,
        started_on=clock.TODAY - datetime.timedelta(days=90),
    )
    other = Project.objects.create(
        title="Placements schema for temporary accommodation in Camden",
        slug="camden-placements",
        introduction="A data standard describing temporary accommodation placements.",
        lead_organisation=borough_b,
        type="adoption",
        workstream=workstream,
        budget=20_000,
        started_on=clock.TODAY - datetime.timedelta(days=30),
    )
    weeknote = Weeknote.objects.create(
        project=project,
        published_on=clock.TODAY - datetime.timedelta(days=7),
        title="Week four: the wombat field",
        body="We agreed how to record the wombat field for every placement.",
    )
    call = make_call(today=clock.TODAY, stage="proposing", title="Call for ideas 2027")
    proposal = make_proposal(
        call=call,
        organisation=borough_b,
        title="Quokka counting for parks",
        problem="Nobody counts the quokkas in our parks the same way.",
        outcome="One quokka census across London.",
    )
    world.update(
        borough_a=borough_a,
        borough_b=borough_b,
        call=call,
        project=project,
        other=other,
        weeknote=weeknote,
        proposal=proposal,
        open_resource=resource(
            title="Temporary accommodation placements specification",
            summary="A data standard for temporary accommodation placements, ready to reuse.",
            organisation=borough_b,
            projects=[project],
        ),
        members_resource=resource(
            title="Temporary accommodation placements business case",
            summary="The business case for a temporary accommodation placements standard.",
            organisation=borough_b,
            licence="members-only",
            projects=[project],
        ),
        draft_resource=resource(
            title="Temporary accommodation placements tender draft",
            summary="A draft tender for temporary accommodation placements systems.",
            organisation=borough_b,
            published=False,
            projects=[project],
        ),
    )
    return world
