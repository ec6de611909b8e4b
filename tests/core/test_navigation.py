"""The service navigation: a long one groups its sections so that it fits on one line."""

import re

import pytest
from django.urls import reverse

from loti.core.navigation import MAX_ITEMS

pytestmark = pytest.mark.django_db


def navigation(client) -> list[tuple[str, str]]:
    page = client.get(reverse("portfolio:workstreams")).content.decode()
    items = page.split('id="navigation"')[1].split("</ul>")[0]
    return [
        (href, re.sub(r"<[^>]+>|\s+", " ", label).strip())
        for href, label in re.findall(r'href="([^"]+)"[^>]*>(.*?)</a>', items, re.S)
    ]


def test_the_offices_long_navigation_groups_its_sections(client_as):
    items = navigation(client_as("staff"))
    assert len(items) <= MAX_ITEMS
    technology = reverse("core:section", args=["technology"])
    assert (technology, "Technology") in items
    assert (reverse("core:section", args=["members"]), "Members") in items
    assert reverse("techmap:map") not in dict(items)
    page = client_as("staff").get(technology).content.decode()
    listed = page.split("data-sections")[1].split("</ul>")[0]
    for name in ("techmap:map", "techmap:tenders", "techmap:opportunities", "techmap:skills"):
        assert f'href="{reverse(name)}"' in listed


def test_a_group_is_the_current_item_on_each_of_its_pages(client_as):
    page = client_as("staff").get(reverse("techmap:tenders")).content.decode()
    current = re.findall(r'href="([^"]+)" aria-current="true"', page)
    assert current == [reverse("core:section", args=["technology"])]


def test_a_short_navigation_keeps_its_sections(client_as, monkeypatch):
    # The public's nine sections would fit were the account's link not beside them.
    monkeypatch.setattr("loti.core.navigation.MAX_ITEMS", 9)
    items = dict(navigation(client_as("anonymous")))
    assert len(items) == 9
    assert items[reverse("techmap:map")] == "Technology map"
    assert items[reverse("techmap:tenders")] == "Tenders"


def test_the_publics_navigation_groups_its_nine_sections_to_fit_beside_sign_in(client_as):
    items = navigation(client_as("anonymous"))
    assert [label for _, label in items] == ["Members", "Shared work", "Technology", "Evaluation"]
    page = client_as("anonymous").get(reverse("core:section", args=["shared-work"])).content
    listed = page.decode().split("data-sections")[1].split("</ul>")[0]
    for name in (
        "portfolio:projects",
        "portfolio:calls",
        "library:resources",
        "datasharing:agreements",
    ):
        assert f'href="{reverse(name)}"' in listed


def test_a_group_lists_only_what_the_person_may_see(client_as):
    page = client_as("anonymous").get(reverse("core:section", args=["technology"])).content
    listed = page.decode().split("data-sections")[1].split("</ul>")[0]
    assert f'href="{reverse("techmap:tenders")}"' in listed
    assert reverse("techmap:opportunities") not in listed
    assert client_as("anonymous").get(reverse("core:section", args=["nothing"])).status_code == 404
