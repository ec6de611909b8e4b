"""Demo calls for ideas. They are SYNTHETIC: the ideas are the kind London's boroughs propose
to each other, but every proposer, cost, score, rationale and ballot is made up.

Two calls: last year's call, assessed, voted on by the core members' leads, selected and
published; and this year's, open for voting today, with some ballots already cast (not
Barnet's, so that its demo lead can vote).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import TYPE_CHECKING

from loti.core.permissions import Role
from loti.members import selectors as member_selectors
from loti.members.financial_year import FinancialYear
from loti.portfolio.calls import services
from loti.portfolio.calls.models import Call, Proposal, ProposalType, Support, VotingMethod
from loti.portfolio.workstreams.models import Workstream

if TYPE_CHECKING:
    from loti.members.models import Organisation, Person

CRITERIA = [
    (
        "Relevance to the workstreams",
        "How squarely it serves one of the consortium's workstreams",
        20,
    ),
    (
        "Clear benefit to London's public sector and residents",
        "Who gains, how much and how soon",
        35,
    ),
    (
        "Compatibility with ethical standards",
        "Data protection, fairness, accessibility and the environment",
        20,
    ),
    (
        "Achievability of tangible results within a year",
        "Whether it can show results in twelve months",
        25,
    ),
]

CAPABILITY, ADOPTION, INNOVATION = (
    ProposalType.CAPABILITY,
    ProposalType.ADOPTION,
    ProposalType.INNOVATION,
)

# (title, workstream, type, the problem, the outcome sought)
IDEAS = [
    (
        "Shared digital inclusion hub",
        "Better partnerships",
        ADOPTION,
        "Residents without devices, data or skills cannot reach services that have moved online, "
        "and each borough runs its own small scheme.",
        "One hub that every borough refers residents to for devices, data and help, run with the "
        "voluntary sector.",
    ),
    (
        "Common data standard for temporary accommodation",
        "Embedding standards",
        INNOVATION,
        "Boroughs record temporary accommodation placements in different ways, so nobody can see "
        "the London-wide picture of who is placed where.",
        "A shared data standard for placements that the main housing systems can export.",
    ),
    (
        "Cyber incident response playbook",
        "Sharing and reusing",
        CAPABILITY,
        "A borough hit by a cyber attack works out its response under pressure, alone.",
        "A tested playbook and a mutual-aid rota so that boroughs help each other within hours.",
    ),
    (
        "Joint procurement of a contact centre platform",
        "Sharing and reusing",
        ADOPTION,
        "Nine boroughs' contact centre contracts end within two years of each other.",
        "One framework call-off that any borough can join, with a shared specification.",
    ),
    (
        "Data ethics advisory panel",
        "Data collaboration",
        CAPABILITY,
        "Boroughs want to use data in new ways but lack independent ethical advice.",
        "A standing panel that reviews projects and publishes its advice.",
    ),
    (
        "Predicting damp and mould in social housing",
        "Shared experiments",
        INNOVATION,
        "Damp and mould are found late, after residents have suffered and repairs cost more.",
        "A tested model, with the housing data it needs, that flags homes at risk early.",
    ),
    (
        "Digital apprenticeships across boroughs",
        "Digital leadership",
        CAPABILITY,
        "Boroughs struggle to recruit digital and data staff and compete with each other for them.",
        "A shared apprenticeship scheme with rotations between boroughs.",
    ),
    (
        "Single register of council-owned land",
        "Data collaboration",
        INNOVATION,
        "Nobody can easily see which public bodies own which land in London.",
        "One open register of council land, kept up to date from each borough's asset system.",
    ),
    (
        "Reusable accessibility testing service",
        "Sharing and reusing",
        ADOPTION,
        "Each borough pays for its own accessibility audits of the same suppliers' products.",
        "A shared testing service whose reports every borough can reuse.",
    ),
    (
        "Cloud skills bootcamp for infrastructure teams",
        "Digital leadership",
        CAPABILITY,
        "Infrastructure teams are moving to the cloud without the skills to run it well.",
        "A bootcamp and a community of practice for cloud engineers across London.",
    ),
    (
        "Shared parking permit data schema",
        "Embedding standards",
        INNOVATION,
        "Parking permit data cannot move between boroughs' systems, so cross-border permits are "
        "handled by hand.",
        "A common schema adopted by the main parking suppliers.",
    ),
    (
        "Children's social care case recording standard",
        "Embedding standards",
        ADOPTION,
        "Case records move badly between boroughs when a family moves.",
        "Adopt the national case recording standard in London's systems.",
    ),
    (
        "Air quality sensor network pilot",
        "Shared experiments",
        INNOVATION,
        "Air quality is measured at few points, so hotspots near schools go unseen.",
        "Low-cost sensors near fifty schools with open data and a shared dashboard.",
    ),
    (
        "Supplier market engagement days",
        "Better partnerships",
        CAPABILITY,
        "Small suppliers do not know what boroughs need or how to bid.",
        "Quarterly engagement days where boroughs set out their coming needs.",
    ),
    (
        "Library of business cases",
        "Collective knowledge",
        ADOPTION,
        "Boroughs write business cases for the same systems from scratch.",
        "A searchable library of anonymised business cases and their outcomes.",
    ),
    (
        "Automated freedom of information triage",
        "Shared experiments",
        INNOVATION,
        "Freedom of information requests are triaged by hand and deadlines are missed.",
        "A tested tool that routes requests and finds published answers.",
    ),
    (
        "Shared user research panel",
        "Collective knowledge",
        ADOPTION,
        "Each borough recruits residents for user research separately and struggles to reach "
        "some groups.",
        "One panel of residents, diverse and consenting, that every borough can research with.",
    ),
    (
        "Adult social care market map",
        "Data collaboration",
        INNOVATION,
        "Commissioners cannot see care capacity across borough borders.",
        "A live map of care home and home care capacity shared across boroughs.",
    ),
    (
        "Council tax single person discount review",
        "Data collaboration",
        ADOPTION,
        "Discounts are claimed wrongly and reviews are slow and costly.",
        "A shared, lawful data-matching review that every borough can run.",
    ),
    (
        "Open standard for street works data",
        "Embedding standards",
        INNOVATION,
        "Street works are planned without seeing other works nearby.",
        "A common open format for planned works across highway authorities.",
    ),
    (
        "Digital leadership programme for directors",
        "Digital leadership",
        CAPABILITY,
        "Senior leaders outside IT are asked to decide on technology without the grounding to.",
        "A six-month programme for directors, run with peers from other boroughs.",
    ),
    (
        "Reuse of a proven bin collection app",
        "Sharing and reusing",
        ADOPTION,
        "Residents miss bin collections and call to ask when they are.",
        "Adopt another borough's open-source reminder app with local collection data.",
    ),
    (
        "Homelessness prevention early warning",
        "Data collaboration",
        INNOVATION,
        "Households reach crisis before anyone sees the signs in arrears and benefits data.",
        "An ethical early-warning model, tested in three boroughs with caseworkers.",
    ),
    (
        "Shared chatbot knowledge base",
        "Sharing and reusing",
        ADOPTION,
        "Every borough writes the same answers to residents' common questions.",
        "A shared knowledge base that each borough's web chat can use.",
    ),
    (
        "Procurement pipeline visibility",
        "Collective knowledge",
        CAPABILITY,
        "Boroughs find out too late that a neighbour is buying the same thing.",
        "A shared view of every borough's technology procurement pipeline.",
    ),
    (
        "Low-code community of practice",
        "Digital leadership",
        CAPABILITY,
        "Low-code tools spread without shared guidance on security and support.",
        "Shared guidance, patterns and a community of practice.",
    ),
    (
        "Trial of digital twins for regeneration",
        "Shared experiments",
        INNOVATION,
        "Regeneration schemes are consulted on with flat plans residents find hard to read.",
        "A trial 3D model of two regeneration areas used in consultation.",
    ),
    (
        "Common approach to AI in services",
        "Better partnerships",
        CAPABILITY,
        "Boroughs each write their own policy for using AI, with uneven safeguards.",
        "A shared policy, assessment template and register of AI uses.",
    ),
    (
        "Energy data for retrofit planning",
        "Data collaboration",
        ADOPTION,
        "Boroughs plan retrofit programmes without joined-up data on homes' energy use.",
        "A shared dataset of energy performance and retrofit need.",
    ),
    (
        "Shared identity verification service",
        "Sharing and reusing",
        ADOPTION,
        "Residents prove who they are again and again for different services.",
        "Adopt one identity verification service that boroughs can reuse.",
    ),
]
PAST_IDEAS, CURRENT_IDEAS = IDEAS[:18], IDEAS[18:]

# What each idea is about, as an assessor would name it in a sentence.
SUBJECTS = {
    "Shared digital inclusion hub": "a shared digital inclusion hub",
    "Common data standard for temporary accommodation": (
        "a data standard for temporary accommodation"
    ),
    "Cyber incident response playbook": "a cyber incident playbook",
    "Joint procurement of a contact centre platform": "a jointly procured contact centre platform",
    "Data ethics advisory panel": "a data ethics panel",
    "Predicting damp and mould in social housing": "a damp and mould prediction model",
    "Digital apprenticeships across boroughs": "shared digital apprenticeships",
    "Single register of council-owned land": "a register of council land",
    "Reusable accessibility testing service": "a shared accessibility testing service",
    "Cloud skills bootcamp for infrastructure teams": "a cloud skills bootcamp",
    "Shared parking permit data schema": "a parking permit data schema",
    "Children's social care case recording standard": "a case recording standard",
    "Air quality sensor network pilot": "air quality sensors near schools",
    "Supplier market engagement days": "supplier engagement days",
    "Library of business cases": "a library of business cases",
    "Automated freedom of information triage": "freedom of information triage",
    "Shared user research panel": "a shared user research panel",
    "Adult social care market map": "a map of adult social care capacity",
    "Council tax single person discount review": "a single person discount review",
    "Open standard for street works data": "an open street works data standard",
    "Digital leadership programme for directors": "a leadership programme for directors",
    "Reuse of a proven bin collection app": "a reused bin collection app",
    "Homelessness prevention early warning": "a homelessness early warning model",
    "Shared chatbot knowledge base": "a shared chatbot knowledge base",
    "Procurement pipeline visibility": "a shared procurement pipeline",
    "Low-code community of practice": "a low-code community of practice",
    "Trial of digital twins for regeneration": "digital twins for regeneration",
    "Common approach to AI in services": "a common approach to AI",
    "Energy data for retrofit planning": "shared energy data for retrofit",
    "Shared identity verification service": "a shared identity verification service",
}

# An assessor's reason for each criterion, in three bands of score (1-2, 3, 4-5), each in a
# few wordings: {subject} is the idea, {workstream} the workstream it was put forward under.
REASONS = {
    "Relevance to the workstreams": {
        "low": [
            "Only loosely tied to the {workstream} workstream: {subject} would mostly serve "
            "the proposing borough.",
            "The link to the {workstream} workstream is asserted rather than shown; {subject} "
            "fits another workstream's priorities at least as well.",
            "Little in the proposal connects {subject} to what the {workstream} workstream has "
            "set out to do this year.",
        ],
        "mid": [
            "Fits the {workstream} workstream, though {subject} overlaps with work already "
            "under way there.",
            "Relevant to the {workstream} workstream, if narrower than its priorities: "
            "{subject} covers one service area.",
            "A reasonable fit for the {workstream} workstream; the proposal could say which of "
            "its priorities {subject} advances.",
        ],
        "high": [
            "Squarely within the {workstream} workstream: {subject} is one of the things its "
            "members asked for.",
            "Serves the {workstream} workstream directly, and {subject} builds on what it has "
            "already delivered.",
            "Central to the {workstream} workstream's priorities; several members named "
            "{subject} at the workstream's last meeting.",
        ],
    },
    "Clear benefit to London's public sector and residents": {
        "low": [
            "The benefit is stated but not sized: the proposal does not say how many "
            "residents or boroughs {subject} would help.",
            "Benefits of {subject} fall mainly to one borough, and the case for residents "
            "elsewhere is thin.",
            "The evidence of benefit is a single borough's anecdote; {subject} needs a "
            "baseline before its gains can be judged.",
        ],
        "mid": [
            "A credible benefit to residents, though the savings claimed for {subject} rest "
            "on one borough's figures.",
            "{Subject} would benefit staff more than residents at first; the proposal says "
            "when residents would gain.",
            "Clear who gains from {subject}, less clear how much: the benefit is estimated, "
            "not measured.",
        ],
        "high": [
            "A direct, measurable benefit: {subject} reaches residents in every borough that "
            "joins, and the proposal sizes the saving.",
            "Strong evidence of benefit: pilots elsewhere suggest {subject} would save officer "
            "time and improve outcomes for residents.",
            "The benefit is London-wide and soon: {subject} would be used by the boroughs that "
            "supported it within months.",
        ],
    },
    "Compatibility with ethical standards": {
        "low": [
            "The ethical risks are not addressed: {subject} would use personal data with no "
            "data protection impact assessment planned.",
            "Fairness is a concern: the proposal does not say how {subject} will be tested "
            "for bias against particular groups of residents.",
            "Accessibility is missing from the plan, so {subject} could exclude residents "
            "with low digital skills.",
        ],
        "mid": [
            "The main ethical risks are named, but the plan for handling personal data in "
            "{subject} needs more detail.",
            "Data protection is planned for; the proposal should also say how {subject} will "
            "stay accessible to every resident.",
            "Ethically sound in outline; {subject} should go to the data ethics panel before "
            "its second cycle.",
        ],
        "high": [
            "Ethical standards are built in: a data protection impact assessment comes "
            "first, and {subject} will publish how it uses data.",
            "No personal data is needed for {subject}, and its outputs will be open and "
            "accessible.",
            "Fairness and accessibility are tested with residents from the start, which is "
            "what {subject} needs.",
        ],
    },
    "Achievability of tangible results within a year": {
        "low": [
            "Unlikely to show results within a year: {subject} depends on suppliers' changes "
            "that are not yet agreed.",
            "The scope is too wide to deliver within twelve months; {subject} needs narrowing "
            "to one service first.",
            "The plan has no milestones, so it is hard to see what {subject} would deliver in "
            "its first year.",
        ],
        "mid": [
            "A first version of {subject} is achievable within a year, though the full scope "
            "may take longer.",
            "Results within the year depend on recruiting the pilot boroughs early; the plan "
            "for {subject} allows for that.",
            "Achievable in two or three cycles if {subject} starts with the boroughs already "
            "signed up.",
        ],
        "high": [
            "Tangible results within the year are realistic: {subject} reuses proven work and "
            "the pilot boroughs are ready.",
            "A clear plan with the first results of {subject} after two cycles and a "
            "handover within the year.",
            "The team has delivered similar work before, so {subject} can show results in "
            "months, not years.",
        ],
    },
}
BAND = {1: "low", 2: "low", 3: "mid", 4: "high", 5: "high"}
# One draw from seven per score, as an earlier version of this demo made, so that the
# ballots and selection drawn after the assessments stay as they were.
DRAWS = 7


def reason(*, criterion: str, score: int, title: str, workstream: str, draw: int) -> str:
    """An assessor's reason for `score` on `criterion`, naming the idea and its workstream."""
    wordings = REASONS[criterion][BAND[score]]
    subject = SUBJECTS.get(title, title[:1].lower() + title[1:])
    return wordings[draw % len(wordings)].format(
        subject=subject, Subject=subject[:1].upper() + subject[1:], workstream=workstream
    )


PAST_BUDGET, PAST_CAPACITY = Decimal(380_000), 24
CURRENT_BUDGET, CURRENT_CAPACITY = Decimal(300_000), 18


def build(*, rng: random.Random, today: datetime.date) -> None:
    office = member_selectors.office_person()
    past_year = today.year - 1
    past = _call(
        title=f"Call for ideas {past_year}",
        description="The consortium's call for shared projects for the coming year.",
        dates=(
            datetime.date(past_year, 1, 13),
            datetime.date(past_year, 2, 14),
            datetime.date(past_year, 3, 10),
            datetime.date(past_year, 3, 24),
        ),
        budget=PAST_BUDGET,
        capacity=PAST_CAPACITY,
    )
    _proposals(rng=rng, call=past, ideas=PAST_IDEAS)
    _confirm_supports(call=past)
    _assess(rng=rng, call=past, office=office)
    _vote(rng=rng, call=past, day=past.voting_opens_on, skip=set())
    after = past.voting_closes_on + datetime.timedelta(days=1)
    services.selection_run(actor=office, call=past, today=after)
    services.results_publish(actor=office, call=past, today=after)
    # The demo is built today; its past call was run and published last year.
    published = datetime.datetime.combine(
        past.voting_closes_on + datetime.timedelta(days=7), datetime.time(10), datetime.UTC
    )
    Call.objects.filter(pk=past.pk).update(
        selection_run_at=published - datetime.timedelta(days=2), results_published_at=published
    )

    # This year's call is open for voting today, and closes within the financial year.
    closes = min(today + datetime.timedelta(days=14), FinancialYear.containing(today).end)
    current = _call(
        title=f"Call for ideas {today.year}",
        description="Ideas for the consortium's shared work in the year ahead.",
        dates=(
            today - datetime.timedelta(days=70),
            today - datetime.timedelta(days=35),
            today - datetime.timedelta(days=7),
            closes,
        ),
        budget=CURRENT_BUDGET,
        capacity=CURRENT_CAPACITY,
    )
    _proposals(rng=rng, call=current, ideas=CURRENT_IDEAS)
    _confirm_supports(call=current)
    _ask_barnet(call=current)
    _assess(rng=rng, call=current, office=office)
    _vote(rng=rng, call=current, day=today, skip={"barnet"}, share=0.4)


def _call(
    *,
    title: str,
    description: str,
    dates: tuple[datetime.date, ...],
    budget: Decimal,
    capacity: int,
) -> Call:
    return services.call_create(
        actor=None,
        criteria=[
            {"name": name, "description": description, "weight": weight}
            for name, description, weight in CRITERIA
        ],
        title=title,
        description=description,
        proposals_open_on=dates[0],
        proposals_close_on=dates[1],
        voting_opens_on=dates[2],
        voting_closes_on=dates[3],
        budget=budget,
        capacity_chunks=capacity,
        method=VotingMethod.POINTS,
        points=10,
        vote_weight=Decimal("0.5"),
    )


def _core(call: Call) -> list[Organisation]:
    ids = member_selectors.core_member_ids(on=call.voting_closes_on)
    return list(member_selectors.organisations(ids=ids).order_by("slug"))


def _person(organisation: Organisation, role: str) -> Person | None:
    return (
        member_selectors.people(organisations=[organisation], roles=[role])
        .order_by("email")
        .first()
    )


def _proposals(*, rng: random.Random, call: Call, ideas: list[tuple]) -> None:
    workstreams = {w.name: w for w in Workstream.objects.all()}
    core = _core(call)
    councils = set(member_selectors.councils().values_list("pk", flat=True))
    boroughs = [o for o in core if o.pk in councils]
    window = (call.proposals_close_on - call.proposals_open_on).days
    for title, workstream, kind, problem, outcome in ideas:
        organisation = rng.choice(boroughs)
        others = [o for o in boroughs if o.pk != organisation.pk]
        chunks = rng.choice([1, 2, 2, 3, 3, 4, 4, 5, 6])
        cost = Decimal(chunks * rng.randrange(8, 26) * 1000)
        services.proposal_create(
            actor=_person(organisation, Role.OFFICER),
            call=call,
            organisation=organisation,
            today=call.proposals_open_on + datetime.timedelta(days=rng.randrange(window + 1)),
            supporters=rng.sample(others, rng.randrange(0, 4)),
            title=title,
            problem=problem,
            outcome=outcome,
            type=kind,
            workstream=workstreams[workstream],
            estimated_cost=cost,
            chunks=chunks,
            ethical_considerations=rng.choice(
                [
                    "Uses personal data: a data protection impact assessment comes first.",
                    "No personal data; the outputs will be published openly.",
                    "Must be accessible to residents with low digital skills.",
                    "Models will be tested for bias before any use in decisions.",
                ]
            ),
        )


def _ask_barnet(*, call: Call) -> None:
    """Name Barnet (the demo's signed-in borough) as a supporter of the first of this year's
    proposals it is not part of, so that it has a request still to answer."""
    barnet = member_selectors.organisations().get(slug="barnet")
    for proposal in Proposal.objects.filter(call=call).order_by("pk"):
        named = list(proposal.supporters.all())
        if proposal.organisation_id != barnet.pk and barnet not in named:
            services.proposal_update(
                actor=_person(proposal.organisation, Role.OFFICER),
                proposal=proposal,
                today=call.proposals_close_on,
                supporters=[*named, barnet],
            )
            return


def _confirm_supports(*, call: Call) -> None:
    """Each named supporter confirms, through its own officer (or lead)."""
    supports = (
        Support.objects.filter(proposal__call=call)
        .select_related("organisation", "proposal")
        .order_by("pk")
    )
    for support in supports:
        person = _person(support.organisation, Role.OFFICER) or _person(
            support.organisation, Role.LEAD
        )
        if person is not None:
            services.proposal_support_confirm(
                actor=person, support=support, today=call.proposals_close_on
            )


def _assess(*, rng: random.Random, call: Call, office: Person | None) -> None:
    criteria = list(call.criteria.all())
    for proposal in Proposal.objects.filter(call=call).select_related("workstream").order_by("pk"):
        # Each idea has a quality the criteria scores cluster around.
        quality = rng.choice([2, 3, 3, 4, 4, 5])
        scores = {}
        for criterion in criteria:
            score = min(5, max(1, quality + rng.choice([-1, 0, 0, 1])))
            scores[criterion] = (
                score,
                reason(
                    criterion=criterion.name,
                    score=score,
                    title=proposal.title,
                    workstream=proposal.workstream.name,
                    draw=rng.randrange(DRAWS),
                ),
            )
        services.assessment_set(actor=office, proposal=proposal, scores=scores)


def _vote(
    *, rng: random.Random, call: Call, day: datetime.date, skip: set[str], share: float = 1.0
) -> None:
    proposals = list(Proposal.objects.filter(call=call).order_by("pk"))
    # Some ideas are popular across London: each ballot leans towards them.
    appeal = [rng.random() ** 2 for _ in proposals]
    for organisation in _core(call):
        if organisation.slug in skip or rng.random() > share:
            continue
        lead = _person(organisation, Role.LEAD)
        if lead is None:
            continue
        favourites = _weighted_sample(rng, proposals, appeal, rng.randrange(2, 5))
        points = _spread(rng, 10, len(favourites))
        services.ballot_cast(
            actor=lead,
            call=call,
            choices={p.pk: n for p, n in zip(favourites, points, strict=True) if n},
            today=day,
        )


def _weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    chosen: list = []
    pool = list(zip(items, weights, strict=True))
    while pool and len(chosen) < k:
        total = sum(w for _, w in pool) or 1.0
        pick = rng.random() * total
        for index, (item, weight) in enumerate(pool):
            pick -= weight
            if pick <= 0 or index == len(pool) - 1:
                chosen.append(item)
                pool.pop(index)
                break
    return chosen


def _spread(rng: random.Random, points: int, among: int) -> list[int]:
    """`points` split among `among` proposals, each at least 1, most to the first."""
    shares = [1] * among
    for _ in range(points - among):
        shares[min(int(rng.random() ** 2 * among), among - 1)] += 1
    return shares
