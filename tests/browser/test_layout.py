"""Layout in a real browser: pages fit the window at desktop and phone widths."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

OFFICE = "office@loti.example"
BARNET_LEAD = "barnet.lead@loti.example"
PARTNER = "met.partner@loti.example"


# The outermost elements that stick out of the window, to name the culprit of a failure.
WIDE = """() => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
  .map(e => `${e.tagName.toLowerCase()}.${e.className}`)"""


def wide(page) -> list[str]:
    return page.evaluate(WIDE)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_technology_map_scrolls_sideways_only_inside_its_matrix(new_context, width):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto("/techmap/")
    page.wait_for_load_state()
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert fits, f"The page is {widths[0]}px wide in a {widths[1]}px window: {wide(page)}"
    region = page.get_by_role("region", name="Products in use by organisation and service")
    assert region.count() == 1
    assert region.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    assert region.get_attribute("tabindex") == "0"
    # The matrix is wider than a phone: it scrolls in its own box.
    if width == 375:
        assert region.evaluate("e => e.scrollWidth > e.clientWidth")


@pytest.mark.parametrize("email", [OFFICE, BARNET_LEAD, PARTNER, None])
def test_the_navigation_fits_on_one_line_at_1280_pixels(new_context, demo_password, email):
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    if email:
        sign_in(page, email, demo_password)
    page.goto("/")
    # The sections and the account's links ("Sign in", or the name and "Sign out") alike.
    items = page.locator("#navigation > li, .loti-account > *")
    tops = items.evaluate_all("items => items.map(i => i.getBoundingClientRect().top)")
    assert len(tops) > 2
    # One line of the navigation is about 50 pixels tall: items on one line start within a
    # few pixels of each other (a link and a button do not align to the pixel).
    assert max(tops) - min(tops) < 20, f"The navigation wraps onto more than one line: {tops}"
