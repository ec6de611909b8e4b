"""The data-sharing register over the API: the same agreements and the same withheld details
as the pages, pages of a list, filters, and every bad request a 4xx that says why. Nothing
signs through it."""

import pytest

from loti.config.api import api
from loti.datasharing.api import AgreementStatus
from loti.datasharing.models import Agreement
from tests.datasharing.documents_world import build_documents_world
from tests.datasharing.world import SECRET
from tests.permission_matrix import api_tokens
from tests.personas import PERSONAS

LIST = "/api/datasharing/agreements"


@pytest.fixture(scope="module")
def world(module_transaction):
    world = build_documents_world()
    personas = {name: world[name] for name in PERSONAS}
    world["personas"] = personas
    world["tokens"] = api_tokens(personas)
    return world


def call(client, world, persona, path, method="get"):
    person = world["personas"][persona]
    headers = {"Authorization": f"Bearer {world['tokens'][persona]}"} if person else {}
    return getattr(client, method)(path, headers=headers)


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_the_public_list_the_register_without_drafts_or_details(db, client, world):
    response = call(client, world, "anonymous", LIST)
    assert titles(response) == ["Housing needs", "London safeguarding"]
    signed = response.json()["items"][1]
    assert signed["details"] is False
    assert signed["version"]["purpose"].startswith("Plan adult social care")
    assert signed["version"]["article6"] == {"code": "e", "label": "6(1)(e) Public task"}
    assert signed["version"]["security"] is None
    assert signed["version"]["data_items"] == []
    assert [p["organisation"] for p in signed["version"]["parties"]] == [
        "barnet",
        "camden",
        "met-police",
    ]
    # Everyone reads that each party signed, and when; not who signed, or as what.
    assert all(p["signature"]["signed_at"] for p in signed["version"]["parties"])
    assert all(
        (p["signature"]["name"], p["signature"]["capacity"]) == (None, None)
        for p in signed["version"]["parties"]
    )
    assert SECRET not in response.content.decode()


def test_members_list_their_organisations_drafts_with_the_details(db, client, world):
    response = call(client, world, "officer_a", LIST)
    assert titles(response) == ["Barnet's draft", "Housing needs", "London safeguarding"]
    signed = response.json()["items"][2]
    assert signed["details"] is True
    assert signed["version"]["security"] == SECRET
    assert signed["version"]["number"] == 1  # the version in force, not the one awaiting
    assert "dpia" not in signed  # an agreement's own answer has it
    assert {p["signature"]["name"] for p in signed["version"]["parties"]} == {
        "Lee Lead",
        "Cam Lead",
        "Dee Signatory",
    }
    assert len(titles(call(client, world, "staff", LIST))) == 4


def test_a_partner_reads_the_details_of_the_agreements_it_is_party_to(db, client, world):
    items = {item["title"]: item for item in call(client, world, "partner", LIST).json()["items"]}
    assert set(items) == {"Camden and the Met", "Housing needs", "London safeguarding"}
    assert items["London safeguarding"]["details"] is True
    assert items["Camden and the Met"]["details"] is True
    assert items["Housing needs"]["details"] is False
    assert items["Housing needs"]["version"]["security"] is None


def test_the_list_comes_a_page_at_a_time(db, client, world):
    first = call(client, world, "staff", f"{LIST}?limit=1").json()
    second = call(client, world, "staff", f"{LIST}?limit=1&offset=1").json()
    assert first["count"] == second["count"] == 4
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["slug"] != second["items"][0]["slug"]


def test_a_page_of_the_list_is_read_in_a_few_queries(
    db, client, world, django_assert_max_num_queries
):
    token = world["tokens"]["partner"]
    with django_assert_max_num_queries(20):
        response = client.get(LIST, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert len(response.json()["items"]) == 3


def test_the_list_is_filtered_by_status_and_party(db, client, world):
    assert titles(call(client, world, "staff", f"{LIST}?status=signed")) == ["London safeguarding"]
    assert titles(call(client, world, "staff", f"{LIST}?status=draft&party=met-police")) == [
        "Camden and the Met"
    ]
    assert titles(call(client, world, "anonymous", f"{LIST}?party=met-police")) == [
        "London safeguarding"
    ]


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("status=sealed", 422, "status"),
        ("party=nowhere", 400, "There is no organisation 'nowhere'"),
        ("party=not%20a%20slug", 400, "There is no organisation"),
        ("party=%00", 422, "NUL"),
        ("party=" + "x" * 101, 422, "party"),
        ("limit=0", 422, "limit"),
        ("limit=1001", 422, "limit"),
        ("offset=-1", 422, "offset"),
        ("offset=99999999999999999999", 422, "offset"),
    ],
)
def test_a_bad_query_is_a_4xx_that_says_why(db, client, world, query, status, says):
    response = call(client, world, "officer_a", f"{LIST}?{query}")
    assert response.status_code == status, response.content
    assert says in response.content.decode()


def test_an_agreement_comes_with_every_version_its_parties_and_signatures(db, client, world):
    slug = world["signed"].slug
    body = call(client, world, "officer_b", f"{LIST}/{slug}").json()
    assert [v["number"] for v in body["versions"]] == [1, 2]
    first, second = body["versions"]
    assert first["in_force"] and not first["current"] and first["superseded_at"]
    assert second["current"] and not second["in_force"]
    assert all(p["signature"] for p in first["parties"])
    assert not any(p["signature"] for p in second["parties"])
    assert first["parties"][2]["signature"]["capacity"] == "Chief Digital Officer"
    assert [i["category"] for i in second["data_items"]] == ["personal", "special", "pseudonymised"]
    assert body["screening"]["required"] is True
    public = call(client, world, "anonymous", f"{LIST}/{slug}").json()
    assert public["screening"] is None and public["dpia"] is None
    assert public["versions"][1]["change_summary"] is None
    assert public["versions"][1]["transfer_method"] is None


@pytest.mark.parametrize(
    ("slug", "status"),
    [("no-such-agreement", 404), ("bad%20slug", 422), ("x" * 121, 422), ("%00", 422)],
)
def test_an_agreement_that_is_not_there_or_a_bad_slug_is_a_4xx(db, client, world, slug, status):
    response = call(client, world, "staff", f"{LIST}/{slug}")
    assert response.status_code == status, response.content
    assert response.json()["detail"]


def test_another_organisations_draft_is_not_found(db, client, world):
    response = call(client, world, "officer_a", f"{LIST}/{world['draft'].slug}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_nothing_is_signed_through_the_api_and_its_description_says_why(db, client, world):
    slug = world["consultation"].slug
    for path in (LIST, f"{LIST}/{slug}"):
        for method in ("post", "put", "patch", "delete"):
            assert call(client, world, "lead_a", path, method).status_code == 405
    schema = api.get_openapi_schema()
    operations = [
        operation
        for path, item in schema["paths"].items()
        if path.startswith("/api/datasharing/agreements")
        for operation in item.values()
    ]
    assert {operation["operationId"] for operation in operations} == {
        "list_agreements",
        "get_agreement",
    }
    for operation in operations:
        assert "a signature is a person's act" in operation["description"]
        assert operation["security"] == [{}, {"TokenAuth": []}]
    assert "agreements are signed on the site only" in schema["info"]["description"]


def test_the_status_filter_offers_every_status():
    assert set(AgreementStatus.__args__) == set(Agreement.Status.values)


def test_a_rejected_token_is_a_401(db, client):
    response = client.get(LIST, headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401
