"""Reading a compiled release as the technology map's terms: buyer, CPV codes, awards,
values and links; CPV prefixes; service areas by keyword. No database."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loti.techmap.ocds.compiling import compiled, merge
from loti.techmap.ocds.notices import AreaFinder, Award, facts, parse_cpv_prefixes
from tests.techmap.ocds_samples import NEWHAM_OCID, OAKHEART_OCID, release, releases_of

UTC = datetime.UTC
# The OCDS_CPV_PREFIXES setting's default.
TECHNOLOGY = ("48", "72", "302", "642", "5031", "5032")


def compile_releases(releases):
    state = {}
    merge(state, releases)
    return compiled(state)


@pytest.fixture
def newham():
    (newest,) = releases_of(NEWHAM_OCID)
    return facts(compile_releases([newest]), release_id=newest["id"])


def test_newham_buyer_and_tender(newham):
    assert newham.ocid == NEWHAM_OCID
    assert newham.buyer_names == ("LONDON BOROUGH OF NEWHAM",)
    assert newham.buyer_name == "LONDON BOROUGH OF NEWHAM"
    assert newham.buyer_identifiers == ("GB-LAE-NWM",)
    assert newham.title == "20535"
    assert newham.description == (
        "a contract for Program technical support services for an existing arrangement."
    )
    assert newham.cpv_codes == ("72212000",)
    assert newham.tender_status == "complete"
    assert newham.closes_at == datetime.datetime(2022, 10, 21, 22, 59, 59, tzinfo=UTC)
    assert newham.suitable_for_sme is False
    assert newham.suitable_for_vcse is False
    assert newham.value == Decimal("34145.97")
    assert newham.procurement_route == "Other - renewal"
    # The tender has no notice document: the link is made from the release id.
    assert newham.url == (
        "https://www.contractsfinder.service.gov.uk/Notice/9d54126a-07ec-412f-a0b2-e2365d71bad1"
    )
    assert newham.is_technology(TECHNOLOGY)
    assert newham.is_technology(["7221"])
    assert not newham.is_technology(["48", "302"])


def test_newham_award(newham):
    assert newham.awards == (
        Award(
            award_id=f"{NEWHAM_OCID}-1",
            status="active",
            title="20535",
            description=(
                "a contract for Program technical support services for an existing arrangement."
            ),
            supplier_name="Oracle Corporation (Uk) Ltd",
            companies_house_number="01782505",
            is_sme=False,
            value=Decimal("34145.97"),
            starts_on=datetime.date(2022, 11, 16),
            ends_on=datetime.date(2023, 11, 15),
            url="https://www.contractsfinder.service.gov.uk/Notice/9d54126a-07ec-412f-a0b2-e2365d71bad1",
        ),
    )
    # A year's contract: its annual value is its total.
    assert newham.awards[0].annual_value == Decimal("34145.97")


def test_award_update_gives_the_newest_value():
    result = facts(compile_releases(releases_of(OAKHEART_OCID)))
    (award,) = result.awards
    assert award.value == Decimal("4050.00")
    assert award.supplier_name == "OAKHEART SERVICES LTD."
    assert award.companies_house_number == "09438364"
    assert award.is_sme is True
    assert result.cpv_codes == ("79421100",)
    assert not result.is_technology(TECHNOLOGY)
    assert result.is_technology(["794"])


@pytest.mark.parametrize(
    ("starts", "ends", "value", "annual"),
    [
        # 1 April 2024 to 31 March 2027 is 1,095 days: 120,000 × 365.25 / 1,095.
        ("2024-04-01", "2027-03-31", "120000", Decimal("40027.40")),
        # A year or less (366 days in a leap year) is its own annual value.
        ("2024-01-01", "2024-12-31", "50000", Decimal("50000.00")),
        ("2024-01-01", "2024-03-31", "50000", Decimal("50000.00")),
        # 367 days is just over a year.
        ("2024-01-01", "2025-01-01", "36700", Decimal("36525.00")),
    ],
)
def test_annual_value_spreads_the_total_over_the_years(starts, ends, value, annual):
    data = release(amount=float(value), start=f"{starts}T00:00:00Z", end=f"{ends}T23:59:59Z")
    (award,) = facts(compile_releases([data])).awards
    assert award.value == Decimal(value)
    assert award.annual_value == annual


def test_annual_value_without_dates_or_value():
    (award,) = facts(compile_releases([release(amount=None)])).awards
    assert award.value is None
    assert award.annual_value is None
    data = release()
    del data["awards"][0]["contractPeriod"]
    (award,) = facts(compile_releases([data])).awards
    assert award.starts_on is None
    assert award.annual_value == Decimal("120000.00")


def test_award_period_falls_back_to_the_tender_contract_period():
    data = release()
    del data["awards"][0]["contractPeriod"]
    data["tender"]["contractPeriod"] = {
        "startDate": "2025-01-01T00:00:00Z",
        "endDate": "2025-06-30T00:00:00Z",
    }
    (award,) = facts(compile_releases([data])).awards
    assert (award.starts_on, award.ends_on) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 6, 30),
    )


def test_urls_come_from_notice_documents_before_the_contracts_finder_fallback():
    data = release(ocid="ocds-b5fd17-abc", release_id="9d54126a-07ec-412f-a0b2-e2365d71bad1-583086")
    data["tender"]["documents"] = [
        {"id": "1", "documentType": "biddingDocuments", "url": "https://example.test/itt"},
        {"id": "2", "documentType": "tenderNotice", "url": "https://example.test/tender"},
    ]
    data["awards"][0]["documents"] = [
        {"id": "1", "documentType": "awardNotice", "url": "https://example.test/award"}
    ]
    result = facts(compile_releases([data]), release_id=data["id"])
    assert result.url == "https://example.test/tender"
    assert result.awards[0].url == "https://example.test/award"
    # No notice documents: the tender's link, then Contracts Finder's from the release id.
    del data["awards"][0]["documents"]
    assert facts(compile_releases([data])).awards[0].url == "https://example.test/tender"
    del data["tender"]["documents"]
    result = facts(compile_releases([data]), release_id=data["id"])
    assert result.url == (
        "https://www.contractsfinder.service.gov.uk/Notice/9d54126a-07ec-412f-a0b2-e2365d71bad1"
    )
    assert result.awards[0].url == result.url
    # Only Contracts Finder's ocids, and only ids that start with a notice's UUID.
    assert facts(compile_releases([data]), release_id="582322").url == ""
    other = {**data, "ocid": "ocds-r6ebe6-0001"}
    assert facts(compile_releases([other]), release_id=data["id"]).url == ""


def test_a_non_web_document_url_is_not_a_link():
    data = release()
    data["tender"]["documents"] = [
        {"id": "1", "documentType": "tenderNotice", "url": "javascript:alert(1)"}
    ]
    assert facts(compile_releases([data])).url == ""


def test_cpv_codes_from_tender_items_and_additional_classifications():
    data = release(cpv="72000000-5")
    data["tender"]["additionalClassifications"] = [
        {"scheme": "CPV", "id": "48000000"},
        {"scheme": "UNSPSC", "id": "43230000"},
        {"scheme": "cpv", "id": "72000000"},  # again: listed once
    ]
    data["tender"]["items"] = [
        {"id": "1", "classification": {"id": "30213000"}},  # no scheme: taken as CPV
        {"id": "2", "additionalClassifications": [{"scheme": "CPV", "id": "64216000"}]},
        {"id": "3", "classification": {"scheme": "CPV", "id": "not a code"}},
    ]
    result = facts(compile_releases([data]))
    assert result.cpv_codes == ("72000000", "48000000", "30213000", "64216000")
    assert result.is_technology(["302"])
    assert not result.is_technology(["4323"])


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ({"scheme": "GB-COH", "id": "1782505"}, "01782505"),
        ({"scheme": "GB-COH", "id": "sc 123456"}, "SC123456"),
        ({"scheme": "GB-COH", "id": "123456789"}, ""),  # too long
        ({"scheme": "GB-CHC", "id": "1234567"}, ""),  # a charity number
        ({"scheme": "GB-COH", "id": 1782505}, "01782505"),
    ],
)
def test_companies_house_numbers(identifier, expected):
    data = release()
    data["parties"][1]["identifier"] = identifier
    assert facts(compile_releases([data])).awards[0].companies_house_number == expected


@pytest.mark.parametrize(("scale", "is_sme"), [("sme", True), ("large", False), ("", None)])
def test_supplier_scale(scale, is_sme):
    assert facts(compile_releases([release(scale=scale)])).awards[0].is_sme is is_sme


@pytest.mark.parametrize(
    ("amount", "value"),
    [
        (0, None),  # how some publishers say "not known"
        (-5, None),
        (1e15, None),
        ("1234.5", Decimal("1234.50")),
        (True, None),
        ("NaN", None),
        ("Infinity", None),
        ("lots", None),
    ],
)
def test_amounts(amount, value):
    data = release()
    data["awards"][0]["value"]["amount"] = amount
    assert facts(compile_releases([data])).awards[0].value == value


def test_an_open_tender_is_read_with_its_status_and_closing_time():
    # Which tenders are open is decided where they are listed (selectors.open_tenders).
    data = release(award=False)
    data["tender"]["tenderPeriod"]["endDate"] = "2024-03-01T12:00:00Z"
    result = facts(compile_releases([data]))
    assert result.awards == ()
    assert (result.tender_status, result.closes_at) == (
        "active",
        datetime.datetime(2024, 3, 1, 12, 0, tzinfo=UTC),
    )
    data["tender"]["status"] = "cancelled"
    assert facts(compile_releases([data])).tender_status == "cancelled"


def test_malformed_fields_are_read_as_missing():
    result = facts(
        {
            "ocid": "ocds-x",
            "buyer": ["not", "an", "object"],
            "parties": {"id": "p"},
            "tender": {
                "title": 12,
                "status": None,
                "value": "lots",
                "classification": "72000000",
                "items": [None, 3, {"classification": ["72000000"]}],
                "tenderPeriod": {"endDate": "next Tuesday"},
                "suitability": {"sme": "yes"},
                "documents": [{"documentType": ["tenderNotice"], "url": "https://x.test"}],
            },
            "awards": [
                "award",
                {"title": "no id"},
                {
                    "id": 7,
                    "suppliers": "Acme",
                    "contractPeriod": {"startDate": 20240101},
                    "documents": [{"documentType": {"a": 1}, "url": "https://x.test"}],
                },
            ],
        }
    )
    assert result.buyer_names == ()
    assert result.buyer_identifiers == ()
    assert result.title == "12"
    assert result.cpv_codes == ()
    assert result.closes_at is None
    assert result.suitable_for_sme is None
    assert result.value is None
    assert result.url == ""
    (award,) = result.awards
    assert award.award_id == "7"
    assert award.supplier_name == ""
    assert award.starts_on is None


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=5)
    | st.sampled_from(["NaN", "Infinity", "-1", "2024-01-01", "GB-COH", "sme", "awardNotice"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "name",
                    "scheme",
                    "legalName",
                    "identifier",
                    "details",
                    "scale",
                    "amount",
                    "value",
                    "startDate",
                    "endDate",
                    "contractPeriod",
                    "documents",
                    "documentType",
                    "url",
                    "suppliers",
                    "classification",
                    "additionalClassifications",
                    "items",
                    "tenderPeriod",
                    "suitability",
                    "sme",
                    "title",
                    "status",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "ocid": json_values,
            "buyer": json_values,
            "parties": json_values,
            "tender": json_values,
            "awards": json_values,
        },
    ),
    st.text(max_size=50),
)
def test_facts_never_raise(release, release_id):
    result = facts(release, release_id=release_id)
    assert isinstance(result.cpv_codes, tuple)
    for award in result.awards:
        assert award.value is None or Decimal(0) < award.value
        assert award.annual_value is None or award.annual_value <= award.value


# CPV prefixes and service areas ---------------------------------------------------------


def test_parse_cpv_prefixes():
    assert parse_cpv_prefixes("48, 72,302") == ("48", "72", "302")
    assert parse_cpv_prefixes(" 72 ,, ") == ("72",)
    assert parse_cpv_prefixes("72212000") == ("72212000",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Give at least one CPV code prefix, like 48 or 72"),
        (" , ", "Give at least one CPV code prefix, like 48 or 72"),
        ("48,7x", "“7x” is not the start of a CPV code (up to 8 digits)"),
        ("72-5", "“72-5” is not the start of a CPV code (up to 8 digits)"),
        ("123456789", "“123456789” is not the start of a CPV code (up to 8 digits)"),
    ],
)
def test_parse_cpv_prefixes_errors(text, message):
    with pytest.raises(ValueError) as caught:
        parse_cpv_prefixes(text)
    assert str(caught.value) == message


def test_area_finder_matches_whole_words_and_phrases_in_any_case():
    finder = AreaFinder(
        {
            "Housing": ["housing", "repairs"],
            "Parking": ["parking permits"],
            "Children's social care": ["children's social care"],
            "Empty": [],
        }
    )
    assert finder.areas("Housing management system") == ["Housing"]
    assert finder.areas("REPAIRS", "and Parking Permits online") == ["Housing", "Parking"]
    assert finder.areas("Rehousing") == []  # words, not parts of them
    assert finder.areas("parking") == finder.areas("permits for parking") == []
    assert finder.areas("Children’s social care case management") == ["Children's social care"]
    assert finder.areas("") == []
