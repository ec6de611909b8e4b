"""Checking rows of the estate: every problem as {row, column, message}, the vendor
decisions a person must make, and the plan of what to write, all from lookups fetched once."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils.text import slugify

from loti.core.permissions import Action, Data, can
from loti.members import selectors as member_selectors
from loti.techmap import selectors
from loti.techmap.estate_import.columns import (
    CONTRACT_COLUMNS,
    LABELS,
    MAX_LENGTHS,
    SYSTEM_COLUMNS,
    Invalid,
    form_problem,
    header_key,
    is_id,
    parse_companies_house_number,
    parse_date,
    parse_hosting,
    parse_money,
    parse_satisfaction,
    parse_users,
    parse_yes_no,
    printable,
    text,
)
from loti.techmap.matching import VendorIndex, normalise
from loti.techmap.models import (
    Contract,
    Product,
    ProductCategory,
    ServiceArea,
    Vendor,
)

if TYPE_CHECKING:
    from loti.members.models import Organisation

# Problems kept in a preview; the count covers them all.
MAX_PROBLEMS = 5000
# Rows listed against each vendor decision.
MAX_DECISION_ROWS = 20
# A decision's answer for "none of these: add a new vendor".
NEW_VENDOR = "new"
# The vendor key of rows whose vendor awaits a person's decision.
UNDECIDED = "?"
# Rows checked between progress reports.
PROGRESS_EVERY = 1000


@dataclass
class VendorPlan:
    """A vendor the rows refer to: an existing one (`vendor_id`) or one to create."""

    key: str
    name: str
    vendor_id: int | None = None
    companies_house_number: str = ""
    is_sme: bool | None = None
    first_row: dict[str, int] = field(default_factory=dict)
    # Names a person matched to this existing vendor, to remember as its aliases
    # (normalised name -> name as written).
    aliases: dict[str, str] = field(default_factory=dict)


@dataclass
class ProductPlan:
    vendor_key: str
    name: str
    product_id: int | None
    category_id: int | None
    hosting: str = ""
    first_row: dict[str, int] = field(default_factory=dict)


@dataclass
class SystemPlan:
    organisation_id: int
    product_key: tuple[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    first_row: dict[str, int] = field(default_factory=dict)


@dataclass
class ContractPlan:
    row: int
    organisation_id: int
    vendor_key: str
    system_key: tuple[int, tuple[str, str]]
    title: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    extension_options: str
    annual_value: Decimal | None
    total_value: Decimal | None
    procurement_route: str
    is_public: bool


@dataclass
class Preview:
    """What a set of rows would do, and what stops it."""

    organisation: Organisation | None
    user: Any
    source: str
    rows: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)
    problem_count: int = 0
    decisions: dict[str, dict[str, Any]] = field(default_factory=dict)
    matched: dict[str, dict[str, Any]] = field(default_factory=dict)
    vendors: dict[str, VendorPlan] = field(default_factory=dict)
    products: dict[tuple[str, str], ProductPlan] = field(default_factory=dict)
    systems: dict[tuple[int, tuple[str, str]], SystemPlan] = field(default_factory=dict)
    contracts: dict[tuple, ContractPlan] = field(default_factory=dict)
    usual_areas: dict[int, frozenset[int]] = field(default_factory=dict)

    def problem(self, row: int | None, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append({"row": row, "column": column, "message": message})

    @property
    def ready(self) -> bool:
        return not self.problem_count and not self.decisions and self.rows > 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "problem_count": self.problem_count,
            "problems": self.problems,
            "decisions": list(self.decisions.values()),
            "matched_vendors": list(self.matched.values()),
            "new_vendors": sorted(
                plan.name for plan in self.vendors.values() if plan.vendor_id is None
            ),
            "new_products": sum(1 for plan in self.products.values() if plan.product_id is None),
            "systems": len(self.systems),
            "contracts": len(self.contracts),
            "ready": self.ready,
        }


class Lookups:
    """Everything rows are checked against, fetched once."""

    def __init__(self) -> None:
        self.organisations: dict[str, Organisation] = {}
        for organisation in member_selectors.organisations().only(
            "id", "name", "short_name", "slug", "gss_code"
        ):
            for key in (organisation.name, organisation.short_name, organisation.slug):
                self.organisations.setdefault(key.casefold(), organisation)
            if organisation.gss_code:
                self.organisations[organisation.gss_code.casefold()] = organisation
        self.categories: dict[str, int] = {}
        for pk, name, slug in ProductCategory.objects.values_list("id", "name", "slug"):
            self.categories[name.casefold()] = pk
            self.categories.setdefault(slug, pk)
        self.usual_areas: dict[int, set[int]] = defaultdict(set)
        usual = ProductCategory.usual_service_areas.through.objects.values_list(
            "productcategory_id", "servicearea_id"
        )
        for category_id, area_id in usual:
            self.usual_areas[category_id].add(area_id)
        self.areas: dict[str, int] = {}
        for pk, name, slug in ServiceArea.objects.values_list("id", "name", "slug"):
            self.areas[name.casefold()] = pk
            self.areas.setdefault(slug, pk)
        self.vendors: dict[int, dict[str, Any]] = {
            row["id"]: row
            for row in Vendor.objects.values("id", "name", "companies_house_number", "is_sme")
        }
        self.index = VendorIndex(selectors.vendor_names())
        self.companies_house = {
            row["companies_house_number"]: pk
            for pk, row in self.vendors.items()
            if row["companies_house_number"]
        }
        self.products: dict[tuple[int, str], tuple[int, int]] = {}
        for pk, vendor_id, name, category_id in Product.objects.values_list(
            "id", "vendor_id", "name", "category_id"
        ):
            self.products.setdefault((vendor_id, name.casefold()), (pk, category_id))


def validate_rows(
    rows: Iterable[Mapping[str, Any] | tuple[int, Mapping[str, Any]]],
    *,
    organisation: Organisation | None,
    user: Any,
    decisions: Mapping[str, str] | None = None,
    source: str = Contract.Source.SPREADSHEET,
    header_row: int | None = None,
    progress: Any = None,
) -> Preview:
    """Check rows of the estate, each a mapping of column to value (or a (row number,
    mapping) pair as `read_table` gives them; plain mappings are numbered from 1).

    `organisation` is the one the rows are for (blank organisation cells mean it); with
    None, each row names its own and `user` must be allowed to write it. `decisions` maps
    a vendor decision's key to a vendor id (as text) or "new". `progress`, if given, has
    `start(total)` and `advance(by)`.
    """
    if organisation is not None and not can(user, Data.TECHMAP, Action.WRITE, organisation.pk):
        raise PermissionDenied
    numbered = [row if isinstance(row, tuple) else (i, row) for i, row in enumerate(rows, 1)]
    preview = Preview(organisation=organisation, user=user, source=source, rows=len(numbered))
    if progress is not None:
        progress.start(len(numbered))
    if not numbered:
        preview.problem(None, "", "The file has no rows to import")
        return preview
    checker = _RowChecker(preview, Lookups(), organisation, user, decisions or {})
    if not checker.check_columns(numbered, header_row):
        if progress is not None:
            progress.advance(len(numbered))
        return preview
    for done, (number, cells) in enumerate(numbered, start=1):
        checker.check(number, {header_key(key): text(value) for key, value in cells.items()})
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress.advance(PROGRESS_EVERY)
    if progress is not None:
        progress.advance(len(numbered) % PROGRESS_EVERY)
    checker.finish()
    return preview


def cell_form_problems(cells: Mapping[str, str], *, numbers: bool = True) -> list[tuple[str, str]]:
    """(column, message) for each cell of a row (keyed by column, as text) that cannot be
    read as a value of its column at all (see `form_problem`)."""
    found = []
    for column, value in cells.items():
        message = form_problem(column, value, numbers=numbers)
        if message is not None:
            found.append((printable(column), message))
    return found


def malformed_cells(rows: Iterable[tuple[int, Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """{row, column, message} for every cell of the rows that cannot be read as a value of
    its column at all: the problems the API answers with 422, before anything is checked
    against the records."""
    found = []
    for number, cells in rows:
        row = {printable(header_key(str(key))): text(value) for key, value in cells.items()}
        for column, message in cell_form_problems(row):
            found.append({"row": number, "column": column, "message": message})
    return found


class _RowChecker:
    def __init__(
        self,
        preview: Preview,
        lookups: Lookups,
        organisation: Organisation | None,
        user: Any,
        decisions: Mapping[str, str],
    ) -> None:
        self.preview = preview
        self.lookups = lookups
        self.organisation = organisation
        self.user = user
        self.decisions = decisions
        self._organisation_cells: dict[str, Organisation | str] = {}
        self._vendor_cells: dict[str, tuple[str | None, str]] = {}
        self._vendor_keys: dict[str, str | None] = {}
        self._area_cells: dict[str, tuple[frozenset[int], list[str]]] = {}
        self.preview.usual_areas = {
            category: frozenset(areas) for category, areas in lookups.usual_areas.items()
        }

    def check_columns(
        self, numbered: list[tuple[int, Mapping[str, Any]]], header_row: int | None
    ) -> bool:
        seen: dict[str, int] = {}
        for number, cells in numbered:
            for key in cells:
                seen.setdefault(header_key(key), number)
        ok = True
        for key, number in seen.items():
            if key not in LABELS:
                ok = False
                shown = printable(key)
                self.preview.problem(
                    header_row or number,
                    shown,
                    f"There is no column called “{shown}”: use the column names in the template",
                )
        required = ["product", "vendor"] + (["organisation"] if self.organisation is None else [])
        for key in required:
            if key not in seen:
                ok = False
                self.preview.problem(
                    header_row,
                    key,
                    f"The file must have a column called “{key}”",
                )
        return ok

    # One row --------------------------------------------------------------------------

    def check(self, number: int, cells: dict[str, str]) -> None:
        problem = self.preview.problem
        before = self.preview.problem_count
        # A control character stops the row here, before any of it is looked up, stored or
        # repeated in a message. (Numbers in other forms are problems of their columns below.)
        for column, message in cell_form_problems(cells, numbers=False):
            problem(number, column, message)
        if self.preview.problem_count > before:
            return

        def parsed(column: str, parse: Callable[[str], Any]) -> Any:
            value = cells.get(column, "")
            if not value:
                return None
            try:
                return parse(value)
            except Invalid as invalid:
                problem(number, column, str(invalid))
                return None

        for column, limit in MAX_LENGTHS.items():
            if len(cells.get(column, "")) > limit:
                problem(number, column, f"{LABELS[column]} must be {limit} characters or fewer")

        organisation_id = self._organisation(number, cells.get("organisation", ""))
        vendor_key = self._vendor(number, cells.get("vendor", ""))
        product_name = cells.get("product", "")
        if not product_name:
            problem(number, "product", "Enter the product name")
        category_id = parsed("category", self._category)
        hosting = parsed("hosting", parse_hosting) or ""
        area_ids = parsed("service_areas", self._areas)
        in_use_since = parsed("in_use_since", parse_date)
        users = parsed("users", parse_users)
        satisfaction = parsed("satisfaction", parse_satisfaction)
        companies_house = parsed("vendor_companies_house_number", parse_companies_house_number)
        is_sme = parsed(
            "vendor_is_sme",
            lambda v: parse_yes_no(v, "Vendor is SME must be yes, no, or blank if you do not know"),
        )
        contract = self._contract(number, cells, parsed)

        if (
            self.preview.problem_count > before
            or organisation_id is None
            or vendor_key in {None, UNDECIDED}  # waiting for a person's decision
        ):
            return
        vendor = self.preview.vendors[vendor_key]
        what = f"the vendor {vendor.name}"
        if companies_house is not None:
            column = "vendor_companies_house_number"
            self._agree(number, vendor, "companies_house_number", companies_house, column, what)
        if is_sme is not None:
            self._agree(number, vendor, "is_sme", is_sme, "vendor_is_sme", what)
        product = self._product(number, vendor, product_name, category_id, hosting)
        if product is None:
            return
        product_key = (vendor_key, product_name.casefold())
        system_key = (organisation_id, product_key)
        system = self.preview.systems.get(system_key)
        if system is None:
            system = self.preview.systems[system_key] = SystemPlan(organisation_id, product_key)
        label = f"{product.name} at this organisation"
        for name, value in (
            ("in_use_since", in_use_since),
            ("users", users),
            ("satisfaction", satisfaction),
            ("notes", cells.get("system_notes", "") or None),
            ("service_areas", area_ids),
        ):
            if value is not None:
                self._agree(number, system, name, value, SYSTEM_COLUMNS[name], label)
        if contract is not None:
            title, starts_on, fields = contract
            key = (organisation_id, vendor_key, title, starts_on)
            if key in self.preview.contracts:
                problem(
                    number,
                    "contract_title",
                    f"This contract is also on row {self.preview.contracts[key].row}: "
                    "give each contract one row",
                )
                return
            self.preview.contracts[key] = ContractPlan(
                row=number,
                organisation_id=organisation_id,
                vendor_key=vendor_key,
                system_key=system_key,
                title=title,
                starts_on=starts_on,
                **fields,
            )

    def _agree(self, number: int, plan: Any, name: str, value: Any, column: str, what: str) -> None:
        """Rows that share a vendor, product or system must agree about it; a blank cell
        leaves the value to the other rows."""
        current = plan.values.get(name) if isinstance(plan, SystemPlan) else getattr(plan, name)
        if current in (None, "") or current == value:
            if isinstance(plan, SystemPlan):
                plan.values[name] = value
            else:
                setattr(plan, name, value)
            plan.first_row.setdefault(name, number)
            return
        self.preview.problem(
            number,
            column,
            f"Row {plan.first_row.get(name, '?')} gives a different {LABELS[column].lower()} "
            f"for {what}: give the same on every row, or leave it blank",
        )

    def _organisation(self, number: int, cell: str) -> int | None:
        problem = self.preview.problem
        if not cell:
            if self.organisation is not None:
                return self.organisation.pk
            problem(number, "organisation", "Enter the organisation: its GSS code, slug or name")
            return None
        if cell not in self._organisation_cells:
            found = self.lookups.organisations.get(cell.casefold())
            if found is None:
                result: Organisation | str = (
                    f"There is no organisation with the GSS code, slug or name “{cell}”"
                )
            elif self.organisation is not None and found.pk != self.organisation.pk:
                result = (
                    f"This import is for {self.organisation.short_name}: leave the "
                    f"organisation blank, or enter {self.organisation.short_name}"
                )
            elif not can(self.user, Data.TECHMAP, Action.WRITE, found.pk):
                result = f"You cannot import systems for {found.short_name}"
            else:
                result = found
            self._organisation_cells[cell] = result
        result = self._organisation_cells[cell]
        if isinstance(result, str):
            problem(number, "organisation", result)
            return None
        return result.pk

    def _vendor(self, number: int, cell: str) -> str | None:
        """The key of the vendor's plan; "?" while a person has yet to decide; None if the
        cell is unusable."""
        if not cell:
            self.preview.problem(number, "vendor", "Enter the vendor name")
            return None
        if cell not in self._vendor_cells:
            normalised = normalise(cell)
            # Names alike once normalised are one vendor, and share one decision.
            if normalised not in self._vendor_keys:
                self._vendor_keys[normalised] = self._resolve_vendor(cell, normalised)
            self._vendor_cells[cell] = (self._vendor_keys[normalised], normalised)
        key, normalised = self._vendor_cells[cell]
        if key is None:
            self.preview.problem(
                number, "vendor", "The vendor name must include letters or numbers"
            )
        elif key == UNDECIDED:
            decision = self.preview.decisions[normalised]
            decision["row_count"] += 1
            if len(decision["rows"]) < MAX_DECISION_ROWS:
                decision["rows"].append(number)
        return key

    def _resolve_vendor(self, name: str, normalised: str) -> str | None:
        if not normalised:
            return None
        vendors = self.lookups.vendors
        match = self.lookups.index.match(name)
        if match.status in {"exact", "fuzzy"}:
            if match.status == "fuzzy" and normalised not in self.preview.matched:
                self.preview.matched[normalised] = {
                    "name": name,
                    "vendor": vendors[match.vendor_id]["name"],
                    "score": round(match.score),
                }
            return self._existing_vendor(match.vendor_id)
        if match.status == "new":
            return self._new_vendor(normalised, name)
        decided = str(self.decisions.get(normalised, ""))
        if decided == NEW_VENDOR:
            return self._new_vendor(normalised, name)
        if is_id(decided) and int(decided) in vendors:
            key = self._existing_vendor(int(decided))
            self.preview.vendors[key].aliases.setdefault(normalised, name)
            return key
        suggestions: dict[int, dict[str, Any]] = {}
        for suggestion in match.suggestions:
            suggestions.setdefault(
                suggestion.vendor_id,
                {
                    "vendor_id": suggestion.vendor_id,
                    "name": vendors[suggestion.vendor_id]["name"],
                    "matched_name": suggestion.name,
                    "score": round(suggestion.score),
                },
            )
        self.preview.decisions[normalised] = {
            "key": normalised,
            "name": name,
            "suggestions": list(suggestions.values()),
            "rows": [],
            "row_count": 0,
        }
        return UNDECIDED

    def _existing_vendor(self, vendor_id: int) -> str:
        key = f"#{vendor_id}"
        if key not in self.preview.vendors:
            name = self.lookups.vendors[vendor_id]["name"]
            self.preview.vendors[key] = VendorPlan(key=key, name=name, vendor_id=vendor_id)
        return key

    def _new_vendor(self, normalised: str, name: str) -> str:
        if normalised not in self.preview.vendors:
            self.preview.vendors[normalised] = VendorPlan(key=normalised, name=name)
        return normalised

    def _category(self, value: str) -> int:
        category_id = self.lookups.categories.get(value.casefold()) or self.lookups.categories.get(
            slugify(value)
        )
        if category_id is None:
            raise Invalid(f"There is no product category called “{value}”")
        return category_id

    def _areas(self, value: str) -> frozenset[int]:
        if value not in self._area_cells:
            ids, unknown = set(), []
            for name in (part.strip() for part in value.split(";")):
                if not name:
                    continue
                area_id = self.lookups.areas.get(name.casefold()) or self.lookups.areas.get(
                    slugify(name)
                )
                if area_id is None:
                    unknown.append(name)
                else:
                    ids.add(area_id)
            self._area_cells[value] = (frozenset(ids), unknown)
        ids, unknown = self._area_cells[value]
        if unknown:
            raise Invalid(
                " ".join(f"There is no service area called “{name}”." for name in unknown)[:-1]
            )
        return ids

    def _product(
        self, number: int, vendor: VendorPlan, name: str, category_id: int | None, hosting: str
    ) -> ProductPlan | None:
        key = (vendor.key, name.casefold())
        plan = self.preview.products.get(key)
        if plan is None:
            existing = (
                self.lookups.products.get((vendor.vendor_id, name.casefold()))
                if vendor.vendor_id is not None
                else None
            )
            if existing is not None:
                plan = ProductPlan(
                    vendor.key, name, product_id=existing[0], category_id=existing[1]
                )
            else:
                if category_id is None:
                    self.preview.problem(
                        number,
                        "category",
                        f"Enter the category: {name} from {vendor.name} is a new product",
                    )
                    return None
                plan = ProductPlan(vendor.key, name, product_id=None, category_id=category_id)
                plan.first_row["category_id"] = number
            self.preview.products[key] = plan
        if plan.product_id is None:
            what = f"the new product {name}"
            if category_id is not None and category_id != plan.category_id:
                self.preview.problem(
                    number,
                    "category",
                    f"Row {plan.first_row['category_id']} gives a different category for "
                    f"{what}: give the same on every row, or leave it blank",
                )
            if hosting:
                self._agree(number, plan, "hosting", hosting, "hosting", what)
        return plan

    def _contract(
        self, number: int, cells: dict[str, str], parsed: Callable[[str, Callable], Any]
    ) -> tuple[str, datetime.date | None, dict[str, Any]] | None:
        title = cells.get("contract_title", "")
        if not title:
            if any(cells.get(column) for column in CONTRACT_COLUMNS):
                self.preview.problem(
                    number,
                    "contract_title",
                    "Enter the contract title, or leave all the contract columns blank",
                )
            return None
        starts_on = parsed("contract_start", parse_date)
        ends_on = parsed("contract_end", parse_date)
        if starts_on and ends_on and ends_on < starts_on:
            self.preview.problem(number, "contract_end", "The contract ends before it starts")
        public = parsed(
            "contract_public", lambda v: parse_yes_no(v, "Contract public must be yes or no")
        )
        return (
            title,
            starts_on,
            {
                "ends_on": ends_on,
                "extension_options": cells.get("extension_options", ""),
                "annual_value": parsed("annual_value", lambda v: parse_money(v, "Annual value")),
                "total_value": parsed("total_value", lambda v: parse_money(v, "Total value")),
                "procurement_route": cells.get("procurement_route", ""),
                "is_public": bool(public),
            },
        )

    # After every row ----------------------------------------------------------------------

    def finish(self) -> None:
        """Checks across rows: Companies House numbers belong to one vendor each."""
        owners = self.lookups.companies_house
        claimed: dict[str, VendorPlan] = {}
        for plan in self.preview.vendors.values():
            number = plan.companies_house_number
            if not number:
                continue
            owner = owners.get(number)
            row = plan.first_row.get("companies_house_number")
            if owner is not None and owner != plan.vendor_id:
                self.preview.problem(
                    row,
                    "vendor_companies_house_number",
                    f"Companies House number {number} belongs to "
                    f"{self.lookups.vendors[owner]['name']}, not {plan.name}",
                )
            elif number in claimed and row is not None:
                self.preview.problem(
                    row,
                    "vendor_companies_house_number",
                    f"Companies House number {number} is given for {claimed[number].name} "
                    f"too: each vendor has its own",
                )
            claimed.setdefault(number, plan)
