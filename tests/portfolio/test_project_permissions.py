"""The permission matrix of the project pages and the projects API.

The project belongs to Barnet (lead_a, officer_a) with the Met Police (partner) as partner;
Camden's officer_b is outside it. Its weeknote was posted by officer_a and its resource linked
by partner; another project (Camden's) has one of each too."""

import datetime

import pytest
from django.urls import reverse

from loti.portfolio.projects import services as project_services
from tests import clock
from tests.permission_matrix import Row, api_tokens, case_id, cases, check, expect
from tests.personas import PERSONAS, build_personas
from tests.portfolio import projects_setup as setup
from tests.portfolio.call_helpers import make_call, make_proposal

EVERYONE = expect(others=200)
OFFICE_ONLY = expect(anonymous=302, staff=200, others=403)
# The office and the people of the project's organisations, of any role.
PROJECT_PEOPLE = expect(anonymous=302, officer_b=403, others=200)
# The office and the lead organisation's member lead.
REVIEWERS = expect(anonymous=302, staff=200, lead_a=200, others=403)
# The office and the person who posted the record, while one of the project's people.
UPDATE_REMOVERS = expect(anonymous=302, staff=200, officer_a=200, others=403)
RESOURCE_REMOVERS = expect(anonymous=302, staff=200, partner=200, others=403)


def url(name, *args):
    return lambda o: reverse(name, args=[o.get(a, a) for a in args])


MATRIX = [
    Row("portfolio:projects", "GET", url("portfolio:projects"), EVERYONE),
    Row(
        "portfolio:projects",
        "GET",
        lambda o: reverse("portfolio:projects") + "?type=adoption&phase=live&workstream=x",
        EVERYONE,
    ),
    # Only the projects of the person's own organisation: for everyone, a list.
    Row(
        "portfolio:projects",
        "GET",
        lambda o: reverse("portfolio:projects") + "?mine=yes",
        EVERYONE,
    ),
    Row("portfolio:project_create", "GET", url("portfolio:project_create"), OFFICE_ONLY),
    # An empty form: staff see it again with its errors.
    Row("portfolio:project_create", "POST", url("portfolio:project_create"), OFFICE_ONLY),
    Row("portfolio:project_detail", "GET", url("portfolio:project_detail", "project"), EVERYONE),
    Row(
        "portfolio:project_detail",
        "GET",
        lambda o: reverse("portfolio:project_detail", args=["no-such-project"]),
        expect(others=404),
    ),
    Row("portfolio:project_phase", "GET", url("portfolio:project_phase", "project"), OFFICE_ONLY),
    Row(
        "portfolio:project_phase",
        "POST",
        url("portfolio:project_phase", "project"),
        expect(anonymous=302, staff=302, others=403),
        data={"phase": "alpha"},
    ),
    Row(
        "portfolio:cycle_review",
        "GET",
        url("portfolio:cycle_review", "project", 1),
        REVIEWERS,
    ),
    Row(
        "portfolio:cycle_review",
        "POST",
        url("portfolio:cycle_review", "project", 1),
        expect(anonymous=302, staff=302, lead_a=302, others=403),
        data={"decision": "continue", "notes": "On track"},
    ),
    Row(
        "portfolio:cycle_review",
        "GET",
        url("portfolio:cycle_review", "project", 9),
        expect(others=404),
    ),
    Row("portfolio:cycle_goal", "GET", url("portfolio:cycle_goal", "project", 2), REVIEWERS),
    Row(
        "portfolio:cycle_goal",
        "POST",
        url("portfolio:cycle_goal", "project", 2),
        expect(anonymous=302, staff=302, lead_a=302, others=403),
        data={"goal": "Publish the template"},
    ),
    Row(
        "portfolio:weeknote_create",
        "GET",
        url("portfolio:weeknote_create", "project"),
        PROJECT_PEOPLE,
    ),
    Row(
        "portfolio:weeknote_create",
        "POST",
        url("portfolio:weeknote_create", "project"),
        expect(anonymous=302, officer_b=403, others=302),
        data={
            "published_on_0": "20",
            "published_on_1": "11",
            "published_on_2": "2026",
            "title": "Week 3",
            "body": "We met the suppliers.",
        },
    ),
    Row(
        "portfolio:resource_create",
        "GET",
        url("portfolio:resource_create", "project"),
        PROJECT_PEOPLE,
    ),
    Row(
        "portfolio:resource_create",
        "POST",
        url("portfolio:resource_create", "project"),
        expect(anonymous=302, officer_b=403, others=302),
        data={"title": "Spec", "url": "https://example.org/spec", "kind": "specification"},
    ),
    Row(
        "portfolio:weeknote_delete",
        "GET",
        url("portfolio:weeknote_delete", "project", "weeknote"),
        UPDATE_REMOVERS,
    ),
    Row(
        "portfolio:weeknote_delete",
        "POST",
        url("portfolio:weeknote_delete", "project", "weeknote"),
        expect(anonymous=302, staff=302, officer_a=302, others=403),
    ),
    # Another project's weeknote through this project's address, and one that does not exist.
    Row(
        "portfolio:weeknote_delete",
        "POST",
        url("portfolio:weeknote_delete", "project", "other_update"),
        expect(others=404),
    ),
    Row(
        "portfolio:weeknote_delete",
        "GET",
        url("portfolio:weeknote_delete", "project", 999999),
        expect(others=404),
    ),
    Row(
        "portfolio:resource_delete",
        "GET",
        url("portfolio:resource_delete", "project", "resource"),
        RESOURCE_REMOVERS,
    ),
    Row(
        "portfolio:resource_delete",
        "POST",
        url("portfolio:resource_delete", "project", "resource"),
        expect(anonymous=302, staff=302, partner=302, others=403),
    ),
    Row(
        "portfolio:resource_delete",
        "POST",
        url("portfolio:resource_delete", "project", "other_resource"),
        expect(others=404),
    ),
    Row(
        "portfolio:resource_delete",
        "GET",
        url("portfolio:resource_delete", "project", 999999),
        expect(others=404),
    ),
    Row("portfolio:project_start", "GET", url("portfolio:project_start", "proposal"), OFFICE_ONLY),
    Row(
        "portfolio:project_start",
        "POST",
        url("portfolio:project_start", "proposal"),
        # Staff start it once: the matrix runs each persona on fresh records.
        expect(anonymous=302, staff=302, others=403),
        data={
            "starts_on_0": "7",
            "starts_on_1": "12",
            "starts_on_2": "2026",
        },
    ),
    Row("portfolio:timeline", "GET", url("portfolio:timeline"), EVERYONE),
    Row("portfolio:quarterly", "GET", url("portfolio:quarterly"), EVERYONE),
    Row(
        "portfolio:quarterly",
        "GET",
        lambda o: reverse("portfolio:quarterly") + "?year=2025-26",
        EVERYONE,
    ),
    Row("api:list_projects", "GET", lambda o: "/api/portfolio/projects", EVERYONE),
    Row(
        "api:get_project",
        "GET",
        lambda o: f"/api/portfolio/projects/{o['project']}",
        EVERYONE,
    ),
]


frozen_today = clock.frozen_fixture(scope="module")


@pytest.fixture(scope="module")
def objects(module_transaction, frozen_today):
    built = build_personas()
    personas = {name: built[name] for name in PERSONAS}
    borough_a, borough_b, police = built["borough_a"], built["borough_b"], built["police"]
    tokens = api_tokens(personas)
    project = setup.project(lead=borough_a, partners=[police])
    other = setup.project(lead=borough_b, title="Shared digital inclusion hub")
    weeknote = project_services.weeknote_post(
        actor=personas["officer_a"],
        project=project,
        published_on=datetime.date(2026, 11, 20),
        title="Week 3",
        body="We met the suppliers.",
    )
    resource = project_services.resource_add(
        actor=personas["partner"],
        project=project,
        title="Spec",
        url="https://example.org/spec",
        kind="specification",
    )
    other_update = project_services.weeknote_post(
        actor=personas["officer_b"],
        project=other,
        published_on=datetime.date(2026, 11, 20),
        title="Week 1",
        body="We began.",
    )
    other_resource = project_services.resource_add(
        actor=personas["officer_b"],
        project=other,
        title="Survey",
        url="https://example.org/survey",
        kind="document",
    )
    call = make_call(opens=datetime.date(2026, 1, 5), published=True)
    proposal = make_proposal(call=call, organisation=borough_a, selected=True)
    return {
        "personas": personas,
        "tokens": tokens,
        "project": project.slug,
        "proposal": proposal.pk,
        "weeknote": weeknote.pk,
        "resource": resource.pk,
        "other_update": other_update.pk,
        "other_resource": other_resource.pk,
    }


@pytest.mark.parametrize(("row", "persona"), cases(MATRIX), ids=case_id)
def test_permission_matrix(db, client, objects, row, persona):
    check(client, objects, row, persona)
