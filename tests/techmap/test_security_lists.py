"""Lists a large import makes long are read a page at a time, on pages and in the API: a page
costs a bounded number of queries and shows one page of rows, however many rows there are."""

import datetime
import re

import pytest

from loti.techmap.models import Contract, Product, ProductCategory, System, Vendor
from loti.techmap.views import LIST_PAGE_SIZE

pytestmark = pytest.mark.django_db

ROWS = 300
QUERIES = 25


@pytest.fixture
def large_estate(borough_a):
    """ROWS products of one supplier, each a system of borough A with a contract, and ROWS
    more suppliers: what a large import leaves behind, built in a few queries."""
    category = ProductCategory.objects.get(slug="library-management-system")
    vendor = Vendor.objects.create(name="Big Supplier Ltd", slug="big-supplier-ltd")
    Vendor.objects.bulk_create(
        Vendor(name=f"Supplier {n:03}", slug=f"supplier-{n:03}", normalised_name=f"supplier {n:03}")
        for n in range(ROWS)
    )
    products = Product.objects.bulk_create(
        Product(vendor=vendor, name=f"Product {n:03}", slug=f"product-{n:03}", category=category)
        for n in range(ROWS)
    )
    systems = System.objects.bulk_create(
        System(organisation=borough_a, product=product) for product in products
    )
    Contract.objects.bulk_create(
        Contract(
            organisation=borough_a,
            vendor=vendor,
            system=system,
            title=f"Contract {n:03}",
            ends_on=datetime.date(2027 + n % 5, 3, 31),
            is_public=n % 2 == 0,
        )
        for n, system in enumerate(systems)
    )
    return {"organisation": borough_a, "vendor": vendor}


def links(response, path: str) -> int:
    """How many links the page has to `path` followed by an id or slug."""
    return len(re.findall(rf'href="{re.escape(path)}[-\w]+/"', response.content.decode()))


def test_the_organisation_page_shows_a_page_of_systems_and_of_contracts(
    client, large_estate, django_assert_max_num_queries
):
    url = f"/techmap/organisations/{large_estate['organisation'].slug}/"
    with django_assert_max_num_queries(QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert links(response, "/techmap/systems/") == LIST_PAGE_SIZE
    assert links(response, "/techmap/contracts/") == LIST_PAGE_SIZE
    assert f"Systems ({ROWS})" in response.content.decode()
    assert 'class="govuk-pagination"' in response.content.decode()
    # Each list turns its own pages, keeping the other's.
    response = client.get(url, {"systems_page": 6, "contracts_page": 2})
    content = response.content.decode()
    assert "Product 250" in content and "Product 249" not in content
    assert "?contracts_page=2&amp;systems_page=5" in content


def test_a_supplier_page_shows_a_page_of_products_and_of_contracts(
    client, large_estate, django_assert_max_num_queries
):
    with django_assert_max_num_queries(QUERIES):
        response = client.get(f"/techmap/suppliers/{large_estate['vendor'].slug}/")
    assert response.status_code == 200
    assert links(response, "/techmap/products/") == LIST_PAGE_SIZE
    assert links(response, "/techmap/contracts/") == LIST_PAGE_SIZE


def test_the_supplier_list_shows_a_page_of_suppliers(
    client, large_estate, django_assert_max_num_queries
):
    with django_assert_max_num_queries(QUERIES):
        response = client.get("/techmap/suppliers/")
    assert response.status_code == 200
    assert links(response, "/techmap/suppliers/") == LIST_PAGE_SIZE
    assert f"{ROWS + 1} suppliers" in response.content.decode()


def test_a_system_page_shows_a_page_of_its_contracts(
    client, large_estate, django_assert_max_num_queries
):
    system = System.objects.filter(organisation=large_estate["organisation"]).first()
    Contract.objects.bulk_create(
        Contract(
            organisation=large_estate["organisation"],
            vendor=large_estate["vendor"],
            system=system,
            title=f"Extra {n:03}",
        )
        for n in range(LIST_PAGE_SIZE + 10)
    )
    with django_assert_max_num_queries(QUERIES):
        response = client.get(f"/techmap/systems/{system.pk}/")
    assert response.status_code == 200
    assert links(response, "/techmap/contracts/") == LIST_PAGE_SIZE


@pytest.mark.parametrize("kind", ["systems", "contracts"])
def test_the_api_reads_one_page_from_the_database(
    client, large_estate, kind, django_assert_max_num_queries
):
    url = f"/api/techmap/organisations/{large_estate['organisation'].slug}/{kind}"
    with django_assert_max_num_queries(6) as queries:
        response = client.get(url, {"limit": 1, "offset": 7})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == ROWS
    assert len(body["items"]) == 1
    # No query reads every row: each is limited, counts, or reads what the page's rows refer to.
    for query in queries.captured_queries:
        sql = query["sql"].upper()
        assert "LIMIT" in sql or "COUNT(" in sql or " IN (" in sql, sql
