import pytest
from django.urls import reverse
from django.utils import timezone

from loti.core import services as core_services
from loti.portfolio import services
from tests.permission_matrix import Row, case_id, cases, check, expect
from tests.portfolio.round_helpers import make_core, make_proposal, make_round, make_workstream

EVERYONE = expect(others=200)
OFFICE_ONLY = expect(anonymous=302, staff=200, others=403)
MEMBERS_READ = expect(anonymous=302, partner=403, others=200)
# Members read every round; anonymous visitors are asked to sign in; a partner has no rounds.
MEMBERS_ROUND = expect(anonymous=302, partner=404, others=200)
OWN_PROPOSAL = expect(anonymous=302, staff=200, lead_a=200, officer_a=200, others=403)
ONLY_OFFICE_BEFORE_PUBLISHING = expect(staff=200, others=404)
API_MEMBERS = expect(anonymous=401, partner=403, others=200)


def url(name, *args):
    return lambda o: reverse(name, args=[o.get(a, a) for a in args])


PROPOSAL = {
    "title": "Common data standard for temporary accommodation",
    "problem": "Every borough records placements differently.",
    "outcome": "One standard that case systems can export.",
    "type": "innovation",
    "workstream": "data-collaboration",
    "organisation": "barnet",
    "estimated_cost": "40000",
    "chunks": 2,
    "ethical_considerations": "Placement data is personal data.",
}

MATRIX = [
    Row("portfolio:workstreams", "GET", url("portfolio:workstreams"), EVERYONE),
    Row("portfolio:workstream_create", "GET", url("portfolio:workstream_create"), OFFICE_ONLY),
    Row(
        "portfolio:workstream_edit",
        "GET",
        url("portfolio:workstream_edit", "data-collaboration"),
        OFFICE_ONLY,
    ),
    Row("portfolio:rounds", "GET", url("portfolio:rounds"), EVERYONE),
    Row("portfolio:round_create", "GET", url("portfolio:round_create"), OFFICE_ONLY),
    Row(
        "portfolio:round_detail", "GET", url("portfolio:round_detail", "open_round"), MEMBERS_ROUND
    ),
    # A round whose results are published is public.
    Row(
        "portfolio:round_detail",
        "GET",
        url("portfolio:round_detail", "published_round"),
        EVERYONE,
    ),
    Row("portfolio:round_edit", "GET", url("portfolio:round_edit", "open_round"), OFFICE_ONLY),
    Row(
        "portfolio:proposal_create",
        "GET",
        url("portfolio:proposal_create", "open_round"),
        MEMBERS_READ,
    ),
    # "Check for similar work" shows the form again and saves nothing.
    Row(
        "portfolio:proposal_create",
        "POST",
        url("portfolio:proposal_create", "open_round"),
        MEMBERS_READ,
        data={"action": "similar", "title": "Digital inclusion"},
    ),
    Row(
        "portfolio:proposal_detail",
        "GET",
        url("portfolio:proposal_detail", "proposal_a"),
        MEMBERS_READ,
    ),
    Row(
        "portfolio:proposal_edit",
        "GET",
        url("portfolio:proposal_edit", "proposal_a"),
        OWN_PROPOSAL,
    ),
    Row(
        "portfolio:proposal_assess",
        "GET",
        url("portfolio:proposal_assess", "proposal_a"),
        OFFICE_ONLY,
    ),
    Row(
        "portfolio:similar",
        "GET",
        lambda o: reverse("portfolio:similar") + "?text=digital+inclusion",
        MEMBERS_READ,
    ),
    # Only a lead of a core member votes, for their own organisation; not even the office.
    Row(
        "portfolio:ballot",
        "GET",
        url("portfolio:ballot", "voting_round"),
        expect(anonymous=302, lead_a=200, others=403),
    ),
    Row(
        "portfolio:selection_run",
        "POST",
        url("portfolio:selection_run", "closed_round"),
        expect(anonymous=302, staff=302, others=403),
    ),
    Row(
        "portfolio:selection_run",
        "GET",
        url("portfolio:selection_run", "closed_round"),
        expect(anonymous=302, partner=403, others=405),
    ),
    Row("portfolio:results", "GET", url("portfolio:results", "published_round"), EVERYONE),
    Row(
        "portfolio:results",
        "GET",
        url("portfolio:results", "closed_round"),
        ONLY_OFFICE_BEFORE_PUBLISHING,
    ),
    Row(
        "portfolio:results_override",
        "GET",
        url("portfolio:results_override", "closed_round", "closed_proposal"),
        OFFICE_ONLY,
    ),
    Row(
        "portfolio:results_publish",
        "GET",
        url("portfolio:results_publish", "closed_round"),
        OFFICE_ONLY,
    ),
    Row(
        "portfolio:results_publish",
        "POST",
        url("portfolio:results_publish", "closed_round"),
        expect(anonymous=302, staff=302, others=403),
    ),
    Row("api:list_rounds", "GET", lambda o: "/api/portfolio/rounds", EVERYONE),
    Row(
        "api:get_round",
        "GET",
        lambda o: f"/api/portfolio/rounds/{o['open_round']}",
        expect(anonymous=404, partner=404, others=200),
    ),
    Row(
        "api:list_proposals",
        "GET",
        lambda o: f"/api/portfolio/rounds/{o['open_round']}/proposals",
        API_MEMBERS,
    ),
    Row(
        "api:create_proposal",
        "POST",
        lambda o: f"/api/portfolio/rounds/{o['open_round']}/proposals",
        # For Barnet: its people and the office may; Camden's officer may not.
        expect(anonymous=401, staff=201, lead_a=201, officer_a=201, others=403),
        data=PROPOSAL,
    ),
    Row(
        "api:get_results",
        "GET",
        lambda o: f"/api/portfolio/rounds/{o['published_round']}/results",
        EVERYONE,
    ),
]


@pytest.fixture
def objects(personas, borough_a, borough_b, staff):
    today = timezone.localdate()
    tokens = {
        name: core_services.api_token_create(person=person, name="matrix")[1]
        for name, person in personas.items()
        if person is not None
    }
    make_workstream()
    open_round = make_round(today=today, stage="proposing", title="Open call")
    proposal_a = make_proposal(round_=open_round, organisation=borough_a)
    voting_round = make_round(today=today, stage="voting", title="Voting call")
    make_proposal(round_=voting_round, organisation=borough_b)
    make_core(borough_a, on=voting_round.voting_closes_on)
    closed_round = make_round(today=today, stage="closed", title="Closed call")
    closed_proposal = make_proposal(round_=closed_round, organisation=borough_a)
    services.selection_run(actor=staff, round_=closed_round, today=today)
    published_round = make_round(today=today, stage="closed", title="Published call")
    make_proposal(round_=published_round, organisation=borough_b)
    services.selection_run(actor=staff, round_=published_round, today=today)
    services.results_publish(actor=staff, round_=published_round, today=today)
    return {
        "personas": personas,
        "tokens": tokens,
        "open_round": open_round.slug,
        "voting_round": voting_round.slug,
        "closed_round": closed_round.slug,
        "published_round": published_round.slug,
        "proposal_a": proposal_a.pk,
        "closed_proposal": closed_proposal.pk,
    }


@pytest.mark.parametrize(("row", "persona"), cases(MATRIX), ids=case_id)
def test_permission_matrix(client, objects, row, persona):
    check(client, objects, row, persona)
