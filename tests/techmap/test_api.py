import datetime
import io
import json
from decimal import Decimal

import pytest

from loti.core import services as core_services
from loti.techmap import services
from loti.techmap.models import Contract, ProductCategory, System
from loti.techmap.ocds.importing import import_ocds
from tests import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    category = ProductCategory.objects.get(slug="library-management-system")
    vendor = services.vendor_create(actor=None, name="Axiell Ltd", is_sme=False)
    product = services.product_create(actor=None, vendor=vendor, name="Spydus", category=category)
    return {"vendor": vendor, "product": product}


def bearer(person):
    return {"Authorization": f"Bearer {core_services.api_token_create(person=person, name='t')[1]}"}


def post(client, url, body, person):
    return client.post(
        url, json.dumps(body), content_type="application/json", headers=bearer(person)
    )


def test_an_officer_creates_and_updates_their_systems_and_contracts(client, officer_a, catalogue):
    response = post(
        client,
        "/api/techmap/organisations/barnet/systems",
        {"product": catalogue["product"].slug, "users": 120, "satisfaction": 4},
        officer_a,
    )
    assert response.status_code == 201, response.content
    system = response.json()
    assert system["service_areas"] == ["libraries"]  # the category's usual service
    response = post(
        client,
        "/api/techmap/organisations/barnet/contracts",
        {
            "title": "Library system",
            "vendor": catalogue["vendor"].slug,
            "system": system["id"],
            "ends_on": "2028-03-31",
            "annual_value": "45000.00",
        },
        officer_a,
    )
    assert response.status_code == 201, response.content
    contract = Contract.objects.get()
    assert (contract.source, contract.annual_value) == ("api", Decimal(45000))
    response = client.patch(
        f"/api/techmap/contracts/{contract.pk}",
        json.dumps({"ends_on": "2029-03-31"}),
        content_type="application/json",
        headers=bearer(officer_a),
    )
    assert response.json()["ends_on"] == "2029-03-31"


def test_values_are_hidden_from_the_public_in_the_api(client, officer_a, borough_a, catalogue):
    services.contract_create(
        actor=None,
        organisation=borough_a,
        vendor=catalogue["vendor"],
        title="Private",
        annual_value=Decimal(10),
    )
    services.contract_create(
        actor=None,
        organisation=borough_a,
        vendor=catalogue["vendor"],
        title="Published",
        annual_value=Decimal(20),
        is_public=True,
    )
    public = {
        c["title"]: c["annual_value"]
        for c in client.get("/api/techmap/organisations/barnet/contracts").json()["items"]
    }
    assert public == {"Private": None, "Published": "20.00"}
    member = client.get(
        "/api/techmap/organisations/barnet/contracts", headers=bearer(officer_a)
    ).json()["items"]
    assert {c["title"]: c["annual_value"] for c in member} == {
        "Private": "10.00",
        "Published": "20.00",
    }


def test_an_unknown_service_area_is_a_400_naming_it(client, officer_a, catalogue):
    response = post(
        client,
        "/api/techmap/organisations/barnet/systems",
        {"product": catalogue["product"].slug, "service_areas": ["libraries", "moon-base"]},
        officer_a,
    )
    assert response.status_code == 400
    assert response.json()["detail"] == {"service_areas": ["There is no service area 'moon-base'"]}
    assert not System.objects.exists()


def test_bulk_upsert_writes_all_rows_or_none(client, officer_a, catalogue):
    good = {
        "product": "Spydus",
        "vendor": "Axiell Ltd",
        "category": "Library management system",
        "contract_title": "Libraries",
        "contract_end": "2028-03-31",
        "annual_value": "40000",
    }
    bad = {**good, "product": "Other", "satisfaction": "9"}
    response = post(
        client, "/api/techmap/organisations/barnet/estate", {"rows": [good, bad]}, officer_a
    )
    body = response.json()
    assert response.status_code == 200 and body["committed"] is False
    assert body["problems"][0]["row"] == 2 and body["problems"][0]["column"] == "satisfaction"
    assert not System.objects.exists() and not Contract.objects.exists()

    response = post(client, "/api/techmap/organisations/barnet/estate", {"rows": [good]}, officer_a)
    assert response.json()["committed"] is True, response.json()
    assert Contract.objects.get().ends_on == datetime.date(2028, 3, 31)
    again = post(
        client, "/api/techmap/organisations/barnet/estate", {"rows": [good]}, officer_a
    ).json()
    assert again["committed"] is True
    assert System.objects.count() == 1 and Contract.objects.count() == 1


def test_bulk_upsert_is_refused_for_another_organisation(client, officer_b, borough_a, catalogue):
    response = post(client, "/api/techmap/organisations/barnet/estate", {"rows": []}, officer_b)
    assert response.status_code == 403


def _tender_package(buyer, *, ocid, title, closes, status="active", cpv="72000000"):
    release = {
        "ocid": ocid,
        "id": f"{ocid}-1",
        "date": "2026-11-01T09:00:00Z",
        "tag": ["tender"],
        "buyer": {"id": "GB-TEST-1", "name": buyer},
        "tender": {
            "id": "T1",
            "title": title,
            "status": status,
            "classification": {"scheme": "CPV", "id": cpv},
            "value": {"amount": 250000, "currency": "GBP"},
            "tenderPeriod": {"endDate": closes},
            "suitability": {"sme": True, "vcse": False},
            "documents": [
                {"id": "1", "documentType": "tenderNotice", "url": f"https://example.org/{ocid}"}
            ],
        },
    }
    return io.BytesIO(json.dumps({"releases": [release]}).encode())


def test_open_tenders_are_public_filterable_and_soonest_first(client, borough_a, borough_b):
    now = datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC)
    for ocid, buyer, title, closes, status, cpv in [
        ("ocds-t-1", "Barnet Council", "Housing management system", "2026-12-20T12:00:00Z",
         "active", "48000000"),
        ("ocds-t-2", "London Borough of Camden", "Library management system",
         "2026-12-01T12:00:00Z", "planned", "72000000"),
        ("ocds-t-3", "Barnet Council", "Parking system", "2026-11-01T12:00:00Z", "active",
         "48000000"),  # closed
        ("ocds-t-4", "Barnet Council", "Parks grounds maintenance", "2026-12-20T12:00:00Z",
         "active", "77310000"),  # not technology
        ("ocds-t-5", "Camden Council", "Payroll system", "2026-12-20T12:00:00Z", "cancelled",
         "48000000"),
    ]:  # fmt: skip
        report = import_ocds(
            _tender_package(buyer, ocid=ocid, title=title, closes=closes, status=status, cpv=cpv),
            now=now,
        )
        assert report.imported, report.errors
    with clock.frozen(now):
        response = client.get("/api/techmap/tenders")
        assert response.status_code == 200
        items = response.json()["items"]
        assert [item["ocid"] for item in items] == ["ocds-t-2", "ocds-t-1"]
        assert items[0]["buyer"] == "camden"
        assert items[0]["status"] == "planned"
        assert items[0]["service_areas"] == ["libraries"]
        assert items[1]["url"] == "https://example.org/ocds-t-1"
        assert items[1]["suitable_for_sme"] is True and items[1]["value"] == "250000.00"
        only_barnet = client.get("/api/techmap/tenders?buyer=barnet").json()["items"]
        assert [item["ocid"] for item in only_barnet] == ["ocds-t-1"]
        housing = client.get("/api/techmap/tenders?area=housing-management").json()["items"]
        assert [item["ocid"] for item in housing] == ["ocds-t-1"]
        assert client.get("/api/techmap/tenders?area=no-such-area").status_code == 404
        assert client.get("/api/techmap/tenders?buyer=nobody").status_code == 404
