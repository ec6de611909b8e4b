"""Reading the text of a library file (loti.library.extract), on files made here. No
database."""

import io

import pytest

from loti.library import archives, extract
from tests.library import documents

MADE = {
    "pdf": documents.pdf,
    "docx": documents.docx,
    "xlsx": documents.xlsx,
    "odt": documents.odt,
    "csv": documents.csv,
    "md": documents.markdown,
    "txt": documents.text,
}


def text_of(content: bytes, extension: str) -> str:
    return extract.text_of(io.BytesIO(content), extension)


def unreadable(content: bytes, extension: str) -> str:
    with pytest.raises(extract.Unreadable) as caught:
        text_of(content, extension)
    return caught.value.note


@pytest.mark.parametrize("extension", sorted(MADE))
def test_each_format_gives_its_sentence(extension):
    assert documents.SENTENCE in text_of(MADE[extension](), extension)


def test_a_docx_gives_its_headings_and_tables_in_order():
    found = text_of(documents.docx(in_table="Nine boroughs already use it"), "docx")
    assert found.splitlines() == [
        "Assistive technology",
        documents.SENTENCE,
        "Finding",
        "Nine boroughs already use it",
    ]


def test_an_odt_gives_its_headings_and_paragraphs_in_order():
    found = text_of(documents.odt(), "odt")
    assert found.splitlines() == ["Assistive technology", documents.SENTENCE]


def test_an_odt_cannot_ask_for_a_billion_spaces():
    found = text_of(documents.odt(spaces="1000000000"), "odt")
    assert found.endswith(" " * extract.MAX_SPACE_RUN + "end")
    assert len(found) < 1000


def test_a_text_files_byte_order_mark_is_not_text():
    assert text_of(documents.csv(), "csv").startswith("finding,boroughs")


def test_text_is_cut_at_the_limit(monkeypatch):
    monkeypatch.setattr(extract, "MAX_TEXT_CHARS", 50)
    assert len(text_of(b"word " * 1000, "txt")) == 50


def test_xlsx_reading_stops_at_the_row_limit(monkeypatch):
    monkeypatch.setattr(extract, "MAX_SHEET_ROWS", 1)
    # The header row is read; the row holding the sentence is beyond the limit.
    assert text_of(documents.xlsx(), "xlsx") == "Finding\tBoroughs"


def test_control_characters_are_left_out():
    assert text_of(b"tab\there\x07bell\x1bescape\n", "txt") == "tab\therebellescape"


def test_a_password_protected_pdf_has_a_note():
    assert unreadable(documents.encrypted_pdf(), "pdf") == (
        "The file is password-protected, so its text could not be read"
    )


@pytest.mark.parametrize(
    ("content", "extension"),
    [
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ngarbage", "pdf"),
        (documents.corrupt_zip(), "docx"),
        (documents.zip_of({"word/document.xml": b"<not xml"}), "docx"),
        (documents.zip_of({"xl/workbook.xml": b"<not xml"}), "xlsx"),
        (documents.zip_of({"mimetype": b"application/vnd.oasis.opendocument.text"}), "odt"),
    ],
    ids=["pdf", "cut-off zip", "docx", "xlsx", "odt"],
)
def test_a_damaged_file_has_a_note(content, extension):
    assert unreadable(content, extension) == "The file could not be read: it may be damaged"


def test_a_zip_bomb_is_not_unpacked_for_its_text():
    assert unreadable(documents.zip_bomb_docx(megabytes=20), "docx") == (
        "The file unpacks to more than can be read"
    )


def test_zip_members_pass_the_same_caps_as_uploads(monkeypatch):
    monkeypatch.setattr(archives, "MAX_UNPACKED_BYTES", 1000)
    assert unreadable(documents.docx(), "docx") == "The file unpacks to more than can be read"


def test_a_pdf_without_text_says_it_may_be_a_scan():
    from fpdf import FPDF

    blank = FPDF()
    blank.add_page()
    assert unreadable(bytes(blank.output()), "pdf") == (
        "No text was found in the file: it may be a scanned image"
    )


def test_an_empty_text_file_has_a_note():
    assert unreadable(b"\n\n", "txt") == "No text was found in the file"


def test_a_type_that_is_not_read_has_a_note():
    assert unreadable(b"MZ", "exe") == "Files of this type are not read for search"
