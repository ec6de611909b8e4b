"""An agreement's version as a PDF (core's document, loti.core.pdf), drawn from the same
sections as its readable page (`content.document`), so both say the same thing."""

from __future__ import annotations

from django.conf import settings

from loti.core.pdf import Document as PDF
from loti.datasharing.documents.content import WITHHELD, Document


def render(document: Document, *, web_url: str, compress: bool = True) -> bytes:
    """The version as PDF bytes; its first page names `web_url`, the readable page."""
    content = document.content
    drawn = PDF(
        title=document.title,
        author=settings.CONSORTIUM_NAME,
        subject=f"{document.title}: a data-sharing agreement",
    )
    drawn.set_compression(compress)
    drawn.add_page()
    drawn.caption(f"{settings.CONSORTIUM_NAME}: data-sharing agreement")
    drawn.heading(document.title)
    drawn.paragraph(f"{document.standing}. Status: {content['status_label']}.")
    if content["synthetic"]:
        drawn.paragraph("This agreement was made up to show how the registry works.")
    if document.version["change_summary"]:
        drawn.paragraph(f"What changed: {document.version['change_summary']}")
    drawn.accessible_version(web_url, noun="agreement")
    if not content["details"]:
        drawn.paragraph(WITHHELD)
    for number, section in enumerate(document.sections, start=1):
        drawn.heading(f"{number}. {section.heading}", 2)
        for label, text in section.rows:
            drawn.paragraph(label, bold=True)
            drawn.paragraph(text)
        for table in section.tables:
            drawn.grid(table.header, table.rows, caption=table.caption)
        if not section.rows and not section.tables and section.empty:
            drawn.paragraph(section.empty)
    return bytes(drawn.output())
