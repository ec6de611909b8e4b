"""Projects over the API: public to read, filterable and paginated, with their plan."""

import datetime

import pytest

from loti.portfolio.models import Phase, ProposalType
from loti.portfolio.projects import services as project_services
from tests import clock
from tests.portfolio import projects_setup as setup

pytestmark = pytest.mark.django_db


frozen_today = clock.frozen_fixture()


@pytest.fixture
def projects(staff, borough_a, borough_b, police):
    running = setup.project(lead=borough_a, partners=[police, borough_b], title="Job descriptions")
    project_services.cycle_review(
        actor=staff, cycle=running.cycles.get(number=1), decision="continue", notes="Good start"
    )
    project_services.resource_add(
        actor=staff,
        project=running,
        title="Template",
        url="https://example.org/template",
        kind="guide",
        licence="OGL v3.0",
    )
    other = setup.project(
        lead=borough_b,
        title="Device recycling",
        type=ProposalType.ADOPTION,
        started_on=datetime.date(2024, 2, 5),
    )
    project_services.project_phase_set(actor=staff, project=other, phase=Phase.LIVE)
    return running, other


def test_anyone_lists_projects_newest_first(client, projects):
    response = client.get("/api/portfolio/projects")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["title"] for item in body["items"]] == ["Job descriptions", "Device recycling"]
    first = body["items"][0]
    assert first["lead_organisation"] == "barnet"
    assert first["workstream"] == "data-collaboration"
    assert first["budget"] == "60000.00"
    assert first["url"] == "/portfolio/projects/job-descriptions/"


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("type=adoption", ["Device recycling"]),
        ("phase=discovery", ["Job descriptions"]),
        ("workstream=data-collaboration&phase=live", ["Device recycling"]),
        ("limit=1&offset=1", ["Device recycling"]),
    ],
)
def test_projects_filter_and_paginate(client, projects, query, titles):
    response = client.get(f"/api/portfolio/projects?{query}")
    assert [item["title"] for item in response.json()["items"]] == titles


def test_an_unknown_filter_value_is_a_client_error(client, projects):
    assert client.get("/api/portfolio/projects?workstream=nope").status_code == 404
    assert client.get("/api/portfolio/projects?phase=finished").status_code == 422
    assert client.get("/api/portfolio/projects?workstream=a%00b").status_code == 422


def test_a_project_comes_with_its_cycles_partners_and_resources(client, projects):
    response = client.get("/api/portfolio/projects/job-descriptions")
    assert response.status_code == 200
    body = response.json()
    assert sorted(body["partners"]) == ["camden", "met-police"]
    assert body["proposal"] is None
    assert body["cycles"][0] == {
        "number": 1,
        "goal": "Collect the job descriptions members use now",
        "starts_on": "2026-05-04",
        "ends_on": "2026-06-15",
        "decision": "continue",
        "notes": "Good start",
        "decided_on": "2026-11-22",
    }
    assert [c["decision"] for c in body["cycles"]] == ["continue", None, None]
    assert body["resources"] == [
        {
            "title": "Template",
            "url": "https://example.org/template",
            "kind": "guide",
            "licence": "OGL v3.0",
        }
    ]


def test_an_unknown_project_is_a_404(client, projects):
    assert client.get("/api/portfolio/projects/no-such-project").status_code == 404
    assert client.get("/api/portfolio/projects/not%20a%20slug").status_code == 404
