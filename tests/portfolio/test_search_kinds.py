"""The portfolio's kinds in the one search: published projects and their weeknotes for
everyone, proposals for members and the office only."""

import pytest
from django.test import Client

from loti.core import search
from loti.portfolio.projects import services as project_services
from tests.personas import PERSONAS
from tests.portfolio.search_world import build_world


@pytest.fixture(scope="module")
def world(module_transaction):
    return build_world()


def found(user, text):
    return {
        group.kind.key: [hit.title for hit in group.hits] for group in search.everything(user, text)
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_published_project_is_found_by_everyone(db, world, persona):
    assert found(world[persona], "boroughs describe")["projects"] == [
        "Temporary accommodation data standard"
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_weeknote_is_found_as_its_project_is_and_opens_at_its_place_on_the_page(
    db, world, persona
):
    groups = {group.kind.key: group for group in search.everything(world[persona], "wombat")}
    (hit,) = groups["weeknotes"].hits
    project, weeknote = world["project"], world["weeknote"]
    assert hit.title == weeknote.title
    assert hit.url == f"{project.get_absolute_url()}#weeknote-{weeknote.pk}"
    assert "<mark>wombat</mark>" in hit.snippet
    client = Client()
    if world[persona] is not None:
        client.force_login(world[persona])
    page = client.get(project.get_absolute_url()).content.decode()
    assert f'id="weeknote-{weeknote.pk}"' in page


@pytest.mark.parametrize("persona", ["officer_a", "officer_b", "lead_a", "staff"])
def test_members_and_the_office_find_proposals(db, world, persona):
    assert found(world[persona], "quokka")["proposals"] == ["Quokka counting for parks"]


@pytest.mark.parametrize("persona", ["anonymous", "partner"])
def test_a_proposal_never_reaches_the_public_or_a_partner(db, world, persona):
    user = world[persona]
    assert search.everything(user, "quokka") == []
    titles = [
        hit.title for group in search.everything(user, "parks quokka census") for hit in group.hits
    ]
    assert "Quokka counting for parks" not in titles
    assert not search.similar(user, "Quokka counting for parks", keys=["proposals"])


def test_a_removed_weeknote_is_no_longer_found(db, world):
    project_services.weeknote_delete(actor=world["staff"], weeknote=world["weeknote"])
    assert "weeknotes" not in found(world["staff"], "wombat")
