"""The evaluation report as a PDF, drawn with fpdf2 from the report's content (see
loti.evaluation.report.content), so it says what the page says, character for character.

The web page is the report's accessible form; the PDF is a copy to print or send, and its
first page says where the page is. The document's type, fonts, headings and tables are core's
(loti.core.pdf). Each chart of the page is drawn as simple bars, with its title and the table
of the same figures.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from loti.core.charts import Chart
from loti.core.pdf import BLACK, CELL_PADDING, FONT, GREY, Document, site_address
from loti.evaluation.activities.summary import money
from loti.evaluation.report import charts

__all__ = ["CELL_PADDING", "FONT", "ReportPDF", "render", "site_address"]

# The page's chart colours (loti.core.charts): blue, and orange for a second series.
BAR = (0, 114, 178)
SECOND = (213, 94, 0)


class ReportPDF(Document):
    """The report's document (loti.core.pdf), with its charts drawn as bars."""

    def __init__(self, *, title: str, consortium: str) -> None:
        super().__init__(
            title=title,
            author=consortium,
            subject=f"{title}: value for money of {consortium}'s shared work",
        )

    def chart_title(self, chart: Chart) -> None:
        if self.will_page_break(30):
            self.add_page()
        self.paragraph(chart.title, bold=True, size=11)

    def chart_table(self, chart: Chart) -> None:
        self.grid(
            chart.columns,
            chart.rows,
            numeric=[n for n, is_number in enumerate(chart.numeric) if is_number],
        )

    def bars(self, rows: list[tuple[str, float]], *, label) -> None:
        """A horizontal bar per (name, value) from zero, each labelled with its value; bars
        of losses go left of the zero line."""
        if not rows:
            return
        low = min(min(value for _, value in rows), 0.0)
        high = max(max(value for _, value in rows), 0.0)
        if high == low:
            return
        self.set_font(FONT, size=8)
        name_width, value_room = 58, 28
        plot = self.epw - name_width - 2 * value_room
        scale = plot / (high - low)
        zero = self.l_margin + name_width + value_room + (0 - low) * scale
        top = self.get_y()
        for name, value in rows:
            if self.will_page_break(8):
                self.add_page()
                top = self.get_y()
            y = self.get_y()
            self.multi_cell(name_width - 2, 3.5, name, max_line_height=3.5, new_y="TOP")
            end = zero + value * scale
            left, right = min(zero, end), max(zero, end)
            self.set_fill_color(*BAR)
            if right > left:
                self.rect(left, y + 1, right - left, 4, style="F")
            text = label(value)
            width = self.get_string_width(text) + 1
            self.set_xy(right + 1 if value >= 0 else left - width - 1, y)
            self.cell(width, 6, text)
            self.set_xy(self.l_margin, y + 8)
        self.set_draw_color(*GREY)
        self.line(zero, top, zero, self.get_y() - 2)
        self.set_fill_color(255, 255, 255)
        self.ln(3)

    def tornado(self, rows: list[dict], *, base: float) -> None:
        """For each input a bar from the central NPSV to NPSV at the input's low value and
        one to NPSV at its high value, each labelled "Low: £…" or "High: £…", so that the
        text, not only the colour, says which is which."""
        values = [base] + [row["npsv_low"] for row in rows] + [row["npsv_high"] for row in rows]
        low, high = min(values), max(values)
        if high == low:
            return
        self.set_font(FONT, size=8)
        name_width, value_room = 50, 32
        plot = self.epw - name_width - 2 * value_room
        scale = plot / (high - low)

        def x(value: float) -> float:
            return self.l_margin + name_width + value_room + (value - low) * scale

        self.set_text_color(*GREY)
        self.cell(0, 4, f"Central NPSV {money(base)}: the line the bars start from.")
        self.ln(5)
        self.set_text_color(*BLACK)
        top = self.get_y()
        for row in rows:
            if self.will_page_break(13):
                self.add_page()
                top = self.get_y()
            y = self.get_y()
            self.multi_cell(name_width - 2, 3.5, row["label"], max_line_height=3.5, new_y="TOP")
            for offset, (word, value, colour) in enumerate(
                (("Low", row["npsv_low"], BAR), ("High", row["npsv_high"], SECOND))
            ):
                left, right = sorted((x(base), x(value)))
                self.set_fill_color(*colour)
                bar_y = y + 0.5 + offset * 5
                if right - left > 0.1:
                    self.rect(left, bar_y, right - left, 4, style="F")
                text = f"{word}: {money(value)}"
                width = self.get_string_width(text) + 1
                self.set_xy(right + 1 if value >= base else left - width - 1, bar_y - 1)
                self.cell(width, 6, text)
            self.set_xy(self.l_margin, y + 12)
        self.set_draw_color(*GREY)
        self.line(x(base), top, x(base), self.get_y() - 2)
        self.set_fill_color(255, 255, 255)
        self.ln(2)


def render(
    content: dict[str, Any],
    *,
    web_url: str,
    consortium: str | None = None,
    compress: bool = True,
) -> bytes:
    """The report as PDF bytes. `web_url` is the address of the report's web page, its
    accessible form, which the first page names. `compress=False` leaves the page streams
    uncompressed, for a look inside."""
    consortium = consortium or settings.CONSORTIUM_NAME
    drawn = charts.report_charts(content)
    document = ReportPDF(title=content["title"], consortium=consortium)
    document.set_compression(compress)
    document.add_page()
    document.set_font(FONT, size=12)
    document.set_text_color(*GREY)
    document.cell(0, 7, consortium, new_x="LMARGIN", new_y="NEXT")
    document.set_text_color(*BLACK)
    document.heading(content["title"])
    document.paragraph(f"Financial year {content['financial_year']}.")
    document.accessible_version(web_url, noun="report")
    _membership(document, content["membership"], content["financial_year"])
    _survey(document, content["survey"])
    _value_for_money(document, content["activities"], drawn["npsv"])
    _sensitivity(document, content["activities"], drawn["tornadoes"])
    document.heading("Method and caveats", 2)
    for paragraph in content["method"]:
        document.paragraph(paragraph)
    document.heading("Caveats", 3)
    document.bullets(content["caveats"])
    return bytes(document.output())


def _membership(document: ReportPDF, membership: dict, year: str) -> None:
    document.heading("Membership and funding", 2)
    members = membership["members"]
    core = f"{members} core member{'' if members == 1 else 's'}"
    if membership["budget"]:
        percent = membership.get("percent_of_budget")
        share = f" ({percent}% of budget)" if percent is not None else ""
        income = f"income of {membership['total']} against a budget of {membership['budget']}"
        income += share
    else:
        income = f"income of {membership['total']}"
    document.paragraph(f"In {year} the consortium had {core}, and {income}.")
    document.grid(
        ["Tier", "Organisations"],
        [[row["tier"], row["organisations"]] for row in membership["tiers"]],
        numeric=(1,),
        caption="Organisations by membership tier",
    )
    budget = [["Budget", "", "", "", membership["budget"]]] if membership["budget"] else []
    document.grid(
        ["Source", "Organisations", "Paid", "Invoiced, not yet paid", "Total"],
        [
            [row["source"], row["organisations"], row["paid"], row["invoiced"], row["total"]]
            for row in membership["income"]
        ]
        + [["Total", "", "", "", membership["total"]], *budget],
        numeric=(1, 2, 3, 4),
        caption="Income by source",
    )


def _survey(document: ReportPDF, survey: dict | None) -> None:
    document.heading("Survey findings", 2)
    if survey is None:
        document.paragraph("No member survey has closed yet.")
        return
    made_up = " These responses were made up for a demonstration." if survey["synthetic"] else ""
    document.paragraph(
        f"From “{survey['title']}”, which closed on {survey['closed_on']}: "
        f"{survey['respondents']} people responded.{made_up}"
    )
    document.grid(
        ["Statement", "Agree", "95% interval", "Net agreement (points)", "Base (n)"],
        [
            [f["question"], f["agree_share"], f["interval"], f["net_agreement"], f["n"]]
            for f in survey["findings"]
        ],
        numeric=(1, 2, 3, 4),
        caption="Share agreeing with each statement",
    )


def _value_for_money(document: ReportPDF, activities: list[dict], npsv: Chart | None) -> None:
    document.heading("Value for money", 2)
    document.grid(
        ["Activity", "Method", "Headline", "NPSV", "BCR", "P(BCR > 1)"],
        [
            [
                a["title"] + (" (illustrative)" if a["illustrative"] else ""),
                a["method"],
                a["headline"],
                a["text"]["npsv"] if a["appraised"] else "Not appraised",
                a["text"]["bcr"] if a["appraised"] else "",
                a["text"]["p_bcr_above_1"] if a["appraised"] else "",
            ]
            for a in activities
        ],
        numeric=(3, 4, 5),
    )
    if npsv is not None:
        document.chart_title(npsv)
        document.bars([(a["title"], a["npsv"]) for a in activities if a["appraised"]], label=money)
        document.chart_table(npsv)
    for activity in activities:
        document.heading(activity["title"], 3)
        document.paragraph(f"{activity['headline']}. Method: {activity['method'].lower()}.")
        if activity["appraised"]:
            text = activity["text"]
            document.paragraph(
                f"Present value of costs {text['pv_costs']}; of benefits {text['pv_benefits']}. "
                f"NPSV {text['npsv']}; BCR {text['bcr']}; payback {text['payback_year']}."
            )
            document.bullets(activity["assumptions"])
        document.grid(
            ["Input", "Value", "Source", "Confidence"],
            [
                [
                    row["label"] + (" (illustrative)" if row["illustrative"] else ""),
                    row["value"],
                    row["source"],
                    row["confidence"],
                ]
                for row in activity["inputs"]
            ],
        )


def _sensitivity(document: ReportPDF, activities: list[dict], tornadoes: dict) -> None:
    document.heading("Sensitivity", 2)
    document.paragraph(
        "NPSV with each input at its low and then its high value, the others held at their "
        "central values; the widest swings first."
    )
    for activity in activities:
        if not activity["appraised"] or not activity["tornado"]:
            continue
        document.heading(activity["title"], 3)
        chart = tornadoes.get(activity["slug"])
        if chart is not None:
            document.chart_title(chart)
            document.tornado(activity["tornado"], base=activity["npsv"])
            document.chart_table(chart)
        if activity.get("switching"):
            document.grid(
                ["Input", "Central value", "NPSV is zero at", "Change"],
                [
                    [row["label"], row["central"], row["switching"], row["change"]]
                    for row in activity["switching"]
                ],
                numeric=(1, 2, 3),
                caption=f"Switching values for {activity['title']}",
            )
