"""Cells that cannot be values of their column at all (an amount too large to round, a
superscript digit, a control character) are problems naming their row and column, in the
bulk estate API and in a spreadsheet upload, never a server error."""

import json

import pytest

from loti.core import services as core_services
from loti.core import tasks as core_tasks
from loti.core.models import ImportBatch, TaskProgress
from loti.core.spreadsheets import write_csv
from loti.techmap import estate_import
from loti.techmap.estate_import import HEADERS
from loti.techmap.estate_import.columns import Invalid, parse_money, parse_users
from loti.techmap.models import Contract, System, Vendor
from tests.core.test_security_spreadsheets import cell, sheet_xml, workbook
from tests.techmap.test_estate_import import batch_for

ESTATE = "/api/techmap/organisations/barnet/estate"
GOOD = {
    "product": "Spydus",
    "vendor": "Axiell Ltd",
    "category": "Library management system",
    "contract_title": "Libraries",
    "annual_value": "40000",
}


@pytest.mark.parametrize("value", ["1e26", "1E+30", "9" * 40, "1e999999999"])
def test_a_huge_amount_is_refused_in_words(value):
    with pytest.raises(Invalid, match="Annual value must be"):
        parse_money(value, "Annual value")


@pytest.mark.parametrize("value", ["²", "١٢", "1" * 5000, "12.0"])
def test_users_must_be_written_in_ascii_digits(value):
    with pytest.raises(Invalid, match="Users must be a whole number"):
        parse_users(value)


def post(client, body, person):
    token = core_services.api_token_create(person=person, name="t")[1]
    return client.post(
        ESTATE,
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (
            {"annual_value": "1e26"},
            "annual_value",
            "Annual value must be an amount in pounds, like 30000 or £30,000.00",
        ),
        ({"total_value": "£1.5e3"}, "total_value", "Total value must be an amount in pounds"),
        ({"users": "²"}, "users", "Users must be a whole number, like 250"),
        ({"product": "Spy\x00dus"}, "product", "Product has a control character (\\x00)"),
        ({"system_notes": "bell\x07"}, "system_notes", "System notes has a control character"),
    ],
)
def test_the_bulk_api_answers_unreadable_cells_with_a_422_naming_them(
    client, officer_a, cells, column, message
):
    second = {**GOOD, "contract_title": "Second", **cells}
    response = post(client, {"rows": [GOOD, second]}, officer_a)
    assert response.status_code == 422, response.content
    [problem] = response.json()["detail"]
    assert (problem["row"], problem["column"]) == (2, column)
    assert problem["message"].startswith(message)
    assert not System.objects.exists() and not Contract.objects.exists()


@pytest.mark.django_db
def test_a_vendor_decision_in_other_digits_is_no_server_error(client, officer_a):
    Vendor.objects.create(name="Axiell Ltd", slug="axiell")
    rows = [{**GOOD, "vendor": "Axel Limited"}]
    response = post(client, {"rows": rows, "vendor_decisions": {"axel": "²"}}, officer_a)
    assert response.status_code == 200, response.content


def preview_of(content, filename, *, organisation, user):
    batch = batch_for(content, filename, organisation=organisation, user=user)
    core_tasks.preview_import.call(batch_id=str(batch.pk), progress_id=str(batch.progress_id))
    batch.refresh_from_db()
    return batch


@pytest.mark.django_db
def test_an_upload_names_the_row_and_column_of_each_unreadable_cell(borough_a, officer_a):
    rows = [
        {**GOOD, "annual_value": "1e26"},
        {**GOOD, "contract_title": "Other", "users": "²"},
        {**GOOD, "contract_title": "Third", "procurement_route": "G-Cloud\x0114"},
    ]
    content = write_csv(HEADERS, [[r.get(h, "") for h in HEADERS] for r in rows])
    batch = preview_of(content, "estate.csv", organisation=borough_a, user=officer_a)
    assert batch.state == "previewed", batch.message
    assert [(p["row"], p["column"]) for p in batch.preview["problems"]] == [
        (2, "annual_value"),
        (3, "users"),
        (4, "procurement_route"),
    ]
    assert not batch.preview["ready"]


@pytest.mark.django_db
def test_a_nul_character_in_an_xlsx_cell_is_a_problem_not_a_database_error(borough_a, officer_a):
    # An XLSX writes a NUL as the escape _x0000_, which the reader turns back into one.
    data = workbook(
        sheet_xml(
            {
                1: [cell("A1", "product"), cell("B1", "vendor"), cell("C1", "Ext_x0001_ra")],
                2: [cell("A2", "Spy_x0000_dus"), cell("B2", "Axiell Ltd")],
            }
        )
    )
    batch = preview_of(data, "estate.xlsx", organisation=borough_a, user=officer_a)
    assert batch.state == "previewed", batch.message
    # The unknown column is named with its control character shown, not stored.
    assert batch.preview["problems"][0]["column"] == "ext\\x01ra"
    data = workbook(
        sheet_xml(
            {
                1: [cell("A1", "product"), cell("B1", "vendor")],
                2: [cell("A2", "Spy_x0000_dus"), cell("B2", "Axiell Ltd")],
            }
        )
    )
    batch = preview_of(data, "estate.xlsx", organisation=borough_a, user=officer_a)
    assert batch.state == "previewed", batch.message
    assert batch.preview["problems"] == [
        {
            "row": 2,
            "column": "product",
            "message": "Product has a control character (\\x00) that cannot be imported: remove it",
        }
    ]


@pytest.mark.django_db
def test_an_upload_beyond_the_import_limits_fails_naming_them(borough_a, officer_a):
    content = (",".join(["product", "vendor", *[f"extra {n}" for n in range(60)]]) + "\n").encode()
    batch = preview_of(content, "estate.csv", organisation=borough_a, user=officer_a)
    assert batch.state == "failed"
    assert batch.message.startswith(
        "The sheet is 1 row by 62 columns; an import can have at most 100,000 rows below its "
        "header row and 50 columns"
    )
    assert TaskProgress.objects.get(pk=batch.progress_id).state == "failed"


@pytest.mark.django_db
def test_an_uploaded_file_name_loses_its_control_characters(borough_a, officer_a):
    from loti.core import imports

    batch = imports.import_batch_create(
        kind=estate_import.KIND,
        requested_by=officer_a,
        filename="est\x00ate\x1b.csv",
        content=b"product,vendor\n",
        organisation_id=borough_a.pk,
    )
    assert ImportBatch.objects.get(pk=batch.pk).filename == "estate.csv"
