"""Reading and writing CSV and XLSX tables, with no knowledge of what the columns mean.

Reading gives every cell as text, so one importer handles both formats alike. Writing
neutralises text cells against formula injection, as OWASP advises for CSV exports: a
spreadsheet would otherwise run a cell such as `=HYPERLINK(...)` as a formula.

Files come from anyone who may import, so reading them is bounded: a file's size, its rows,
columns and cells' length, and for an XLSX its unpacked size, are checked while it is read,
before anything is held cell by cell. An XLSX's cells are read by python-calamine in a child
process with a memory and time limit, so a hostile workbook can only fail its own import,
never the worker reading it.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import subprocess
import sys
import xml.parsers.expat
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook

# Characters that make a spreadsheet treat a cell as a formula (OWASP, "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Row = tuple[int, dict[str, str]]

# An import's limits. The rows are those below the header row.
# A 100,000-row CSV of the estate template is about 28 MB: the limit admits the most rows an
# import takes, with room for longer cells.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 50
# Excel's own limit for the text of one cell.
MAX_CELL_CHARS = 32_767
# An XLSX is a zip of XML files: limits on what it may unpack to.
MAX_ZIP_MEMBERS = 10_000
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
# A member that unpacks to more than this many times its packed size is a zip bomb (an
# ordinary sheet packs to a tenth or so); members smaller than BOMB_FLOOR are not judged.
MAX_PACKING_RATIO = 200
BOMB_FLOOR = 1024 * 1024
# What the child process reading an XLSX's cells may use.
READ_MEMORY_BYTES = 2 * 1024 * 1024 * 1024
READ_SECONDS = 120

UNREADABLE_XLSX = (
    "The selected file could not be read as an XLSX spreadsheet. Save it from "
    "Excel as an “Excel Workbook (.xlsx)” and upload it again"
)
BEYOND_LIMITS = "The file could not be read within the import's limits"


class SpreadsheetRefused(ValueError):
    """The file is beyond an import's limits, or cannot be read; the message says which
    limit, in words for the person who uploaded it."""


def column_letter(number: int) -> str:
    """1 -> "A", 27 -> "AA"."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _size_refusal(rows: int, columns: int) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        f"The sheet is {rows:,} row{'s' if rows != 1 else ''} by {columns:,} "
        f"column{'s' if columns != 1 else ''}; an import can have at most {MAX_ROWS:,} rows "
        f"below its header row and {MAX_COLUMNS} columns"
    )


def _check_size(rows: int, columns: int) -> None:
    if rows > MAX_ROWS + 1 or columns > MAX_COLUMNS:
        raise _size_refusal(rows, columns)


@dataclass
class Table:
    """A sheet's header names and its non-blank rows, each with its spreadsheet row number
    (the number a person sees at the left of the sheet, counting the header row)."""

    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    # The row number of the headers: the first row that is not blank.
    header_row: int = 1


def extension(filename: str) -> str:
    """ "Systems.XLSX" -> "xlsx"."""
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def read_table(data: bytes, filename: str) -> Table:
    """The first sheet of a CSV or XLSX file, chosen by the file name's extension.

    Raises ValueError with a message to show the person who uploaded the file.
    """
    kind = extension(filename)
    if len(data) > MAX_FILE_BYTES:
        raise SpreadsheetRefused(
            f"The selected file must be smaller than {MAX_FILE_BYTES // (1024 * 1024)} MB"
        )
    if kind == "csv":
        records = _csv_records(data)
    elif kind == "xlsx":
        records = _xlsx_records(data)
    else:
        raise ValueError("The selected file must be a CSV or XLSX file")
    return _table(records)


def _csv_records(data: bytes) -> list[list[str]]:
    if b"\x00" in data:
        raise ValueError(
            "The selected file is not a CSV file. Save it as “CSV UTF-8” and upload it again"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            "The selected file must be saved as UTF-8 text. In Excel, save it as "
            "“CSV UTF-8 (comma delimited)” and upload it again"
        ) from exc
    records: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), strict=True):
            while record and not record[-1]:
                record.pop()
            records.append(record)
            _check_size(len(records), len(record))
            _check_record(len(records), record)
    except csv.Error as exc:
        raise ValueError(f"The selected file could not be read as a CSV file: {exc}") from exc
    return records


def _xlsx_records(data: bytes) -> list[list[str]]:
    rows, columns = xlsx_extent(data)
    _check_size(rows, columns)
    return _read_cells_in_child(data)


class _Unreadable(Exception):
    pass


def _parse_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, on_element: Any, *, until: Any = None
) -> None:
    """Stream one XML member of the zip through expat, calling `on_element(name, attributes)`
    for each element (names without their namespace prefix). Stops early once `until()` is
    true. Refuses a document type declaration (and so any entity) and more than
    MAX_MEMBER_BYTES of XML, whatever the zip says the member holds."""
    parser = xml.parsers.expat.ParserCreate()

    def refuse_doctype(*args: Any) -> None:
        raise _Unreadable("document type declarations are not allowed")

    local_names: dict[str, str] = {}

    def start(name: str, attributes: dict[str, str]) -> None:
        local = local_names.get(name)
        if local is None:
            local = local_names[name] = name.rpartition(":")[2]
        on_element(local, attributes)

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.StartElementHandler = start
    read = 0
    with archive.open(info) as stream:
        while chunk := stream.read(1024 * 1024):
            read += len(chunk)
            if read > MAX_MEMBER_BYTES:
                raise SpreadsheetRefused(BEYOND_LIMITS)
            parser.Parse(chunk, False)
            if until is not None and until():
                return
    parser.Parse(b"", True)


def _attribute(attributes: dict[str, str], local: str) -> str | None:
    for name, value in attributes.items():
        if name.rpartition(":")[2] == local:
            return value
    return None


def _first_sheet(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> list[str]:
    """The member holding the workbook's first sheet, as xl/workbook.xml and its
    relationships name it; failing that, every worksheet, so none escapes the checks."""
    every = [name for name in names if re.fullmatch(r"xl/worksheets/[^/]+\.xml", name)]
    found: dict[str, str] = {}
    try:
        if "xl/workbook.xml" in names and "xl/_rels/workbook.xml.rels" in names:

            def sheet(name: str, attributes: dict[str, str]) -> None:
                if name == "sheet" and "id" not in found:
                    found["id"] = _attribute(attributes, "id") or ""

            _parse_member(archive, names["xl/workbook.xml"], sheet, until=lambda: "id" in found)

            def relationship(name: str, attributes: dict[str, str]) -> None:
                if name == "Relationship" and attributes.get("Id") == found.get("id"):
                    found["target"] = attributes.get("Target", "")

            _parse_member(
                archive,
                names["xl/_rels/workbook.xml.rels"],
                relationship,
                until=lambda: "target" in found,
            )
    except (_Unreadable, xml.parsers.expat.ExpatError):
        return every
    target = found.get("target", "")
    path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return [path] if path in names else every


_REFERENCE = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")


def _reference(reference: str) -> tuple[int, int]:
    """ "B3" -> (3, 2): a cell reference's row and column numbers."""
    match = _REFERENCE.fullmatch(reference.replace("$", "") if "$" in reference else reference)
    if not match:
        raise _Unreadable(f"{reference!r} is not a cell reference")
    letters, digits = match.groups()
    column = _COLUMN_NUMBERS.get(letters)
    if column is None:
        column = 0
        for letter in letters.upper():
            column = column * 26 + ord(letter) - 64
        if len(_COLUMN_NUMBERS) < 1000:
            _COLUMN_NUMBERS[letters] = column
    return int(digits), column


_COLUMN_NUMBERS: dict[str, int] = {}


def xlsx_extent(data: bytes) -> tuple[int, int]:
    """The rows and columns an XLSX's first sheet spans, from A1: the larger of what the
    sheet declares (its dimension) and where its cells are. Read from the zip by streaming,
    so a hostile file is refused before anything is unpacked into memory."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise SpreadsheetRefused(BEYOND_LIMITS)
            unpacked = 0
            for info in infos:
                unpacked += info.file_size
                bomb = info.file_size > BOMB_FLOOR and info.file_size > MAX_PACKING_RATIO * max(
                    info.compress_size, 1
                )
                if info.file_size > MAX_MEMBER_BYTES or bomb or unpacked > MAX_UNPACKED_BYTES:
                    raise SpreadsheetRefused(
                        f"{BEYOND_LIMITS}: it unpacks to more than an XLSX file of its size can"
                    )
            names = {info.filename: info for info in infos}
            extent = [0, 0]
            position = [0, 0]  # the row and column of the last row and cell seen

            def element(name: str, attributes: dict[str, str]) -> None:
                if name == "dimension":
                    last = attributes.get("ref", "A1").rpartition(":")[2]
                    rows, columns = _reference(last)
                    extent[0], extent[1] = max(extent[0], rows), max(extent[1], columns)
                elif name == "row":
                    reference = attributes.get("r")
                    position[0] = int(reference) if reference else position[0] + 1
                    position[1] = 0
                elif name == "c":
                    reference = attributes.get("r")
                    if reference:
                        position[0], position[1] = _reference(reference)
                    else:
                        position[1] += 1
                    extent[0] = max(extent[0], position[0])
                    extent[1] = max(extent[1], position[1])

            sheets = _first_sheet(archive, names)
            if not sheets:
                raise _Unreadable("no worksheet")
            for sheet in sheets:
                _parse_member(archive, names[sheet], element)
    except SpreadsheetRefused:
        raise
    except (
        _Unreadable,
        xml.parsers.expat.ExpatError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,  # a compression method zipfile does not know
        RuntimeError,  # an encrypted member
        ValueError,
        OSError,
    ) as exc:
        raise SpreadsheetRefused(UNREADABLE_XLSX) from exc
    return extent[0], extent[1]


# The child process: reads the workbook from its standard input and writes the first sheet's
# cells as JSON, under a memory limit set before anything is read.
_CHILD = """
import resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from loti.core.spreadsheets import _child_main
_child_main()
"""


def _read_cells_in_child(data: bytes) -> list[list[str]]:
    try:
        # The command is this interpreter and fixed code; only the file goes in, on stdin.
        finished = subprocess.run(  # noqa: S603
            [sys.executable, "-c", _CHILD, str(READ_MEMORY_BYTES)],
            input=data,
            capture_output=True,
            timeout=READ_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise SpreadsheetRefused(BEYOND_LIMITS) from exc
    if finished.returncode == 2:
        raise SpreadsheetRefused(UNREADABLE_XLSX)
    if finished.returncode != 0:
        raise SpreadsheetRefused(BEYOND_LIMITS)
    try:
        records = json.loads(finished.stdout)
    except ValueError as exc:
        raise SpreadsheetRefused(BEYOND_LIMITS) from exc
    return records


def _child_main() -> None:
    data = sys.stdin.buffer.read()
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        # From cell A1, so that a row's index gives its number on the sheet.
        cells = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, IndexError, ValueError, OSError):
        sys.exit(2)
    except MemoryError:
        sys.exit(3)
    records = []
    for row in cells:
        record = [cell_text(value) for value in row]
        while record and not record[-1]:
            record.pop()
        records.append(record)
    sys.stdout.write(json.dumps(records))


def cell_text(value: Any) -> str:
    """A cell's value as a person would type it: dates as 2027-03-31, 250.0 as 250."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _is_blank(record: Sequence[str]) -> bool:
    return all(not cell.strip() for cell in record)


def _check_record(number: int, record: list[str]) -> None:
    for index, cell in enumerate(record, start=1):
        if len(cell) > MAX_CELL_CHARS:
            raise SpreadsheetRefused(
                f"Row {number}, column {column_letter(index)} has {len(cell):,} "
                f"characters; a cell can have at most {MAX_CELL_CHARS:,}"
            )


def _check_cells(records: list[list[str]]) -> None:
    _check_size(len(records), max((len(record) for record in records), default=0))
    for number, record in enumerate(records, start=1):
        _check_record(number, record)


def _table(records: list[list[str]]) -> Table:
    _check_cells(records)
    numbered = [(number, record) for number, record in enumerate(records, start=1)]
    numbered = [(number, record) for number, record in numbered if not _is_blank(record)]
    if not numbered:
        raise ValueError("The selected file is empty")
    (header_row, header_record), *body = numbered
    headers = [header.strip() for header in header_record]
    table = Table(headers=[header for header in headers if header], header_row=header_row)
    for number, record in body:
        values = {
            header: (record[index] if index < len(record) else "")
            for index, header in enumerate(headers)
            if header
        }
        if not _is_blank(list(values.values())):
            table.rows.append((number, values))
    return table


def neutralise(value: Any) -> Any:
    """Make a text cell safe to open in a spreadsheet by prefixing a single quote where it
    would otherwise start a formula. Anything other than text is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo `neutralise`, for text coming back in from a file this module wrote."""
    if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    return str(value)


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV file in UTF-8 with a byte-order mark, which Excel needs to read it as UTF-8."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_cell(header) for header in headers])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


# Characters an XLSX file cannot hold at all, and the database cannot store or should not:
# control characters other than tab and newlines (openpyxl's ILLEGAL_CHARACTERS_RE).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ILLEGAL = CONTROL_CHARACTERS


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise(_ILLEGAL.sub("", value))
    return value


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str = "Data",
    extra_sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]] = (),
) -> bytes:
    """An XLSX workbook with the table on its first sheet and each of `extra_sheets`
    (title, headers, rows) after it. Written in openpyxl's streaming mode, so a large
    export is not held cell by cell in memory."""
    # Imported here, so that the child process reading an XLSX starts without it.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, sheet_headers, sheet_rows in ((sheet_title, headers, rows), *extra_sheets):
        sheet = workbook.create_sheet(title=title)
        sheet.append([_xlsx_cell(header) for header in sheet_headers])
        for row in sheet_rows:
            sheet.append([_xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
