"""Templates a new agreement starts from: one parser for the built-in template and the
library's, which never fails on what it is given, keeps to its limits and says which it hit,
and a page listing the templates a person may use."""

import datetime
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti.datasharing.agreements import services as agreement_services
from loti.datasharing.documents import content, templates
from loti.datasharing.models import Version
from loti.library import services as library_services
from loti.library.models import Kind, Licence
from loti.library.models import Version as LibraryVersion
from tests.personas import build_personas

LIBRARY_TEMPLATE = """# Hospital discharge data sharing

> Guidance the parser leaves out.

## Purpose and benefits

### Purpose

Plan people's care before they leave hospital.

### Benefits

Fewer delayed discharges.

## Lawful basis

### Lawful basis (UK GDPR Article 6)

6(1)(e) Public task

### Condition for special category data (UK GDPR Article 9)

9(2)(h)

### Condition in Schedule 1 of the Data Protection Act 2018

Para 2

## Data items and data subjects

### Data items

- NHS number (personal): to match records
- Care needs (special category data)
- Care needs (special)
- Discharge date

## How the data moves

### How often

Daily

## A heading no agreement has

Text that belongs nowhere.

## Dates and review

### Start date

2026-04-01

### Review date

next spring
"""


def test_the_built_in_templates_sections_are_the_documents_in_order():
    headings = re.findall(r"^## (.+)$", templates.built_in_text(), flags=re.MULTILINE)
    assert headings == [heading for _, heading, _ in content.SECTIONS]


def test_the_built_in_template_fills_its_model_clauses_and_not_its_guidance():
    parsed = templates.parse(templates.built_in_text())
    assert parsed.problems == []
    assert parsed.title == ""
    assert set(parsed.version) == {
        "transfer_method",
        "security",
        "deletion",
        "rights",
        "privacy_information",
        "breach_reporting",
    }
    assert parsed.version["breach_reporting"].startswith("A party that finds a personal data")
    assert not any(">" in value or "guidance" in value for value in parsed.version.values())
    # Every value is one the agreement's services accept as a version field.
    assert set(parsed.version) <= set(agreement_services.VERSION_FIELDS)


def test_a_template_fills_titles_choices_dates_and_data_items_and_skips_what_it_does_not_know():
    parsed = templates.parse(LIBRARY_TEMPLATE)
    assert parsed.title == "Hospital discharge data sharing"
    assert parsed.version == {
        "purpose": "Plan people's care before they leave hospital.",
        "benefits": "Fewer delayed discharges.",
        "article6": "e",
        "article9": "h",
        "schedule1": "2",
        "frequency": "daily",
        "start_date": datetime.date(2026, 4, 1),
    }
    assert parsed.data_items == [
        {"name": "NHS number", "category": "personal", "description": "to match records"},
        {"name": "Care needs", "category": "special", "description": ""},
        {"name": "Discharge date", "category": "", "description": ""},
    ]
    assert parsed.problems == ["Line 56: write the date as 2026-04-01"]
    assert "belongs nowhere" not in str(parsed)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6(1)(e)", "e"),
        ("Public task", "e"),
        ("Legitimate interests", "f"),
        ("e", "e"),
        ("6(1)(E) public TASK.", "e"),
        ("6(1)", None),  # names every basis of Article 6
        ("", None),
        ("Consent or contract", None),
    ],
)
def test_a_choice_is_named_by_its_code_or_its_label(text, expected):
    assert templates.choice(templates.Article6, text) == expected


def test_a_schedule_1_paragraph_is_not_mistaken_for_one_that_starts_with_its_number():
    assert templates.choice(templates.Schedule1, "Para 1") == "1"
    assert templates.choice(templates.Schedule1, "Para 10") == "10"
    assert templates.choice(templates.Schedule1, "Health or social care purposes") == "2"


def test_reading_stops_at_the_limit_of_headings_and_says_where():
    text = "\n".join(f"## Security\nClause {n}" for n in range(templates.MAX_HEADINGS + 5))
    parsed = templates.parse(text)
    assert parsed.version["security"] == f"Clause {templates.MAX_HEADINGS - 1}"
    assert parsed.problems == [
        f"Line {2 * templates.MAX_HEADINGS + 1}: a template may have at most "
        f"{templates.MAX_HEADINGS} headings; the rest was not read"
    ]


def test_a_long_section_is_cut_at_its_limit_and_says_so():
    parsed = templates.parse("## Security\n" + "x" * (templates.MAX_FIELD_CHARS + 10))
    assert len(parsed.version["security"]) == templates.MAX_FIELD_CHARS
    assert "at most 20,000 characters" in parsed.problems[0]


def test_a_huge_template_is_read_only_to_its_limit():
    parsed = templates.parse("## Security\nSafe\n" + "y\n" * templates.MAX_CHARS)
    assert parsed.version["security"].startswith("Safe")
    assert any("at most 200,000 characters" in problem for problem in parsed.problems)
    assert any("at most 5,000 lines" in problem for problem in parsed.problems)


def test_data_items_stop_at_the_agreements_limit():
    lines = "\n".join(f"- Item {n} (personal)" for n in range(templates.MAX_DATA_ITEMS + 3))
    parsed = templates.parse("### Data items\n" + lines)
    assert len(parsed.data_items) == templates.MAX_DATA_ITEMS
    assert len(parsed.problems) == 3


HEADINGS = [heading for heading in templates.TARGETS] + ["Purpose and benefits", "Other"]
markdownish = st.lists(
    st.one_of(
        st.sampled_from(HEADINGS).map(lambda h: f"## {h}"),
        st.sampled_from(HEADINGS).map(lambda h: f"### {h}"),
        st.text(max_size=60).map(lambda t: f"# {t}"),
        st.text(max_size=80).map(lambda t: f"- {t}"),
        st.text(max_size=80),
        st.sampled_from(["2026-04-01", "6(1)(e)", "Para 2", "> guidance", "\x00", "\r\n"]),
    ),
    max_size=60,
).map("\n".join)


@given(markdownish)
def test_the_parser_never_fails_and_keeps_to_its_limits(text):
    parsed = templates.parse(text)
    assert len(parsed.title) <= templates.MAX_TITLE_CHARS
    assert set(parsed.version) <= set(agreement_services.VERSION_FIELDS)
    assert len(parsed.data_items) <= templates.MAX_DATA_ITEMS
    for name, value in parsed.version.items():
        field = Version._meta.get_field(name)
        if field.choices:
            assert value in {code for code, _ in field.choices}, (name, value)
        elif isinstance(value, str):
            assert value and len(value) <= templates.MAX_FIELD_CHARS
            assert "\x00" not in value
        else:
            assert isinstance(value, datetime.date)
    for item in parsed.data_items:
        assert item["name"] and len(item["name"]) <= templates.MAX_ITEM_NAME_CHARS
        assert item["category"] in {"", "personal", "special", "criminal"} | {
            "pseudonymised",
            "anonymised",
        }


@given(st.text(max_size=2_000))
def test_the_parser_never_fails_on_any_text(text):
    assert isinstance(templates.parse(text), templates.Parsed)


# Templates from the library, read through its selectors.


@pytest.fixture
def library_templates(db):
    built = build_personas()

    def make(title, *, kind=Kind.DATA_SHARING_TEMPLATE, publish=True, text=LIBRARY_TEMPLATE):
        resource = library_services.resource_create(
            actor=built["staff"],
            title=title,
            summary=f"{title}, for others to reuse.",
            kind=kind,
            licence=Licence.OGL,
            organisations=[built["borough_a"]],
            publish=publish,
            version={"label": "1.0", "link": "https://example.org/template"},
        )
        LibraryVersion.objects.filter(resource=resource).update(text=text)
        return resource

    built["published"] = make("Hospital discharge")
    built["draft"] = make("Barnet's unfinished template", publish=False)
    built["guide"] = make("A guide that is not a template", kind=Kind.GUIDE)
    return built


def test_a_library_template_gives_the_new_agreements_values(library_templates):
    resource = library_templates["published"]
    initial = templates.initial_for(
        user=library_templates["officer_b"], key=f"library-{resource.pk}"
    )
    assert initial["title"] == "Hospital discharge data sharing"
    assert initial["version"]["purpose"] == "Plan people's care before they leave hospital."
    assert [item["name"] for item in initial["data_items"]] == [
        "NHS number",
        "Care needs",
        "Discharge date",
    ]
    assert initial["template"] == resource
    assert initial["problems"] == ["Line 56: write the date as 2026-04-01"]


def test_the_built_in_template_is_for_everyone_and_names_no_library_resource(db):
    initial = templates.initial_for(user=None, key="built-in")
    assert initial["template"] is None
    assert initial["title"] == ""
    assert "security" in initial["version"]


@pytest.mark.parametrize(
    "key", ["", "library-", "library-0", "library-x", "library-1 ", "built_in", "library-99999"]
)
def test_a_key_naming_no_template_gives_none(library_templates, key):
    assert templates.initial_for(user=library_templates["staff"], key=key) is None


def test_a_template_the_person_may_not_read_or_that_is_no_template_gives_none(library_templates):
    draft, guide = library_templates["draft"], library_templates["guide"]
    assert (
        templates.initial_for(user=library_templates["officer_b"], key=f"library-{draft.pk}")
        is None
    )
    assert templates.initial_for(user=library_templates["officer_a"], key=f"library-{draft.pk}")
    assert templates.initial_for(user=library_templates["staff"], key=f"library-{guide.pk}") is None


def test_the_templates_page_lists_the_built_in_and_the_librarys_templates(
    library_templates, client
):
    client.force_login(library_templates["officer_b"])
    page = client.get("/data-sharing/new/templates/").content.decode()
    published = library_templates["published"]
    assert 'href="/data-sharing/new/?template=built-in"' in page
    assert f'href="/data-sharing/new/?template=library-{published.pk}"' in page
    assert "Hospital discharge" in page
    assert "unfinished" not in page
    assert "not a template" not in page
    client.force_login(library_templates["officer_a"])
    assert "unfinished" in client.get("/data-sharing/new/templates/").content.decode()
