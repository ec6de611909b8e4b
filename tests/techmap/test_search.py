"""The tech map's products and suppliers in the one search: found by their names, their
suppliers' and categories' names and other names, whoever writes them (a form, an import in
bulk), and each result a page its reader can open."""

import datetime
import io

import pytest

from loti.core import search
from loti.members import services as members
from loti.techmap import services
from loti.techmap.estate_import import commit_rows
from loti.techmap.models import Product, ProductCategory, Vendor
from loti.techmap.ocds.importing import import_ocds
from tests.personas import build_personas
from tests.techmap.ocds_samples import package_bytes, release
from tests.techmap.test_estate_import import HOUSING, check, make_vendor, row


def found(user, text, key):
    """The titles of the `key` kind's results for `text`, as the results page groups them."""
    groups = {group.kind.key: group for group in search.everything(user, text)}
    return [hit.title for hit in groups[key].hits] if key in groups else []


@pytest.fixture
def catalogue(db):
    orchard = make_vendor("Orchard Digital", "Orchard Software Limited")
    cx = Product.objects.create(
        vendor=orchard,
        name="Tenancy Manager",
        slug="tenancy-manager",
        category=ProductCategory.objects.get(name=HOUSING),
        hosting="saas",
    )
    return {"orchard": orchard, "cx": cx}


@pytest.mark.parametrize(
    "text", ["tenancy", "Tenancy Manager", "orchard", '"housing management"', "TENANCY orchard"]
)
def test_a_product_is_found_by_its_name_supplier_and_category(catalogue, text):
    assert found(None, text, "products") == ["Tenancy Manager"]


def test_a_supplier_is_found_by_its_own_and_its_other_names(catalogue):
    assert found(None, "orchard", "suppliers") == ["Orchard Digital"]
    assert found(None, "software limited", "suppliers") == ["Orchard Digital"]
    assert found(None, "tenancy", "suppliers") == []


def test_every_result_is_a_page_the_public_can_open(client, catalogue):
    groups = search.everything(None, "orchard")
    hits = [hit for group in groups for hit in group.hits]
    assert {hit.url for hit in hits} == {
        "/techmap/products/tenancy-manager/",
        "/techmap/suppliers/orchard-digital/",
    }
    for hit in hits:
        assert client.get(hit.url).status_code == 200


def test_a_hit_says_what_and_whose_and_marks_the_words(catalogue):
    (group,) = [g for g in search.everything(None, "tenancy") if g.kind.key == "products"]
    (hit,) = group.hits
    assert hit.detail == "Housing management system · Orchard Digital · Software as a service"
    assert "<mark>Tenancy</mark>" in hit.snippet


def test_renaming_a_supplier_or_giving_it_a_name_finds_it_and_its_products_by_that(catalogue):
    services.vendor_update(actor=None, vendor=catalogue["orchard"], name="Pippin Systems")
    assert found(None, "pippin", "products") == ["Tenancy Manager"]
    assert found(None, "pippin", "suppliers") == ["Pippin Systems"]
    assert found(None, "orchard digital", "products") == []
    services.vendor_alias_add(actor=None, vendor=catalogue["orchard"], name="Quince Tech")
    assert found(None, "quince", "suppliers") == ["Pippin Systems"]


def test_a_deleted_product_is_no_longer_found(catalogue):
    catalogue["cx"].delete()
    assert found(None, "tenancy", "products") == []


def test_products_and_suppliers_created_by_an_estate_import_are_found(catalogue):
    built = build_personas()
    borough_a, officer_a = built["borough_a"], built["officer_a"]
    rows = [
        row(
            product="Damson Repairs",
            vendor="Damson Works",
            category=HOUSING,
            vendor_companies_house_number="07654321",
        )
    ]
    preview = check(rows, organisation=borough_a, user=officer_a)
    assert preview.problems == [], preview.problems
    result = commit_rows(preview, user=officer_a)
    assert result["products_created"] == 1
    assert Product.objects.filter(name="Damson Repairs").exists()
    assert found(officer_a, "damson", "products") == ["Damson Repairs"]
    assert found(None, "damson", "suppliers") == ["Damson Works"]


def test_a_supplier_created_by_an_ocds_import_is_found(db):
    members.organisations_import(actor=None)
    data = package_bytes([release(supplier="Greengage Analytics Ltd", supplier_number="07777777")])
    import_ocds(io.BytesIO(data), now=datetime.datetime(2022, 10, 25, 12, 0, tzinfo=datetime.UTC))
    assert Vendor.objects.filter(name="Greengage Analytics Ltd").exists()
    assert found(None, "greengage analytics", "suppliers") == ["Greengage Analytics Ltd"]
