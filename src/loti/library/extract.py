"""The text of a library file, for search: read with each format's own library (pypdf,
python-docx, openpyxl, odfpy), within limits, so a file that passed its upload checks can
still only fail its own reading, never the worker's memory.

`text_of` raises `Unreadable` with a note in plain English, which the version's page shows;
the file itself stays downloadable.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from typing import IO, Any

from loti.core.spreadsheets import CONTROL_CHARACTERS, cell_text
from loti.library import archives

# Enough for a long report (a 500-page document is about 1.5 million characters with its
# spaces) while keeping the search index's row for one resource a few megabytes at most;
# what comes after is not searched.
MAX_TEXT_CHARS = 1_000_000
# Pages and rows beyond which reading stops: the text limit is reached long before in any
# document with words on its pages, and blank ones must not keep a worker busy.
MAX_PDF_PAGES = 2_000
MAX_SHEET_ROWS = 200_000
MAX_CELLS = 2_000_000
# An ODT writes a run of spaces as <text:s c="N"/>: the run is cut to this, so a small file
# cannot ask for a billion spaces.
MAX_SPACE_RUN = 100
CHUNK_BYTES = 64 * 1024

DAMAGED = "The file could not be read: it may be damaged"
NO_TEXT = "No text was found in the file"
_PROTECTED = "The file is password-protected, so its text could not be read"
NOT_ALLOWED = "Files of this type are not read for search"


class Unreadable(Exception):
    """The file's text could not be read; `note` says why, for the person who uploaded it."""

    def __init__(self, note: str) -> None:
        super().__init__(note)
        self.note = note


class _Text:
    """Text gathered piece by piece, up to MAX_TEXT_CHARS."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    @property
    def full(self) -> bool:
        return self.length >= MAX_TEXT_CHARS

    def add(self, piece: str) -> None:
        piece = piece.strip()
        if piece and not self.full:
            piece = piece[: MAX_TEXT_CHARS - self.length]
            self.parts.append(piece)
            self.length += len(piece) + 1

    def text(self) -> str:
        # NUL and other control characters: PostgreSQL cannot store NUL, and none is text.
        return CONTROL_CHARACTERS.sub("", "\n".join(self.parts))


def text_of(file: IO[bytes], extension: str) -> str:
    """The text of `file`, a file of type `extension` (as files.check_upload found it), at
    most MAX_TEXT_CHARS characters. Raises Unreadable."""
    readers = {
        "pdf": _pdf,
        "docx": _docx,
        "xlsx": _xlsx,
        "odt": _odt,
        "csv": _plain,
        "md": _plain,
        "txt": _plain,
    }
    reader = readers.get(extension)
    if reader is None:
        raise Unreadable(NOT_ALLOWED)
    if extension in {"docx", "xlsx", "odt"}:
        try:
            archives.check(file)
        except archives.ArchiveRefused as refused:
            if refused.problem == "encrypted":
                raise Unreadable(_PROTECTED) from refused
            if refused.problem == "bomb":
                raise Unreadable("The file unpacks to more than can be read") from refused
            raise Unreadable(DAMAGED) from refused
    file.seek(0)
    text = _Text()
    try:
        reader(file, text)
    except Unreadable:
        raise
    except Exception as exc:
        # Each library has its own errors for a malformed file, and not only its own classes
        # (KeyError, ValueError, RecursionError from deep nesting, and so on): whatever it
        # raises, the file could not be read, which the note says.
        raise Unreadable(DAMAGED) from exc
    found = text.text()
    if not found.strip():
        raise Unreadable(NO_TEXT + (": it may be a scanned image" if extension == "pdf" else ""))
    return found


def _pdf(file: IO[bytes], text: _Text) -> None:
    from pypdf import PdfReader

    reader = PdfReader(file)
    if reader.is_encrypted:
        raise Unreadable(_PROTECTED)
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES or text.full:
            break
        text.add(page.extract_text() or "")


def _docx(file: IO[bytes], text: _Text) -> None:
    import docx

    document = docx.Document(file)
    _docx_blocks(document.iter_inner_content(), text)


def _docx_blocks(blocks: Iterable[Any], text: _Text) -> None:
    from docx.table import Table

    # A stack rather than recursion: tables nest in cells, and a file may nest them deeply.
    stack: list[Iterator[Any]] = [iter(blocks)]
    while stack and not text.full:
        block = next(stack[-1], None)
        if block is None:
            stack.pop()
        elif isinstance(block, Table):
            cells = []
            for row in block.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    # A merged cell is returned once for each grid column it spans.
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        cells.append(cell)
            stack.append(iter([block for cell in cells for block in cell.iter_inner_content()]))
        else:
            text.add(block.text)


def _xlsx(file: IO[bytes], text: _Text) -> None:
    from openpyxl import load_workbook

    # Read-only mode streams each sheet's rows instead of building every cell.
    workbook = load_workbook(file, read_only=True, data_only=True)
    try:
        rows = cells = 0
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                rows += 1
                cells += len(row)
                if rows > MAX_SHEET_ROWS or cells > MAX_CELLS or text.full:
                    return
                text.add("\t".join(cell_text(value) for value in row if value is not None))
    finally:
        workbook.close()


def _odt(file: IO[bytes], text: _Text) -> None:
    from odf import opendocument, teletype
    from odf import text as odf_text
    from odf.namespaces import TEXTNS

    document = opendocument.load(file)
    for space in document.getElementsByType(odf_text.S):
        count = space.getAttribute("c")
        if count:
            space.setAttribute("c", str(min(_int(count), MAX_SPACE_RUN)))
    wanted = {(TEXTNS, "p"), (TEXTNS, "h")}
    # Paragraphs and headings in document order, tables' and lists' included; a
    # paragraph's own children are its text, so the walk does not go into them.
    stack = [iter(document.text.childNodes)]
    while stack and not text.full:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif getattr(node, "qname", None) in wanted:
            text.add(teletype.extractText(node))
        elif node.childNodes:
            stack.append(iter(node.childNodes))


def _int(value: str) -> int:
    try:
        return max(int(value), 1)
    except ValueError:
        return 1


def _plain(file: IO[bytes], text: _Text) -> None:
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    pieces: list[str] = []
    read = 0
    while read < MAX_TEXT_CHARS and (chunk := file.read(CHUNK_BYTES)):
        piece = decoder.decode(chunk)
        pieces.append(piece)
        read += len(piece)
    pieces.append(decoder.decode(b"", final=True))
    text.add("".join(pieces))
