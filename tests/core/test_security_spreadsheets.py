"""Hostile spreadsheets are refused, or read within the import's limits, and never take the
process reading them down with them.

Every hostile XLSX here is written by hand as a zip, and read only in a child process under a
memory limit: reading one in the test process could abort the whole run.
"""

import io
import json
import subprocess
import sys
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loti.core import spreadsheets
from loti.core.spreadsheets import (
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    SpreadsheetRefused,
    read_table,
)

CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
ROOT_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
 Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
WORKBOOK_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
 Target="worksheets/sheet1.xml"/>
</Relationships>"""


def cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: dict[int, list[str]], *, dimension: str = "") -> bytes:
    """A worksheet whose rows (by number) hold the given <c> elements."""
    body = "".join(f'<row r="{number}">{"".join(rows[number])}</row>' for number in sorted(rows))
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{declared}<sheetData>{body}</sheetData></worksheet>"
    ).encode()


def workbook(sheet: bytes, *, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal XLSX written by hand, with `sheet` as its only worksheet."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


# Reads `read_table` in a fresh interpreter under a 1 GiB address-space limit, and prints
# what became of it, so a crash is a result rather than the end of the test run.
READER = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from loti.core.spreadsheets import read_table
data = sys.stdin.buffer.read()
try:
    table = read_table(data, sys.argv[1])
except ValueError as exc:
    print(json.dumps({"refused": str(exc)}))
else:
    widest = max([len(table.headers)] + [len(cells) for _, cells in table.rows])
    print(json.dumps({"rows": len(table.rows), "columns": widest}))
"""


def read_elsewhere(data: bytes, filename: str = "hostile.xlsx", timeout: float = 15) -> dict:
    finished = subprocess.run(
        [sys.executable, "-c", READER, filename],
        input=data,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if finished.returncode != 0:
        return {"crashed": finished.returncode, "stderr": finished.stderr.decode()[-500:]}
    return json.loads(finished.stdout)


def test_two_cells_a_whole_sheet_apart_are_refused_naming_the_limits():
    data = workbook(
        sheet_xml({1: [cell("A1", "product")], 1048576: [cell("XFD1048576", "x")]}),
    )
    assert len(data) < 2000
    assert read_elsewhere(data) == {
        "refused": "The sheet is 1,048,576 rows by 16,384 columns; an import can have at most "
        f"{MAX_ROWS:,} rows below its header row and {MAX_COLUMNS} columns"
    }


def test_a_declared_dimension_beyond_the_limits_is_refused_before_reading():
    data = workbook(sheet_xml({1: [cell("A1", "product")]}, dimension="A1:XFD1048576"))
    with pytest.raises(SpreadsheetRefused, match="1,048,576 rows by 16,384 columns"):
        read_table(data, "hostile.xlsx")


def test_a_zip_bomb_is_refused_without_unpacking_it():
    bomb = b" " * (64 * 1024 * 1024)
    data = workbook(sheet_xml({1: [cell("A1", "product")]}), extra={"xl/padding.xml": bomb})
    assert len(data) < 200_000
    with pytest.raises(SpreadsheetRefused, match="limits: it unpacks to more"):
        read_table(data, "bomb.xlsx")


def test_an_entity_declaration_is_refused():
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    with pytest.raises(SpreadsheetRefused, match="could not be read as an XLSX"):
        read_table(workbook(sheet), "entities.xlsx")


def test_a_reader_that_dies_is_a_refusal_not_a_dead_worker(monkeypatch):
    # The child reading the cells is killed (as a calamine abort would kill it).
    monkeypatch.setattr(spreadsheets, "_CHILD", "import os, signal; os.kill(os.getpid(), 6)")
    data = workbook(sheet_xml({1: [cell("A1", "product")], 2: [cell("A2", "Civica")]}))
    with pytest.raises(SpreadsheetRefused, match="could not be read within the import's limits"):
        read_table(data, "estate.xlsx")


def test_a_reader_that_takes_too_long_is_stopped(monkeypatch):
    monkeypatch.setattr(spreadsheets, "_CHILD", "import time; time.sleep(30)")
    monkeypatch.setattr(spreadsheets, "READ_SECONDS", 0.5)
    data = workbook(sheet_xml({1: [cell("A1", "product")]}))
    with pytest.raises(SpreadsheetRefused, match="within the import's limits"):
        read_table(data, "estate.xlsx")


def test_an_ordinary_hand_written_workbook_is_read():
    data = workbook(
        sheet_xml(
            {
                1: [cell("A1", "product"), cell("B1", "vendor")],
                3: [cell("A3", "Civica CX"), cell("B3", "Civica")],
            }
        )
    )
    table = read_table(data, "estate.xlsx")
    assert table.rows == [(3, {"product": "Civica CX", "vendor": "Civica"})]


def test_csv_rows_columns_and_cells_are_bounded_while_reading():
    with pytest.raises(SpreadsheetRefused, match="1 row by 51 columns"):
        read_table(",".join(["a"] * 51).encode(), "wide.csv")
    with pytest.raises(SpreadsheetRefused, match="100,002 rows"):
        read_table(b"a\n" * (MAX_ROWS + 2), "long.csv")
    with pytest.raises(SpreadsheetRefused, match="Row 2, column B has 40,000 characters"):
        read_table(b"a,b\n1," + b"x" * 40_000 + b"\n", "long-cell.csv")
    with pytest.raises(SpreadsheetRefused, match="smaller than 50 MB"):
        read_table(b"a\n" + b"x" * MAX_FILE_BYTES, "big.csv")
    assert len(read_table(b"a\n" + b"1\n" * MAX_ROWS, "most.csv").rows) == MAX_ROWS


# Property: whatever the hostile workbook, a refusal with a message or a table within limits.

references = st.builds(
    lambda row, column: f"{spreadsheets.column_letter(column)}{row}",
    st.integers(1, 1_048_576),
    st.integers(1, 16_384),
)
texts = st.one_of(
    st.text(alphabet="abc xyz", max_size=20),
    st.integers(0, 40_000).map(lambda n: "x" * n),
)


@st.composite
def hostile_sheets(draw) -> bytes:
    kind = draw(st.sampled_from(["far", "declared", "wide", "long", "bomb", "malformed"]))
    rows: dict[int, list[str]] = {1: [cell("A1", "product")]}
    dimension = ""
    extra: dict[str, bytes] = {}
    if kind == "far":
        for reference in draw(st.lists(references, min_size=1, max_size=4)):
            number, _ = spreadsheets._reference(reference)
            rows.setdefault(number, []).append(cell(reference, draw(texts)))
    elif kind == "declared":
        dimension = f"A1:{draw(references)}"
    elif kind == "wide":
        width = draw(st.integers(1, 300))
        rows[2] = [cell(f"{spreadsheets.column_letter(c)}2", "v") for c in range(1, width + 1)]
    elif kind == "long":
        rows[2] = [cell("A2", draw(texts))]
    elif kind == "bomb":
        extra["xl/sharedStrings.xml"] = b" " * draw(st.integers(1, 20)) * 1024 * 1024
    sheet = sheet_xml(rows, dimension=dimension)
    if kind == "malformed":
        sheet = sheet[: draw(st.integers(0, len(sheet) - 1))] + draw(st.binary(max_size=20))
    return workbook(sheet, extra=extra)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(hostile_sheets())
def test_hostile_workbooks_are_refused_or_read_within_limits(data):
    outcome = read_elsewhere(data)
    assert "crashed" not in outcome, outcome
    if "refused" in outcome:
        assert outcome["refused"]
    else:
        assert outcome["rows"] <= MAX_ROWS and outcome["columns"] <= MAX_COLUMNS
