import json

import pytest

from loti.core import services as core_services
from loti.portfolio.calls import services
from loti.portfolio.models import Proposal
from tests import clock
from tests.portfolio.call_helpers import make_call, make_proposal, make_workstream

TODAY = clock.TODAY

pytestmark = pytest.mark.django_db


frozen_today = clock.frozen_fixture()


def bearer(person):
    return {"Authorization": f"Bearer {core_services.api_token_create(person=person, name='t')[1]}"}


def post(client, url, body, person):
    return client.post(
        url, json.dumps(body), content_type="application/json", headers=bearer(person)
    )


IDEA = {
    "title": "Common data standard for temporary accommodation",
    "problem": "Every borough records placements differently.",
    "outcome": "One standard that case systems can export.",
    "type": "innovation",
    "workstream": "data-collaboration",
    "estimated_cost": "40000.00",
    "chunks": 2,
    "ethical_considerations": "Placement data is personal data.",
}


@pytest.fixture
def calls(borough_a, borough_b, staff):
    make_workstream()
    open_call = make_call(today=TODAY, stage="proposing", title="Open call")
    make_proposal(call=open_call, organisation=borough_b, title="Camden's idea")
    published = make_call(today=TODAY, stage="closed", title="Published call")
    chosen = make_proposal(call=published, organisation=borough_a, title="Chosen idea")
    services.assessment_set(
        actor=staff,
        proposal=chosen,
        scores={criterion: (4, "Strong") for criterion in published.criteria.all()},
    )
    services.selection_run(actor=staff, call=published, today=TODAY)
    services.results_publish(actor=staff, call=published, today=TODAY)
    closed = make_call(today=TODAY, stage="closed", title="Closed call")
    make_proposal(call=closed, organisation=borough_a, title="Unpublished idea")
    services.selection_run(actor=staff, call=closed, today=TODAY)
    return {"open": open_call, "published": published, "closed": closed}


def test_members_list_every_call_and_the_public_only_published_ones(client, calls, officer_b):
    public = client.get("/api/portfolio/rounds").json()
    assert [r["slug"] for r in public["items"]] == [calls["published"].slug]
    assert public["items"][0]["state"] == "published"
    member = client.get("/api/portfolio/rounds", headers=bearer(officer_b)).json()
    assert {r["title"] for r in member["items"]} == {"Open call", "Published call", "Closed call"}
    detail = client.get(f"/api/portfolio/rounds/{calls['open'].slug}", headers=bearer(officer_b))
    assert detail.json()["state"] == "proposing"
    assert [c["weight"] for c in detail.json()["criteria"]] == [2, 1]


def test_a_calls_proposals_are_for_members(client, calls, officer_a, partner):
    url = f"/api/portfolio/rounds/{calls['open'].slug}/proposals"
    items = client.get(url, headers=bearer(officer_a)).json()["items"]
    assert [(p["title"], p["organisation"]) for p in items] == [("Camden's idea", "camden")]
    assert client.get(url, headers=bearer(partner)).status_code == 403
    assert client.get(url).status_code == 401


def test_an_officer_proposes_for_their_own_organisation(client, calls, officer_a, borough_b):
    url = f"/api/portfolio/rounds/{calls['open'].slug}/proposals"
    response = post(client, url, IDEA | {"supporters": ["camden"]}, officer_a)
    assert response.status_code == 201, response.content
    body = response.json()
    # Camden is a supporter once it confirms.
    assert (body["organisation"], body["supporters"]) == ("barnet", [])
    assert body["awaiting_confirmation"] == ["camden"]
    proposal = Proposal.objects.get(pk=body["id"])
    assert proposal.proposer == officer_a


def test_proposing_for_another_organisation_is_forbidden(client, calls, officer_a):
    url = f"/api/portfolio/rounds/{calls['open'].slug}/proposals"
    response = post(client, url, IDEA | {"organisation": "camden"}, officer_a)
    assert response.status_code == 403
    assert not Proposal.objects.filter(title=IDEA["title"]).exists()


def test_proposing_outside_the_window_is_refused_with_a_reason(client, calls, officer_a):
    url = f"/api/portfolio/rounds/{calls['closed'].slug}/proposals"
    response = post(client, url, IDEA, officer_a)
    assert response.status_code == 400
    assert "is not open for proposals" in json.dumps(response.json())


@pytest.mark.parametrize(
    ("change", "status", "reason"),
    [
        ({"workstream": "nothing-like-it"}, 400, "There is no workstream"),
        ({"supporters": ["nowhere"]}, 400, "There is no organisation"),
        ({"supporters": ["barnet"]}, 400, "cannot also be a supporting one"),
        ({"chunks": 0}, 422, "chunks"),
        ({"estimated_cost": "-1"}, 422, "estimated_cost"),
        ({"type": "moonshot"}, 422, "type"),
        ({"title": ""}, 422, "title"),
    ],
)
def test_an_invalid_proposal_is_refused_with_a_reason(
    client, calls, officer_a, change, status, reason
):
    url = f"/api/portfolio/rounds/{calls['open'].slug}/proposals"
    response = post(client, url, IDEA | change, officer_a)
    assert response.status_code == status
    assert reason in json.dumps(response.json())


def test_staff_name_the_proposing_organisation(client, calls, staff):
    url = f"/api/portfolio/rounds/{calls['open'].slug}/proposals"
    assert post(client, url, IDEA, staff).status_code == 400
    response = post(client, url, IDEA | {"organisation": "camden"}, staff)
    assert response.status_code == 201
    assert response.json()["organisation"] == "camden"


def test_results_are_public_once_published_and_a_404_before(client, calls, staff):
    published = client.get(f"/api/portfolio/rounds/{calls['published'].slug}/results")
    assert published.status_code == 200
    body = published.json()
    assert body["budget"] == 100000
    assert [(p["title"], p["selected"]) for p in body["proposals"]] == [("Chosen idea", True)]
    unpublished = f"/api/portfolio/rounds/{calls['closed'].slug}/results"
    assert client.get(unpublished).status_code == 404
    # Not over the API, even for the office: the API serves published results only.
    assert client.get(unpublished, headers=bearer(staff)).status_code == 404
