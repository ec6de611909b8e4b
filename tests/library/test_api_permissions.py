"""The permission matrix of the library's API: every operation, for every persona, on an
open resource, a members-only one and a draft, each made by borough A (Barnet)."""

import pytest

from loti.library import services
from loti.library.models import Kind, Licence
from tests.permission_matrix import Row, api_tokens, case_id, cases, check, expect
from tests.personas import PERSONAS, build_personas

EVERYONE = expect(others=200)
MEMBERS_READ = expect(anonymous=404, others=200)
# A draft is read by its organisation's people and the office; to anyone else it is not there.
DRAFT_READ = expect(staff=200, lead_a=200, officer_a=200, others=404)
OWN_CREATE = expect(anonymous=401, staff=201, lead_a=201, officer_a=201, others=403)
NEW = {"title": "Damp survey", "summary": "A survey.", "kind": "template", "licence": "mit"}
LINK = {"label": "2.0", "link": "https://example.org/v2"}


def resource(name):
    return lambda o: f"/api/library/resources/{o[name].pk}"


def versions(name):
    return lambda o: f"/api/library/resources/{o[name].pk}/versions"


MATRIX = [
    Row("api:list_resources", "GET", lambda o: "/api/library/resources", EVERYONE),
    Row("api:list_resources", "GET", lambda o: "/api/library/resources?q=survey", EVERYONE),
    Row("api:get_resource", "GET", resource("open"), EVERYONE),
    Row("api:get_resource", "GET", resource("members_only"), MEMBERS_READ),
    Row("api:get_resource", "GET", resource("draft"), DRAFT_READ),
    # The office names the authors; a member's own organisation is the author by default.
    Row(
        "api:create_resource",
        "POST",
        lambda o: "/api/library/resources",
        OWN_CREATE,
        data={**NEW, "organisations": ["barnet"]},
    ),
    Row("api:add_version", "POST", versions("open"), OWN_CREATE, data=LINK),
    Row(
        "api:add_version",
        "POST",
        versions("members_only"),
        expect(anonymous=401, staff=201, lead_a=201, officer_a=201, others=403),
        data=LINK,
    ),
    Row(
        "api:add_version",
        "POST",
        versions("draft"),
        expect(anonymous=401, staff=201, lead_a=201, officer_a=201, others=404),
        data=LINK,
    ),
]


@pytest.fixture(scope="module")
def objects(module_transaction):
    built = build_personas()
    personas = {name: built[name] for name in PERSONAS}

    def make(title, licence, publish):
        return services.resource_create(
            actor=built["staff"],
            title=title,
            summary="A survey of tenants.",
            kind=Kind.TEMPLATE,
            licence=licence,
            organisations=[built["borough_a"]],
            publish=publish,
            version={"label": "1.0", "link": "https://example.org/v1"},
        )

    return {
        "personas": personas,
        "tokens": api_tokens(personas),
        "open": make("Open survey", Licence.OGL, True),
        "members_only": make("Members' survey", Licence.MEMBERS_ONLY, True),
        "draft": make("Draft survey", Licence.OGL, False),
    }


@pytest.mark.parametrize(("row", "persona"), cases(MATRIX), ids=case_id)
def test_permission_matrix(db, client, objects, row, persona):
    check(client, objects, row, persona)
