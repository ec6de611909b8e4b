"""The permission matrix of the question and the coverage pages and API: agreements in force
are on the public register, so everyone may ask and read who shares with whom; an agreement's
own matrix follows the agreement's visibility (another organisation's draft is a 404)."""

import pytest
from django.urls import reverse

from tests.datasharing.world import build_world
from tests.permission_matrix import Row, api_tokens, case_id, cases, check, expect
from tests.personas import PERSONAS

EVERYONE = expect(others=200)
# Camden's draft with the Met: the office and the people of Camden and the Met know it is there.
CAMDEN_DRAFT = expect(staff=200, officer_b=200, partner=200, others=404)
NOT_ALLOWED = expect(others=405)
QUESTION = "?a=barnet&b=camden&category=special&purpose=care"


def url(name, *args, query=""):
    return lambda o: reverse(name, args=[o[a].slug for a in args]) + query


MATRIX = [
    Row("datasharing:can_we_share", "GET", url("datasharing:can_we_share"), EVERYONE),
    Row(
        "datasharing:can_we_share",
        "GET",
        url("datasharing:can_we_share", query=QUESTION),
        EVERYONE,
    ),
    # The question is asked with GET: it changes nothing.
    Row("datasharing:can_we_share", "POST", url("datasharing:can_we_share"), NOT_ALLOWED),
    Row("datasharing:coverage", "GET", url("datasharing:coverage"), EVERYONE),
    Row(
        "datasharing:agreement_coverage",
        "GET",
        url("datasharing:agreement_coverage", "signed"),
        EVERYONE,
    ),
    Row(
        "datasharing:agreement_coverage",
        "GET",
        url("datasharing:agreement_coverage", "draft"),
        CAMDEN_DRAFT,
    ),
    Row("api:can_we_share", "GET", lambda o: f"/api/datasharing/can-we-share{QUESTION}", EVERYONE),
    Row("api:coverage_matrix", "GET", lambda o: "/api/datasharing/coverage", EVERYONE),
    Row(
        "api:coverage_matrix",
        "GET",
        lambda o: f"/api/datasharing/coverage?agreement={o['draft'].slug}",
        CAMDEN_DRAFT,
    ),
]


@pytest.fixture(scope="module")
def objects(module_transaction):
    world = build_world()
    personas = {name: world[name] for name in PERSONAS}
    return {**world, "personas": personas, "tokens": api_tokens(personas)}


@pytest.mark.parametrize(("row", "persona"), cases(MATRIX), ids=case_id)
def test_permission_matrix(db, client, objects, row, persona):
    check(client, objects, row, persona)
