"""The question and the coverage matrix over the API: the same answers as the pages, a 4xx
with a reason for anything wrong."""

import pytest

from loti.core.services import api_token_create
from tests.datasharing.coverage_world import build_coverage_world

pytestmark = pytest.mark.django_db

ASK = "/api/datasharing/can-we-share"
MATRIX = "/api/datasharing/coverage"


@pytest.fixture(scope="module")
def built(module_transaction):
    world = build_coverage_world()
    world["token"] = api_token_create(person=world["officer_b"], name="t")[1]
    world["partner_token"] = api_token_create(person=world["partner"], name="t")[1]
    return world


@pytest.fixture
def world(db, built):
    return built


def get(client, url, token=None, **params):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(url, params, headers=headers)


def test_a_covered_question_answers_with_the_clauses(client, world):
    response = get(
        client, ASK, world["token"], a="barnet", b="camden", category="special", purpose="care"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["covered"] is True and body["total"] == 1
    (found,) = body["agreements"]
    assert found["title"] == "London safeguarding"
    assert found["lawful_basis"]["article9"] == "h"
    assert found["role_a"] == found["role_b"] == "joint_controller"
    assert found["data_items"] == [{"name": "Care needs", "description": ""}]
    assert body["nearest"] == []


def test_the_public_answer_has_no_data_items(client, world):
    body = get(client, ASK, a="barnet", b="camden", category="special").json()
    assert body["agreements"][0]["data_items"] is None


def test_no_agreement_answers_with_the_nearest(client, world):
    body = get(client, ASK, a="barnet", b="camden", category="criminal").json()
    assert body["covered"] is False and body["agreements"] == []
    assert {n["title"]: n["missing"] for n in body["nearest"]}["Youth offending"] == (
        "Barnet is not a party to it."
    )


@pytest.mark.parametrize(
    ("params", "status", "field", "message"),
    [
        ({"a": "barnet", "b": "barnet", "category": "personal"}, 400, "b", "Select a different"),
        (
            {"a": "nowhere", "b": "camden", "category": "personal"},
            400,
            "a",
            "Select organisation A",
        ),
        ({"a": "barnet", "b": "camden", "category": "gossip"}, 422, None, None),
        ({"a": "barnet", "category": "personal"}, 422, None, None),
        ({"a": "bar\x00net", "b": "camden", "category": "personal"}, 422, None, None),
        (
            {"a": "barnet", "b": "camden", "category": "personal", "purpose": "x" * 501},
            422,
            None,
            None,
        ),
    ],
)
def test_bad_questions_are_refused_with_a_reason(client, world, params, status, field, message):
    response = get(client, ASK, **params)
    assert response.status_code == status, response.content
    detail = response.json()["detail"]
    if field:
        assert detail[field][0].startswith(message)
    else:
        assert detail


def test_the_matrix_lists_each_pair_once(client, world):
    body = get(client, MATRIX).json()
    assert body["organisations"] == ["barnet", "camden", "hackney", "met-police"]
    pairs = {(p["a"], p["b"]): p for p in body["pairs"]}
    assert len(pairs) == 6
    camden_met = pairs[("camden", "met-police")]
    assert sorted(camden_met["agreements"]) == sorted([world["signed"].slug, world["youth"].slug])
    assert camden_met["categories"] == ["personal", "special", "criminal"]


def test_one_agreement_s_matrix_and_a_draft_not_seen(client, world):
    body = get(client, MATRIX, agreement=world["youth"].slug).json()
    assert body["organisations"] == ["camden", "hackney", "met-police"]
    assert get(client, MATRIX, agreement=world["draft"].slug).status_code == 404
    seen = get(client, MATRIX, world["partner_token"], agreement=world["draft"].slug)
    assert seen.status_code == 200 and seen.json()["pairs"] == []
    assert get(client, MATRIX, agreement="no-such").status_code == 404
