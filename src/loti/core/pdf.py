"""PDF documents drawn with fpdf2, for the apps that print a page (the evaluation report, a
data-sharing agreement): A4, headings, paragraphs, bullets, tables and a footer naming the
document on every page.

A document's web page is its accessible form; the PDF is a copy to print or send, and its
first page says where the page is (`accessible_version`). Text is set in DejaVu Sans (2.37,
from Debian's fonts-dejavu-core; licence in fonts/LICENSE), shipped in the package: a Unicode
font, so dashes, curly quotes, "≥" and the pound sign print as the page prints them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from fpdf import FPDF
from fpdf.fonts import FontFace

# fontTools reports every step of subsetting the font at INFO: nothing anyone needs to read.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
HEADINGS = FontFace(emphasis="BOLD", fill_color=(243, 242, 241))
BLACK = (11, 12, 12)
GREY = (80, 90, 95)
LINK = (29, 112, 184)
CELL_PADDING = 2.2  # fpdf2's default table cell padding, left and right together, in mm


class Document(FPDF):
    """An A4 document in DejaVu Sans whose footer names it and numbers its pages."""

    def __init__(self, *, title: str, author: str, subject: str = "") -> None:
        super().__init__(format="A4")
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.document_title = title
        self.set_title(title)
        self.set_author(author)
        if subject:
            self.set_subject(subject)
        self.set_creator("loti")
        self.set_lang("en-GB")
        self.set_display_mode("fullwidth")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)
        self.set_text_color(*BLACK)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.cell(0, 6, f"{self.document_title} – page {self.page_no()}", align="C")

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

    def caption(self, text: str) -> None:
        """A line in grey above what it introduces: a consortium's name, a status."""
        self.set_font(FONT, size=12)
        self.set_text_color(*GREY)
        self.multi_cell(0, 7, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*BLACK)

    def bullets(self, items: list[str]) -> None:
        self.set_font(FONT, size=10)
        for item in items:
            self.multi_cell(0, 5, f"• {item}", align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def accessible_version(self, web_url: str, *, noun: str) -> None:
        """The sentence saying the web page at `web_url` is the accessible version of this
        `noun` ("report", "agreement"), with the address as a link."""
        self.set_font(FONT, size=10)
        self.write(5, f"The accessible version of this {noun} is the web page at ")
        if self.get_string_width(web_url) > self.w - self.r_margin - self.get_x():
            self.ln(5)
        self.set_text_color(*LINK)
        self.write(5, web_url, link=web_url)
        self.set_text_color(*BLACK)
        self.write(5, ". This PDF is a copy of it to print or send.")
        self.ln(8)

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


def site_address(path: str) -> str:
    """The full address of `path` on this installation, where no request says it (a
    command): the first of its host names."""
    host = next((h for h in settings.ALLOWED_HOSTS if h and not h.startswith(("*", "."))), "")
    scheme = "https" if settings.HTTPS else "http"
    return f"{scheme}://{host or 'localhost'}{path}"
