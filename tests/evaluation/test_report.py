"""The evaluation report: its content, the draft page, publication (a snapshot that later
edits leave alone) and the PDF."""

import html
import io
import random
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from loti.evaluation import demo
from loti.evaluation.activities import services, summary
from loti.evaluation.models import ActivityInput, ReportPublication
from loti.evaluation.report import charts, pdf
from loti.evaluation.report import content as report
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
    assert any("Breaks even if it avoids 1 attack costing £242k" in h for h in headlines)
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
    # 560 agreements avoided at £3,000: £1,680,000.
    assert "Saved a potential £1.68m" in draft


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


WEB_PAGE = "https://loti.example/evaluation/reports/1/"


def _pdf_text(document: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(document))
    # Lines joined with spaces: a table cell or a paragraph may wrap anywhere between words.
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), reader


@pytest.fixture
def report_pdf(db, full_demo, staff):
    content = report.build(user=staff, year=2026, today=TODAY)
    text, reader = _pdf_text(pdf.render(content, web_url=WEB_PAGE, consortium="Test Consortium"))
    return content, text, reader


def test_the_pdf_holds_the_reports_title_and_figures(report_pdf):
    _, text, _ = report_pdf
    for words in ("Evaluation report 2026/27", "Value for money", "Sensitivity", "£1,010,000"):
        assert words in text, words
    assert "Test Consortium" in text


def test_the_pdf_prints_figures_and_punctuation_as_the_page_prints_them(
    db, client, staff, report_pdf
):
    content, text, _ = report_pdf
    client.force_login(staff)
    page = client.get(reverse("evaluation:report_draft") + "?year=2026-27").content.decode()
    shown = [
        sentence
        for activity in content["activities"]
        for sentence in [activity["headline"], *activity.get("assumptions", [])]
    ]
    # A decimal point, the pound sign and an en dash, each in the page and in the PDF alike.
    decimal = next(s for s in shown if re.search(r"\d\.\d", s))
    pounds = next(s for s in shown if "£" in s)
    assert "–" in text  # the footer's dash, not a hyphen
    for sentence in (decimal, pounds):
        assert sentence in html.unescape(page), sentence
        assert " ".join(sentence.split()) in text, sentence
    quoted = f"From “{content['survey']['title']}”"
    assert quoted in html.unescape(page) and quoted in text


def test_the_pdf_says_the_web_page_is_the_accessible_version(report_pdf):
    _, _, reader = report_pdf
    first = " ".join(reader.pages[0].extract_text().split())
    assert f"The accessible version of this report is the web page at {WEB_PAGE}" in first
    links = [
        annotation.get_object()["/A"]["/URI"]
        for annotation in reader.pages[0].get("/Annots", [])
        if annotation.get_object().get("/A")
    ]
    assert WEB_PAGE in links


def test_the_pdf_says_its_title_author_and_language(report_pdf):
    content, _, reader = report_pdf
    assert reader.metadata.title == content["title"]
    assert reader.metadata.author == "Test Consortium"
    assert content["title"] in reader.metadata.subject
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_the_pdf_draws_every_chart_the_page_has_with_its_title_and_table(report_pdf):
    content, text, _ = report_pdf
    drawn = charts.report_charts(content)
    every = [drawn["npsv"], *drawn["tornadoes"].values()]
    assert len(every) == 1 + len(content["activities"])
    for chart in every:
        assert chart.title in text, chart.title
        # The chart's table: its headings and its first row's figures.
        assert " ".join(chart.columns) in text, chart.columns
        for cell in chart.rows[0][1:]:
            assert cell in text, cell
    # Each tornado bar is labelled with its end and its figure, as on the page.
    first = content["activities"][0]["tornado"][0]
    assert f"Low: {summary.money(first['npsv_low'])}" in text


def test_the_pdf_never_breaks_a_heading_inside_a_word(db, staff):
    document = pdf.ReportPDF(title="A report", consortium="Test Consortium")
    document.add_page()
    header = ["Input", "Central value", "NPSV is zero at", "Net agreement (points)", "Base (n)"]
    rows = [["A long label for an input of the appraisal", "£1,400,000", "none", "+45", "27"]]
    widths = document.column_widths(header, rows)
    assert sum(widths) == pytest.approx(document.epw)
    document.set_font(pdf.FONT, "B", 9)
    for heading, width in zip(header, widths, strict=True):
        for word in heading.split():
            assert document.get_string_width(word) + pdf.CELL_PADDING <= width, word
    # A column of long text gets the most room.
    assert widths[0] == max(widths)


def test_the_pdf_names_the_draft_page_as_its_accessible_version(db, client, staff, full_demo):
    client.force_login(staff)
    response = client.get(reverse("evaluation:report_pdf") + "?year=2026-27")
    text, _ = _pdf_text(response.content)
    assert "web page at http://testserver/evaluation/report/?year=2026-27" in text


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
        (242_000, "£242k"),
        (1_234, "£1,230"),
        (950, "£950"),
        (-2_500, "-£2,500"),
    ],
)
def test_headline_amounts_keep_three_significant_figures(amount, shown):
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
