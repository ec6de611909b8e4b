"""The permission matrix of an agreement's documents (its readable page, PDF and JSON export)
and of the templates' page, for every persona, on the world of tests/datasharing/world.py:
an agreement in force, Camden's draft with the Met, and Barnet's draft with Camden."""

import pytest
from django.urls import reverse

from tests.datasharing.world import build_world
from tests.permission_matrix import Row, case_id, cases, check, expect
from tests.personas import PERSONAS

EVERYONE = expect(others=200)
# Camden's draft with the Met: Barnet's people and the public are told it is not there.
CAMDENS_DRAFT = expect(staff=200, officer_b=200, partner=200, others=404)
# Barnet's draft with Camden: the Met is no party to it.
BARNETS_DRAFT = expect(anonymous=404, partner=404, others=200)
# Those who may draft an agreement choose a template; partners only read agreements.
DRAFTERS = expect(anonymous=302, partner=403, others=200)


def url(name, agreement=None):
    return lambda o: reverse(name, args=[o[agreement].slug] if agreement else [])


DOCUMENTS = (
    "datasharing:agreement_document",
    "datasharing:agreement_pdf",
    "datasharing:agreement_json",
)

MATRIX = [
    Row("datasharing:agreement_templates", "GET", url("datasharing:agreement_templates"), DRAFTERS),
    *[
        Row(route, "GET", url(route, agreement), expected)
        for route in DOCUMENTS
        for agreement, expected in [
            ("signed", EVERYONE),
            ("consultation", EVERYONE),
            ("draft", CAMDENS_DRAFT),
            ("barnet_draft", BARNETS_DRAFT),
        ]
    ],
]


@pytest.fixture(scope="module")
def objects(module_transaction):
    world = build_world()
    return {**world, "personas": {name: world[name] for name in PERSONAS}}


@pytest.mark.parametrize(("row", "persona"), cases(MATRIX), ids=case_id)
def test_permission_matrix(db, client, objects, row, persona):
    check(client, objects, row, persona)
