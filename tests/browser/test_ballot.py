"""The ballot's running total: with JavaScript, a live region says how many points are given
(or what a basket costs against the budget) while the voter changes the ballot."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_problems, sign_in

pytestmark = pytest.mark.browser

BARNET_LEAD = "barnet.lead@loti.example"


def _ballot(page, demo_password):
    from loti.portfolio.calls.models import Call

    call = Call.objects.get(title=f"Call for ideas {timezone.localdate().year}")
    sign_in(page, BARNET_LEAD, demo_password)
    return call, f"/portfolio/rounds/{call.slug}/ballot/"


def test_the_points_ballot_shows_the_points_given_as_they_change(page, demo_password):
    _, url = _ballot(page, demo_password)
    page.goto(url)
    total = page.locator("[data-ballot-total]")
    expect(total).to_have_attribute("aria-live", "polite")
    expect(total).to_have_text("You have given 0 of 10 points: 10 left to give.")
    points = page.locator("form[data-ballot] input.govuk-input")
    points.nth(0).fill("3")
    expect(total).to_have_text("You have given 3 of 10 points: 7 left to give.")
    points.nth(1).fill("9")
    expect(total).to_have_text("You have given 12 points: 2 more than the 10 you can give.")
    points.nth(1).fill("7")
    expect(total).to_have_text("You have given all 10 points.")
    # Each proposal's page is a link beside its points box, not inside its label.
    first = page.locator("form[data-ballot] .govuk-form-group").nth(0)
    expect(first.locator("label a")).to_have_count(0)
    expect(first.get_by_role("link", name=re.compile("^Read the proposal"))).to_be_visible()
    assert_no_problems(page, page.problems)


def test_the_basket_ballot_shows_its_cost_against_the_budget(page, demo_password):
    from loti.portfolio.calls.models import Call

    call, url = _ballot(page, demo_password)
    Call.objects.filter(pk=call.pk).update(method="basket")
    page.goto(url)
    total = page.locator("[data-ballot-total]")
    expect(total).to_have_text("Your basket costs £0 of the budget of £300,000: £300,000 left.")
    boxes = page.locator("input[data-ballot-cost]")
    costs = [int(boxes.nth(i).get_attribute("data-ballot-cost")) for i in range(boxes.count())]
    boxes.nth(0).check()
    first = costs[0]
    expect(total).to_have_text(
        f"Your basket costs £{first:,} of the budget of £300,000: £{300_000 - first:,} left."
    )
    for index in range(1, len(costs)):
        boxes.nth(index).check()
    spent = sum(costs)
    assert spent > 300_000, "the demo's proposals together cost more than its budget"
    expect(total).to_have_text(
        f"Your basket costs £{spent:,}: £{spent - 300_000:,} more than the budget of £300,000."
    )
    assert_no_problems(page, page.problems)


def test_a_named_borough_confirms_its_support_of_a_proposal(page, demo_password):
    from loti.portfolio.models import Support
    from tests.browser.crawl import axe_violations, describe

    # The demo names Barnet as a supporter of one of this year's proposals, unanswered: the
    # only support awaiting an answer.
    support = Support.objects.select_related("proposal").get(
        organisation__slug="barnet",
        state="awaiting",
        proposal__call__title=f"Call for ideas {timezone.localdate().year}",
    )
    sign_in(page, BARNET_LEAD, demo_password)
    page.goto(support.proposal.get_absolute_url())
    supported_by = page.locator(".govuk-summary-list__row", has_text="Supported by")
    expect(supported_by).not_to_contain_text("Barnet")
    page.get_by_role("link", name="Confirm or decline Barnet's support").click()
    violations = axe_violations(page)
    assert not violations, describe(page.url, violations)
    page.get_by_label("Yes, we support it and would take part").check()
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Barnet is now shown as a supporter"
    )
    expect(supported_by).to_contain_text("Barnet")
    assert_no_problems(page, page.problems)
