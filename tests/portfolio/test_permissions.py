import pytest
from django.urls import reverse
from django.utils import timezone

from loti.portfolio.calls import services
from tests.permission_matrix import Row, api_tokens, case_id, cases, check, expect, posted
from tests.personas import PERSONAS, build_personas
from tests.portfolio.call_helpers import make_call, make_core, make_proposal, make_workstream

EVERYONE = expect(others=200)
OFFICE_ONLY = expect(anonymous=302, staff=200, others=403)
MEMBERS_READ = expect(anonymous=302, partner=403, others=200)
# Members read every call; anonymous visitors are asked to sign in; a partner has no calls.
MEMBERS_CALL = expect(anonymous=302, partner=404, others=200)
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
    Row("portfolio:calls", "GET", url("portfolio:calls"), EVERYONE),
    Row("portfolio:call_create", "GET", url("portfolio:call_create"), OFFICE_ONLY),
    Row("portfolio:call_detail", "GET", url("portfolio:call_detail", "open_call"), MEMBERS_CALL),
    # A call whose results are published is public.
    Row(
        "portfolio:call_detail",
        "GET",
        url("portfolio:call_detail", "published_call"),
        EVERYONE,
    ),
    Row("portfolio:call_edit", "GET", url("portfolio:call_edit", "open_call"), OFFICE_ONLY),
    Row(
        "portfolio:proposal_create",
        "GET",
        url("portfolio:proposal_create", "open_call"),
        MEMBERS_READ,
    ),
    # "Check for similar work" shows the form again and saves nothing.
    Row(
        "portfolio:proposal_create",
        "POST",
        url("portfolio:proposal_create", "open_call"),
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
    # Only the named supporter's own lead or officers answer; nobody else learns of it.
    Row(
        "portfolio:proposal_support",
        "GET",
        url("portfolio:proposal_support", "proposal_a"),
        expect(anonymous=302, partner=403, officer_b=200, others=404),
    ),
    Row(
        "portfolio:proposal_support",
        "POST",
        url("portfolio:proposal_support", "proposal_a"),
        expect(anonymous=302, partner=403, officer_b=302, others=404),
        data={"answer": "confirm"},
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
        url("portfolio:ballot", "voting_call"),
        expect(anonymous=302, lead_a=200, others=403),
    ),
    Row(
        "portfolio:selection_run",
        "POST",
        url("portfolio:selection_run", "closed_call"),
        expect(anonymous=302, staff=302, others=403),
    ),
    Row(
        "portfolio:selection_run",
        "GET",
        url("portfolio:selection_run", "closed_call"),
        expect(anonymous=302, partner=403, others=405),
    ),
    Row("portfolio:results", "GET", url("portfolio:results", "published_call"), EVERYONE),
    Row(
        "portfolio:results",
        "GET",
        url("portfolio:results", "closed_call"),
        ONLY_OFFICE_BEFORE_PUBLISHING,
    ),
    Row(
        "portfolio:results_override",
        "GET",
        url("portfolio:results_override", "closed_call", "closed_proposal"),
        OFFICE_ONLY,
    ),
    Row(
        "portfolio:results_publish",
        "GET",
        url("portfolio:results_publish", "closed_call"),
        OFFICE_ONLY,
    ),
    Row(
        "portfolio:results_publish",
        "POST",
        url("portfolio:results_publish", "closed_call"),
        expect(anonymous=302, staff=302, others=403),
    ),
    Row("api:list_rounds", "GET", lambda o: "/api/portfolio/rounds", EVERYONE),
    Row(
        "api:get_round",
        "GET",
        lambda o: f"/api/portfolio/rounds/{o['open_call']}",
        expect(anonymous=404, partner=404, others=200),
    ),
    Row(
        "api:list_proposals",
        "GET",
        lambda o: f"/api/portfolio/rounds/{o['open_call']}/proposals",
        API_MEMBERS,
    ),
    Row(
        "api:create_proposal",
        "POST",
        lambda o: f"/api/portfolio/rounds/{o['open_call']}/proposals",
        # For Barnet: its people and the office may; Camden's officer may not.
        expect(anonymous=401, staff=201, lead_a=201, officer_a=201, others=403),
        data=PROPOSAL,
    ),
    Row(
        "api:get_results",
        "GET",
        lambda o: f"/api/portfolio/rounds/{o['published_call']}/results",
        EVERYONE,
    ),
]


MATRIX += [
    posted(MATRIX, route)
    for route in (
        "portfolio:workstream_create",
        "portfolio:workstream_edit",
        "portfolio:call_create",
        "portfolio:call_edit",
        "portfolio:proposal_edit",
        "portfolio:proposal_assess",
        "portfolio:ballot",
        "portfolio:results_override",
    )
]


@pytest.fixture(scope="module")
def objects(module_transaction):
    built = build_personas()
    personas = {name: built[name] for name in PERSONAS}
    borough_a, borough_b, staff = built["borough_a"], built["borough_b"], built["staff"]
    today = timezone.localdate()
    tokens = api_tokens(personas)
    make_workstream()
    open_call = make_call(today=today, stage="proposing", title="Open call")
    proposal_a = make_proposal(
        call=open_call, organisation=borough_a, supporters=[borough_b], supporters_confirmed=False
    )
    voting_call = make_call(today=today, stage="voting", title="Voting call")
    make_proposal(call=voting_call, organisation=borough_b)
    make_core(borough_a, on=voting_call.voting_closes_on)
    closed_call = make_call(today=today, stage="closed", title="Closed call")
    closed_proposal = make_proposal(call=closed_call, organisation=borough_a)
    services.selection_run(actor=staff, call=closed_call, today=today)
    published_call = make_call(today=today, stage="closed", title="Published call")
    make_proposal(call=published_call, organisation=borough_b)
    services.selection_run(actor=staff, call=published_call, today=today)
    services.results_publish(actor=staff, call=published_call, today=today)
    return {
        "personas": personas,
        "tokens": tokens,
        "open_call": open_call.slug,
        "voting_call": voting_call.slug,
        "closed_call": closed_call.slug,
        "published_call": published_call.slug,
        "proposal_a": proposal_a.pk,
        "closed_proposal": closed_proposal.pk,
    }


@pytest.mark.parametrize(("row", "persona"), cases(MATRIX), ids=case_id)
def test_permission_matrix(db, client, objects, row, persona):
    check(client, objects, row, persona)
