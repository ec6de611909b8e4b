"""Has anyone done this already? The proposal form's similar work and the project page's
related work come from the one search's kinds, ranked together, each only for those who may
read it."""

import pytest
from django.test import Client
from django.urls import reverse

from loti.portfolio.calls import selectors as call_selectors
from tests.portfolio.search_world import build_world

TEXT = "A data standard for temporary accommodation placements"


@pytest.fixture(scope="module")
def world(module_transaction):
    return build_world()


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def titles(found):
    return {item["title"]: item["kind"] for item in found}


def test_similar_work_mixes_library_resources_projects_and_proposals(db, world):
    found = titles(call_selectors.similar_work(user=world["officer_a"], text=TEXT))
    assert found["Temporary accommodation placements specification"] == "Library resource"
    assert found["Temporary accommodation data standard"] == "Project"
    quokkas = titles(call_selectors.similar_work(user=world["officer_a"], text="quokka census"))
    assert quokkas == {"Quokka counting for parks": "Proposal"}


def test_a_member_is_offered_a_members_only_resource_but_not_another_boroughs_draft(db, world):
    found = titles(call_selectors.similar_work(user=world["officer_a"], text=TEXT))
    assert "Temporary accommodation placements business case" in found
    assert "Temporary accommodation placements tender draft" not in found
    # The draft's own borough is offered it.
    own = titles(call_selectors.similar_work(user=world["officer_b"], text=TEXT))
    assert "Temporary accommodation placements tender draft" in own


def test_the_proposal_being_edited_is_not_offered_as_similar_to_itself(db, world):
    proposal = world["proposal"]
    text = f"{proposal.title} {proposal.problem} {proposal.outcome}"
    user = world["officer_b"]
    assert "Quokka counting for parks" in titles(call_selectors.similar_work(user=user, text=text))
    found = call_selectors.similar_work(user=user, text=text, exclude_proposal=proposal.pk)
    assert "Quokka counting for parks" not in titles(found)
    page = client_for(user).get(
        reverse("portfolio:similar"), {"text": text, "exclude": proposal.pk}
    )
    assert proposal.get_absolute_url() not in page.content.decode()


def test_the_proposal_forms_list_shows_each_items_kind_link_and_context(db, world):
    resource = world["open_resource"]
    page = client_for(world["officer_a"]).get(reverse("portfolio:similar"), {"text": TEXT})
    html = page.content.decode()
    assert page.status_code == 200
    assert ">Library resource</strong>" in html
    assert f'href="{resource.get_absolute_url()}">{resource.title}</a>' in html
    assert "Technical specification · Camden · Open Government Licence v3.0" in html


def related_section(html):
    return html.split("Related work</h2>", 1)[1].split("Weeknotes</h2>", 1)[0]


def linked_section(html):
    return html.split("In the library</h2>", 1)[1].split("Related work</h2>", 1)[0]


@pytest.mark.parametrize("persona", ["anonymous", "officer_a"])
def test_the_project_page_lists_related_work_but_not_itself(db, world, persona):
    project = world["project"]
    html = client_for(world[persona]).get(project.get_absolute_url()).content.decode()
    related = related_section(html)
    assert world["other"].get_absolute_url() in related
    # A resource that came from the project is listed once, under "In the library".
    assert world["open_resource"].get_absolute_url() not in related
    assert world["open_resource"].get_absolute_url() in linked_section(html)
    assert f'href="{project.get_absolute_url()}"' not in related
    assert "Has anyone done this already?" in related


@pytest.mark.parametrize(
    ("persona", "members_only", "draft"),
    [("anonymous", False, False), ("officer_a", True, False), ("officer_b", True, True)],
)
def test_the_project_page_lists_the_library_resources_that_came_from_it(
    db, world, persona, members_only, draft
):
    html = client_for(world[persona]).get(world["project"].get_absolute_url()).content.decode()
    linked = linked_section(html)
    assert world["open_resource"].title in linked
    assert (world["members_resource"].title in linked) is members_only
    assert (world["draft_resource"].title in linked) is draft
    # Nowhere else on the page either, for those who may not read them.
    assert (world["members_resource"].title in html) is members_only
    assert (world["draft_resource"].title in html) is draft


def test_a_project_nothing_came_from_has_no_library_section(db, world):
    html = client_for(None).get(world["other"].get_absolute_url()).content.decode()
    assert "In the library</h2>" not in html
    assert "Related work</h2>" in html
