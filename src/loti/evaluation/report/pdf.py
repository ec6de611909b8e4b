"""The evaluation report as a PDF, drawn with fpdf2 from the report's content (see
loti.evaluation.report.content), so it says what the page says, character for character.

The web page is the report's accessible form; the PDF is a copy to print or send, and its
first page says where the page is. Text is set in DejaVu Sans (2.37, from Debian's
fonts-dejavu-core; licence in fonts/LICENSE), shipped in the package: a Unicode font, so
dashes, curly quotes, "≥" and the pound sign print as the page prints them. Each chart of
the page is drawn as simple bars, with its title and the table of the same figures.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from fpdf import FPDF
from fpdf.fonts import FontFace

from loti.core.charts import Chart
from loti.evaluation.activities.summary import money
from loti.evaluation.report import charts

# fontTools reports every step of subsetting the font at INFO: nothing anyone needs to read.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
HEADINGS = FontFace(emphasis="BOLD", fill_color=(243, 242, 241))
BLACK = (11, 12, 12)
GREY = (80, 90, 95)
# The page's chart colours (loti.core.charts): blue, and orange for a second series.
BAR = (0, 114, 178)
SECOND = (213, 94, 0)
CELL_PADDING = 2.2  # fpdf2's default table cell padding, left and right together, in mm


class ReportPDF(FPDF):
    def __init__(self, *, title: str, consortium: str) -> None:
        super().__init__(format="A4")
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.report_title = title
        self.set_title(title)
        self.set_author(consortium)
        self.set_subject(f"{title}: value for money of {consortium}'s shared work")
        self.set_creator("loti")
        self.set_lang("en-GB")
        self.set_display_mode("fullwidth")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)
        self.set_text_color(*BLACK)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.cell(0, 6, f"{self.report_title} – page {self.page_no()}", align="C")

    def heading(self, text: str, level: int = 1) -> None:
        sizes = {1: 20, 2: 15, 3: 12}
        if self.will_page_break(sizes[level] + 20):
            self.add_page()
        self.ln(3 if level > 1 else 0)
        self.set_font(FONT, "B", sizes[level])
        self.multi_cell(0, sizes[level] * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def paragraph(self, text: str, *, bold: bool = False, size: float = 10) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, size / 2, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def bullets(self, items: list[str]) -> None:
        self.set_font(FONT, size=10)
        for item in items:
            self.multi_cell(0, 5, f"• {item}", align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def column_widths(self, header: list[str], rows: list[list[str]]) -> list[float]:
        """Column widths (mm, filling the page) from what the columns hold: every column is
        at least as wide as its longest word, so no heading or figure breaks inside a word,
        and the space left goes to the columns with the most text."""
        columns = list(zip(header, *rows, strict=True))
        self.set_font(FONT, "B", 9)
        words = [max(self.get_string_width(w) for w in (col[0].split() or [""])) for col in columns]
        self.set_font(FONT, size=9)
        for index, column in enumerate(columns):
            longest = max(
                (self.get_string_width(w) for cell in column[1:] for w in cell.split()), default=0
            )
            words[index] = max(words[index], longest) + CELL_PADDING + 0.5
        whole = [
            max(self.get_string_width(cell) for cell in column) + CELL_PADDING for column in columns
        ]
        least = sum(words)
        if least >= self.epw:
            return [self.epw * w / least for w in words]
        spare = self.epw - least
        wanted = [max(w - n, 0.0) for w, n in zip(whole, words, strict=True)]
        if sum(wanted) <= spare:
            # Everything fits on one line: share the spare room out in proportion.
            return [w * self.epw / sum(whole) if sum(whole) else w for w in whole]
        return [n + spare * w / sum(wanted) for n, w in zip(words, wanted, strict=True)]

    def grid(
        self, header: list[str], rows: list[list[Any]], *, numeric=(), caption: str = ""
    ) -> None:
        if not rows:
            return
        cells = [["" if value is None else str(value) for value in row] for row in rows]
        if caption:
            self.paragraph(caption, bold=True, size=10)
        widths = self.column_widths(header, cells)
        self.set_font(FONT, size=9)
        align = ["RIGHT" if n in numeric else "LEFT" for n in range(len(header))]
        with self.table(
            col_widths=widths,
            width=self.epw,
            headings_style=HEADINGS,
            text_align=align,
            line_height=5,
            first_row_as_headings=True,
        ) as table:
            for values in [header, *cells]:
                row = table.row()
                for value in values:
                    row.cell(value)
        self.ln(3)

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


def site_address(path: str) -> str:
    """The full address of `path` on this installation, where no request says it (the
    `loti evaluate` command): the first of its host names."""
    host = next((h for h in settings.ALLOWED_HOSTS if h and not h.startswith(("*", "."))), "")
    scheme = "https" if settings.HTTPS else "http"
    return f"{scheme}://{host or 'localhost'}{path}"


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
    document.set_font(FONT, size=10)
    document.write(5, "The accessible version of this report is the web page at ")
    if document.get_string_width(web_url) > document.w - document.r_margin - document.get_x():
        document.ln(5)
    document.set_text_color(29, 112, 184)
    document.write(5, web_url, link=web_url)
    document.set_text_color(*BLACK)
    document.write(5, ". This PDF is a copy of it to print or send.")
    document.ln(8)
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
