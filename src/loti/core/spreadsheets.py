"""Reading and writing CSV and XLSX tables, with no knowledge of what the columns mean.

Reading gives every cell as text, so one importer handles both formats alike. Writing
neutralises text cells against formula injection, as OWASP advises for CSV exports: a
spreadsheet would otherwise run a cell such as `=HYPERLINK(...)` as a formula.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from python_calamine import CalamineError, CalamineWorkbook

# Characters that make a spreadsheet treat a cell as a formula (OWASP, "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Row = tuple[int, dict[str, str]]


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
    try:
        return list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise ValueError(f"The selected file could not be read as a CSV file: {exc}") from exc


def _xlsx_records(data: bytes) -> list[list[str]]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        # From cell A1, so that a row's index gives its number on the sheet.
        cells = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, IndexError, ValueError, OSError) as exc:
        raise ValueError(
            "The selected file could not be read as an XLSX spreadsheet. Save it from "
            "Excel as an “Excel Workbook (.xlsx)” and upload it again"
        ) from exc
    return [[cell_text(value) for value in row] for row in cells]


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


def _table(records: list[list[str]]) -> Table:
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


# Characters an XLSX file cannot hold at all (control characters other than tab and newlines).
_ILLEGAL = re.compile(ILLEGAL_CHARACTERS_RE.pattern)


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
    workbook = Workbook(write_only=True)
    for title, sheet_headers, sheet_rows in ((sheet_title, headers, rows), *extra_sheets):
        sheet = workbook.create_sheet(title=title)
        sheet.append([_xlsx_cell(header) for header in sheet_headers])
        for row in sheet_rows:
            sheet.append([_xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
