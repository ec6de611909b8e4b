"""Journeys through the demo consortium in a real browser."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from loti.members.financial_year import FinancialYear
from tests.browser.conftest import SIGN_IN_PATH, assert_no_problems, sign_in, watch

pytestmark = pytest.mark.browser

OFFICE = "office@loti.example"
BARNET_LEAD = "barnet.lead@loti.example"
BARNET_OFFICER = "barnet.officer@loti.example"
CAMDEN_OFFICER = "camden.officer@loti.example"
# The demo's current year: 27 core members at £30,000 and two funders at £100,000.
CURRENT_YEAR_INCOME = "£1,010,000"


def test_sign_in_through_the_form(page, demo_password):
    page.goto("/")
    page.get_by_role("link", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(SIGN_IN_PATH) + "$"))

    # The wrong password: the error summary, and still signed out.
    page.get_by_label("Email address").fill(OFFICE)
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(
        summary.get_by_role("link", name="Enter a correct email address and password")
    ).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: Sign in"))
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    # GOV.UK Frontend moves focus to the summary so a screen reader announces it.
    expect(summary).to_be_focused()

    # The right one: signed in, on the home page, named in the header.
    page.get_by_label("Email address").fill(OFFICE)
    page.get_by_label("Password", exact=True).fill(demo_password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("main")).to_contain_text("You are signed in as")
    expect(page.locator("main")).to_contain_text("office staff")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    assert_no_problems(page, page.problems)


def test_office_adds_a_membership_for_a_past_year(page, demo_password):
    sign_in(page, OFFICE, demo_password)
    # The demo has three years of memberships; the year before them has none.
    past = FinancialYear.containing(timezone.localdate()).previous().previous().previous()

    page.goto("/organisations/met-police/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Metropolitan Police Service")
    expect(page.locator("main")).not_to_contain_text(past.label)
    page.get_by_role("link", name="Add a membership").click()
    expect(page.get_by_role("heading", level=1, name="Add a membership")).to_be_visible()

    # A core member must have signed the Declaration; the Met never has.
    page.get_by_label("Financial year").select_option(label=past.label)
    page.get_by_label("Core member").check()
    # No fee schedule for that year, so the fee is entered.
    page.get_by_label("Fee due (optional)").fill("30000")
    page.get_by_role("button", name="Add membership").click()

    expect(page).to_have_title(re.compile("^Error: Add a membership"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    message = "A core member must have signed the Local Digital Declaration"
    link = summary.get_by_role("link", name=re.compile(message))
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", "#id_declaration_signed_on_0")
    inline = page.locator("#id_declaration_signed_on-error")
    expect(inline).to_be_visible()
    expect(inline).to_contain_text(message)
    expect(page.locator(".govuk-form-group--error")).to_have_count(1)
    group = page.get_by_role("group", name=re.compile("When did the organisation sign"))
    expect(group).to_have_attribute(
        "aria-describedby", re.compile(r"\bid_declaration_signed_on-error\b")
    )
    # What was entered is kept.
    expect(page.get_by_label("Core member")).to_be_checked()
    expect(page.get_by_label("Fee due (optional)")).to_have_value("30000")

    # The summary's link takes the user to the day box.
    link.click()
    expect(page.locator("#id_declaration_signed_on_0")).to_be_focused()

    group.get_by_label("Day").fill("14")
    group.get_by_label("Month").fill("6")
    group.get_by_label("Year").fill(str(past.start_year))
    page.get_by_role("button", name="Add membership").click()

    expect(page).to_have_url(re.compile(r"/memberships/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Membership {past.label}")
    expect(page.get_by_role("alert")).to_contain_text(
        f"Met Police is a core member in {past.label}."
    )
    summary_list = page.locator(".govuk-summary-list")
    expect(summary_list).to_contain_text("Core member")
    expect(summary_list).to_contain_text(re.compile(r"£30,000(?![.\d])"))
    expect(summary_list).to_contain_text(f"Signed 14 June {past.start_year}")
    assert_no_problems(page, page.problems)


@pytest.mark.parametrize("email", [OFFICE, BARNET_LEAD])
def test_finance_page_with_its_chart(page, demo_password, email):
    sign_in(page, email, demo_password)
    page.problems.clear()
    current = FinancialYear.containing(timezone.localdate())

    page.goto("/finance/")
    expect(page).to_have_url(re.compile(rf"/finance/{current.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Income and budget, {current.label}")
    expect(page.locator("[data-total-income]")).to_have_text(CURRENT_YEAR_INCOME)
    table = page.get_by_role("table", name=f"Income by source, {current.label}")
    expect(table).to_be_visible()
    expect(table.get_by_role("row").last).to_contain_text(CURRENT_YEAR_INCOME)

    chart = page.locator(".loti-chart")
    expect(chart).to_have_count(1)
    expect(chart).to_have_class(re.compile(r"\bloti-chart--rendered\b"))
    svg = chart.locator("svg")
    expect(svg).to_have_count(1)
    expect(svg).to_be_visible()
    expect(svg).to_have_attribute(
        "aria-label", re.compile(rf"^Income for {re.escape(current.label)} by source")
    )
    # Bars were drawn, not just an empty frame.
    assert svg.locator("path").count() > 0
    assert_no_problems(page, page.problems)


def test_finance_page_without_javascript(new_context, demo_password):
    page = new_context(java_script_enabled=False).new_page()
    problems = watch(page)
    sign_in(page, OFFICE, demo_password)
    current = FinancialYear.containing(timezone.localdate())

    page.goto("/finance/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Income and budget, {current.label}")
    expect(page.locator("[data-total-income]")).to_have_text(CURRENT_YEAR_INCOME)
    table = page.get_by_role("table", name=f"Income by source, {current.label}")
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name=re.compile("^Core member fees 27 "))).to_contain_text(
        "£810,000"
    )
    expect(table.get_by_role("row", name=re.compile("^Funder contributions 2 "))).to_contain_text(
        "£200,000"
    )
    expect(table.get_by_role("row").last).to_contain_text(CURRENT_YEAR_INCOME)
    # No script ran, so nothing was drawn.
    expect(page.locator(".loti-chart svg")).to_have_count(0)
    assert not problems.page_errors


def test_a_member_lead_casts_their_organisations_ballot(page, demo_password):
    sign_in(page, BARNET_LEAD, demo_password)
    page.goto("/")
    # Calls for ideas are in the navigation's "Shared work", with projects and the library.
    page.get_by_role("link", name="Shared work", exact=True).click()
    page.get_by_role("link", name="Calls for ideas", exact=True).first.click()
    # The demo's call for this year is open for voting, and Barnet has not voted yet.
    page.get_by_role("link", name=f"Call for ideas {timezone.localdate().year}").click()
    page.get_by_role("link", name="Vote for your organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisation's ballot")

    points = page.locator("form[data-ballot] input.govuk-input")
    points.nth(0).fill("3")
    page.get_by_role("button", name="Send ballot").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Spread all 10 points: you have given 3")
    expect(page).to_have_title(re.compile("^Error: "))

    points.nth(0).fill("6")
    points.nth(1).fill("4")
    page.get_by_role("button", name="Send ballot").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Barnet's ballot has been recorded"
    )
    page.get_by_role("link", name="Change your organisation's ballot").click()
    # The ballot comes back as it was cast, to change until voting closes.
    expect(points.nth(0)).to_have_value("6")
    expect(points.nth(1)).to_have_value("4")
    assert_no_problems(page, page.problems)


def test_a_respondent_answers_the_survey_through_their_personal_link(page, demo_password):
    from loti.evaluation.models import Answer, Respondent

    respondent = Respondent.objects.get(
        survey__closes_on__gte=timezone.localdate(), person__email=BARNET_OFFICER
    )
    link = respondent.response_url()

    # Someone else signed in cannot use the link.
    sign_in(page, CAMDEN_OFFICER, demo_password)
    assert page.goto(link).status == 404
    page.problems.clear()  # the 404 was the point
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, BARNET_OFFICER, demo_password)
    page.goto(link)
    page.get_by_role("button", name="Send answers").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    assert not Answer.objects.filter(respondent=respondent).exists()

    form = page.locator("main form")
    for fieldset in form.locator("fieldset").all():
        fieldset.locator("input").first.check()
    for box in form.locator("textarea").all():
        box.fill("More shared procurement, please.")
    page.get_by_role("button", name="Send answers").click()
    expect(page.get_by_role("link", name="change your answers")).to_be_visible()
    respondent.refresh_from_db()
    assert respondent.submitted_at is not None
    assert Answer.objects.filter(respondent=respondent).exists()
    assert_no_problems(page, page.problems)
