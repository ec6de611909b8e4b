"""Checking a file uploaded to the library before it is stored: its size, its extension, that
its content is what its extension says, and that it can be opened (not password-protected,
not damaged, not a zip bomb). Anyone who may add a resource may upload, and everyone may
download what they upload, so nothing is stored that is not the document it claims to be.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from loti.library import archives

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "csv": "text/csv; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}
# A stored version's format, from the content type check_upload gave it (its file name may
# have been shortened to fit, extension and all).
EXTENSIONS = {content_type: ext for ext, content_type in CONTENT_TYPES.items()}
# What each extension is called in messages.
NAMES = {
    "pdf": "PDF",
    "docx": "DOCX",
    "xlsx": "XLSX",
    "odt": "ODT",
    "csv": "CSV file",
    "md": "Markdown file",
    "txt": "text file",
}
TEXT_EXTENSIONS = frozenset({"csv", "md", "txt"})
ZIP_EXTENSIONS = frozenset({"docx", "xlsx", "odt"})
# The member that makes a zip a Word document or an Excel workbook.
OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
MAX_MIMETYPE_BYTES = 256

PDF_SIGNATURE = b"%PDF-"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
# Office saves a password-protected DOCX or XLSX not as a zip but as an OLE compound file
# holding the encrypted package (MS-OFFCRYPTO); an older .doc or .xls is one too, without it.
CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
CHUNK_BYTES = 64 * 1024

# The files the library takes, as the upload form's hint and its errors name them.
KINDS = "a PDF, DOCX, XLSX, ODT, CSV, Markdown or text file"
ALLOWED = f"The selected file must be {KINDS}"
EMPTY = "The selected file is empty"
PROTECTED = "The selected file is password-protected. Remove the password and upload it again"
DAMAGED = "The selected file is damaged and cannot be opened. Save it again and upload the new copy"
TOO_BIG_UNPACKED = (
    "The selected file unpacks to far more than a document of its size holds. Save it "
    "again and upload the new copy"
)


@dataclass(frozen=True)
class Checked:
    extension: str
    content_type: str
    size: int
    sha256: str


def type_name(content_type: str) -> str:
    """What a stored version's format is called beside its download link ("PDF, 1 MB")."""
    return NAMES.get(EXTENSIONS.get(content_type, ""), "file")


def extension(name: str) -> str:
    """ "Plan.PDF" -> "pdf"; "" when the name has none."""
    stem, dot, ext = (name or "").rpartition(".")
    return ext.lower() if dot and stem else ""


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _mismatch(ext: str) -> ValidationError:
    return _refuse(
        f"The selected file is not a real {NAMES[ext]}: its content does not match its .{ext} name",
        "mismatch",
    )


def _chunks(upload: Any) -> Any:
    """The upload's bytes in chunks, from its start, without reading it all into memory (a
    large upload is a temporary file)."""
    upload.seek(0)
    if hasattr(upload, "chunks"):
        yield from upload.chunks(CHUNK_BYTES)
        return
    while chunk := upload.read(CHUNK_BYTES):
        yield chunk


def check_upload(upload: Any) -> Checked:
    """What `upload` (a Django UploadedFile, or any named, seekable binary file) is, once it
    passes every check. Raises ValidationError saying which check it failed."""
    ext = extension(getattr(upload, "name", ""))
    if ext not in CONTENT_TYPES:
        raise _refuse(ALLOWED, "extension")
    limit_mb = settings.LIBRARY_MAX_FILE_MEGABYTES
    limit = limit_mb * 1024 * 1024
    too_big = _refuse(f"The selected file must be smaller than {limit_mb} MB", "too_large")
    # The size the upload says it is refuses a large file unread; the count refuses one that
    # says less than it holds.
    if (getattr(upload, "size", None) or 0) > limit:
        raise too_big
    digest = hashlib.sha256()
    size = 0
    head = b""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    text_ok = ext in TEXT_EXTENSIONS
    encrypted_package = False
    tail = b""
    for chunk in _chunks(upload):
        size += len(chunk)
        if size > limit:
            raise too_big
        digest.update(chunk)
        if len(head) < len(CFB_SIGNATURE):
            head = (head + chunk)[: len(CFB_SIGNATURE)]
        if text_ok:
            text_ok = _decodes(decoder, chunk)
        if ext in ZIP_EXTENSIONS and head == CFB_SIGNATURE and not encrypted_package:
            # Carried over so that a name split between two chunks is still found.
            window = tail + chunk
            encrypted_package = ENCRYPTED_PACKAGE in window
            tail = window[-len(ENCRYPTED_PACKAGE) :]
    if size == 0:
        raise _refuse(EMPTY, "empty")
    if ext in TEXT_EXTENSIONS:
        if not (text_ok and _decodes(decoder, b"", final=True)):
            raise _mismatch(ext)
    elif ext == "pdf":
        _check_pdf(upload, head)
    else:
        if head == CFB_SIGNATURE and encrypted_package:
            raise _refuse(PROTECTED, "encrypted")
        _check_zip(upload, ext, head)
    upload.seek(0)
    return Checked(
        extension=ext, content_type=CONTENT_TYPES[ext], size=size, sha256=digest.hexdigest()
    )


def _decodes(decoder: codecs.IncrementalDecoder, chunk: bytes, *, final: bool = False) -> bool:
    """Whether `chunk` carries on valid UTF-8 text, with no NUL bytes (which no text file
    has, and which mark a binary file renamed)."""
    if b"\x00" in chunk:
        return False
    try:
        decoder.decode(chunk, final=final)
    except UnicodeDecodeError:
        return False
    return True


def _check_pdf(upload: Any, head: bytes) -> None:
    # Imported here: only a PDF needs it.
    from pypdf import PdfReader

    if not head.startswith(PDF_SIGNATURE):
        raise _mismatch("pdf")
    upload.seek(0)
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise _refuse(PROTECTED, "encrypted")
        pages = len(reader.pages)
    except ValidationError:
        raise
    except Exception as exc:
        # pypdf's errors for a malformed file are not only its own PdfReadError: damaged
        # structure surfaces as KeyError, TypeError, RecursionError and others.
        raise _refuse(DAMAGED, "corrupt") from exc
    if pages == 0:
        raise _refuse(DAMAGED, "corrupt")


def _check_zip(upload: Any, ext: str, head: bytes) -> None:
    if not head.startswith(ZIP_SIGNATURES):
        raise _mismatch(ext)
    try:
        with archives.opened(upload) as archive:
            names = set(archive.namelist())
            if ext == "odt":
                if "mimetype" not in names or _mimetype(archive) != ODT_MIMETYPE:
                    raise _mismatch(ext)
                # A password-protected ODT keeps its zip but encrypts its members, which its
                # manifest describes with encryption-data.
                manifest = "META-INF/manifest.xml"
                if manifest in names and b"encryption-data" in archives.member_bytes(
                    archive, manifest, limit=archives.BOMB_FLOOR
                ):
                    raise _refuse(PROTECTED, "encrypted")
            elif OOXML_PARTS[ext] not in names:
                raise _mismatch(ext)
            archives.unpack_all(archive)
    except archives.ArchiveRefused as refused:
        if refused.problem == "encrypted":
            raise _refuse(PROTECTED, "encrypted") from refused
        if refused.problem == "bomb":
            raise _refuse(TOO_BIG_UNPACKED, "bomb") from refused
        raise _refuse(DAMAGED, "corrupt") from refused


def _mimetype(archive: Any) -> bytes:
    """An ODF file's `mimetype` member; longer than any ODF type names means not one."""
    try:
        return archives.member_bytes(archive, "mimetype", limit=MAX_MIMETYPE_BYTES)
    except archives.ArchiveRefused as refused:
        if refused.problem == "bomb":
            return b""
        raise
