"""The permission matrix of the data-sharing API: every operation, for every persona, on an
agreement in force, Camden's draft with the Met and Barnet's draft with Camden. Nothing is
written through it: agreements are signed on the site."""

import pytest

from tests.datasharing.world import build_world
from tests.permission_matrix import Row, api_tokens, case_id, cases, check, expect
from tests.personas import PERSONAS

EVERYONE = expect(others=200)
CAMDENS_DRAFT = expect(staff=200, officer_b=200, partner=200, others=404)
BARNETS_DRAFT = expect(anonymous=404, partner=404, others=200)


def agreement(name):
    return lambda o: f"/api/datasharing/agreements/{o[name].slug}"


MATRIX = [
    Row("api:list_agreements", "GET", lambda o: "/api/datasharing/agreements", EVERYONE),
    Row(
        "api:list_agreements",
        "GET",
        lambda o: "/api/datasharing/agreements?status=draft&party=camden",
        EVERYONE,
    ),
    Row("api:get_agreement", "GET", agreement("signed"), EVERYONE),
    Row("api:get_agreement", "GET", agreement("draft"), CAMDENS_DRAFT),
    Row("api:get_agreement", "GET", agreement("barnet_draft"), BARNETS_DRAFT),
]


@pytest.fixture(scope="module")
def objects(module_transaction):
    world = build_world()
    personas = {name: world[name] for name in PERSONAS}
    return {**world, "personas": personas, "tokens": api_tokens(personas)}


@pytest.mark.parametrize(("row", "persona"), cases(MATRIX), ids=case_id)
def test_permission_matrix(db, client, objects, row, persona):
    check(client, objects, row, persona)
