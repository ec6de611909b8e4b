"""An agreement's documents: its readable page, PDF and JSON export say the same thing, every
ICO section in order for a reader of details, the register's alone for anyone else, and no
operational detail ever reaches those who may not read it."""

import io
import re

import pytest
from pypdf import PdfReader

from loti.datasharing.documents import content, pdf
from tests.datasharing.documents_world import build_documents_world
from tests.permission_matrix import api_tokens
from tests.personas import PERSONAS

EVERY_SECTION = [
    "Parties and their roles",
    "Purpose and benefits",
    "Lawful basis",
    "Data items and data subjects",
    "How the data moves",
    "Security",
    "Retention and deletion",
    "Individuals' rights and complaints",
    "Privacy information",
    "Breach reporting",
    "Dates and review",
    "Data protection impact assessment",
    "Signatures",
]
REGISTER_SECTIONS = [
    "Parties and their roles",
    "Purpose and benefits",
    "Lawful basis",
    "Dates and review",
]


@pytest.fixture(scope="module")
def world(module_transaction):
    world = build_documents_world()
    personas = {name: world[name] for name in PERSONAS}
    world["personas"] = personas
    world["tokens"] = api_tokens(personas)
    return world


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def in_order(text: str, phrases: list[str]) -> bool:
    positions = [text.find(phrase) for phrase in phrases]
    return -1 not in positions and positions == sorted(positions)


def get(client, world, persona, path):
    client.logout()
    person = world["personas"][persona]
    if path.startswith("/api/"):
        headers = {"Authorization": f"Bearer {world['tokens'][persona]}"} if person else {}
        return client.get(path, headers=headers)
    if person is not None:
        client.force_login(person)
    return client.get(path)


def page_text(response) -> str:
    # The page's words, with its markup and the apostrophes' escapes undone.
    html = response.content.decode()
    return re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&#39;", "'")


def test_a_reader_of_details_gets_every_ico_section_in_order(db, world):
    document = content.document(user=world["officer_a"], agreement=world["signed"])
    assert [section.heading for section in document.sections] == EVERY_SECTION
    assert [key for key, _, _ in content.SECTIONS] == [s.key for s in document.sections]


def test_the_public_get_the_registers_sections_only(db, world):
    document = content.document(user=None, agreement=world["signed"])
    assert [section.heading for section in document.sections] == REGISTER_SECTIONS
    purpose = next(s for s in document.sections if s.key == "purpose")
    assert [label for label, _ in purpose.rows] == ["Purpose"]


def test_the_page_and_the_pdf_set_the_sections_out_in_the_same_order(db, client, world):
    slug = world["signed"].slug
    page = page_text(get(client, world, "officer_a", f"/data-sharing/{slug}/document/"))
    printed = pdf_text(
        get(client, world, "officer_a", f"/data-sharing/{slug}/agreement.pdf").content
    )
    numbered = [f"{n}. {heading}" for n, heading in enumerate(EVERY_SECTION, start=1)]
    assert in_order(page, numbered)
    assert in_order(printed, numbered)


def test_the_page_pdf_and_json_say_the_same_thing(db, client, world):
    slug = world["signed"].slug
    page = page_text(get(client, world, "officer_a", f"/data-sharing/{slug}/document/"))
    printed = pdf_text(
        get(client, world, "officer_a", f"/data-sharing/{slug}/agreement.pdf").content
    )
    exported = get(client, world, "officer_a", f"/data-sharing/{slug}/agreement.json").json()
    version = next(v for v in exported["versions"] if v["number"] == 1)
    assert exported["version"] == version
    for phrase in [
        version["purpose"],
        version["security"],
        version["breach_reporting"],
        version["article6"]["label"],
        "Dee Signatory",
        "1 April 2025",
    ]:
        assert phrase in page, phrase
        assert phrase in " ".join(printed.split()), phrase
    assert [p["name"] for p in version["parties"]] == [
        "London Borough of Barnet",
        "London Borough of Camden",
        "Metropolitan Police Service",
    ]
    assert all(p["signature"] for p in version["parties"])


def test_the_register_shows_the_version_in_force_and_another_is_asked_for_by_number(
    db, client, world
):
    slug = world["signed"].slug
    first = page_text(get(client, world, "officer_a", f"/data-sharing/{slug}/document/"))
    second = page_text(get(client, world, "officer_a", f"/data-sharing/{slug}/document/?version=2"))
    assert "Version 1, in force" in first
    assert "Omega gateway" not in first
    assert "Version 2, awaiting signatures" in second
    assert "Omega gateway" in second
    assert "Not yet signed" in second
    response = get(client, world, "officer_a", f"/data-sharing/{slug}/agreement.pdf?version=2")
    assert "version-2.pdf" in response["Content-Disposition"]
    assert "Omega gateway" in pdf_text(response.content)


@pytest.mark.parametrize("asked", ["3", "0", "two", "1.0", "٢", "9" * 30])
def test_a_version_that_is_not_there_is_a_404(db, client, world, asked):
    slug = world["signed"].slug
    for suffix in ("document/", "agreement.pdf"):
        response = get(client, world, "officer_a", f"/data-sharing/{slug}/{suffix}?version={asked}")
        assert response.status_code == 404


def test_the_json_export_is_the_apis_agreement_detail(db, client, world):
    slug = world["signed"].slug
    for persona in ("anonymous", "officer_a", "partner"):
        exported = get(client, world, persona, f"/data-sharing/{slug}/agreement.json")
        answered = get(client, world, persona, f"/api/datasharing/agreements/{slug}")
        assert exported["Content-Type"] == "application/json"
        assert answered.status_code == 200
        assert exported.json() == answered.json(), persona


def test_the_pdf_is_a_pdf_that_names_its_page_title_and_language(db, client, world):
    slug = world["signed"].slug
    response = get(client, world, "anonymous", f"/data-sharing/{slug}/agreement.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "London safeguarding"
    text = " ".join(pdf_text(response.content).split())
    assert f"/data-sharing/{slug}/document/" in text
    assert "The accessible version of this agreement is the web page" in text
    assert "Only the consortium's members" in text


def test_the_pdf_prints_what_the_font_must_carry(db, world):
    document = content.document(user=world["staff"], agreement=world["signed"])
    text = pdf_text(pdf.render(document, web_url="https://loti.example/x"))
    assert "Individuals' rights and complaints" in text
    assert "It shares special category data on a large scale" in text


# The canary: a phrase in each kind of operational detail, absent for those who may not read
# details, present for those who may (so the test can fail).

NO_DETAILS = ["anonymous"]
DETAILS = ["staff", "lead_a", "officer_a", "officer_b", "partner"]


def _every_answer(client, world, persona, slug, versions=(1, 2)):
    yield "page", page_text(get(client, world, persona, f"/data-sharing/{slug}/document/"))
    for number in versions:
        yield (
            f"page v{number}",
            page_text(
                get(client, world, persona, f"/data-sharing/{slug}/document/?version={number}")
            ),
        )
        yield (
            f"pdf v{number}",
            pdf_text(
                get(
                    client, world, persona, f"/data-sharing/{slug}/agreement.pdf?version={number}"
                ).content
            ),
        )
    yield (
        "json",
        get(client, world, persona, f"/data-sharing/{slug}/agreement.json").content.decode(),
    )
    yield "api", get(client, world, persona, f"/api/datasharing/agreements/{slug}").content.decode()
    yield "api list", get(client, world, persona, "/api/datasharing/agreements").content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_operational_details_reach_only_those_who_read_them(db, client, world, persona):
    slug = world["signed"].slug
    answers = dict(_every_answer(client, world, persona, slug))
    for where, text in answers.items():
        flat = " ".join(text.split())
        for secret in world["secrets"]:
            if persona in DETAILS and where in ("json", "api", "page v2", "pdf v2"):
                # Version 2 holds every kind of detail, and these show it.
                assert secret in flat, (persona, where, secret)
            elif persona not in DETAILS:
                assert secret not in flat, (persona, where, secret)


def test_a_partner_reads_the_details_of_its_own_agreements_only(db, client, world):
    # The Met is not party to the consultation between Barnet and Camden.
    slug = world["consultation"].slug
    for where, text in _every_answer(client, world, "partner", slug, versions=(1,)):
        if where == "api list":
            continue  # it lists the signed agreement too, whose details the Met reads
        assert world["secrets"][0] not in " ".join(text.split()), where
    exported = get(client, world, "partner", f"/data-sharing/{slug}/agreement.json").json()
    assert exported["details"] is False
    assert exported["version"]["security"] is None
    assert exported["version"]["data_items"] == []
    # Everyone reads which parties signed, and when (Camden has, Barnet not yet); not who
    # signed, or as what.
    signatures = {p["organisation"]: p["signature"] for p in exported["version"]["parties"]}
    assert signatures["barnet"] is None and signatures["camden"]["signed_at"]
    assert (signatures["camden"]["name"], signatures["camden"]["capacity"]) == (None, None)
    assert exported["version"]["purpose"]
