"""The checks on a file uploaded to the library (loti.library.files), on files made here. No
database."""

import functools
import hashlib
import io
import struct

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loti.library import archives, files
from tests.library import documents

GOOD = {
    "pdf": documents.pdf,
    "docx": documents.docx,
    "xlsx": documents.xlsx,
    "odt": documents.odt,
    "csv": documents.csv,
    "md": documents.markdown,
    "txt": documents.text,
}


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(content: bytes, name: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        files.check_upload(upload(content, name))
    return caught.value


@functools.cache
def bomb() -> bytes:
    return documents.zip_bomb_docx()


@pytest.mark.parametrize("extension", sorted(GOOD))
def test_each_kind_of_document_passes_with_its_type_size_and_digest(extension):
    content = GOOD[extension]()
    checked = files.check_upload(upload(content, f"Guide.{extension.upper()}"))
    assert checked == files.Checked(
        extension=extension,
        content_type=files.CONTENT_TYPES[extension],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def test_content_types_are_the_formats_registered_types():
    assert files.CONTENT_TYPES["pdf"] == "application/pdf"
    assert files.CONTENT_TYPES["odt"] == "application/vnd.oasis.opendocument.text"
    assert files.CONTENT_TYPES["txt"] == "text/plain; charset=utf-8"


def test_a_temporary_file_upload_is_read_from_disk_and_left_at_its_start():
    content = documents.pdf()
    with TemporaryUploadedFile("plan.pdf", "application/pdf", len(content), None) as temporary:
        temporary.write(content)
        checked = files.check_upload(temporary)
        assert checked.sha256 == hashlib.sha256(content).hexdigest()
        assert temporary.tell() == 0


def test_an_empty_file_is_refused():
    error = refusal(b"", "plan.pdf")
    assert error.messages == ["The selected file is empty"]
    assert error.code == "empty"


@override_settings(LIBRARY_MAX_FILE_MEGABYTES=1)
def test_a_file_over_the_limit_is_refused_with_the_limit():
    error = refusal(b"a" * (1024 * 1024 + 1), "notes.txt")
    assert error.messages == ["The selected file must be smaller than 1 MB"]
    assert error.code == "too_large"


@override_settings(LIBRARY_MAX_FILE_MEGABYTES=1)
def test_a_file_that_does_not_say_its_size_is_counted_as_it_is_read():
    unsized = io.BytesIO(b"a" * (1024 * 1024 + 1))
    unsized.name = "notes.txt"
    with pytest.raises(ValidationError) as caught:
        files.check_upload(unsized)
    assert caught.value.code == "too_large"


@override_settings(LIBRARY_MAX_FILE_MEGABYTES=1)
def test_a_file_at_the_limit_passes():
    assert files.check_upload(upload(b"a" * (1024 * 1024), "notes.txt")).size == 1024 * 1024


@pytest.mark.parametrize("name", ["setup.exe", "plan.doc", "plan", ".pdf", "page.html"])
def test_other_extensions_are_refused(name):
    error = refusal(documents.pdf(), name)
    assert error.messages == [
        "The selected file must be a PDF, DOCX, XLSX, ODT, CSV, Markdown or text file"
    ]
    assert error.code == "extension"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (documents.pdf, "plan.docx", "The selected file is not a real DOCX: its content does "
         "not match its .docx name"),
        (documents.docx, "plan.pdf", "The selected file is not a real PDF: its content does "
         "not match its .pdf name"),
        (documents.xlsx, "plan.docx", "The selected file is not a real DOCX: its content does "
         "not match its .docx name"),
        (documents.docx, "plan.xlsx", "The selected file is not a real XLSX: its content does "
         "not match its .xlsx name"),
        (documents.docx, "plan.odt", "The selected file is not a real ODT: its content does "
         "not match its .odt name"),
        (documents.pdf, "plan.txt", "The selected file is not a real text file: its content "
         "does not match its .txt name"),
    ],
)  # fmt: skip
def test_content_that_is_not_what_its_extension_says_is_refused(content, name, message):
    error = refusal(content(), name)
    assert error.messages == [message]
    assert error.code == "mismatch"


def test_an_odt_must_declare_the_text_documents_mimetype():
    spreadsheet = documents.zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})
    assert refusal(spreadsheet, "plan.odt").code == "mismatch"


@pytest.mark.parametrize(
    "content",
    [b"name,place\r\nAd\x00a,Hackney\r\n", "name\r\nCaf\xe9\r\n".encode("latin-1")],
    ids=["nul", "latin-1"],
)
def test_text_must_be_utf8_without_nul_bytes(content):
    error = refusal(content, "people.csv")
    assert error.messages == [
        "The selected file is not a real CSV file: its content does not match its .csv name"
    ]


def test_utf8_text_with_a_byte_order_mark_and_characters_across_chunks_passes():
    # "é" is two bytes in UTF-8: one lands at the end of the first chunk read.
    content = b"\xef\xbb\xbf" + b"a" * (files.CHUNK_BYTES - 4) + "é and more".encode()
    assert files.check_upload(upload(content, "notes.md")).extension == "md"


def test_a_password_protected_pdf_is_refused():
    error = refusal(documents.encrypted_pdf(), "plan.pdf")
    assert error.messages == [
        "The selected file is password-protected. Remove the password and upload it again"
    ]
    assert error.code == "encrypted"


@pytest.mark.parametrize("name", ["plan.docx", "costs.xlsx"])
def test_a_password_protected_office_file_is_refused(name):
    assert refusal(documents.encrypted_ooxml(), name).code == "encrypted"


def test_an_old_office_file_renamed_is_not_called_password_protected():
    old_doc = documents.encrypted_ooxml().replace(files.ENCRYPTED_PACKAGE, bytes(32))
    assert refusal(old_doc, "plan.docx").code == "mismatch"


def test_a_password_protected_odt_is_refused():
    protected = documents.zip_of(
        {
            "mimetype": files.ODT_MIMETYPE,
            "META-INF/manifest.xml": b"<manifest:file-entry><manifest:encryption-data manifest:"
            b'checksum-type="SHA1/1K"/></manifest:file-entry>',
            "content.xml": bytes(range(256)),
        }
    )
    assert refusal(protected, "plan.odt").code == "encrypted"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (documents.corrupt_zip(), "plan.docx"),
        (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ngarbage", "plan.pdf"),
        (documents.pdf()[:-200], "plan.pdf"),
    ],
    ids=["cut-off zip", "not a pdf inside", "cut-off pdf"],
)
def test_a_damaged_file_is_refused(content, name):
    error = refusal(content, name)
    assert error.messages == [
        "The selected file is damaged and cannot be opened. Save it again and upload the new copy"
    ]
    assert error.code == "corrupt"


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    content = bomb()
    assert len(content) < 1024 * 1024  # 200 MB of zeros, packed
    error = refusal(content, "plan.docx")
    assert error.code == "bomb"
    assert "unpacks to far more than a document of its size holds" in error.messages[0]


def test_a_zip_of_too_many_members_is_refused(monkeypatch):
    monkeypatch.setattr(archives, "MAX_MEMBERS", 3)
    many = documents.zip_of({"word/document.xml": b"<d/>", **{f"m{n}": b"" for n in range(3)}})
    assert refusal(many, "plan.docx").code == "bomb"


def test_a_zip_declaring_too_much_in_all_is_refused(monkeypatch):
    monkeypatch.setattr(archives, "MAX_UNPACKED_BYTES", 1000)
    content = documents.zip_of({"word/document.xml": b"<d/>", "a": b"x" * 600, "b": b"y" * 600})
    assert refusal(content, "plan.docx").code == "bomb"


def test_a_zip_whose_directory_understates_a_member_is_refused():
    """The directory says 1,000 bytes, so the ratio check passes; unpacking finds more."""
    content = bytearray(documents.zip_of({"word/document.xml": bytes(4 * 1024 * 1024)}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = content.index(signature) + offset
        struct.pack_into("<I", content, at, 1000)
    assert refusal(bytes(content), "plan.docx").code in {"corrupt", "bomb"}


def test_reading_a_member_stops_at_its_cap():
    content = documents.zip_of({"big": b"x" * 5000})
    with (
        archives.opened(io.BytesIO(content)) as archive,
        pytest.raises(archives.ArchiveRefused) as caught,
    ):
        archives.member_bytes(archive, "big", limit=4000)
    assert caught.value.problem == "bomb"


SIGNATURES = {
    "pdf": b"%PDF-1.7\n",
    "docx": b"PK\x03\x04",
    "xlsx": b"PK\x03\x04",
    "odt": b"PK\x03\x04",
    "csv": b"",
    "md": b"\xef\xbb\xbf",
    "txt": b"",
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    extension=st.sampled_from(sorted(SIGNATURES)),
    body=st.binary(max_size=2000),
    signed=st.booleans(),
)
def test_arbitrary_bytes_are_passed_or_refused_with_a_validation_error(extension, body, signed):
    content = (SIGNATURES[extension] if signed else b"") + body
    try:
        checked = files.check_upload(upload(content, f"file.{extension}"))
    except ValidationError as error:
        assert error.code in {"empty", "mismatch", "encrypted", "corrupt", "bomb"}
        assert error.messages[0].startswith("The selected file ")
    else:
        assert checked.size == len(content)
