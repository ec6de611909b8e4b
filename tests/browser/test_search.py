"""The one search in a real browser: from the header of any page to a result, at desktop and
phone widths, with axe finding nothing wrong on the results pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_problems, sign_in
from tests.browser.test_accessibility import axe_violations, describe

pytestmark = pytest.mark.browser

# In the tech map of every demo (loti/techmap/data/demo_catalogue.json): a product and its
# supplier both hold the word.
PRODUCT = "Liquidlogic LCS and LAS"
WORD = "Liquidlogic"
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


def header_search(page, text: str) -> None:
    header = page.locator("header")
    header.get_by_role("searchbox", name="Search").fill(text)
    header.get_by_role("button", name="Search").click()
    page.wait_for_load_state()


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_search_from_the_header_and_open_a_result(new_context, viewport):
    page = new_context(viewport=viewport).new_page()
    page.goto("/techmap/")
    assert fits(page), "the header's search box widens the page"
    header_search(page, WORD.lower())
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Search results for “{WORD.lower()}”"
    )
    products = page.get_by_role("region", name="Products")
    expect(products.get_by_role("heading", level=2)).to_have_text("Products")
    expect(page.get_by_role("region", name="Suppliers")).to_be_visible()
    assert fits(page), "the results page is wider than the window"
    products.get_by_role("link", name=PRODUCT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PRODUCT)


def test_a_signed_in_member_searches_and_opens_a_supplier(new_context, demo_password):
    page = new_context(viewport=DESKTOP).new_page()
    sign_in(page, "camden.officer@loti.example", demo_password)
    header_search(page, f'"{WORD}" ')
    suppliers = page.get_by_role("region", name="Suppliers")
    link = suppliers.get_by_role("link").first
    name = link.inner_text()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_nothing_on_the_search_pages(page, viewport):
    page.set_viewport_size(viewport)
    failures = []
    for target in [
        "/search/",
        f"/search/?q={WORD}",
        "/search/?q=a",  # results of several kinds, and "see all" links
        f"/search/?q={WORD}&kind=products",
        "/search/?q=%22%22",  # nothing to search for: the error state
        "/search/?q=zzzqqqxxx",  # no results
    ]:
        page.problems.clear()
        response = page.goto(target)
        assert response is not None and response.status == 200, target
        assert_no_problems(page, page.problems)
        assert fits(page), f"{target} is wider than the window"
        violations = axe_violations(page)
        if violations:
            failures.append(describe(page.url, violations))
    assert not failures, "\n".join(failures)
