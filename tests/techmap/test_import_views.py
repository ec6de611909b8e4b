"""The import and export pages, through the test client and real URLs."""

import io
import re

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from loti.core import tasks as core_tasks
from loti.core.models import ImportBatch, TaskProgress
from loti.core.spreadsheets import read_table, write_csv
from loti.techmap import estate_import, taxonomy
from loti.techmap.estate_import import HEADERS, commit_rows, validate_rows
from loti.techmap.forms import SpreadsheetUploadForm
from loti.techmap.matching import normalise
from loti.techmap.models import Contract, System, Vendor

HOUSING = "Housing management system"


def make_vendor(name):
    return Vendor.objects.create(
        name=name, normalised_name=normalise(name), slug=name.lower().replace(" ", "-")
    )


def estate_csv(*rows):
    return write_csv(HEADERS, [[cells.get(key, "") for key in HEADERS] for cells in rows])


def good_row(**cells):
    return {
        "product": "Civica CX",
        "vendor": "Civica",
        "category": HOUSING,
        "service_areas": "Housing management",
        "satisfaction": "4",
        "system_notes": "=1+1",
        "contract_title": "Housing system support",
        "contract_start": "01/04/2024",
        "contract_end": "31/03/2027",
        "annual_value": "£30,000.00",
        **cells,
    }


def upload(client, slug, content, name="estate.csv"):
    return client.post(
        reverse("techmap:estate_import", args=[slug]),
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
    )


def check(batch):
    """Run the preview task here, as the worker would."""
    progress = TaskProgress.objects.create(label="Checking", requested_by=batch.requested_by)
    core_tasks.preview_import.call(batch_id=str(batch.pk), progress_id=str(progress.pk))


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


# The whole journey -----------------------------------------------------------------------


# The worker closes its database connection after each task, as it should in production;
# only a transactional test survives that on PostgreSQL. Such a test may follow another that
# emptied the database, so it loads the taxonomy (a data migration's) itself.
@pytest.mark.django_db(transaction=True)
def test_upload_check_decide_and_import_through_the_site(
    client_as, borough_a, django_capture_on_commit_callbacks
):
    taxonomy.load(models=django_apps)
    civica = make_vendor("Civica")
    client = client_as("officer_a")
    page = client.get(reverse("techmap:estate_import", args=["barnet"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert reverse("techmap:estate_template") + "?format=xlsx" in html

    content = estate_csv(
        good_row(vendor="Civca"),
        good_row(product="Uniform", vendor="Idox Software", contract_title="Planning"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "barnet", content)
    batch = ImportBatch.objects.get()
    detail = reverse("techmap:import_detail", args=[batch.pk])
    assert response.status_code == 302 and response["Location"] == detail
    assert (batch.requested_by.email, batch.organisation_id) == (
        "officer@barnet.example",
        borough_a.pk,
    )
    waiting = client.get(detail).content.decode()
    assert "Refresh to see progress" in waiting and "<progress" in waiting

    run_worker()

    html = client.get(detail).content.decode()
    assert "Which vendor is “Civca”?" in html
    assert f'value="{civica.pk}"' in html and "add a new vendor called “Civca”" in html
    assert "Idox Software" in html  # listed as a new vendor
    assert "Import these" not in html
    assert System.objects.count() == 0

    # Committing before deciding is refused, and changes nothing.
    client.post(detail, {"action": "commit"})
    assert ImportBatch.objects.get().state == "previewed"

    # No answer is an error on the page, in GOV.UK style.
    response = client.post(detail, {"action": "decide"})
    assert "Select which vendor “Civca” is" in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(detail, {"action": "decide", "vendor_0": str(civica.pk)})
    assert response.status_code == 302
    run_worker()
    html = client.get(detail).content.decode()
    assert "Import these 2 rows" in html

    with django_capture_on_commit_callbacks(execute=True):
        client.post(detail, {"action": "commit"})
    run_worker()

    batch = ImportBatch.objects.get()
    assert batch.state == "committed", batch.message
    html = client.get(detail).content.decode()
    assert "Import complete" in html
    assert batch.result["systems"]["created"] == 2
    assert batch.result["contracts"]["created"] == 2
    assert set(Contract.objects.values_list("vendor__name", flat=True)) == {
        "Civica",
        "Idox Software",
    }
    assert Contract.objects.filter(source="spreadsheet").count() == 2
    assert batch.progress.state == "succeeded" and batch.progress.percent == 100


# Uploading -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("estate.xls", b"a,b\n", "The selected file must be a CSV or XLSX file"),
        ("estate.pdf", b"%PDF", "The selected file must be a CSV or XLSX file"),
        ("estate.csv", b"", "The selected file is empty"),
    ],
)
def test_an_upload_must_be_a_csv_or_xlsx(client_as, borough_a, name, content, message):
    response = upload(client_as("officer_a"), "barnet", content, name)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert "govuk-file-upload--error" in html
    assert not ImportBatch.objects.exists()


def test_no_file_is_an_error(client_as, borough_a):
    response = client_as("officer_a").post(reverse("techmap:estate_import", args=["barnet"]))
    assert "Select a CSV or XLSX file" in response.content.decode()


def test_an_upload_over_the_size_limit_is_refused(client_as, borough_a, monkeypatch):
    monkeypatch.setattr(SpreadsheetUploadForm, "max_bytes", 10)
    response = upload(client_as("officer_a"), "barnet", b"product,vendor\nA,B\n")
    assert "The selected file must be smaller than 50 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("persona", "slug", "status"),
    [
        ("officer_a", "barnet", 200),
        ("lead_a", "barnet", 200),
        ("staff", "camden", 200),
        ("officer_a", "camden", 403),
        ("officer_b", "barnet", 403),
        ("partner", "barnet", 403),
        ("anonymous", "barnet", 302),
        ("staff", "nowhere", 404),
    ],
)
def test_who_may_import_for_which_organisation(client_as, borough_b, persona, slug, status):
    client = client_as(persona)
    url = reverse("techmap:estate_import", args=[slug])
    assert client.get(url).status_code == status
    response = upload(client, slug, estate_csv(good_row()))
    assert response.status_code == (302 if status == 200 else status)
    if persona == "anonymous":
        assert response["Location"].startswith("/accounts/sign-in/")
    assert ImportBatch.objects.exists() == (status == 200)


# The batch page --------------------------------------------------------------------------


@pytest.fixture
def batch(borough_a, officer_a):
    make_vendor("Civica")
    content = estate_csv(
        good_row(users="lots"), good_row(contract_end="2020-01-01", contract_title="B")
    )
    batch = ImportBatch.objects.create(
        kind=estate_import.KIND,
        requested_by=officer_a,
        organisation_id=borough_a.pk,
        scope_label="Barnet",
        filename="estate.csv",
        content=content,
    )
    check(batch)
    return batch


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer_a", 200),
        ("staff", 200),
        ("lead_a", 404),
        ("officer_b", 404),
        ("partner", 404),
        ("anonymous", 302),
    ],
)
def test_only_the_requester_and_the_office_see_an_import(client_as, batch, persona, status):
    url = reverse("techmap:import_detail", args=[batch.pk])
    assert client_as(persona).get(url).status_code == status
    response = client_as(persona).post(url, {"action": "commit"})
    assert response.status_code == (302 if status == 200 else status)


def test_the_preview_lists_every_problem_by_row_column_and_message(client_as, batch):
    client = client_as("officer_a")
    url = reverse("techmap:import_detail", args=[batch.pk])
    response = client.get(url)
    html = response.content.decode()
    assert "<title>Error: Import estate.csv" in html
    assert "The file has 2 problems to fix" in html
    cells = [
        ["2", "Users", "Users must be a whole number, like 250"],
        ["3", "Contract end", "The contract ends before it starts"],
    ]
    table = html[html.index('id="problems"') :].split("</table>")[0]
    found = [
        re.findall(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', row)
        for row in table.split("<tbody", 1)[1].split("</tr>")[:-1]
    ]
    assert found == cells
    assert "Import these" not in html

    response = client.post(url, {"action": "commit"}, follow=True)
    assert "Fix the problems in the file before importing it" in response.content.decode()
    batch.refresh_from_db()
    assert batch.state == "previewed"
    assert System.objects.count() == 0


def test_a_failed_import_says_why(client_as, borough_a, officer_a):
    batch = ImportBatch.objects.create(
        kind=estate_import.KIND,
        requested_by=officer_a,
        organisation_id=borough_a.pk,
        filename="estate.csv",
        content="naïve".encode("latin-1"),
    )
    check(batch)
    html = client_as("officer_a").get(reverse("techmap:import_detail", args=[batch.pk])).content
    assert "must be saved as UTF-8" in html.decode()
    assert "Nothing has been imported." in html.decode()


# Templates and exports -------------------------------------------------------------------


def test_the_csv_template_is_the_header_row(client):
    response = client.get(reverse("techmap:estate_template") + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="technology-map-template.csv"' in response["Content-Disposition"]
    assert response.content.decode("utf-8-sig") == ",".join(HEADERS) + "\r\n"


def test_the_xlsx_template_explains_each_column(client):
    response = client.get(reverse("techmap:estate_template") + "?format=xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Systems and contracts", "Guidance"]
    assert [c.value for c in workbook["Systems and contracts"][1]] == HEADERS
    guidance = {row[0].value: row[1].value for row in workbook["Guidance"].iter_rows(min_row=2)}
    assert set(guidance) == set(HEADERS)
    assert "On premises, hosted or SaaS" in guidance["hosting"]


def test_an_unknown_format_is_not_found(client):
    assert client.get(reverse("techmap:estate_template") + "?format=pdf").status_code == 404
    assert client.get(reverse("techmap:estate_export") + "?format=ods").status_code == 404


@pytest.fixture
def estate(borough_a, borough_b, officer_a):
    make_vendor("Civica")
    rows = [
        good_row(),
        good_row(
            product="Uniform", vendor="Idox", contract_title="Planning", contract_public="yes"
        ),
    ]
    preview = validate_rows(rows, organisation=borough_a, user=officer_a)
    commit_rows(preview, user=officer_a)
    return preview


def exported(client, query="?format=csv"):
    response = client.get(reverse("techmap:estate_export") + query)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    kind = "xlsx" if "xlsx" in query else "csv"
    table = read_table(response.content, f"export.{kind}")
    return {cells["contract_title"]: cells for _, cells in table.rows}


@pytest.mark.parametrize("persona", ["anonymous", "partner"])
def test_exports_hide_values_from_the_public_and_partners(client_as, estate, persona):
    rows = exported(client_as(persona))
    assert rows["Housing system support"]["annual_value"] == ""
    assert rows["Housing system support"]["satisfaction"] == ""
    assert rows["Housing system support"]["contract_end"] == "2027-03-31"
    assert rows["Planning"]["annual_value"] == "30000.00"  # a public contract


@pytest.mark.parametrize("persona", ["officer_b", "lead_a", "staff"])
def test_members_export_values_with_formulas_neutralised(client_as, estate, persona):
    for query in ("?format=csv", "?format=xlsx&organisation=barnet"):
        rows = exported(client_as(persona), query)
        assert float(rows["Housing system support"]["annual_value"]) == 30000
        assert rows["Housing system support"]["system_notes"] == "'=1+1"


def test_an_export_for_one_organisation(client_as, estate):
    client = client_as("staff")
    assert exported(client, "?format=csv&organisation=camden") == {}
    response = client.get(reverse("techmap:estate_export") + "?format=csv&organisation=barnet")
    assert "technology-map-barnet-" in response["Content-Disposition"]
    assert client.get(reverse("techmap:estate_export") + "?organisation=nowhere").status_code == 404


def test_the_preview_shows_what_will_be_added_changed_and_left_as_it_is(
    client_as, estate, borough_a, officer_a
):
    content = estate_csv(
        good_row(),  # exactly as imported: nothing changes
        good_row(
            product="Uniform",
            vendor="Idox",
            contract_title="Planning",
            contract_public="yes",
            satisfaction="2",
            annual_value="45000",
        ),
        good_row(
            product="Libraries Plus",
            category="Library management system",
            service_areas="",
            contract_title="Libraries support",
        ),
    )
    new = ImportBatch.objects.create(
        kind=estate_import.KIND,
        requested_by=officer_a,
        organisation_id=borough_a.pk,
        scope_label="Barnet",
        filename="again.csv",
        content=content,
    )
    check(new)
    new.refresh_from_db()
    assert new.preview["ready"], new.preview
    html = client_as("officer_a").get(reverse("techmap:import_detail", args=[new.pk]))
    html = re.sub(r"\s+", " ", html.content.decode())
    numbers = r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>'
    table = html.split("What the import will do")[1].split("</table>")[0]
    systems, contracts = table.split('<th scope="row"')[1:]
    assert re.findall(numbers, systems) == ["1", "1", "1"]
    assert re.findall(numbers, contracts) == ["1", "1", "1"]
    assert "1 system to add" in html and "Libraries Plus (Civica) (row 4)" in html
    assert "Uniform (Idox) (row 3): satisfaction" in html
    assert "Planning (Idox) (row 3): annual value" in html
    assert "Civica CX (Civica)" in html.split('data-planned="systems-unchanged"')[1]
    # The counts are the ones the commit then reports.
    rows = read_table(content, "again.csv").rows
    result = commit_rows(
        validate_rows(rows, organisation=borough_a, user=officer_a), user=officer_a
    )
    assert result["systems"] == {"created": 1, "updated": 1, "unchanged": 1}
    assert result["contracts"] == {"created": 1, "updated": 1, "unchanged": 1}
