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
from typing import TYPE_CHECKING, Any

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
WEEKNOTES_KEPT = 8
# The stage of the work in each cycle: discovery first, as PHASE_AFTER_CYCLE moves it on.
STAGES = [(7, Phase.LIVE), (4, Phase.BETA), (2, Phase.ALPHA), (1, Phase.DISCOVERY)]


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
# What each project is about, as its team would name it in a weeknote.
SUBJECTS = {
    "Digital inclusion: device recycling across boroughs": "the device recycling scheme",
    "Shared cyber attack surface mapping pilot": "the attack surface map",
    "Common job descriptions for data roles": "the common job descriptions",
    "One information-sharing agreement for homelessness prevention": (
        "the homelessness information-sharing agreement"
    ),
    "Damp and mould sensors in social housing": "the damp and mould sensors",
    "Digital leadership programme for heads of service": "the leadership programme",
    "Shared digital inclusion hub": "the digital inclusion hub",
    "Common data standard for temporary accommodation": (
        "the temporary accommodation data standard"
    ),
    "Cyber incident response playbook": "the cyber incident playbook",
    "Joint procurement of a contact centre platform": "the joint contact centre procurement",
    "Data ethics advisory panel": "the data ethics panel",
    "Predicting damp and mould in social housing": "the damp and mould model",
    "Digital apprenticeships across boroughs": "the apprenticeship scheme",
    "Single register of council-owned land": "the council land register",
    "Reusable accessibility testing service": "the accessibility testing service",
    "Cloud skills bootcamp for infrastructure teams": "the cloud skills bootcamp",
    "Shared parking permit data schema": "the parking permit schema",
    "Children's social care case recording standard": "the case recording standard",
    "Air quality sensor network pilot": "the air quality sensor pilot",
    "Supplier market engagement days": "the supplier engagement days",
    "Library of business cases": "the business case library",
    "Automated freedom of information triage": "the freedom of information triage tool",
    "Shared user research panel": "the user research panel",
    "Adult social care market map": "the care market map",
}
# Partners that take part in particular projects, whatever else the random draw gives.
PARTNER_PROJECTS = {
    "One information-sharing agreement for homelessness prevention": "met-police",
    "Shared cyber attack surface mapping pilot": "met-police",
}

# What a team did in a week, by the stage its cycle is in: (the weeknote's title, what we
# did). {subject} is the project's subject, {borough} and {other} two of its organisations.
DID = {
    Phase.DISCOVERY: [
        (
            "Talking to the people who do the work",
            "We interviewed {n} officers in {borough} and {other} about how they handle this "
            "today, and mapped every step they described that {subject} would touch.",
        ),
        (
            "Mapping what exists",
            "We gathered the forms, spreadsheets and contracts that {n} boroughs use now, to "
            "see what {subject} would replace and what it must connect to.",
        ),
        (
            "A workshop on the problem",
            "We ran a workshop with {borough} and {other} to agree the problem {subject} "
            "should solve, and wrote down what is out of scope.",
        ),
        (
            "Hearing from residents",
            "We spoke to {n} residents through {borough}'s research panel about what goes "
            "wrong for them today, which is what {subject} has to fix.",
        ),
        (
            "Looking at the market",
            "We met {n} suppliers to learn what their products already offer towards "
            "{subject}, so that we do not build what can be bought.",
        ),
    ],
    Phase.ALPHA: [
        (
            "Three options on paper",
            "We sketched three options for {subject} and tested them on paper with {n} "
            "officers in {borough}.",
        ),
        (
            "Testing a prototype",
            "We built a clickable prototype of {subject} and watched {n} people from "
            "{borough} and {other} try to use it.",
        ),
        (
            "Checking the data",
            "We tried {subject} on a sample of real data from {other}, and found {n} fields "
            "that mean different things in different boroughs.",
        ),
        (
            "Costing the options",
            "We costed the two options for {subject} still standing, with {borough}'s "
            "finance team checking our sums.",
        ),
        (
            "Information governance first",
            "We took {subject} to {other}'s information governance board and answered their "
            "questions about the data it needs.",
        ),
    ],
    Phase.BETA: [
        (
            "A new borough joins the pilot",
            "We brought {other} into the pilot of {subject}: {n} of their staff now use it "
            "day to day.",
        ),
        (
            "Fixing what the pilot found",
            "We fixed the {n} problems that {borough}'s pilot users reported last week and "
            "released a new version of {subject}.",
        ),
        (
            "Writing the guide",
            "We wrote the first draft of the guide to {subject} for the boroughs joining "
            "next, and asked {other} to try following it cold.",
        ),
        (
            "Accessibility testing",
            "We had {subject} tested by {n} users of assistive technology and fixed the two "
            "worst barriers they hit.",
        ),
        (
            "Measuring the pilot",
            "We compared {borough}'s figures from before and after {subject}: it is early, "
            "but the time spent on each case is down.",
        ),
    ],
    Phase.LIVE: [
        (
            "Handing over",
            "We handed the day-to-day running of {subject} to {borough}'s team and agreed "
            "who supports what.",
        ),
        (
            "The numbers so far",
            "We pulled together the first results of {subject} from {n} boroughs for the "
            "members' meeting.",
        ),
        (
            "Another borough sets up",
            "We helped {other} set up {subject}; it took them days, not the weeks the first "
            "borough needed.",
        ),
        (
            "Tidying up",
            "We retired the workarounds {borough} used before {subject}, and archived the "
            "pilot's data as agreed.",
        ),
    ],
}
# The last week of a cycle ends in a show and tell and the cycle's review.
REVIEW_WEEK = (
    "Show and tell, and the cycle review",
    "We showed where {subject} has got to at our end-of-cycle show and tell, to {crowd} people "
    "from across the partnership, and wrote up the cycle for its review.",
)
LEARNED = [
    "We learned that {other} records this on paper first, so what we make has to work for "
    "teams who are not at a desk.",
    "We learned that the data each borough holds is less consistent than we assumed: we "
    "found {n} different formats for the same thing.",
    "We learned that information governance sign-off takes longer than a cycle, so we have "
    "started it early.",
    "We learned that {borough} solved part of this two years ago; we are reusing their work "
    "rather than starting again.",
    "We learned that smaller boroughs need the simplest version first, and the rest later.",
    "We learned that residents care less about the channel than about hearing back quickly.",
    "We learned that suppliers can already export most of what we need, when several "
    "boroughs ask in the same words.",
    "We learned that officers trust the figures more when they can see where each one comes from.",
]
NEXT = [
    "Next week we test the changes with {other}.",
    "Next week we write up what we found and share it with the members.",
    "Next week we meet {borough}'s information governance lead.",
    "Next week we start on the part the pilot users asked for most.",
    "Next week we agree with {other} when they can start.",
    "Next week we plan the user research for the next cycle.",
]
NEXT_AFTER_REVIEW = "Next week: the cycle review, and the goal for the cycle after it."
NEXT_AFTER_LAST_REVIEW = "Next week: the last review, and what we hand over and publish."
BLOCKERS = [
    "Blocker: we are still waiting for test data from {other}.",
    "Blocker: two of the team are on leave, so user testing moves back a week.",
    "Blocker: the supplier has not yet confirmed access to its API.",
    "Blocker: {other}'s procurement team needs a decision before we can go further.",
]
BLOCKER_CHANCE = 0.3
# Now and then a week passes without a weeknote, as in any team (never two running).
SKIP = 0.1
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
        partners += [
            o for o in others if PARTNER_PROJECTS.get(earlier.title) == o.slug and o not in partners
        ]
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


def subject(project: Project) -> str:
    """What the project is about, in a few words a weeknote can use."""
    return SUBJECTS.get(project.title, "the " + project.title[:1].lower() + project.title[1:])


def _stage(number: int) -> str:
    return next(stage for first, stage in STAGES if number >= first)


def _fresh(rng: random.Random, options: list, used: set) -> Any:
    """One of `options` not yet in `used` (a text, or a (heading, text) pair whose heading
    is), so that a project's weeknotes do not repeat themselves; any once all are used."""
    unused = [o for o in options if (o[0] if isinstance(o, tuple) else o) not in used]
    return rng.choice(unused or options)


def _weeknotes(project: Project, *, rng: random.Random, today: datetime.date) -> None:
    """A weeknote each Friday (now and then a week missed) of the project's cycles up to
    today or its end, the last few kept: what the team did, learned and does next."""
    people = _people(project)
    last = min(today, project.ended_on or today)
    cycles = list(project.cycles.all())
    days: list[datetime.date] = []
    day = project.started_on + datetime.timedelta(days=(4 - project.started_on.weekday()) % 7)
    while day <= last:
        missed = days and days[-1] == day - datetime.timedelta(days=7) and rng.random() < SKIP
        if not missed:
            days.append(day)
        day += datetime.timedelta(days=7)
    organisations = [project.lead_organisation, *project.partners.order_by("slug")]
    names = [o.short_name for o in organisations]
    words = {"subject": subject(project)}
    words["Subject"] = words["subject"][:1].upper() + words["subject"][1:]
    used: set[str] = set()
    for day in days[-WEEKNOTES_KEPT:]:
        cycle = next((c for c in cycles if c.starts_on <= day < c.ends_on), None)
        if cycle is None:
            continue
        review_week = day + datetime.timedelta(days=7) >= cycle.ends_on
        for _ in range(10):
            borough = rng.choice(names)
            others = [n for n in names if n != borough]
            fill = {
                **words,
                "borough": borough,
                "other": rng.choice(others) if others else "another borough",
                "n": rng.randint(3, 12),
                "crowd": rng.randint(12, 40),
            }
            heading, did = (
                REVIEW_WEEK if review_week else _fresh(rng, DID[_stage(cycle.number)], used)
            )
            paragraphs = [
                did,
                _fresh(rng, LEARNED, used),
                _fresh(rng, NEXT, used)
                if not review_week
                else NEXT_AFTER_LAST_REVIEW
                if cycle.decision in {Decision.STOP, Decision.COMPLETE}
                else NEXT_AFTER_REVIEW,
            ]
            if rng.random() < BLOCKER_CHANCE:
                paragraphs.append(_fresh(rng, BLOCKERS, used))
            # "Tower Hamlets' team", not "Tower Hamlets's".
            body = "\n\n".join(p.format(**fill) for p in paragraphs).replace("s's ", "s' ")
            if body not in used:
                break
        used.update([body, heading, *paragraphs])
        week = (day - project.started_on).days // 7 + 1
        services.weeknote_post(
            actor=rng.choice(people) if people else None,
            project=project,
            published_on=day,
            title=f"Week {week}: {heading[:1].lower() + heading[1:]}",
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
