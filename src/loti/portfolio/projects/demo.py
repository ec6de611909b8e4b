"""Demo projects. They are SYNTHETIC: the titles are the kind of work London's boroughs do
together, but every date, budget, decision, weeknote and resource is made up.

The projects are the selected proposals of the demo's published call for ideas, started over
the months after its results, plus six earlier projects from 2023 and 2024. Every cycle that
has ended by `today` is reviewed: mostly continue, some pivots, a stop or two and a couple of
completions.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from loti.core.permissions import Role
from loti.members import selectors as member_selectors
from loti.portfolio.calls.models import Proposal, ProposalType
from loti.portfolio.projects import services
from loti.portfolio.projects.models import Decision, Phase, Project, Resource
from loti.portfolio.workstreams.models import Workstream

if TYPE_CHECKING:
    from loti.members.models import Person

# After the review of these cycles a running project moves on to the next phase.
PHASE_AFTER_CYCLE = {1: Phase.ALPHA, 3: Phase.BETA, 6: Phase.LIVE}
PIVOT_CHANCE = 0.15
WEEKNOTE_DAYS = 21
WEEKNOTES_KEPT = 8


@dataclass(frozen=True)
class Earlier:
    title: str
    summary: str
    introduction: str
    type: str
    workstream: str
    started_on: datetime.date
    chunks: int
    budget: int
    # ("complete" or "stop", at the review of this cycle), or None to keep running.
    fate: tuple[str, int] | None


EARLIER = [
    Earlier(
        "Digital inclusion: device recycling across boroughs",
        "Refurbished council laptops for residents without a device.",
        "Councils replace thousands of laptops a year while many residents have no device to "
        "get online. This project set up one route for boroughs to wipe, refurbish and pass "
        "on their old laptops through local digital inclusion partners.",
        ProposalType.ADOPTION,
        "Sharing and reusing",
        datetime.date(2023, 5, 8),
        4,
        38000,
        ("complete", 4),
    ),
    Earlier(
        "Shared cyber attack surface mapping pilot",
        "One map of the internet-facing systems of the participating boroughs.",
        "Each borough tracks its internet-facing systems alone, and attackers look for the "
        "forgotten ones. The pilot tested whether a shared, passive map of members' domains "
        "and services finds weaknesses sooner than each team could.",
        ProposalType.INNOVATION,
        "Shared experiments",
        datetime.date(2023, 10, 2),
        3,
        52000,
        ("stop", 2),
    ),
    Earlier(
        "Common job descriptions for data roles",
        "Shared job descriptions and grades for data analysts, engineers and scientists.",
        "Boroughs compete for the same data specialists with job descriptions that differ for "
        "the same work. The project agreed a common set, with pay bands, that any member can "
        "reuse.",
        ProposalType.CAPABILITY,
        "Collective knowledge",
        datetime.date(2024, 1, 15),
        3,
        24000,
        ("complete", 3),
    ),
    Earlier(
        "One information-sharing agreement for homelessness prevention",
        "A single agreement in place of dozens of bilateral ones.",
        "Housing teams need to share data about households at risk of homelessness across "
        "borough boundaries. The project drafted one multi-party agreement that members sign "
        "once.",
        ProposalType.CAPABILITY,
        "Embedding standards",
        datetime.date(2024, 4, 8),
        5,
        45000,
        ("complete", 6),
    ),
    Earlier(
        "Damp and mould sensors in social housing",
        "Testing low-cost sensors to find damp before tenants report it.",
        "Damp and mould harm tenants' health. The project tests whether cheap humidity and "
        "temperature sensors, with a shared data model, help landlords act before a "
        "complaint.",
        ProposalType.INNOVATION,
        "Data collaboration",
        datetime.date(2024, 6, 17),
        4,
        86000,
        None,
    ),
    Earlier(
        "Digital leadership programme for heads of service",
        "Short courses for service leaders commissioning digital work.",
        "Service heads commission technology without always knowing what good looks like. "
        "The programme runs short cohorts on user needs, agile delivery and data ethics.",
        ProposalType.CAPABILITY,
        "Digital leadership",
        datetime.date(2024, 9, 9),
        4,
        60000,
        None,
    ),
]

NOTES = {
    Decision.CONTINUE: [
        "The goal was met; the plan for the next cycle stands.",
        "Good progress with the pilot boroughs; carry on as planned.",
        "Users' feedback supports the approach. Continue.",
        "Most of the goal was met; the rest moves into the next cycle.",
    ],
    Decision.PIVOT: [
        "Research showed the problem lies elsewhere; the next cycle changes direction.",
        "The first approach did not work for smaller teams; we will try another.",
    ],
    Decision.STOP: [
        "The need is now met by a national service, so the project stops here.",
        "Too few members could take part this year; stopping cleanly and publishing what we "
        "learned.",
    ],
    Decision.COMPLETE: [
        "The outcome sought is met and handed over to the members who run it.",
    ],
}
PIVOT_GOALS = [
    "Test the simpler version with two boroughs",
    "Work with the suppliers instead of building our own",
    "Focus on the residents most affected",
]
NEXT_GOALS = [
    "Test with more boroughs",
    "Write up the guidance and share it",
    "Measure the benefit with the pilot teams",
    "",
]
WEEKNOTE_TITLES = [
    "What we learned from user research",
    "Show and tell with members",
    "Working with suppliers",
    "A week of testing",
    "Sharing what we made",
    "Planning the next cycle",
]
WEEKNOTE_BODIES = [
    "We spoke to officers in {n} boroughs about how they work today. ",
    "Our show and tell drew people from {n} organisations; the slides are in the resources. ",
    "We tested the prototype with {n} users and fixed the biggest problems they found. ",
    "We met {n} suppliers to understand what the market already offers. ",
]
RESOURCES = [
    ("Discovery report", Resource.Kind.DOCUMENT, "Open Government Licence v3.0"),
    ("Service specification", Resource.Kind.SPECIFICATION, "Open Government Licence v3.0"),
    ("Prototype code", Resource.Kind.CODE, "MIT"),
    ("Guide for members", Resource.Kind.GUIDE, "Creative Commons Attribution 4.0"),
]


def build(*, rng: random.Random, today: datetime.date) -> None:
    workstreams = list(Workstream.objects.order_by("order", "pk"))
    if not workstreams:
        return
    councils = member_selectors.councils()
    boroughs = list(councils.filter(people__role=Role.LEAD).distinct().order_by("slug")) or list(
        councils.order_by("slug")
    )
    if not boroughs:
        return
    others = list(member_selectors.organisations().exclude(pk__in=councils).order_by("slug"))
    projects: list[tuple[Project, tuple[str, int] | None]] = []
    for earlier in EARLIER:
        lead = rng.choice(boroughs)
        partners = rng.sample(
            [b for b in boroughs if b != lead], k=min(rng.randint(2, 5), len(boroughs) - 1)
        )
        if others and rng.random() < 0.4:
            partners.append(rng.choice(others))
        project = services.project_create(
            actor=None,
            title=earlier.title,
            summary=earlier.summary,
            introduction=earlier.introduction,
            lead_organisation=lead,
            partners=partners,
            type=earlier.type,
            workstream=_workstream(workstreams, earlier.workstream),
            budget=Decimal(earlier.budget),
            started_on=earlier.started_on,
            chunks=earlier.chunks,
            first_goal="Understand the problem with the members most affected",
        )
        projects.append((project, earlier.fate))
    projects.extend(_from_proposals(rng=rng, today=today))
    for project, fate in projects:
        _run(project, fate=fate, rng=rng, today=today)
    Project.objects.filter(pk__in=[project.pk for project, _ in projects]).update(synthetic=True)


def _workstream(workstreams: list[Workstream], name: str) -> Workstream:
    return next((w for w in workstreams if w.name.lower() == name.lower()), workstreams[0])


def _from_proposals(
    *, rng: random.Random, today: datetime.date
) -> list[tuple[Project, tuple[str, int] | None]]:
    """The published calls' selected proposals, started over the months after the results:
    the first stops at its second review, the second completes at its last planned one."""
    selected = (
        Proposal.objects.filter(
            selection__selected=True,
            call__results_published_at__isnull=False,
            project__isnull=True,
        )
        .select_related("call", "selection", "organisation")
        .order_by("call__results_published_at", "-selection__combined", "pk")
    )
    started = []
    for index, proposal in enumerate(selected):
        results = proposal.call.results_published_at.date()
        starts_on = results + datetime.timedelta(days=rng.randint(14, 150))
        starts_on -= datetime.timedelta(days=starts_on.weekday())  # a Monday
        project = services.project_create_from_proposal(
            actor=None, proposal=proposal, starts_on=starts_on
        )
        fate = {0: ("stop", 2), 1: ("complete", proposal.chunks)}.get(index)
        started.append((project, fate))
    return started


def _reviewer(project: Project) -> Person | None:
    return (
        member_selectors.people(organisations=[project.lead_organisation_id], roles=[Role.LEAD])
        .order_by("pk")
        .first()
    )


def _run(
    project: Project, *, fate: tuple[str, int] | None, rng: random.Random, today: datetime.date
) -> None:
    """Review every cycle of `project` that has ended by `today`, then add its weeknotes and
    resources."""
    reviewer = _reviewer(project)
    number = 1
    while not project.has_ended:
        cycle = project.cycles.get(number=number)
        if cycle.ends_on > today:
            break
        decided_on = min(today, cycle.ends_on + datetime.timedelta(days=rng.randint(0, 3)))
        if fate is not None and fate[1] == number:
            decision = Decision.STOP if fate[0] == "stop" else Decision.COMPLETE
        elif rng.random() < PIVOT_CHANCE:
            decision = Decision.PIVOT
        else:
            decision = Decision.CONTINUE
        services.cycle_review(
            actor=reviewer,
            cycle=cycle,
            decision=decision,
            notes=rng.choice(NOTES[decision]),
            next_goal=rng.choice(PIVOT_GOALS if decision == Decision.PIVOT else NEXT_GOALS),
            today=decided_on,
        )
        project.refresh_from_db()
        phase = PHASE_AFTER_CYCLE.get(number)
        if phase is not None and not project.has_ended:
            services.project_phase_set(actor=None, project=project, phase=phase)
        number += 1
    _weeknotes(project, rng=rng, today=today)
    _resources(project, rng=rng, today=today)


def _people(project: Project) -> list[Person]:
    organisations = [project.lead_organisation_id, *project.partners.values_list("pk", flat=True)]
    return list(member_selectors.people(organisations=organisations).order_by("pk"))


def _weeknotes(project: Project, *, rng: random.Random, today: datetime.date) -> None:
    people = _people(project)
    last = min(today, project.ended_on or today)
    days = []
    day = project.started_on + datetime.timedelta(days=rng.randint(5, 12))
    while day <= last:
        days.append(day)
        day += datetime.timedelta(days=WEEKNOTE_DAYS + rng.randint(-3, 3))
    for day in days[-WEEKNOTES_KEPT:]:
        body = (
            "".join(rng.choice(WEEKNOTE_BODIES).format(n=rng.randint(2, 9)) for _ in range(2))
            + "Next, we carry on with the goal of this cycle."
        )
        services.weeknote_post(
            actor=rng.choice(people) if people else None,
            project=project,
            published_on=day,
            title=rng.choice(WEEKNOTE_TITLES),
            body=body,
            today=today,
        )


def _resources(project: Project, *, rng: random.Random, today: datetime.date) -> None:
    if project.started_on > today:
        return
    people = _people(project)
    for title, kind, licence in rng.sample(RESOURCES, k=rng.randint(1, 3)):
        services.resource_add(
            actor=rng.choice(people) if people else None,
            project=project,
            title=title,
            url=f"https://resources.loti.example/{project.slug}/{kind}",
            kind=kind,
            licence=licence,
        )
