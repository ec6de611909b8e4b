"""The "can we share?" page and the coverage pages, through real URLs."""

import re

import pytest
from django.urls import reverse

from tests.datasharing.coverage_world import build_coverage_world
from tests.datasharing.world import SECRET

pytestmark = pytest.mark.django_db

ASK = reverse("datasharing:can_we_share")


@pytest.fixture(scope="module")
def built(module_transaction):
    return build_coverage_world()


@pytest.fixture
def world(db, built):
    return built


def ask(client, **params):
    response = client.get(ASK, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_empty_question_is_a_form_without_errors(client, world):
    page = ask(client)
    assert "Can we share?" in page
    assert "There is a problem" not in page
    assert 'name="a"' in page and 'name="purpose"' in page


def test_the_same_organisation_twice_is_refused_with_a_gov_uk_error(client, world):
    page = ask(client, a="barnet", b="barnet", category="personal")
    assert "<title>Error:" in page
    assert "Select a different organisation for B" in page
    assert 'href="#id_b"' in page
    assert "data-answer" not in page


def test_nothing_chosen_names_every_field(client, world):
    page = ask(client, a="", b="", category="", purpose="")
    for message in (
        "Select organisation A",
        "Select organisation B",
        "Select the category of data",
    ):
        assert message in page
    assert "Select organisation A from the list" in ask(
        client, a="nowhere", b="camden", category="x"
    )


def test_a_covered_question_shows_the_clauses_to_a_member(client, world):
    client.force_login(world["officer_b"])
    page = ask(client, a="barnet", b="camden", category="special", purpose="care placements")
    assert 'data-covered="1"' in page
    assert "London safeguarding" in page
    assert "Care needs" in page
    assert "9(2)(h) Health or social care" in page
    assert "Para 2: Health or social care purposes" in page
    assert "Barnet's role" in page and "Joint controller" in page
    assert "Version 1, in force from 1 Apr 2025" in page
    # Operational details beyond the matching data items are not part of the answer.
    assert SECRET not in page


def test_the_public_get_the_register_fields_not_the_data_items(client, world):
    page = ask(client, a="barnet", b="camden", category="special")
    assert "London safeguarding" in page
    assert "Care needs" not in page
    assert "Only members, the office and the agreement's parties can see" in page


def test_no_agreement_says_so_and_names_the_nearest(client, world):
    page = ask(client, a="barnet", b="camden", category="criminal")
    assert "No agreement covers this" in page
    nearest = re.search(r"<ul class=\"govuk-list\" data-nearest>(.*?)</ul>", page, re.S).group(1)
    assert "Youth offending" in nearest and "Barnet is not a party to it." in nearest
    assert "but not criminal offence data" in nearest


def test_the_overall_matrix_has_a_chart_and_the_table_of_pairs(client, world):
    response = client.get(reverse("datasharing:coverage"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-chart="coverage-chart"' in page
    assert "6 pairs of organisations" in page
    rows = re.findall(r"<th scope=\"row\" class=\"govuk-table__header\">([^<]+)</th>", page)
    # A row for each organisation and set of agreements: Barnet shares with Camden and the
    # Met under safeguarding, with Hackney under admissions; Camden with Barnet under
    # safeguarding, the Met under both, Hackney under youth offending; and so on.
    assert rows == ["Barnet"] * 2 + ["Camden"] * 3 + ["Hackney"] * 2 + ["Met Police"] * 3
    assert "2 organisations: Camden, Met Police" in page
    assert "Islington" not in page


def test_the_table_is_paged_by_organisation(client, world, monkeypatch):
    from loti.datasharing.coverage import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    page = client.get(reverse("datasharing:coverage"), {"page": 2}).content.decode()
    rows = re.findall(r"<th scope=\"row\" class=\"govuk-table__header\">([^<]+)</th>", page)
    assert rows == ["Hackney"] * 2 + ["Met Police"] * 3
    assert "organisations 3 to 4 of 4" in page


def test_an_agreement_s_matrix_names_who_is_not_sharing(client, world):
    url = reverse("datasharing:agreement_coverage", args=[world["admissions"].slug])
    page = client.get(url).content.decode()
    assert "1 pair of organisations" in page
    assert "London Borough of Islington: Withdrew on 1 May 2025" in page


def test_an_agreement_awaiting_signatures_has_nobody_sharing(client, world):
    url = reverse("datasharing:agreement_coverage", args=[world["consultation"].slug])
    page = client.get(url).content.decode()
    assert "Nobody shares under this agreement today." in page
    assert "London Borough of Barnet: Has not signed" in page
    assert "data-chart" not in page


def test_another_organisation_s_draft_is_not_there(client, world):
    client.force_login(world["officer_a"])
    url = reverse("datasharing:agreement_coverage", args=[world["draft"].slug])
    assert client.get(url).status_code == 404
