"""The evaluation report: its content, the draft page, publication (a snapshot that later
edits leave alone) and the PDF."""

import random
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from loti.evaluation import demo
from loti.evaluation.activities import services, summary
from loti.evaluation.models import ActivityInput, ReportPublication
from loti.evaluation.report import content as report
from loti.evaluation.report import pdf
from loti.evaluation.report import services as report_services
from loti.members import demo as members_demo
from tests import clock

TODAY = clock.TODAY


frozen_today = clock.frozen_fixture(scope="module", autouse=False)


@pytest.fixture(scope="module")
def full_demo(module_transaction, frozen_today):
    """The members' and the evaluation's demos, built once for this module (a test's own
    changes to them are undone after it)."""
    members_demo.build(rng=random.Random("1:members"), today=TODAY)
    demo.build(rng=random.Random("1:evaluation"), today=TODAY)


def test_the_report_brings_membership_survey_and_value_for_money_together(db, full_demo, staff):
    content = report.build(user=staff, year=2026, today=TODAY)
    assert content["title"] == "Evaluation report 2026/27"
    # The members demo: 27 core members at £30,000 and two funders at £100,000.
    assert content["membership"]["members"] == 27
    assert content["membership"]["total"] == "£1,010,000"
    survey = content["survey"]
    assert survey["title"] == "Member value survey 2025"
    assert survey["findings"] and all(f["n"] <= survey["respondents"] for f in survey["findings"])
    headlines = [a["headline"] for a in content["activities"]]
    assert any(h.startswith("Saved a potential £1.4m") for h in headlines)
    assert any("Breaks even if it avoids 1 attack costing £240k" in h for h in headlines)
    assert content["caveats"][0].startswith("Some inputs are illustrative assumptions")
    assert all(a["tornado"] for a in content["activities"])


def test_the_report_leaves_out_what_the_reader_may_not_see(db, full_demo, officer_a):
    # The report is built for the office; anyone else's view of it has no activities or
    # income, so nothing confidential can leak through it.
    content = report.build(user=officer_a, year=2026, today=TODAY)
    assert content["activities"] == []
    assert content["membership"]["income"] == []


def test_the_draft_report_page_shows_every_section(db, client, staff, full_demo):
    client.force_login(staff)
    page = client.get(reverse("evaluation:report_draft") + "?year=2026-27").content.decode()
    for heading in (
        "Membership and funding",
        "Survey findings",
        "Value for money",
        "Sensitivity",
        "Method and caveats",
    ):
        assert f'<h2 class="govuk-heading-l">{heading}</h2>' in page
    assert "£1,010,000" in page
    assert "Saved a potential £1.4m" in page
    assert "Publish this report" in page


def test_a_published_report_keeps_its_figures_when_inputs_change_later(
    db, client, staff, full_demo
):
    client.force_login(staff)
    response = client.post(
        reverse("evaluation:report_publish") + "?year=2026-27", {"title": "Our value 2026/27"}
    )
    publication = ReportPublication.objects.get(financial_year=2026)
    assert response.url == publication.get_absolute_url()
    assert publication.published_by == staff and publication.financial_year == 2026
    fee = ActivityInput.objects.get(name="cost_per_agreement")
    services.activity_inputs_set(
        actor=staff,
        activity=fee.activity,
        inputs={
            item.name: {
                "value": Decimal(3_000) if item.name == "cost_per_agreement" else item.value,
                "confidence": item.confidence,
            }
            for item in fee.activity.inputs.all()
        },
    )
    client.logout()
    published = client.get(publication.get_absolute_url()).content.decode()
    assert "Saved a potential £1.4m" in published
    client.force_login(staff)
    draft = client.get(reverse("evaluation:report_draft") + "?year=2026-27").content.decode()
    # 560 agreements avoided at £3,000.
    assert "Saved a potential £1.7m" in draft


def test_anyone_can_read_a_published_report_and_its_pdf(db, client, staff, full_demo):
    publication = report_services.report_publish(
        actor=staff,
        title="Evaluation report 2026/27",
        financial_year=2026,
        content=report.build(user=staff, year=2026, today=TODAY),
    )
    assert (
        "Published on 22 November 2026"
        in client.get(publication.get_absolute_url()).content.decode()
    )
    response = client.get(reverse("evaluation:published_report_pdf", args=[publication.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        "Evaluation report 2026/27"
        in client.get(reverse("evaluation:report_list")).content.decode()
    )


def test_the_pdf_holds_the_reports_title_and_figures(db, full_demo, staff):
    content = report.build(user=staff, year=2026, today=TODAY)
    document = pdf.render(content, compress=False)
    assert document.startswith(b"%PDF-")
    # Helvetica writes Latin-1 text into the page streams, which are left uncompressed here.
    for text in ("Evaluation report 2026/27", "Value for money", "Sensitivity", "£1,400,000"):
        assert text.encode("latin-1") in document, text
    assert pdf.render(content).startswith(b"%PDF-")


def test_the_pdf_writes_typographic_characters_helvetica_lacks_plainly():
    assert pdf.plain("15–20% ≥ “£242k” − 1") == '15-20% >= "£242k" - 1'
    assert pdf.plain("名") == "?"


def test_the_draft_pdf_is_the_office_draft_for_the_year_asked(db, client, staff, full_demo):
    client.force_login(staff)
    response = client.get(reverse("evaluation:report_pdf") + "?year=2026-27")
    assert response.content.startswith(b"%PDF")
    assert "evaluation-report-2026-27-draft.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (1_400_000, "£1.4m"),
        (2_000_000, "£2m"),
        (300_000, "£300k"),
        (242_000, "£240k"),
        (950, "£950"),
        (-2_500, "-£2,500"),
    ],
)
def test_headline_amounts_are_rounded_as_every_estimate_is(amount, shown):
    assert summary.short_money(amount) == shown


@given(st.floats(min_value=-1e10, max_value=1e10, allow_nan=False))
def test_a_headline_amount_is_never_further_from_the_figure_than_its_rounding(amount):
    shown = summary.short_money(amount)
    number = shown.replace("£", "").replace(",", "")
    scale = {"m": 1_000_000, "k": 1_000}.get(number[-1], 1)
    value = float(number.rstrip("mk")) * scale
    # Two significant figures: £1.4m is within £50,000 of the figure, £950 within £5; the
    # figure is first rounded to the pound.
    assert abs(value - amount) <= 0.05 * abs(amount) + 0.5 + 1e-9 * abs(amount)
