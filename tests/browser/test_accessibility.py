"""axe-core (vendored) on the pages a crawl does not reach as they are: forms in their
error state, the not-found page, the home page with what is waiting, and the harness itself.
The crawl of every page each persona reaches is in the `test_crawl_*` modules
(tests/browser/crawl.py).
"""

from __future__ import annotations

import importlib

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_problems, sign_in
from tests.browser.crawl import CRAWL_MODULES, PERSONAS, axe_violations, describe, settle

pytestmark = pytest.mark.browser


def test_personas_are_the_demos_logins():
    from loti.core.demo import logins

    assert {email for email, _ in PERSONAS.values() if email} == {login.email for login in logins()}


def test_every_persona_is_crawled_by_one_module():
    crawled = [persona for personas in CRAWL_MODULES.values() for persona in personas]
    assert sorted(crawled) == sorted(PERSONAS)
    for name in CRAWL_MODULES:
        assert importlib.import_module(name).test_every_page_a_persona_reaches


def test_forms_in_the_error_state(page, demo_password):
    # The sign-in form, submitted empty.
    page.goto("/accounts/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator(".govuk-error-message")).to_have_count(2)
    violations = axe_violations(page)
    assert not violations, describe(page.url, violations)

    # A form with radios, a select, checkboxes and a date, submitted empty.
    sign_in(page, "office@loti.example", demo_password)
    for path, button in [
        ("/people/new/", "Add person"),
        ("/organisations/met-police/memberships/new/", "Add membership"),
    ]:
        page.goto(path)
        if path.endswith("memberships/new/"):
            page.get_by_label("Financial year").select_option(index=0)
            page.get_by_label("Day").fill("31")
            page.get_by_label("Month").fill("2")
        page.get_by_role("button", name=button).click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        assert summary.get_by_role("link").count() >= 2
        violations = axe_violations(page)
        assert not violations, describe(page.url, violations)


def test_not_found_page(page, demo_password):
    for who in (None, "barnet.officer@loti.example"):
        if who:
            sign_in(page, who, demo_password)
        response = page.goto("/no-such-page/")
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        violations = axe_violations(page)
        assert not violations, describe(page.url, violations)


@pytest.mark.parametrize("email", ["barnet.lead@loti.example", "office@loti.example"])
def test_the_home_page_with_what_is_waiting(page, demo_password, email):
    sign_in(page, email, demo_password)
    page.goto("/")
    expect(page.get_by_role("heading", level=2, name="Waiting for you")).to_be_visible()
    assert page.locator(".govuk-summary-card .govuk-task-list__item").count() > 0
    settle(page)
    violations = axe_violations(page)
    assert not violations, describe(page.url, violations)


def test_the_checks_can_fail(page):
    """The harness itself: axe reports a real violation, and a script the CSP blocks is
    caught as a problem."""
    page.goto("/accessibility/")
    assert axe_violations(page) == []
    page.evaluate(
        """() => {
            const img = document.createElement("img");
            img.src = "/static/loti/favicon.svg";
            document.querySelector("main").append(img);
            const script = document.createElement("script");
            script.textContent = "window.__ran = true";
            document.body.append(script);
        }"""
    )
    violations = axe_violations(page)
    assert [v["id"] for v in violations] == ["image-alt"]
    assert violations[0]["targets"] == ["img"]
    assert page.evaluate("window.__ran === undefined"), "the CSP let an inline script run"
    with pytest.raises(AssertionError, match="CSP violations"):
        assert_no_problems(page, page.problems)
