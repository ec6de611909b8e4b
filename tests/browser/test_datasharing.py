"""The data-sharing registry in a real browser: the last two parties sign an agreement, then
"can we share?" finds it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_problems, sign_in, watch

pytestmark = pytest.mark.browser

BARNET_LEAD = "barnet.lead@loti.example"
ROYAL_FREE_SIGNATORY = "royal-free.signatory@loti.example"
FRAILTY = "Frailty and falls prevention: Barnet, Enfield, Haringey and the Royal Free"


def sign(page, capacity: str) -> None:
    page.goto("/data-sharing/")
    page.get_by_role("link", name=FRAILTY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FRAILTY)
    page.get_by_role("link", name="Sign this agreement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign version 1 for")
    page.get_by_label("In what capacity do you sign?").fill(capacity)
    page.get_by_role("button", name="Sign the agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FRAILTY)
    expect(page.get_by_role("link", name="Sign this agreement")).to_have_count(0)


def test_the_last_parties_sign_and_the_question_finds_the_agreement(
    page, new_context, demo_password
):
    # Barnet's lead signs: the agreement still awaits the Royal Free.
    sign_in(page, BARNET_LEAD, demo_password)
    problems = watch(page)
    sign(page, "Director of Digital and Data")
    expect(page.locator("main [data-status]")).to_have_text("In consultation")
    page.goto("/data-sharing/can-we-share/")
    page.get_by_label("Organisation A").select_option(label="London Borough of Barnet")
    page.get_by_label("Organisation B").select_option(
        label="Royal Free London NHS Foundation Trust"
    )
    page.get_by_label("Category of data").select_option(label="Special category data")
    page.get_by_label("What it would be shared for (optional)").fill("falls at home")
    page.get_by_role("button", name="Check the agreements").click()
    expect(page.get_by_text("No agreement covers this")).to_be_visible()
    assert_no_problems(page, problems)

    # The Royal Free's signatory signs the last signature: the agreement is in force.
    other = new_context().new_page()
    sign_in(other, ROYAL_FREE_SIGNATORY, demo_password)
    other_problems = watch(other)
    sign(other, "Data Protection Officer")
    expect(other.locator("main [data-status]")).to_have_text("Signed (in force)")
    assert_no_problems(other, other_problems)

    # Now the same question finds it, with the clause that applies.
    page.reload()
    expect(page.get_by_text("No agreement covers this")).to_have_count(0)
    found = page.get_by_role("link", name=FRAILTY)
    expect(found.first).to_be_visible()
    expect(page.get_by_text("Falls history and frailty score")).to_be_visible()
    assert re.search(r"/data-sharing/can-we-share/\?", page.url)
    assert_no_problems(page, problems)
