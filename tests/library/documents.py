"""Library files made by the tests, each holding a known sentence, with the libraries the
formats' own tools use: nothing is stored in the repository."""

import io
import zipfile

SENTENCE = "Shared procurement of assistive technology saves every borough money"


def pdf(sentence: str = SENTENCE) -> bytes:
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text=sentence)
    return bytes(document.output())


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf())))
    # RC4 needs no optional cryptography package, and pypdf marks the file encrypted alike.
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx(sentence: str = SENTENCE, *, in_table: str = "") -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_heading("Assistive technology", level=1)
    document.add_paragraph(sentence)
    if in_table:
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "Finding"
        table.cell(0, 1).text = in_table
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx(sentence: str = SENTENCE) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Finding", "Boroughs"])
    sheet.append([sentence, 12])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odt(sentence: str = SENTENCE, *, spaces: str = "") -> bytes:
    from odf import text
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    document.text.addElement(text.H(outlinelevel=1, text="Assistive technology"))
    paragraph = text.P(text=sentence)
    if spaces:
        paragraph.addElement(text.S(c=spaces))
        paragraph.addText("end")
    document.text.addElement(paragraph)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def csv(sentence: str = SENTENCE) -> bytes:
    return f"finding,boroughs\r\n{sentence},12\r\n".encode("utf-8-sig")


def markdown(sentence: str = SENTENCE) -> bytes:
    return f"# Assistive technology\n\n{sentence}.\n".encode()


def text(sentence: str = SENTENCE) -> bytes:
    return f"{sentence}.\n".encode()


def encrypted_ooxml() -> bytes:
    """What Office saves for a password-protected DOCX: an OLE compound file (its header,
    then a directory naming the EncryptionInfo and EncryptedPackage streams)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    directory = b"".join(
        name.encode("utf-16-le").ljust(64, b"\x00") + bytes(64)
        for name in ("Root Entry", "EncryptionInfo", "EncryptedPackage")
    )
    return header + directory + bytes(4096)


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb_docx(megabytes: int = 200) -> bytes:
    """A DOCX with a member of `megabytes` of zeros, packed to about a thousandth of that:
    written a megabyte at a time, so making it costs little memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<document/>")
        zeros = bytes(1024 * 1024)
        with archive.open("word/media/padding.bin", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(zeros)
    return buffer.getvalue()


def corrupt_zip() -> bytes:
    """The start of a DOCX, cut off: its signature is right, its directory is missing."""
    return docx()[:400]
