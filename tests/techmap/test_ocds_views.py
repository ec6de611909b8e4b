"""The pages for published contract notices: open tenders, staff importing notices, and
settling an imported contract's conflicts, through the test client and real URLs."""

import datetime
import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from loti.core.models import AuditEntry, TaskProgress
from loti.techmap import services
from loti.techmap.models import Contract, Notice, NoticeAward, OcdsImport
from loti.techmap.ocds.importing import NOT_A_MEMBER, NOT_TECHNOLOGY, import_ocds
from tests import clock
from tests.techmap.ocds_samples import changed, package_bytes, release

pytestmark = pytest.mark.django_db

NOW = clock.NOW
HOUSING_URL = "https://www.find-tender.service.gov.uk/Notice/000101-2026"
CAMDEN = {"buyer": "London Borough of Camden", "buyer_id": "GB-TEST-CAMDEN"}
KENT = {"buyer": "Kent County Council", "buyer_id": "GB-TEST-KENT"}


frozen_now = clock.frozen_fixture()


def import_releases(*releases):
    report = import_ocds(io.BytesIO(package_bytes(list(releases))))
    assert report.imported, report.errors
    return report


def tender(ocid, *, closes, title, status="active", sme=None, vcse=None, url="", **release_args):
    """An OCDS tender release (no award yet) of Barnet's unless told otherwise."""
    data = release(ocid, award=False, title=title, date="2026-11-01T09:00:00Z", **release_args)
    suitability = {key: value for key, value in (("sme", sme), ("vcse", vcse)) if value is not None}
    data = changed(
        data,
        **{
            "tender.status": status,
            "tender.tenderPeriod": {"endDate": closes},
            "tender.suitability": suitability,
        },
    )
    if url:
        data["tender"]["documents"] = [{"id": "d1", "documentType": "tenderNotice", "url": url}]
    return data


def text_of(response):
    return html.unescape(response.content.decode())


# Open tenders -----------------------------------------------------------------------------


@pytest.fixture
def tenders(borough_a, borough_b):
    import_releases(
        tender(
            "ocds-t-housing",
            title="Housing management system",
            closes="2026-12-15T12:00:00Z",
            sme=True,
            vcse=True,
            url=HOUSING_URL,
        ),
        tender(
            "ocds-t-library",
            title="Library management system",
            closes="2026-12-01T12:00:00Z",
            status="planned",
            sme=False,
            **CAMDEN,
        ),
        tender("ocds-t-closed", title="Council tax system", closes="2026-11-20T12:00:00Z"),
        tender(
            "ocds-t-cancelled",
            title="Payroll system",
            closes="2027-01-10T12:00:00Z",
            status="cancelled",
        ),
        tender(
            "ocds-t-furniture",
            title="Office furniture",
            closes="2027-01-10T12:00:00Z",
            cpv="39100000",
        ),
        tender("ocds-t-kent", title="Kent website", closes="2027-01-10T12:00:00Z", **KENT),
    )


def test_imported_tenders_are_placed_in_service_areas_by_their_words(tenders):
    areas = {
        notice.ocid: [area.name for area in notice.service_areas.all()]
        for notice in Notice.objects.filter(ocid__in=["ocds-t-housing", "ocds-t-library"])
    }
    assert areas == {
        "ocds-t-housing": ["Housing management"],
        "ocds-t-library": ["Libraries"],
    }
    # A buyer that is not a member is not kept at all.
    assert not Notice.objects.filter(ocid="ocds-t-kent").exists()


def test_the_public_see_members_open_technology_tenders_soonest_closing_first(client, tenders):
    response = client.get(reverse("techmap:tenders"))
    assert response.status_code == 200
    assert [tender.ocid for tender in response.context["page"]] == [
        "ocds-t-library",
        "ocds-t-housing",
    ]
    page = text_of(response)
    assert "2 open tenders" in page
    housing = Notice.objects.get(ocid="ocds-t-housing")
    assert (
        f'<a class="govuk-link" href="{housing.get_absolute_url()}">Housing management system</a>'
        f'<br><a class="govuk-link" href="{HOUSING_URL}">Notice on the publisher' in page
    )
    # Closed, cancelled, non-technology and non-members' tenders are not listed.
    for title in ("Council tax system", "Payroll system", "Office furniture", "Kent website"):
        assert title not in page
    assert '<strong class="govuk-tag govuk-tag--green">SMEs</strong>' in page
    assert '<strong class="govuk-tag govuk-tag--turquoise">VCSEs</strong>' in page
    assert page.count("govuk-tag--green") == 1  # the library tender is not for SMEs
    assert '<strong class="govuk-tag govuk-tag--grey">Planned</strong>' in page
    # Closing times are shown in London time.
    assert '<td class="govuk-table__cell">15 December 2026 at 12pm</td>' in page


def test_the_tenders_chart_has_a_table_of_the_same_counts(client, tenders):
    response = client.get(reverse("techmap:tenders"))
    assert response.context["chart"].rows == [["Housing management", "1"], ["Libraries", "1"]]
    page = text_of(response)
    assert "Open technology tenders by service" in page
    assert 'data-chart="tenders-by-area"' in page
    assert '<th scope="row" class="govuk-table__header">Housing management</th>' in page


def test_tenders_are_filtered_by_service_and_buyer(client, tenders):
    url = reverse("techmap:tenders")
    by_area = client.get(url, {"area": "housing-management"})
    assert [t.ocid for t in by_area.context["page"]] == ["ocds-t-housing"]
    assert "1 open tender for housing management" in text_of(by_area)
    assert '<option value="housing-management" selected>' in text_of(by_area)

    by_buyer = client.get(url, {"buyer": "camden"})
    assert [t.ocid for t in by_buyer.context["page"]] == ["ocds-t-library"]
    assert "1 open tender from Camden" in text_of(by_buyer)
    # Only buyers with open tenders are offered.
    assert [org.slug for org in by_buyer.context["buyers"]] == ["barnet", "camden"]

    neither = client.get(url, {"area": "libraries", "buyer": "barnet"})
    assert list(neither.context["page"]) == []
    assert "There are no open technology tenders matching your choices" in text_of(neither)


@pytest.mark.parametrize("query", [{"area": "no-such-service"}, {"buyer": "no-such-council"}])
def test_an_unknown_service_or_buyer_is_not_found(client, tenders, query):
    assert client.get(reverse("techmap:tenders"), query).status_code == 404


def test_a_tender_closing_later_drops_off_once_it_closes(client, tenders):
    with clock.frozen(datetime.datetime(2026, 12, 2, tzinfo=datetime.UTC)):
        response = client.get(reverse("techmap:tenders"))
    assert [t.ocid for t in response.context["page"]] == ["ocds-t-housing"]


# Importing notices ------------------------------------------------------------------------


def upload(client, content, name="notices.json"):
    return client.post(
        reverse("techmap:ocds_imports"),
        {"file": SimpleUploadedFile(name, content, content_type="application/json")},
    )


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


# The worker closes its database connection after each task, as it should in production;
# only a transactional test survives that on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_staff_upload_a_file_and_the_import_runs_in_the_background(
    client_as, borough_a, django_capture_on_commit_callbacks
):
    content = package_bytes(
        [
            release("ocds-u-1", title="Case management system"),
            release("ocds-u-2", title="School meals", cpv="55500000"),
            release("ocds-u-3", title="Kent case management", **KENT),
        ]
    )
    client = client_as("staff")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, content, name="week-47.json")
    upload_row = OcdsImport.objects.get()
    detail = reverse("techmap:ocds_import_detail", args=[upload_row.pk])
    assert response.status_code == 302 and response["Location"] == detail
    assert (upload_row.filename, upload_row.state, bytes(upload_row.content)) == (
        "week-47.json",
        "queued",
        content,
    )
    assert upload_row.requested_by.email == "staff@loti.example"
    waiting = text_of(client.get(detail))
    assert "Refresh to see progress" in waiting
    assert not Contract.objects.exists()

    run_worker()

    upload_row.refresh_from_db()
    assert upload_row.state == "succeeded"
    assert bytes(upload_row.content) == b""
    report = upload_row.report
    assert (report["releases"], report["ocids"], report["matched"], report["technology"]) == (
        3,
        3,
        2,
        1,
    )
    assert (report["created"], report["vendors_created"]) == (1, 1)
    assert report["skipped"] == {NOT_A_MEMBER: 1, NOT_TECHNOLOGY: 1}
    progress = TaskProgress.objects.get(pk=upload_row.progress_id)
    assert progress.state == "succeeded"
    assert progress.message == report["summary"]
    assert progress.message.startswith("Read 3 releases of 3 processes")
    # Checked, then imported: each pass is half of the bar.
    assert (progress.done, progress.total) == (2 * len(content), 2 * len(content))

    contract = Contract.objects.get()
    assert (contract.title, contract.organisation_id, contract.source) == (
        "Case management system",
        borough_a.pk,
        "ocds",
    )
    page = text_of(client.get(detail))
    assert '<h2 class="govuk-panel__title">Imported</h2>' in page
    assert "1 contract added, 0 updated" in page
    assert "Skipped, and why" in page
    assert NOT_A_MEMBER in page and NOT_TECHNOLOGY in page
    assert "Buyers not recognised as the consortium’s" in page and "Kent County Council" in page
    listing = text_of(client.get(reverse("techmap:ocds_imports")))
    assert f'<a class="govuk-link" href="{detail}">week-47.json</a>' in listing
    assert "Sam Staff" in listing


@pytest.mark.django_db(transaction=True)
def test_an_upload_with_a_broken_release_imports_nothing(
    client_as, borough_a, django_capture_on_commit_callbacks
):
    broken = release("ocds-b-2")
    del broken["ocid"]
    client = client_as("staff")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, package_bytes([release("ocds-b-1"), broken]))
    run_worker()

    upload_row = OcdsImport.objects.get()
    assert upload_row.state == "failed"
    assert bytes(upload_row.content) == b""
    assert upload_row.report["errors"] == [
        {
            "position": "release 2",
            "message": "This release has no ocid (its Open Contracting ID), so it cannot be placed",
        }
    ]
    assert TaskProgress.objects.get(pk=upload_row.progress_id).state == "failed"
    page = text_of(client.get(response["Location"]))
    assert "Nothing was imported" in page
    assert (
        "Release 2: This release has no ocid (its Open Contracting ID), so it cannot be placed"
        in page
    )
    assert "Fix this problem in the file and upload it again." in page
    assert "Contracts added" not in page
    assert not Notice.objects.exists() and not Contract.objects.exists()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "Select a .json, .jsonl or .gz file"),
        (
            {"file": SimpleUploadedFile("notices.csv", b"ocid\n", content_type="text/csv")},
            "The selected file must be a .json, .jsonl or .gz file",
        ),
        (
            {"file": SimpleUploadedFile("notices.json", b"", content_type="application/json")},
            "The selected file is empty",
        ),
    ],
    ids=["no-file", "wrong-extension", "empty"],
)
def test_a_bad_upload_is_an_error_on_the_page_and_saves_nothing(client_as, files, message):
    response = client_as("staff").post(reverse("techmap:ocds_imports"), files)
    assert response.status_code == 200
    page = text_of(response)
    assert '<div class="govuk-error-summary"' in page
    assert f'<a href="#id_file">{message}</a>' in page
    assert "<title>Error: Import published contract notices" in page
    assert "govuk-file-upload--error" in page
    assert not OcdsImport.objects.exists()
    assert not TaskProgress.objects.exists()


@pytest.mark.parametrize("persona", ["lead_a", "officer_a", "officer_b", "partner"])
def test_only_office_staff_may_upload_notices(client_as, persona):
    response = upload(client_as(persona), package_bytes([release("ocds-x-1")]))
    assert response.status_code == 403
    assert not OcdsImport.objects.exists()


def test_anonymous_visitors_are_asked_to_sign_in_to_upload(client_as):
    response = upload(client_as("anonymous"), package_bytes([release("ocds-x-1")]))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")
    assert not OcdsImport.objects.exists()


# Settling an imported contract's conflicts ------------------------------------------------

CONFLICT_OCID = "ocds-c-1"
NOTICE_URL = "https://www.find-tender.service.gov.uk/Notice/000202-2026"


def award_release(*, date, end):
    data = release(CONFLICT_OCID, date=date, end=end, title="Housing management system")
    data["tender"]["documents"] = [{"id": "d1", "documentType": "awardNotice", "url": NOTICE_URL}]
    return data


NEWER = award_release(date="2026-06-01T09:00:00Z", end="2028-03-31T23:59:59Z")


@pytest.fixture
def conflicted(borough_a, officer_a):
    """Barnet's contract from a notice, whose end date a person changed before a newer notice
    gave another."""
    import_releases(award_release(date="2026-01-10T09:00:00Z", end="2027-03-31T23:59:59Z"))
    contract = Contract.objects.get()
    assert contract.ends_on == datetime.date(2027, 3, 31)
    services.contract_update(actor=officer_a, contract=contract, ends_on=datetime.date(2027, 9, 30))
    report = import_releases(NEWER)
    assert report.conflicts == 1
    contract.refresh_from_db()
    assert contract.ends_on == datetime.date(2027, 9, 30)
    assert NoticeAward.objects.get().conflicts == {"ends_on": "2028-03-31"}
    return contract


def settle(client, contract, **data):
    return client.post(reverse("techmap:contract_conflict", args=[contract.pk]), data)


def test_the_contract_page_shows_the_conflict_with_both_values(client_as, conflicted):
    page = text_of(client_as("officer_a").get(conflicted.get_absolute_url()))
    assert "A newer published notice disagrees with changes made here" in page
    row = page.split('<th scope="row" class="govuk-table__header">End date</th>')[1]
    row = row.split("</tr>")[0]
    assert '<td class="govuk-table__cell">30 September 2027</td>' in row  # here
    assert '<td class="govuk-table__cell">31 March 2028</td>' in row  # the notice
    action = reverse("techmap:contract_conflict", args=[conflicted.pk])
    assert f'action="{action}"' in row
    assert 'name="field" value="ends_on"' in row
    # Someone who may not change the contract sees the difference but no choice.
    public = text_of(client_as("anonymous").get(conflicted.get_absolute_url()))
    assert "A newer published notice disagrees with changes made here" in public
    assert action not in public


def test_the_contract_page_links_its_source_notice(client_as, conflicted):
    page = text_of(client_as("anonymous").get(conflicted.get_absolute_url()))
    assert "Published contract notice: " in page
    assert f'<a class="govuk-link" href="{NOTICE_URL}">{CONFLICT_OCID}</a>' in page
    assert f"award {CONFLICT_OCID}-1, release {CONFLICT_OCID}-2026-06-01T09:00:00Z" in page


def test_taking_the_notices_value(client_as, conflicted, officer_a):
    updates = AuditEntry.objects.filter(action="update", object_id=str(conflicted.pk))
    before = updates.count()
    client = client_as("officer_a")
    response = settle(client, conflicted, field="ends_on", choice="take")
    assert response.status_code == 302
    assert response["Location"] == conflicted.get_absolute_url()
    conflicted.refresh_from_db()
    assert conflicted.ends_on == datetime.date(2028, 3, 31)
    assert NoticeAward.objects.get().conflicts == {}
    assert updates.count() == before + 1
    entry = updates.first()
    assert entry.actor == officer_a
    assert list(entry.changes) == ["End date"]
    page = text_of(client.get(conflicted.get_absolute_url()))
    assert "The end date is now the published notice's." in page
    assert "A newer published notice disagrees" not in page


def test_keeping_ours_sets_the_notices_value_aside_for_good(client_as, conflicted):
    updates = AuditEntry.objects.filter(action="update", object_id=str(conflicted.pk))
    before = updates.count()
    client = client_as("lead_a")
    response = settle(client, conflicted, field="ends_on", choice="keep")
    assert response.status_code == 302
    conflicted.refresh_from_db()
    assert conflicted.ends_on == datetime.date(2027, 9, 30)
    assert NoticeAward.objects.get().conflicts == {}
    assert updates.count() == before  # the contract itself did not change
    page = text_of(client.get(conflicted.get_absolute_url()))
    assert "Your end date is kept; the notice's is set aside." in page
    assert "A newer published notice disagrees" not in page

    # The same notice imported again does not raise the difference again.
    report = import_releases(NEWER)
    assert (report.conflicts, report.unchanged) == (0, 1)
    assert NoticeAward.objects.get().conflicts == {}
    conflicted.refresh_from_db()
    assert conflicted.ends_on == datetime.date(2027, 9, 30)


def test_settling_a_field_with_no_conflict_changes_nothing(client_as, conflicted):
    client = client_as("officer_a")
    response = settle(client, conflicted, field="title", choice="take")
    assert response.status_code == 302
    page = text_of(client.get(response["Location"]))
    assert "There is no difference to settle for that field" in page
    conflicted.refresh_from_db()
    assert conflicted.ends_on == datetime.date(2027, 9, 30)
    assert NoticeAward.objects.get().conflicts == {"ends_on": "2028-03-31"}


def test_settling_without_a_choice_changes_nothing(client_as, conflicted):
    client = client_as("officer_a")
    response = settle(client, conflicted, field="ends_on")
    assert response.status_code == 302
    page = text_of(client.get(response["Location"]))
    assert "Choose whether to use the notice's value or keep yours" in page
    assert NoticeAward.objects.get().conflicts == {"ends_on": "2028-03-31"}


def test_a_contract_with_no_notice_has_nothing_to_settle(client_as, conflicted, borough_a):
    manual = services.contract_create(
        actor=None, organisation=borough_a, vendor=conflicted.vendor, title="Support"
    )
    client = client_as("officer_a")
    response = settle(client, manual, field="ends_on", choice="take")
    assert response["Location"] == manual.get_absolute_url()
    assert "There is no difference to settle for that field" in text_of(
        client.get(response["Location"])
    )
    assert NoticeAward.objects.get().conflicts == {"ends_on": "2028-03-31"}


@pytest.mark.parametrize(
    ("persona", "status"),
    # Contracts are public, so another organisation's officer may see the contract but not
    # change it: a 403, not a 404.
    [("officer_b", 403), ("partner", 403), ("anonymous", 302)],
)
def test_only_the_contracts_organisation_may_settle(client_as, conflicted, persona, status):
    response = settle(client_as(persona), conflicted, field="ends_on", choice="take")
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/sign-in/")
    conflicted.refresh_from_db()
    assert conflicted.ends_on == datetime.date(2027, 9, 30)
    assert NoticeAward.objects.get().conflicts == {"ends_on": "2028-03-31"}


def test_office_staff_may_settle_any_organisations_conflict(client_as, conflicted):
    response = settle(client_as("staff"), conflicted, field="ends_on", choice="take")
    assert response.status_code == 302
    conflicted.refresh_from_db()
    assert conflicted.ends_on == datetime.date(2028, 3, 31)


def test_settling_is_a_post(client_as, conflicted):
    response = client_as("officer_a").get(
        reverse("techmap:contract_conflict", args=[conflicted.pk])
    )
    assert response.status_code == 405
    assert NoticeAward.objects.get().conflicts == {"ends_on": "2028-03-31"}


def test_an_unknown_contract_is_not_found(client_as, conflicted):
    response = settle(client_as("officer_a"), Contract(pk=999999), field="ends_on", choice="take")
    assert response.status_code == 404


def test_a_tenders_page_links_to_its_notice_only_where_the_publisher_gave_one(client, tenders):
    housing = text_of(client.get(Notice.objects.get(ocid="ocds-t-housing").get_absolute_url()))
    assert f'<a class="govuk-link" href="{HOUSING_URL}">Read the notice' in housing
    assert "SMEs and VCSEs" in housing and "15 December 2026 at 12pm" in housing
    library = text_of(client.get(Notice.objects.get(ocid="ocds-t-library").get_absolute_url()))
    assert "The publisher gave no web address for this notice" in library
    assert "Read the notice" not in library
    furniture = Notice.objects.get(ocid="ocds-t-furniture")
    assert not furniture.is_technology
    assert client.get(furniture.get_absolute_url()).status_code == 404
