"""The estate spreadsheet's columns, what each accepts, and how a cell is read."""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from loti.core.spreadsheets import CONTROL_CHARACTERS, unneutralise
from loti.techmap.models import Product


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    guidance: str
    required: str = "No"


COLUMNS = [
    Column(
        "organisation",
        "Organisation",
        "The organisation's GSS code (like E09000003), its short web name (like barnet) or "
        "its full name. Leave blank when importing for your own organisation.",
        "When importing for more than one organisation",
    ),
    Column("product", "Product", "The product's name, like Civica CX.", "Yes"),
    Column("vendor", "Vendor", "The supplier's name, like Civica.", "Yes"),
    Column(
        "category",
        "Category",
        "The kind of product, by its name in the technology map (like Housing management "
        "system). Used only for a product new to the map.",
        "For a new product",
    ),
    Column(
        "hosting",
        "Hosting",
        "On premises, hosted or SaaS (software as a service). Used only for a product new "
        "to the map.",
    ),
    Column(
        "service_areas",
        "Service areas",
        "The services it is used for, by name, separated by semicolons (like Housing "
        "benefit; Council tax). Leave blank for the usual services of its category.",
    ),
    Column("in_use_since", "In use since", "A date, like 31/03/2027 or 2027-03-31."),
    Column("users", "Users", "How many people use it: a whole number, like 250."),
    Column(
        "satisfaction",
        "Satisfaction",
        "From 1 (very dissatisfied) to 5 (very satisfied). Seen only by members.",
    ),
    Column("system_notes", "System notes", "Anything else about the system. Seen only by members."),
    Column(
        "contract_title",
        "Contract title",
        "The contract's title. Leave this and the other contract columns blank for a "
        "system with no contract.",
        "For a contract",
    ),
    Column("contract_start", "Contract start", "A date, like 01/04/2024 or 2024-04-01."),
    Column("contract_end", "Contract end", "A date, like 31/03/2027 or 2027-03-31."),
    Column("extension_options", "Extension options", "Any extensions, like 1 + 1 years."),
    Column(
        "annual_value",
        "Annual value",
        "In pounds, like 30000 or £30,000.00. Seen only by members unless the contract is public.",
    ),
    Column(
        "total_value",
        "Total value",
        "In pounds, over the whole contract. Seen only by members unless the contract is public.",
    ),
    Column("procurement_route", "Procurement route", "The route or framework, like G-Cloud 14."),
    Column(
        "contract_public",
        "Contract public",
        "Yes if the contract's values may be shown to the public (its notes and the "
        "system's satisfaction and notes never are); otherwise no.",
    ),
    Column(
        "vendor_companies_house_number",
        "Vendor Companies House number",
        "Like 01234567 or SC123456. Recorded only if the vendor has none yet.",
    ),
    Column(
        "vendor_is_sme",
        "Vendor is SME",
        "Yes if the vendor is a small or medium-sized enterprise, no if not, blank if you "
        "do not know. Recorded only if not known yet.",
    ),
]
HEADERS = [column.key for column in COLUMNS]
LABELS = {column.key: column.label for column in COLUMNS}

# A system's fields and the columns they come from.
SYSTEM_COLUMNS = {
    "in_use_since": "in_use_since",
    "users": "users",
    "satisfaction": "satisfaction",
    "notes": "system_notes",
    "service_areas": "service_areas",
}
CONTRACT_COLUMNS = (
    "contract_title",
    "contract_start",
    "contract_end",
    "extension_options",
    "annual_value",
    "total_value",
    "procurement_route",
    "contract_public",
)
MAX_LENGTHS = {
    "product": 200,
    "vendor": 200,
    "contract_title": 300,
    "extension_options": 100,
    "procurement_route": 200,
}
HOSTING = {
    "on premises": Product.Hosting.ON_PREMISES,
    "on premise": Product.Hosting.ON_PREMISES,
    "on prem": Product.Hosting.ON_PREMISES,
    "hosted": Product.Hosting.HOSTED,
    "saas": Product.Hosting.SAAS,
    "software as a service": Product.Hosting.SAAS,
}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
MAX_MONEY = Decimal(10) ** 12
MAX_USERS = 2_147_483_647
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][0-9:.]*)?")
UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
DATE_FORMAT = "Enter a date in the format 31/03/2027 or 2027-03-31"


@functools.lru_cache(maxsize=256)
def header_key(header: str) -> str:
    """ "Contract title", "contract-title" and "contract_title" are one column."""
    return re.sub(r"[\s\-]+", "_", header.strip().lower())


def text(value: Any) -> str:
    """A cell from a spreadsheet or a JSON value, as stripped text."""
    if type(value) is str:
        # An export protects cells that would start a formula with a quote; it comes off.
        return unneutralise(value.strip())
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


class Invalid(Exception):
    """A cell's value is not acceptable; the message says why."""


def parse_date(value: str) -> datetime.date:
    iso, uk = ISO_DATE.fullmatch(value), UK_DATE.fullmatch(value)
    if iso:
        year, month, day = iso.groups()
    elif uk:
        day, month, year = uk.groups()
    else:
        raise Invalid(DATE_FORMAT)
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError as exc:
        raise Invalid(
            f"Enter a real date in the format 31/03/2027 or 2027-03-31: {value} is not a date"
        ) from exc


MONEY_FORMAT = "{label} must be an amount in pounds, like 30000 or £30,000.00"
# What a number may be written with: ASCII digits (not "²" or other scripts' digits, which
# str.isdigit accepts), and for an amount its separators, point and pound sign.
WHOLE_NUMBER = re.compile(r"[0-9][0-9,]*")
AMOUNT = re.compile(r"-?£?\s*-?([0-9][0-9, ]*(\.[0-9]*)?|\.[0-9]+)")
USERS_FORMAT = "Users must be a whole number, like 250"


def parse_money(value: str, label: str) -> Decimal:
    cleaned = value.replace(",", "").replace(" ", "").removeprefix("£")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise Invalid(MONEY_FORMAT.format(label=label)) from exc
    if not amount.is_finite():
        raise Invalid(MONEY_FORMAT.format(label=label))
    if amount < 0:
        raise Invalid(f"{label} must be £0 or more")
    # Before rounding to pence: a huge amount (1e26) has more digits than rounding can hold.
    if amount >= MAX_MONEY:
        raise Invalid(f"{label} must be less than £1,000,000,000,000")
    try:
        pence = amount.quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise Invalid(MONEY_FORMAT.format(label=label)) from exc
    if amount != pence:
        raise Invalid(f"{label} must be in pounds and pence, like 30000.50")
    return pence


def parse_users(value: str) -> int:
    cleaned = value.replace(",", "")
    # Ten digits hold MAX_USERS; a longer number is refused before int() reads it.
    if not WHOLE_NUMBER.fullmatch(value) or len(cleaned) > 10 or int(cleaned) > MAX_USERS:
        raise Invalid(USERS_FORMAT)
    return int(cleaned)


def is_id(value: str) -> bool:
    """Whether a decision's answer is a record's id: ASCII digits, at most 18 of them."""
    return bool(re.fullmatch(r"[0-9]{1,18}", value))


# Columns whose cells are numbers, and what a cell that is not written as one is told.
NUMBER_FORMS = {
    "users": (WHOLE_NUMBER, USERS_FORMAT),
    "satisfaction": (WHOLE_NUMBER, "Satisfaction must be a whole number from 1 to 5"),
    "annual_value": (AMOUNT, MONEY_FORMAT.format(label="Annual value")),
    "total_value": (AMOUNT, MONEY_FORMAT.format(label="Total value")),
}


def printable(value: str) -> str:
    """Text with its control characters shown as "\\x00" and the like, safe to store and to
    show in a message."""
    return CONTROL_CHARACTERS.sub(lambda match: f"\\x{ord(match.group()):02x}", value)


def form_problem(column: str, value: str, *, numbers: bool = True) -> str | None:
    """Why a cell cannot be read as a value of its column at all, whatever the rest of the
    row says: a control character (other than tab and new lines), which the database cannot
    store or a person cannot see, or (unless `numbers` is false) a number written with other
    than ASCII digits, such as 1e26 or ²."""
    control = CONTROL_CHARACTERS.search(value)
    if control:
        label = LABELS.get(column, printable(column))
        return (
            f"{label} has a control character ({printable(control.group())}) that cannot "
            "be imported: remove it"
        )
    form = NUMBER_FORMS.get(column) if numbers else None
    if value and form is not None and not form[0].fullmatch(value):
        return form[1]
    return None


def parse_satisfaction(value: str) -> int:
    if value not in {"1", "2", "3", "4", "5"}:
        raise Invalid("Satisfaction must be a whole number from 1 to 5")
    return int(value)


def parse_yes_no(value: str, message: str) -> bool:
    lowered = value.lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    raise Invalid(message)


def parse_hosting(value: str) -> str:
    key = re.sub(r"[\s_\-]+", " ", value.lower()).strip()
    if key not in HOSTING:
        raise Invalid("Hosting must be on premises, hosted or SaaS")
    return HOSTING[key]


def parse_companies_house_number(value: str) -> str:
    number = value.upper().replace(" ", "")
    # Spreadsheets drop the leading zeros of numbers such as 01234567.
    if re.fullmatch(r"[0-9]{1,7}", number):
        number = number.zfill(8)
    if not re.fullmatch(r"[0-9]{8}|[A-Z]{2}[0-9]{6}", number):
        raise Invalid(
            "Enter a Companies House number in the correct format, like 01234567 or SC123456"
        )
    return number
