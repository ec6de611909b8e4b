"""The evaluation report as a PDF, drawn with fpdf2 from the report's content (see
loti.evaluation.report.content), so it says what the page says.

It uses fpdf2's built-in Helvetica, which covers Latin-1 (the pound sign included); the few
typographic characters beyond it are written in their plain equivalents.
"""

from __future__ import annotations

from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from loti.evaluation.activities.summary import money

PLAIN = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "−": "-",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "≥": ">=",
        "≤": "<=",
        "×": "x",
    }
)
HEADINGS = FontFace(emphasis="BOLD", fill_color=(243, 242, 241))
BLACK = (11, 12, 12)
BAR = (0, 114, 178)


def plain(text: Any) -> str:
    """Text Helvetica can draw: typographic characters made plain, anything else beyond
    Latin-1 replaced by a question mark."""
    return str(text).translate(PLAIN).encode("latin-1", "replace").decode("latin-1")


class ReportPDF(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.report_title = plain(title)
        self.set_title(self.report_title)
        self.set_author("London Office of Technology and Innovation")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, f"{self.report_title} - page {self.page_no()}", align="C")

    def heading(self, text: str, level: int = 1) -> None:
        sizes = {1: 20, 2: 15, 3: 12}
        self.ln(3 if level > 1 else 0)
        self.set_font("Helvetica", "B", sizes[level])
        self.multi_cell(0, sizes[level] * 0.5, plain(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def paragraph(self, text: str, *, bold: bool = False) -> None:
        self.set_font("Helvetica", "B" if bold else "", 10)
        self.multi_cell(0, 5, plain(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def bullets(self, items: list[str]) -> None:
        self.set_font("Helvetica", size=10)
        for item in items:
            self.multi_cell(0, 5, plain(f"- {item}"), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def grid(self, header: list[str], rows: list[list[Any]], *, widths=None, numeric=()) -> None:
        if not rows:
            return
        self.set_font("Helvetica", size=9)
        align = ["RIGHT" if n in numeric else "LEFT" for n in range(len(header))]
        with self.table(
            col_widths=widths,
            headings_style=HEADINGS,
            text_align=align,
            line_height=5,
            first_row_as_headings=True,
        ) as table:
            for values in [header, *rows]:
                row = table.row()
                for value in values:
                    row.cell(plain("" if value is None else value))
        self.ln(3)

    def bars(self, rows: list[tuple[str, float]], *, label) -> None:
        """A horizontal bar per (name, value), each labelled with its value: a simple
        picture beside the table that holds the same figures."""
        positive = [max(value, 0.0) for _, value in rows]
        top = max(positive, default=0.0)
        if top <= 0:
            return
        self.set_font("Helvetica", size=9)
        name_width, bar_width = 60, self.epw - 60 - 30
        for name, value in rows:
            if self.will_page_break(8):
                self.add_page()
            y = self.get_y()
            self.cell(name_width, 6, plain(name)[:40])
            width = bar_width * max(value, 0.0) / top
            self.set_fill_color(*BAR)
            if width > 0:
                self.rect(self.l_margin + name_width, y + 1, width, 4, style="F")
            self.set_xy(self.l_margin + name_width + width + 2, y)
            self.cell(30, 6, plain(label(value)), new_x="LMARGIN", new_y="NEXT")
        self.set_fill_color(255, 255, 255)
        self.ln(3)


def render(content: dict[str, Any], *, compress: bool = True) -> bytes:
    """The report as PDF bytes. `compress=False` leaves the page streams readable, so a
    test can find the text in them."""
    document = ReportPDF(content["title"])
    document.set_compression(compress)
    document.add_page()
    document.heading(content["title"])
    document.paragraph(f"Financial year {content['financial_year']}.")
    _membership(document, content["membership"], content["financial_year"])
    _survey(document, content["survey"])
    _value_formoney(document, content["activities"])
    _sensitivity(document, content["activities"])
    document.heading("Method and caveats", 2)
    for paragraph in content["method"]:
        document.paragraph(paragraph)
    document.heading("Caveats", 3)
    document.bullets(content["caveats"])
    return bytes(document.output())


def _membership(document: ReportPDF, membership: dict, year: str) -> None:
    document.heading("Membership and funding", 2)
    budget = f" against a budget of {membership['budget']}" if membership["budget"] else ""
    document.paragraph(
        f"In {year} the consortium had {membership['members']} core members, and income of "
        f"{membership['total']}{budget}."
    )
    document.grid(
        ["Tier", "Organisations"],
        [[row["tier"], row["organisations"]] for row in membership["tiers"]],
        numeric=(1,),
    )
    document.grid(
        ["Source", "Organisations", "Paid", "Invoiced", "Total"],
        [
            [row["source"], row["organisations"], row["paid"], row["invoiced"], row["total"]]
            for row in membership["income"]
        ]
        + [["Total", "", "", "", membership["total"]]],
        widths=(60, 25, 30, 30, 30),
        numeric=(1, 2, 3, 4),
    )


def _survey(document: ReportPDF, survey: dict | None) -> None:
    document.heading("Survey findings", 2)
    if survey is None:
        document.paragraph("No member survey has closed yet.")
        return
    made_up = " These responses were made up for a demonstration." if survey["synthetic"] else ""
    document.paragraph(
        f'From "{survey["title"]}", which closed on {survey["closed_on"]}: '
        f"{survey['respondents']} people responded.{made_up}"
    )
    document.grid(
        ["Statement", "Agree", "95% interval", "Net agreement", "n"],
        [
            [f["question"], f["agree_share"], f["interval"], f["net_agreement"], f["n"]]
            for f in survey["findings"]
        ],
        widths=(75, 20, 30, 25, 15),
        numeric=(1, 2, 3, 4),
    )


def _value_formoney(document: ReportPDF, activities: list[dict]) -> None:
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
        widths=(32, 28, 55, 20, 12, 27),
        numeric=(3, 4, 5),
    )
    appraised = [a for a in activities if a["appraised"]]
    document.bars([(a["title"], a["npsv"]) for a in appraised], label=money)
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
            widths=(35, 45, 75, 19),
        )


def _sensitivity(document: ReportPDF, activities: list[dict]) -> None:
    document.heading("Sensitivity", 2)
    document.paragraph(
        "NPSV with each input at its low and then its high value, the others held at their "
        "central values; the widest swings first."
    )
    for activity in activities:
        if not activity["appraised"] or not activity["tornado"]:
            continue
        document.heading(activity["title"], 3)
        document.grid(
            ["Input", "Low value", "NPSV at low", "High value", "NPSV at high"],
            [
                [
                    row["label"],
                    row["low_value_text"],
                    money(row["npsv_low"]),
                    row["high_value_text"],
                    money(row["npsv_high"]),
                ]
                for row in activity["tornado"]
            ],
            widths=(50, 30, 32, 30, 32),
            numeric=(1, 2, 3, 4),
        )
