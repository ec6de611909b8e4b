"""The API's lists, limits, schema and errors: every list is read a page at a time, a body
too large is a JSON 413, the schema says which operations need a token, a JSON body's types
are strict, and a database constraint is never named to a client."""

import datetime
import json

import pytest

from loti.core import services as core_services
from loti.evaluation.activities.models import Activity
from loti.techmap.forms import SpreadsheetUploadForm
from loti.techmap.models import Product, ProductCategory, System

pytestmark = pytest.mark.django_db


def bearer(person):
    return {"Authorization": f"Bearer {core_services.api_token_create(person=person, name='t')[1]}"}


def test_the_activities_list_is_read_a_page_at_a_time(client, staff, django_assert_max_num_queries):
    Activity.objects.bulk_create(
        Activity(title=f"Activity {n:03}", slug=f"activity-{n:03}", benefit_model="market_rate")
        for n in range(120)
    )
    headers = bearer(staff)
    with django_assert_max_num_queries(8):
        response = client.get("/api/evaluation/activities", {"limit": 1}, headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == Activity.objects.count()
    assert [row["slug"] for row in body["items"]] == ["activity-000"]


def test_the_request_limit_is_the_spreadsheet_imports(settings):
    assert SpreadsheetUploadForm().max_bytes == settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 50 * 1024 * 1024


def test_a_body_over_the_limit_is_a_json_413_with_the_limit(client, officer_a, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # a small limit keeps the test cheap
    body = json.dumps({"rows": [{"product": "x" * 1000}] * 1100})
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(
        "/api/techmap/organisations/barnet/estate",
        body,
        content_type="application/json",
        headers=bearer(officer_a),
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": "The request body is larger than the 1 MB limit"}


PUBLIC_READS = {
    "/api/organisations",
    "/api/organisations/{slug}",
    "/api/techmap/organisations/{slug}/systems",
    "/api/techmap/organisations/{slug}/contracts",
    "/api/techmap/tenders",
    "/api/portfolio/rounds",
    "/api/portfolio/rounds/{slug}",
    "/api/portfolio/rounds/{slug}/results",
    "/api/portfolio/projects",
    "/api/portfolio/projects/{slug}",
    # Open-licence resources are public; members-only ones and drafts need a token.
    "/api/library/resources",
    "/api/library/resources/{resource_id}",
    # The data-sharing register's public fields, and the question and coverage from it.
    "/api/datasharing/agreements",
    "/api/datasharing/agreements/{slug}",
    "/api/datasharing/can-we-share",
    "/api/datasharing/coverage",
}


def test_the_schema_says_public_reads_need_no_token_and_the_rest_do(client):
    document = client.get("/api/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert set(schemes) == {"TokenAuth"}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            security = operation.get("security")
            if method == "get" and path in PUBLIC_READS:
                # An empty requirement: calling without a token satisfies the operation.
                assert {} in security and {"TokenAuth": []} in security, (method, path)
            else:
                assert security == [{"TokenAuth": []}], (method, path)


@pytest.fixture
def contract(borough_a):
    from loti.techmap.models import Contract, Vendor

    vendor = Vendor.objects.create(name="Axiell Ltd", slug="axiell-ltd")
    return Contract.objects.create(
        organisation=borough_a,
        vendor=vendor,
        title="Library system",
        starts_on=datetime.date(2025, 4, 1),
        ends_on=datetime.date(2028, 3, 31),
    )


def patch(client, url, body, person):
    return client.patch(
        url, json.dumps(body), content_type="application/json", headers=bearer(person)
    )


@pytest.mark.parametrize(
    "body",
    [{"is_public": 0}, {"is_public": "true"}, {"annual_value": "1", "is_public": 1}],
)
def test_a_json_boolean_must_be_a_boolean(client, officer_a, contract, body):
    response = patch(client, f"/api/techmap/contracts/{contract.pk}", body, officer_a)
    assert response.status_code == 422, response.content
    contract.refresh_from_db()
    assert contract.is_public is False


@pytest.mark.parametrize("users", ["12", 12.0, True])
def test_a_json_whole_number_must_be_a_number(client, officer_a, borough_a, contract, users):
    system = System.objects.create(
        organisation=borough_a,
        product=Product.objects.create(
            vendor=contract.vendor,
            name="Spydus",
            slug="spydus",
            category=ProductCategory.objects.get(slug="library-management-system"),
        ),
    )
    response = patch(client, f"/api/techmap/systems/{system.pk}", {"users": users}, officer_a)
    assert response.status_code == 422, response.content


def test_a_broken_constraint_is_explained_without_its_name(client, officer_a, contract):
    response = patch(
        client, f"/api/techmap/contracts/{contract.pk}", {"ends_on": "2024-03-31"}, officer_a
    )
    assert response.status_code == 400, response.content
    assert "techmap_" not in response.content.decode()
    assert "onstraint" not in response.content.decode()
    detail = response.json()["detail"]
    assert list(detail) == ["ends_on"]
    assert "start" in detail["ends_on"][0]


def test_no_constraint_is_explained_with_its_name():
    from loti.core.api import _constraint_in, _constraints

    for name, (_field, message) in _constraints().items():
        assert name not in message and "onstraint" not in message, name
    assert _constraint_in("CHECK constraint failed: techmap_skilllevel_1_to_5")[0] == "level"
    assert _constraint_in("UNIQUE constraint failed: techmap_system.product_id") is None
