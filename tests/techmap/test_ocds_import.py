"""Importing published contract notices into the technology map: what is written from the
real samples, what the report counts, re-imports, releases arriving out of order, a person's
edits, all-or-nothing on errors, and damaged files."""

import collections
import datetime
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from loti.members import services as members
from loti.members.models import Organisation, OrganisationAlias
from loti.techmap import services
from loti.techmap.models import Contract, Notice, NoticeAward, Vendor
from loti.techmap.ocds import importing
from loti.techmap.ocds.importing import (
    AWARD_NOT_ACTIVE,
    DELETED,
    NO_AWARD,
    NOT_A_MEMBER,
    NOT_TECHNOLOGY,
    import_ocds,
)
from tests.techmap.ocds_samples import (
    NEWHAM_OCID,
    OAKHEART_OCID,
    changed,
    package_bytes,
    release,
    releases_of,
    sample_packages,
    sample_releases,
)

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2022, 10, 25, 12, 0, tzinfo=datetime.UTC)
# The samples' buyers that are London's organisations, read off the files by eye (the
# README lists them), with the organisation each is.
MEMBER_BUYERS = {
    "London Borough of Hounslow": "Hounslow",
    "London Borough of Redbridge": "Redbridge",
    "London Borough of Haringey - Parks and Leisure": "Haringey",
    "Croydon Council": "Croydon",
    "London Borough of Barnet": "Barnet",
    "City of London Corporation": "City of London",
    "LONDON BOROUGH OF NEWHAM": "Newham",
}
OAKHEART_CPV = "79421100"  # "Project-supervision services other than for construction work"


@pytest.fixture
def london(db):
    members.organisations_import(actor=None)
    return {organisation.short_name: organisation for organisation in Organisation.objects.all()}


def run(data, **options):
    options.setdefault("now", NOW)
    return import_ocds(io.BytesIO(data), **options)


def samples() -> bytes:
    """All four sample files, as JSON Lines of their packages."""
    return b"\n".join(package_bytes(package["releases"]) for package in sample_packages())


def counts():
    return {
        "notices": Notice.objects.count(),
        "contracts": Contract.objects.count(),
        "vendors": Vendor.objects.count(),
        "awards": NoticeAward.objects.count(),
    }


NOTHING = {"notices": 0, "contracts": 0, "vendors": 0, "awards": 0}


def expected_counts(releases, prefixes):
    """The report's counts worked out from the releases themselves, without the importer's
    code: buyers by the hand-made list above, CPV codes from every place a release gives one,
    awards by their status and supplier."""
    by_ocid = collections.defaultdict(list)
    for data in releases:
        by_ocid[data["ocid"]].append(data)
    member, technology, awarded, unmatched = set(), set(), set(), collections.Counter()
    created = set()
    for ocid, group in by_ocid.items():
        buyer = group[-1]["buyer"]["name"]
        if buyer not in MEMBER_BUYERS:
            unmatched[buyer] += 1
            continue
        member.add(ocid)
        codes = set()
        for data in group:
            tender = data.get("tender", {})
            places = [tender.get("classification", {})]
            places += tender.get("additionalClassifications", [])
            for item in tender.get("items", []):
                places += [
                    item.get("classification", {}),
                    *item.get("additionalClassifications", []),
                ]
            codes |= {place["id"] for place in places if "id" in place}
        if any(code.startswith(tuple(prefixes)) for code in codes):
            technology.add(ocid)
            for data in group:
                for award in data.get("awards", []):
                    awarded.add(ocid)
                    if award.get("status") == "active" and award.get("suppliers"):
                        created.add((ocid, award["id"]))
    skipped = {
        NOT_A_MEMBER: len(by_ocid) - len(member),
        NOT_TECHNOLOGY: len(member) - len(technology),
        NO_AWARD: len(technology - awarded),
    }
    return {
        "releases": len(releases),
        "ocids": len(by_ocid),
        "matched": len(member),
        "technology": len(technology),
        "created": len(created),
        "skipped": {reason: n for reason, n in skipped.items() if n},
        "unmatched": unmatched,
    }


# The real samples -----------------------------------------------------------------------


def test_importing_the_samples(london):
    report = run(samples())
    expected = expected_counts(sample_releases(), settings.OCDS_CPV_PREFIXES)
    assert expected["releases"] == 295 and expected["ocids"] == 269
    assert report.errors == []
    assert report.imported
    assert report.releases == expected["releases"]
    assert report.ocids == expected["ocids"]
    assert report.matched == expected["matched"] == 8
    assert report.technology == expected["technology"] == 2
    assert report.created == expected["created"] == 1
    assert (report.updated, report.unchanged, report.conflicts) == (0, 0, 0)
    assert report.skipped == expected["skipped"]
    assert report.vendors_created == 1
    # Croydon's IT tender closes on 18 November 2022.
    assert report.open_tenders == 1
    # The ten buyers with most processes, each with its count.
    assert len(report.unmatched_buyers) == 10
    top = sorted(expected["unmatched"].values(), reverse=True)[:10]
    assert [count for _name, count in report.unmatched_buyers] == top
    assert all(expected["unmatched"][name] == count for name, count in report.unmatched_buyers)
    assert "imported" in report.as_dict() and report.as_dict()["created"] == 1
    assert report.summary().startswith("Read 295 releases of 269 processes: 8 from ")

    # One notice for each member's process, each with its organisation.
    notices = {notice.ocid: notice for notice in Notice.objects.select_related("organisation")}
    assert len(notices) == 8
    assert sorted(notice.organisation.short_name for notice in notices.values()) == [
        "Barnet",
        "City of London",
        "Croydon",
        "Croydon",
        "Haringey",
        "Hounslow",
        "Newham",
        "Redbridge",
    ]
    assert sum(notice.is_technology for notice in notices.values()) == 2

    newham = notices[NEWHAM_OCID]
    assert newham.organisation == london["Newham"]
    assert newham.buyer_name == "LONDON BOROUGH OF NEWHAM"
    assert newham.cpv_codes == ["72212000"]
    assert newham.release_id == "9d54126a-07ec-412f-a0b2-e2365d71bad1-583086"
    assert newham.released_at == datetime.datetime(2022, 10, 21, 15, 10, 27, tzinfo=datetime.UTC)
    assert newham.tender_status == "complete"
    assert newham.value == Decimal("34145.97")

    contract = Contract.objects.select_related("vendor", "organisation").get()
    assert contract.organisation == london["Newham"]
    assert contract.vendor.name == "Oracle Corporation (Uk) Ltd"
    assert contract.vendor.companies_house_number == "01782505"
    assert contract.vendor.is_sme is False
    assert contract.title == "20535"
    assert contract.starts_on == datetime.date(2022, 11, 16)
    assert contract.ends_on == datetime.date(2023, 11, 15)
    assert contract.total_value == contract.annual_value == Decimal("34145.97")
    assert contract.procurement_route == "Other - renewal"
    assert contract.source == Contract.Source.OCDS
    assert contract.is_public is True
    link = NoticeAward.objects.get()
    assert (link.notice, link.award_id, link.contract) == (newham, f"{NEWHAM_OCID}-1", contract)
    assert link.conflicts == {}
    assert link.imported["ends_on"] == "2023-11-15"
    assert link.imported["total_value"] == "34145.97"


def test_reimporting_the_same_files_changes_nothing(london):
    first = run(samples())
    before = counts()
    contract = Contract.objects.get()
    second = run(samples())
    assert second.imported
    assert (second.created, second.updated, second.conflicts) == (0, 0, 0)
    assert second.unchanged == first.created == 1
    assert second.vendors_created == 0
    assert (second.matched, second.technology, second.skipped) == (
        first.matched,
        first.technology,
        first.skipped,
    )
    assert counts() == before
    assert Contract.objects.get().updated_at == contract.updated_at


def test_custom_cpv_prefixes_change_what_is_technology(london):
    prefixes = ("45",)  # construction work
    report = run(samples(), cpv_prefixes=prefixes)
    expected = expected_counts(sample_releases(), prefixes)
    assert report.technology == expected["technology"] == 3
    assert report.skipped == expected["skipped"]
    assert sorted(
        Notice.objects.filter(is_technology=True).values_list("organisation__short_name", flat=True)
    ) == ["Barnet", "City of London", "Haringey"]
    assert Contract.objects.count() == 0
    # Importing again with other prefixes re-marks the notices already stored.
    report = run(samples(), cpv_prefixes=("72",))
    assert report.technology == 2
    assert Notice.objects.filter(is_technology=True).count() == 2


def test_the_default_prefixes_are_the_setting(london, settings):
    settings.OCDS_CPV_PREFIXES = ["85"]  # health and social work
    report = run(samples())
    assert report.technology == expected_counts(sample_releases(), ["85"])["technology"] == 1
    assert Notice.objects.get(is_technology=True).organisation == london["Redbridge"]


# Award, award update, and releases out of order -----------------------------------------


@pytest.fixture
def oakheart_buyer(london):
    """UK Research & Innovation is not a London organisation: give its name to the GLA."""
    members.organisation_alias_add(
        actor=None,
        organisation=london["GLA"],
        kind=OrganisationAlias.Kind.NAME,
        value="UK Research & Innovation",
    )
    return london["GLA"]


def oakheart_contract():
    contract = Contract.objects.select_related("vendor").get()
    assert contract.vendor.name == "OAKHEART SERVICES LTD."
    assert contract.vendor.companies_house_number == "09438364"
    assert contract.vendor.is_sme is True
    assert contract.starts_on == datetime.date(2022, 11, 1)
    assert contract.ends_on == datetime.date(2023, 4, 30)
    assert contract.title == "ITT for projects 10042837, 10045189, 10044843"
    return contract


def test_award_then_award_update_in_one_file(oakheart_buyer):
    update, award = releases_of(OAKHEART_OCID)
    assert (update["tag"], award["tag"]) == (["awardUpdate"], ["award"])
    assert OAKHEART_CPV in str(award["tender"]["classification"])
    report = run(package_bytes([update, award]), cpv_prefixes=["7942"])
    assert (report.matched, report.technology, report.created) == (1, 1, 1)
    contract = oakheart_contract()
    assert contract.organisation == oakheart_buyer
    assert contract.total_value == contract.annual_value == Decimal("4050.00")
    notice = Notice.objects.get()
    assert notice.release_id == update["id"]
    assert notice.value == Decimal("4050.00")


def test_without_the_cpv_prefix_the_award_is_not_technology(oakheart_buyer):
    report = run(package_bytes(releases_of(OAKHEART_OCID)))
    assert (report.matched, report.technology, report.created) == (1, 0, 0)
    assert report.skipped == {NOT_TECHNOLOGY: 1}


def test_award_update_imported_before_the_award_keeps_the_update(oakheart_buyer):
    update, award = releases_of(OAKHEART_OCID)
    first = run(package_bytes([update]), cpv_prefixes=["7942"])
    assert first.created == 1
    second = run(package_bytes([award]), cpv_prefixes=["7942"])
    assert (second.created, second.updated, second.unchanged) == (0, 0, 1)
    assert oakheart_contract().total_value == Decimal("4050.00")
    notice = Notice.objects.get()
    assert notice.release_id == update["id"]
    assert notice.value == Decimal("4050.00")
    assert notice.description == "ITT for projects 10042837, 10045189, 10044843"


def test_award_imported_before_the_award_update_is_updated(oakheart_buyer):
    update, award = releases_of(OAKHEART_OCID)
    run(package_bytes([award]), cpv_prefixes=["7942"])
    assert Contract.objects.get().total_value == Decimal("1350.00")
    second = run(package_bytes([update]), cpv_prefixes=["7942"])
    assert (second.created, second.updated, second.unchanged, second.conflicts) == (0, 1, 0, 0)
    assert oakheart_contract().total_value == Decimal("4050.00")
    assert NoticeAward.objects.get().imported["total_value"] == "4050.00"


# A person's edits -----------------------------------------------------------------------


@pytest.fixture
def barnet_contract(london):
    report = run(package_bytes([release()]))
    assert report.created == 1
    return Contract.objects.get()


def test_a_persons_edit_is_kept_and_the_newer_notice_value_set_aside(barnet_contract, staff):
    assert barnet_contract.ends_on == datetime.date(2027, 3, 31)
    services.contract_update(
        actor=staff, contract=barnet_contract, ends_on=datetime.date(2026, 12, 31)
    )
    newer = release(date="2024-06-01T09:00:00Z", end="2028-03-31T23:59:59Z", amount=150000)
    report = run(package_bytes([newer]))
    assert report.imported
    assert (report.conflicts, report.updated, report.created) == (1, 0, 0)
    contract = Contract.objects.get()
    assert contract.ends_on == datetime.date(2026, 12, 31)  # the person's
    assert contract.total_value == Decimal("150000.00")  # nobody edited it
    # 1 April 2024 to 31 March 2028 is 1,461 days: 150,000 × 365.25 / 1,461.
    assert contract.annual_value == Decimal("37500.00")
    link = NoticeAward.objects.get()
    assert link.conflicts == {"ends_on": "2028-03-31"}
    assert link.imported["ends_on"] == "2028-03-31"

    # The same file again: nothing new, and the conflict stays for a person to settle.
    again = run(package_bytes([newer]))
    assert (again.conflicts, again.updated, again.unchanged) == (0, 0, 1)
    assert NoticeAward.objects.get().conflicts == {"ends_on": "2028-03-31"}

    # A later notice that agrees with the person settles it.
    agreeing = release(date="2024-07-01T09:00:00Z", end="2026-12-31T12:00:00Z", amount=150000)
    report = run(package_bytes([agreeing]))
    assert (report.conflicts, report.updated) == (0, 1)
    assert NoticeAward.objects.get().conflicts == {}
    assert Contract.objects.get().ends_on == datetime.date(2026, 12, 31)


def test_an_older_release_does_not_undo_a_newer_one_or_a_persons_edit(barnet_contract, staff):
    services.contract_update(actor=staff, contract=barnet_contract, title="Case management (CM)")
    older = release(date="2023-01-01T09:00:00Z", title="Old title", amount=99)
    report = run(package_bytes([older]))
    assert (report.conflicts, report.updated, report.unchanged) == (0, 0, 1)
    contract = Contract.objects.get()
    assert contract.title == "Case management (CM)"
    assert contract.total_value == Decimal("120000.00")


def test_a_notice_end_date_before_a_persons_start_date_is_not_a_crash(barnet_contract, staff):
    # The person moves the start; a newer notice moves the end before it (but after the
    # notice's own start). The contract must stay valid, and the import must not fail.
    services.contract_update(
        actor=staff, contract=barnet_contract, starts_on=datetime.date(2025, 1, 1)
    )
    newer = release(date="2024-06-01T09:00:00Z", end="2024-12-31T23:59:59Z")
    report = run(package_bytes([newer]))
    assert report.imported
    contract = Contract.objects.get()
    assert contract.starts_on == datetime.date(2025, 1, 1)
    assert contract.ends_on is None or contract.ends_on >= contract.starts_on
    assert NoticeAward.objects.get().conflicts.get("ends_on") == "2024-12-31"


def test_a_deleted_contract_is_not_recreated(barnet_contract, staff):
    services.contract_delete(actor=staff, contract=barnet_contract)
    newer = release(date="2024-06-01T09:00:00Z", amount=150000)
    report = run(package_bytes([newer]))
    assert report.imported
    assert (report.created, report.updated) == (0, 0)
    assert report.skipped == {DELETED: 1}
    assert Contract.objects.count() == 0
    assert NoticeAward.objects.get().contract is None


def test_awards_that_are_not_contracts_are_skipped(london):
    pending = release(ocid="ocds-test-pending")
    pending["awards"][0]["status"] = "pending"
    unnamed = release(ocid="ocds-test-unnamed", supplier="")
    unnamed["awards"][0]["suppliers"] = []
    backwards = release(ocid="ocds-test-backwards", start="2025-01-01T00:00:00Z", end="2024-01-01")
    tender = release(ocid="ocds-test-tender", award=False)
    report = run(package_bytes([pending, unnamed, backwards, tender]))
    assert report.imported
    assert (report.matched, report.technology, report.created) == (4, 4, 0)
    assert report.skipped == {
        AWARD_NOT_ACTIVE: 1,
        importing.NO_SUPPLIER: 1,
        importing.ENDS_BEFORE_START: 1,
        NO_AWARD: 1,
    }
    assert Contract.objects.count() == 0
    assert Notice.objects.count() == 4


def test_a_known_supplier_is_the_same_vendor(london):
    first = release(ocid="ocds-test-1")
    second = release(ocid="ocds-test-2", supplier="ACME SOFTWARE LIMITED")  # same number
    third = release(ocid="ocds-test-3", supplier="Other Ltd", supplier_number="07654321")
    report = run(package_bytes([first, second, third]))
    assert (report.created, report.vendors_created) == (3, 2)
    assert sorted(Vendor.objects.values_list("name", "companies_house_number")) == [
        ("Acme Software Ltd", "01234567"),
        ("Other Ltd", "07654321"),
    ]


# Buyers ---------------------------------------------------------------------------------


def test_buyer_matched_by_identifier_alias(london):
    shared = release(buyer="LBB Shared Procurement", buyer_id="GB-CFS-148137")
    report = run(package_bytes([shared]))
    assert (report.matched, report.skipped) == (0, {NOT_A_MEMBER: 1})
    assert report.unmatched_buyers == [("LBB Shared Procurement", 1)]
    assert counts() == NOTHING
    members.organisation_alias_add(
        actor=None,
        organisation=london["Barnet"],
        kind=OrganisationAlias.Kind.IDENTIFIER,
        value="gb-cfs-148137",
    )
    report = run(package_bytes([shared]))
    assert (report.matched, report.created, report.unmatched_buyers) == (1, 1, [])
    assert Contract.objects.get().organisation == london["Barnet"]


def test_buyer_matched_by_name_alias(london):
    data = release(buyer="Barnet Shared Services", buyer_id="X-1")
    assert run(package_bytes([data])).matched == 0
    members.organisation_alias_add(
        actor=None,
        organisation=london["Barnet"],
        kind=OrganisationAlias.Kind.NAME,
        value="Barnet Shared Services",
    )
    report = run(package_bytes([data]))
    assert report.matched == 1
    assert Notice.objects.get().organisation == london["Barnet"]


def test_non_member_buyers_are_counted_and_listed(london):
    others = [
        release(ocid=f"ocds-other-{n}", buyer=name, buyer_id=f"X-{n}")
        for n, name in enumerate(["Kent County Council", "Kent County Council", "NHS Kent"])
    ]
    report = run(package_bytes([*others, release()]))
    assert (report.ocids, report.matched) == (4, 1)
    assert report.skipped == {NOT_A_MEMBER: 3}
    assert report.unmatched_buyers == [("Kent County Council", 2), ("NHS Kent", 1)]
    assert Notice.objects.count() == 1


# Errors: all or nothing -----------------------------------------------------------------


@pytest.mark.parametrize("chunk", [2_000, 2])
def test_a_release_without_ocid_after_good_ones_writes_nothing(london, monkeypatch, chunk):
    # With chunks of 2, the good releases are written before the bad one is read.
    monkeypatch.setattr(importing, "CHUNK", chunk)
    good = [release(ocid=f"ocds-test-{n}") for n in range(4)]
    bad = changed(release(ocid="ocds-test-bad"), ocid=None)
    report = run(package_bytes([*good, bad, release(ocid="ocds-test-5")]))
    assert not report.imported
    assert report.errors == [
        {
            "position": "release 5",
            "message": "This release has no ocid (its Open Contracting ID), so it cannot be placed",
        }
    ]
    assert counts() == NOTHING
    assert report.summary() == "Nothing was imported: the file has 1 problem to fix first."


def test_every_bad_release_is_listed(london):
    no_date = release(ocid="ocds-test-no-date")
    del no_date["date"]
    report = run(package_bytes([release(), "text", no_date, changed(release(), date="yesterday")]))
    assert [error["position"] for error in report.errors] == ["release 2", "release 3", "release 4"]
    assert report.errors[0]["message"] == "This is not a release: a release is a JSON object"
    assert report.errors[1]["message"] == "Release of ocds-test-no-date: it has no date"
    assert report.errors[2]["message"] == (
        "Release of ocds-test-1: its date “yesterday” is not a date and time"
    )
    assert counts() == NOTHING


def test_the_first_pass_finds_the_same_faults_without_the_database(
    django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(importing, "CHUNK", 2)
    no_date = release(ocid="ocds-test-no-date")
    del no_date["date"]
    data = package_bytes([release(), "text", no_date, release(ocid="ocds-test-2"), release()])
    positions = []
    with django_assert_num_queries(0):
        report = importing.check(io.BytesIO(data), progress=positions.append)
    assert report.releases == 5 and not report.imported
    assert [error["position"] for error in report.errors] == ["release 2", "release 3"]
    assert report.errors[1]["message"] == "Release of ocds-test-no-date: it has no date"
    assert len(positions) == 2  # after every two releases
    good = importing.check(io.BytesIO(package_bytes([release(), release(ocid="ocds-test-2")])))
    assert good.imported and good.releases == 2 and good.errors == []
    cut = package_bytes([release(), release(ocid="ocds-test-2")])[:-10]
    broken = importing.check(io.BytesIO(cut))
    assert not broken.imported
    assert broken.errors[0]["message"].startswith("The file is not valid JSON after release 1")


def test_error_count_is_capped(london, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ERRORS", 3)
    report = run(package_bytes([{"no": "ocid"}] * 10))
    assert len(report.errors) == 3
    assert report.more_errors
    assert "3 or more problems" in report.summary()


@pytest.mark.parametrize("chunk", [2_000, 2])
def test_invalid_json_after_good_releases_writes_nothing(london, monkeypatch, chunk):
    monkeypatch.setattr(importing, "CHUNK", chunk)
    data = package_bytes([release(ocid=f"ocds-test-{n}") for n in range(5)])
    report = run(data[:-2] + b", oops]}")
    assert not report.imported
    (error,) = report.errors
    assert error["position"] == ""
    assert error["message"].startswith("The file is not valid JSON after release 5: ")
    assert counts() == NOTHING


def test_releases_that_cannot_be_compiled_are_errors(london):
    first = release(date="2024-01-01T00:00:00Z")
    first["tender"] = "withdrawn"
    second = release(date="2024-02-01T00:00:00Z")
    report = run(package_bytes([first, second]))
    assert not report.imported
    assert report.errors == [
        {
            "position": "release 2",
            "message": "ocds-test-1: its releases disagree on whether /tender is a list, "
            "an object or a value",
        }
    ]
    assert counts() == NOTHING


def test_a_stored_notice_that_clashes_with_a_new_release_is_an_error(london):
    first = release(date="2024-01-01T00:00:00Z")
    first["tender"]["value"] = "unknown"
    assert run(package_bytes([first])).imported
    before = counts()
    second = release(date="2024-02-01T00:00:00Z")
    second["tender"]["value"] = {"amount": 5}
    report = run(package_bytes([second]))
    assert [error["position"] for error in report.errors] == ["release 1"]
    assert "/tender/value" in report.errors[0]["message"]
    assert counts() == before


def test_dry_run_reports_and_writes_nothing(london):
    dry = run(samples(), dry_run=True)
    assert dry.imported
    assert counts() == NOTHING
    real = run(samples())
    assert real.as_dict() | {"open_tenders": 0} == dry.as_dict() | {"open_tenders": 0}
    assert counts() != NOTHING


def test_progress_is_reported_after_each_chunk(london, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK", 2)
    seen = []
    data = package_bytes([release(ocid=f"ocds-test-{n}") for n in range(5)])
    run(data, progress=seen.append)
    assert len(seen) == 3
    # Bytes read so far, of the stream as given (read ahead in blocks, so the whole of a
    # small one at once).
    assert max(seen) == len(data)


# Damaged files --------------------------------------------------------------------------


def _member_package() -> bytes:
    return package_bytes(
        [
            release(ocid="ocds-test-1", date="2024-01-01T00:00:00Z"),
            release(ocid="ocds-test-1", date="2024-02-01T00:00:00Z", amount=130000),
            release(ocid="ocds-test-2", supplier="Beta Ltd", supplier_number="07654321"),
            release(ocid="ocds-test-3", award=False),
        ]
    )


MEMBER_PACKAGE = _member_package()
damage = st.one_of(
    st.tuples(st.just("cut"), st.integers(0, len(MEMBER_PACKAGE) - 1), st.just(b"")),
    st.tuples(
        st.just("replace"),
        st.integers(0, len(MEMBER_PACKAGE) - 1),
        st.binary(min_size=1, max_size=3)
        | st.sampled_from([b'"', b"{", b"}", b"]", b",", b":", b"\xff", b"\x00", b"null"]),
    ),
)


@hypothesis_settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(damage)
def test_a_damaged_file_imports_fully_or_writes_nothing(london, damage):
    kind, at, new = damage
    data = (
        MEMBER_PACKAGE[:at]
        if kind == "cut"
        else MEMBER_PACKAGE[:at] + new + MEMBER_PACKAGE[at + len(new) :]
    )
    with transaction.atomic():
        report = run(data)
        if report.imported:
            assert report.errors == []
            assert Notice.objects.count() == report.matched
            assert Contract.objects.count() == NoticeAward.objects.count() == report.created
        else:
            assert counts() == NOTHING
            assert report.errors
            assert all(error["message"].strip() for error in report.errors)
        transaction.set_rollback(True)
    assert counts() == NOTHING


def test_the_undamaged_member_package_imports(london):
    report = run(MEMBER_PACKAGE)
    assert (report.releases, report.ocids, report.matched, report.technology) == (4, 3, 3, 3)
    assert (report.created, report.vendors_created) == (2, 2)
    assert report.skipped == {NO_AWARD: 1}
    assert Contract.objects.get(vendor__name="Acme Software Ltd").total_value == Decimal(
        "130000.00"
    )
