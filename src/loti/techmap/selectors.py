"""Reads for the technology map, each scoped to the acting user.

Who uses which product and when contracts end is public. Who may read a contract's values
and a system's satisfaction and notes is decided here, in `contracts_seen_by` and
`systems_seen_by`, and nowhere else:

- a member who may read contract details (`Data.CONTRACT_DETAILS`) sees everything;
- everyone else (the public, partners) sees a contract's annual and total value only when
  the contract is marked public, and never its notes or a system's satisfaction or notes:
  marking a contract public publishes its values, nothing more.

They annotate what the viewer may see (`seen_annual_value`, `seen_total_value`,
`seen_notes`, `seen_satisfaction`, NULL or empty where hidden, and `values_seen` /
`notes_seen` saying whether they are hidden); pages, the API, the export and the market
read only those.
"""

from __future__ import annotations

import datetime
import functools
import json
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    Expression,
    F,
    OuterRef,
    PositiveSmallIntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import ExtractQuarter, ExtractYear, RowNumber
from django.shortcuts import get_object_or_404
from django.urls import reverse

from loti.core.access import get_for_user
from loti.core.bulk import cyclic_gc_paused
from loti.core.models import MONEY, TaskProgress
from loti.core.money import money
from loti.core.permissions import Action, Data, can, is_office, reads_all
from loti.members import selectors as member_selectors
from loti.techmap import market, peers
from loti.techmap import opportunities as finder
from loti.techmap.models import (
    Contract,
    Notice,
    NoticeAward,
    OcdsImport,
    OpportunityInterest,
    Product,
    ProductCategory,
    ServiceArea,
    SkillArea,
    SkillLevel,
    System,
    Vendor,
    VendorAlias,
)

if TYPE_CHECKING:
    from loti.members.models import Organisation

MAP_PAGE_SIZE = 20
MAP_CELL_PRODUCTS = 3
HIDDEN = "Shown to members only"


def _details_read(user: Any, *, owner: str = "organisation_id") -> bool | Q:
    """Which rows' details `user` may read, decided once: True for every row, False for
    none, or a condition (their own organisation's rows, should a role read only those)."""
    if reads_all(user, Data.CONTRACT_DETAILS):
        return True
    own = getattr(user, "organisation_id", None)
    if own is not None and can(user, Data.CONTRACT_DETAILS, organisation_id=own):
        return Q(**{owner: own})
    return False


def _shown_if(condition: bool | Q, field: str, hidden: Value) -> Expression:
    """`field` where `condition` holds, `hidden` elsewhere."""
    if condition is True:
        return F(field)
    if condition is False:
        return hidden
    return Case(When(condition, then=F(field)), default=hidden, output_field=hidden.output_field)


def _flag(condition: bool | Q) -> Expression:
    if isinstance(condition, bool):
        return Value(condition)
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


class _SeenMoney(DecimalField):
    """A money value chosen by an expression, to its pennies as a column would be read (the
    SQLite backend quantizes only plain columns)."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def _no_money() -> Value:
    return Value(
        None,
        output_field=_SeenMoney(
            max_digits=MONEY["max_digits"], decimal_places=MONEY["decimal_places"]
        ),
    )


def contracts_seen_by(user: Any, queryset: QuerySet[Contract] | None = None) -> QuerySet[Contract]:
    """`queryset` (every contract by default) annotated with what `user` may read of each:
    `seen_annual_value` and `seen_total_value` (NULL where hidden), `seen_notes` (empty
    where hidden), and `values_seen` / `notes_seen` saying whether they are shown."""
    contracts = Contract.objects.all() if queryset is None else queryset
    details = _details_read(user)
    values = True if details is True else Q(is_public=True) | (details or Q())
    return contracts.annotate(
        seen_annual_value=_shown_if(values, "annual_value", _no_money()),
        seen_total_value=_shown_if(values, "total_value", _no_money()),
        seen_notes=_shown_if(details, "notes", Value("", output_field=CharField())),
        values_seen=_flag(values),
        notes_seen=_flag(details),
    )


def systems_seen_by(user: Any, queryset: QuerySet[System] | None = None) -> QuerySet[System]:
    """`queryset` (every system by default) annotated with what `user` may read of each:
    `seen_satisfaction` (NULL where hidden), `seen_notes` (empty where hidden) and
    `notes_seen` saying whether both are shown. Members only, whatever the contracts."""
    systems = System.objects.all() if queryset is None else queryset
    details = _details_read(user)
    return systems.annotate(
        seen_satisfaction=_shown_if(
            details, "satisfaction", Value(None, output_field=PositiveSmallIntegerField())
        ),
        seen_notes=_shown_if(details, "notes", Value("", output_field=CharField())),
        notes_seen=_flag(details),
    )


def values_complete(user: Any) -> bool:
    """Whether every contract's value counts in totals `user` sees, or only published ones."""
    return _details_read(user) is True


def estate_is_synthetic() -> bool:
    """Whether the map holds systems made up by the demo."""
    return System.objects.filter(synthetic=True).exists()


def service_areas() -> QuerySet[ServiceArea]:
    return ServiceArea.objects.select_related("function")


def categories() -> QuerySet[ProductCategory]:
    return ProductCategory.objects.all()


def vendor_names() -> list[tuple[int, str]]:
    """Every vendor's name and every alias, as (vendor id, name): what imports match
    supplier names against."""
    return [
        *Vendor.objects.values_list("id", "name"),
        *VendorAlias.objects.values_list("vendor_id", "name"),
    ]


SERVICE_AREA_KEYWORDS = Path(__file__).parent / "data" / "service_area_keywords.json"


@functools.cache
def service_area_keywords() -> dict[str, list[str]]:
    """The words that place a published tender in each service area (by area name)."""
    return json.loads(SERVICE_AREA_KEYWORDS.read_text(encoding="utf-8"))["areas"]


def open_tenders(
    *,
    now: datetime.datetime,
    area: ServiceArea | None = None,
    organisation: Organisation | None = None,
) -> QuerySet[Notice]:
    """Members' technology tenders that are open or planned and close after `now`, soonest
    first. Public: published notices hide nothing."""
    tenders = Notice.objects.filter(
        is_technology=True,
        tender_status__in=[Notice.TenderStatus.ACTIVE, Notice.TenderStatus.PLANNED],
        closes_at__gt=now,
    )
    if area is not None:
        tenders = tenders.filter(service_areas=area)
    if organisation is not None:
        tenders = tenders.filter(organisation=organisation)
    return tenders.select_related("organisation").order_by("closes_at", "ocid")


def tender_for(*, pk: int) -> Notice:
    """A technology notice as published (notices are public), or a 404."""
    return get_object_or_404(
        Notice.objects.filter(is_technology=True)
        .select_related("organisation")
        .prefetch_related("service_areas"),
        pk=pk,
    )


def open_tenders_by_area(*, now: datetime.datetime) -> list[tuple[str, int]]:
    """How many open tenders each service area has, most first; those in no area last."""
    tenders = open_tenders(now=now)
    counts = list(
        ServiceArea.objects.filter(notices__in=tenders)
        .values_list("name")
        .annotate(count=Count("notices"))
        .order_by("-count", "name")
    )
    unplaced = tenders.filter(service_areas__isnull=True).count()
    if unplaced:
        counts.append(("No service area recognised", unplaced))
    return counts


def tender_buyers(*, now: datetime.datetime) -> QuerySet[Organisation]:
    """The organisations with open tenders, for choosing among."""
    return member_selectors.organisations().filter(notices__in=open_tenders(now=now)).distinct()


@dataclass(frozen=True)
class Conflict:
    field: str
    label: str
    ours: str
    notice: str


SEEN_VALUES = {"annual_value": "seen_annual_value", "total_value": "seen_total_value"}


def contract_notice(contract: Contract) -> tuple[Any, list[Conflict]]:
    """The published notice award a contract was imported from (or None), and where a
    person's edits and a newer notice disagree. `contract` comes from `contract_for`: a
    money value it may not show is written as shown to members only."""
    award = NoticeAward.objects.select_related("notice").filter(contract=contract).first()
    if award is None:
        return None, []
    conflicts = []
    for name, value in award.conflicts.items():
        field = Contract._meta.get_field(name)
        label = str(field.verbose_name).capitalize()
        if name in SEEN_VALUES and not contract.values_seen:
            conflicts.append(Conflict(name, label, HIDDEN, HIDDEN))
            continue
        notice = field.to_python(value)
        ours = getattr(contract, SEEN_VALUES.get(name, name))
        if name == "vendor_id":
            vendors = Vendor.objects.in_bulk([ours, notice])
            ours, notice = vendors.get(ours), vendors.get(notice)
        conflicts.append(Conflict(name, label, _shown(ours), _shown(notice)))
    return award, conflicts


def _shown(value: Any) -> str:
    """A contract field's value as the contract's page writes it."""
    if value is None or value == "":
        return "Not known"
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, Decimal):
        return money(value)
    return str(value)


@dataclass
class MapCell:
    products: list[tuple[str, str]]  # (name, slug), at most MAP_CELL_PRODUCTS of them
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.products)


@dataclass
class MapPage:
    areas: list[ServiceArea]
    page: Any
    cells: dict[tuple[int, int], MapCell]

    def rows(self) -> list[tuple[Organisation, list[MapCell | None]]]:
        return [
            (organisation, [self.cells.get((organisation.pk, area.pk)) for area in self.areas])
            for organisation in self.page
        ]

    def coverage(self) -> list[tuple[str, int]]:
        """For each service area, how many of this page's organisations record a system."""
        counts = Counter(area_id for _, area_id in self.cells)
        return [(area.name, counts[area.pk]) for area in self.areas]


def technology_map(*, user: Any, page: Any = 1, function: str | None = None) -> MapPage:
    """Organisations × service areas, each cell the first products in use (by name) and how
    many there are in all: one query for the page of organisations, one for the areas and
    one, ranked in the database, for every cell on the page."""
    organisations = (
        member_selectors.organisations()
        .filter(Exists(System.objects.filter(organisation=OuterRef("pk"))))
        .order_by("short_name")
    )
    paginated = Paginator(organisations, MAP_PAGE_SIZE).get_page(page)
    areas = list(service_areas().filter(function__slug=function) if function else service_areas())
    cell = [F("system__organisation_id"), F("servicearea_id")]
    links = System.service_areas.through.objects.filter(
        system__organisation__in=[o.pk for o in paginated]
    )
    if function:
        links = links.filter(servicearea__in=[a.pk for a in areas])
    rows = (
        links.annotate(
            rank=Window(RowNumber(), partition_by=cell, order_by=F("system__product__name").asc()),
            in_cell=Window(Count("pk"), partition_by=cell),
        )
        .filter(rank__lte=MAP_CELL_PRODUCTS)
        .values_list(
            "system__organisation_id",
            "servicearea_id",
            "system__product__name",
            "system__product__slug",
            "in_cell",
        )
        .order_by("system__organisation_id", "servicearea_id", "rank")
    )
    cells: dict[tuple[int, int], MapCell] = {}
    for organisation_id, area_id, name, slug, total in rows:
        cells.setdefault((organisation_id, area_id), MapCell([], total)).products.append(
            (name, slug)
        )
    return MapPage(areas=areas, page=paginated, cells=cells)


def products_per_area() -> list[tuple[str, int]]:
    """How many different products are in use for each service area, most first."""
    rows = (
        ServiceArea.objects.annotate(products=Count("systems__product", distinct=True))
        .filter(products__gt=0)
        .order_by("-products", "name")
        .values_list("name", "products")
    )
    return list(rows)


def organisation_estate(*, user: Any, organisation: Organisation) -> dict[str, Any]:
    systems = systems_seen_by(
        user,
        System.objects.filter(organisation=organisation)
        .select_related("product__vendor", "product__category")
        .prefetch_related("service_areas")
        .order_by("product__name", "pk"),
    )
    contracts = contracts_seen_by(
        user,
        Contract.objects.filter(organisation=organisation)
        .select_related("vendor", "system__product")
        .order_by("ends_on", "title", "pk"),
    )
    return {"systems": systems, "contracts": contracts}


def system_for(*, user: Any, pk: int, action: Action = Action.READ) -> System:
    """The system with what `user` may read of it annotated (see `systems_seen_by`)."""
    return get_for_user(
        systems_seen_by(
            user,
            System.objects.select_related("organisation", "product__vendor", "product__category"),
        ),
        user,
        Data.TECHMAP,
        action=action,
        pk=pk,
    )


def contract_for(*, user: Any, pk: int, action: Action = Action.READ) -> Contract:
    """The contract with what `user` may read of it annotated (see `contracts_seen_by`)."""
    return get_for_user(
        contracts_seen_by(
            user, Contract.objects.select_related("organisation", "vendor", "system__product")
        ),
        user,
        Data.TECHMAP,
        action=action,
        pk=pk,
    )


def product_for(*, slug: str) -> Product:
    return get_object_or_404(Product.objects.select_related("vendor", "category"), slug=slug)


def vendor_for(*, slug: str) -> Vendor:
    return get_object_or_404(Vendor.objects.prefetch_related("aliases"), slug=slug)


@dataclass(frozen=True)
class ProductUser:
    system_id: int
    organisation: str
    in_use_since: datetime.date | None
    services: list[str]
    contract_ends: list[datetime.date | None]  # soonest first, unknown last


@dataclass(frozen=True)
class ProductUsage:
    page: Page  # of ProductUser
    contract_ends: list[datetime.date | None]  # of every contract for the product


def product_usage(*, product: Product, page: Any, per_page: int) -> ProductUsage:
    """Who uses a product, a page at a time: since when, for which services and when their
    contracts for it end; and when every contract for it ends. Four queries: the page's
    systems (counted and sliced), their services, and every contract for the product (a few
    hundred at most), which gives both the page's end dates and all of them."""
    systems = (
        System.objects.filter(product=product)
        .order_by("organisation__short_name", "pk")
        .values_list("pk", "organisation__short_name", "in_use_since")
    )
    paginated = Paginator(systems, per_page).get_page(page)
    services = defaultdict(list)
    for system_id, name in (
        System.service_areas.through.objects.filter(system_id__in=[pk for pk, _, _ in paginated])
        .order_by("servicearea__name")
        .values_list("system_id", "servicearea__name")
    ):
        services[system_id].append(name)
    contracts = list(
        Contract.objects.filter(system__product=product)
        .order_by(F("ends_on").asc(nulls_last=True), "pk")
        .values_list("system_id", "ends_on")
    )
    ends = defaultdict(list)
    for system_id, ends_on in contracts:
        ends[system_id].append(ends_on)
    paginated.object_list = [
        ProductUser(pk, organisation, since, services[pk], ends[pk])
        for pk, organisation, since in paginated
    ]
    return ProductUsage(paginated, [ends_on for _, ends_on in contracts])


def system_contracts(*, user: Any, system: System) -> QuerySet[Contract]:
    """A system's contracts, with what `user` may read of them."""
    return contracts_seen_by(user, system.contracts.select_related("vendor"))


def vendor_usage(*, user: Any, vendor: Vendor) -> dict[str, Any]:
    products = (
        Product.objects.filter(vendor=vendor)
        .select_related("category")
        .annotate(organisations=Count("systems__organisation", distinct=True))
        .order_by("-organisations", "name", "pk")
    )
    contracts = contracts_seen_by(
        user,
        Contract.objects.filter(vendor=vendor)
        .select_related("organisation", "vendor", "system__product")
        .order_by("ends_on", "pk"),
    )
    return {"products": products, "contracts": contracts}


def catalogue(*, query: str = "") -> QuerySet[Product]:
    # An organisation has at most one system per product, so counting systems counts
    # organisations, without the cost of DISTINCT.
    products = Product.objects.select_related("vendor", "category").annotate(
        organisations=Count("systems")
    )
    if query:
        products = products.filter(
            Q(name__icontains=query)
            | Q(vendor__name__icontains=query)
            | Q(category__name__icontains=query)
        )
    return products.order_by("-organisations", "name")


def add_months(day: datetime.date, months: int) -> datetime.date:
    return finder.add_months(day, months)


def expiring_contracts(
    *, user: Any, today: datetime.date, months: int = 36, area: str | None = None
) -> QuerySet[Contract]:
    """Contracts ending from today to `months` ahead, soonest first, optionally for one area."""
    contracts = Contract.objects.filter(ends_on__gte=today, ends_on__lte=add_months(today, months))
    if area:
        contracts = contracts.filter(system__service_areas__slug=area)
    return contracts_seen_by(
        user,
        contracts.select_related("organisation", "vendor", "system__product").order_by(
            "ends_on", "organisation__short_name", "pk"
        ),
    )


def expiry_by_quarter(contracts: QuerySet[Contract]) -> dict[tuple[int, int], int]:
    """(year, quarter) -> how many of `contracts` end in it, counted by the database."""
    rows = (
        contracts.order_by()
        .annotate(year=ExtractYear("ends_on"), quarter=ExtractQuarter("ends_on"))
        .values_list("year", "quarter")
        .annotate(count=Count("pk"))
    )
    return {(year, quarter): count for year, quarter, count in rows}


def _opportunity_groups(
    *, user: Any, today: datetime.date, horizon_months: int, area: str | None = None
) -> tuple[list[finder.Group], finder.Names]:
    """Every contract ending within the horizon, in the group of each service area its system
    serves (or only of `area`, a slug), as the opportunity finder's input, with the value
    `user` may see and its product's category (a facet of the opportunity, not a group of
    its own). One query reads them, ordered by area and then end date, so each group's rows
    arrive together and sorted."""
    last = add_months(today, horizon_months)
    # Names first, then only contracts of organisations and vendors already named: one created
    # meanwhile (with a higher id) waits for the next look, and one merged or removed meanwhile
    # takes its contracts with it, so every id in a row has a name.
    names = finder.Names(
        organisations=dict(
            member_selectors.organisations().order_by().values_list("pk", "short_name")
        ),
        vendors=dict(Vendor.objects.order_by().values_list("pk", "name")),
        categories=dict(ProductCategory.objects.order_by().values_list("pk", "name")),
    )
    ending = Contract.objects.filter(
        ends_on__gte=today,
        ends_on__lte=last,
        system__isnull=False,
        organisation_id__lte=max(names.organisations, default=0),
        vendor_id__lte=max(names.vendors, default=0),
    )
    # One row per contract and service area its system serves, ordered by area and then as
    # the finder reads a group: each area's rows are one run of the list, sliced out below.
    rows = (
        contracts_seen_by(user, ending)
        .annotate(area_id=F("system__service_areas"))
        .filter(area_id__isnull=False)
    )
    areas = ServiceArea.objects.order_by("pk")
    if area:
        areas = areas.filter(slug=area)
        rows = rows.filter(area_id__in=areas.values("pk"))
    rows = list(
        rows.order_by("area_id", "ends_on", "pk").values_list(
            "ends_on",
            "pk",
            "organisation_id",
            "vendor_id",
            "seen_annual_value",
            "system__product__category_id",
            "area_id",
        )
    )
    area_of = list(map(itemgetter(6), rows))
    groups: list[finder.Group] = []
    for pk, slug, name in areas.values_list("pk", "slug", "name"):
        first = bisect_left(area_of, pk)
        groups.append(finder.Group(slug, name, rows[first : bisect_right(area_of, pk, first)]))
    return groups, names


@dataclass(frozen=True)
class GroupedOpportunity:
    opportunity: finder.Opportunity
    interested: tuple[str, ...]  # organisations that marked interest, by name
    own_interest: bool

    @property
    def group_slug(self) -> str:
        return self.opportunity.group


def opportunities(
    *,
    user: Any,
    today: datetime.date,
    window_months: int = 12,
    horizon_months: int = 36,
    discount_low: Decimal = Decimal("0.05"),
    discount_high: Decimal = Decimal("0.15"),
    area: str | None = None,
) -> list[finder.Opportunity]:
    """Every collaborative-procurement opportunity on the map (or in one service area),
    best first, valued as `user` may see the contracts."""
    with cyclic_gc_paused():
        groups, names = _opportunity_groups(
            user=user, today=today, horizon_months=horizon_months, area=area
        )
        return finder.find_in_groups(
            groups,
            names=names,
            window_months=window_months,
            discount_low=discount_low,
            discount_high=discount_high,
        )


def opportunities_filtered(
    found: list[finder.Opportunity],
    *,
    organisation_id: int | None = None,
    area: str | None = None,
    supplier: str = "",
    min_value: Decimal | None = None,
) -> list[finder.Opportunity]:
    """`found` narrowed to those involving an organisation, in a service area (its slug),
    with a current supplier whose name contains `supplier` (any case), and worth at least
    `min_value` a year combined. The cheap tests run first."""
    result = found
    if area:
        result = [o for o in result if o.group == area]
    if min_value is not None:
        result = [o for o in result if o.combined_annual_value >= min_value]
    if organisation_id is not None:
        result = [o for o in result if organisation_id in o.organisation_ids]
    if supplier and result:
        wanted = supplier.casefold()
        keys = {k for k, name in result[0].names.vendors.items() if wanted in name.casefold()}
        result = [o for o in result if not keys.isdisjoint(o.vendor_keys)]
    return result


def opportunity_for(
    found: list[finder.Opportunity], *, area: str, starts_on: datetime.date
) -> finder.Opportunity | None:
    """The opportunity of `area` that a link or a marked interest naming `starts_on` means:
    the one starting that day, or else the latest-starting one whose end dates hold it (the
    window it named has since been merged into a larger one)."""
    matches = [o for o in found if o.group == area and o.holds(starts_on)]
    return max(matches, key=lambda o: o.window_starts_on, default=None)


def with_interest(
    *, user: Any, opportunities: Iterable[finder.Opportunity]
) -> list[GroupedOpportunity]:
    """`opportunities` with the organisations that marked interest in each (members may
    see who wants to buy together) and whether the user's own organisation did. An interest
    belongs to the opportunity `opportunity_for` finds for its window start."""
    opportunities = list(opportunities)
    by_area: defaultdict[str, list[finder.Opportunity]] = defaultdict(list)
    for opportunity in opportunities:
        by_area[opportunity.group].append(opportunity)
    marked: defaultdict[int, set[tuple[int, str]]] = defaultdict(set)
    for slug, starts, org_id, org in OpportunityInterest.objects.filter(
        grouping=OpportunityInterest.Grouping.SERVICE_AREA, group_slug__in=list(by_area)
    ).values_list("group_slug", "window_starts_on", "organisation_id", "organisation__short_name"):
        opportunity = opportunity_for(by_area[slug], area=slug, starts_on=starts)
        if opportunity is not None:
            marked[id(opportunity)].add((org_id, org))
    own = getattr(user, "organisation_id", None)
    return [
        GroupedOpportunity(
            opportunity=opportunity,
            interested=tuple(sorted({name for _, name in marked[id(opportunity)]})),
            own_interest=any(org_id == own for org_id, _ in marked[id(opportunity)]),
        )
        for opportunity in opportunities
    ]


def opportunity_contracts(*, user: Any, opportunity: finder.Opportunity) -> QuerySet[Contract]:
    """The contracts in `opportunity`, as `user` may see them, in end-date order."""
    return contracts_seen_by(
        user,
        Contract.objects.filter(pk__in=opportunity.contract_ids)
        .select_related("organisation", "vendor", "system__product__category")
        .order_by("ends_on", "organisation__short_name", "pk"),
    )


def market_overview(*, user: Any, area: str | None = None) -> dict[str, Any]:
    """Top suppliers, concentration per service area and the SME share, and `by`, what the
    shares are of. A viewer who sees every contract's value (`values_complete`) gets shares of
    value; anyone else gets shares of contracts, which they can see in full, since the
    concentration of the few published values says nothing of the market. Values sum only
    what `user` may see (`contracts_seen_by`). The database totals each supplier's contracts
    and value; Python ranks and divides."""
    # Names come in the same query as the totals (not from a second read that a vendor merge
    # in between could make disagree).
    contracts = contracts_seen_by(user)
    in_area = contracts.filter(system__service_areas__slug=area) if area else contracts
    values = [
        market.ContractValue(vendor, sme, "", total, contracts=count)
        for vendor, sme, total, count in in_area.order_by()
        .values("vendor_id", "vendor__name", "vendor__is_sme")
        .annotate(count=Count("pk"), total=Sum("seen_annual_value"))
        .values_list("vendor__name", "vendor__is_sme", "total", "count")
    ]
    # A contract counts in each service area its system serves.
    grouped = [
        market.ContractValue(vendor, sme, slug, total, contracts=count)
        for slug, vendor, sme, total, count in contracts.filter(system__service_areas__isnull=False)
        .order_by()
        .values("system__service_areas__slug", "vendor_id", "vendor__name", "vendor__is_sme")
        .annotate(count=Count("pk"), total=Sum("seen_annual_value"))
        .values_list(
            "system__service_areas__slug", "vendor__name", "vendor__is_sme", "total", "count"
        )
    ]
    complete = values_complete(user)
    by = market.BY_VALUE if complete else market.BY_CONTRACTS
    return {
        "top": market.top_suppliers(values, n=15, by=by),
        "hhi": market.hhi_by_group(grouped, by=by),
        "sme": market.sme_share(values),
        "by": by,
        "values_complete": complete,
    }


def skills_matrix(*, user: Any) -> dict[str, Any]:
    recorded = SkillLevel.objects.select_related("organisation", "skill_area")
    pairs = peers.suggest_pairs(
        (
            level.organisation_id,
            level.organisation.short_name,
            level.skill_area.slug,
            level.skill_area.name,
            level.level,
        )
        for level in recorded
    )
    return {"areas": SkillArea.objects.all(), "pairs": pairs}


def skill_levels_of(*, organisation: Organisation) -> dict[int, int]:
    return dict(
        SkillLevel.objects.filter(organisation=organisation).values_list("skill_area_id", "level")
    )


def own_contracts_ending(
    *, user: Any, today: datetime.date, months: int
) -> QuerySet[Contract] | None:
    """The contracts of the user's own organisation ending from today to `months` ahead,
    soonest first, for those who keep their organisation's records; None for anyone else."""
    own = getattr(user, "organisation_id", None)
    if own is None or not can(user, Data.TECHMAP, Action.WRITE, own):
        return None
    return expiring_contracts(user=user, today=today, months=months).filter(organisation_id=own)


@dataclass(frozen=True)
class StaleRecord:
    label: str
    url: str
    updated_at: datetime.datetime


def own_stale_records(
    *, user: Any, before: datetime.datetime, limit: int
) -> tuple[list[StaleRecord], int] | None:
    """The user's own organisation's systems and contracts last updated before `before`,
    least recently updated first (at most `limit`), and how many there are in all; None for
    those who do not keep an organisation's records."""
    own = getattr(user, "organisation_id", None)
    if own is None or not can(user, Data.TECHMAP, Action.WRITE, own):
        return None
    systems = System.objects.filter(organisation_id=own, updated_at__lt=before)
    contracts = Contract.objects.filter(organisation_id=own, updated_at__lt=before)
    total = systems.count() + contracts.count()
    found = [
        StaleRecord(f"{s.product.name} (system)", s.get_absolute_url(), s.updated_at)
        for s in systems.select_related("product").order_by("updated_at", "pk")[:limit]
    ] + [
        StaleRecord(f"{c.title} (contract)", c.get_absolute_url(), c.updated_at)
        for c in contracts.order_by("updated_at", "pk")[:limit]
    ]
    found.sort(key=lambda record: record.updated_at)
    return found[:limit], total


def opportunity_url(opportunity: finder.Opportunity, query: str = "") -> str:
    """The page of one opportunity, with the list's settings in `query` if any."""
    url = reverse(
        "techmap:opportunity_detail",
        args=[opportunity.group, opportunity.window_starts_on.isoformat()],
    )
    return f"{url}?{query}" if query else url


def opportunities_including(
    *, user: Any, today: datetime.date, limit: int
) -> tuple[list[finder.Opportunity], int] | None:
    """The opportunities to buy together that include the user's own organisation, largest
    first, at most `limit` of them, and how many there are: for members who read contract
    details and have an organisation; None for anyone else."""
    own = getattr(user, "organisation_id", None)
    if own is None or not can(user, Data.CONTRACT_DETAILS):
        return None
    including = [
        found
        for found in opportunities(user=user, today=today)
        if any(pk == own for pk, _ in found.organisations)
    ]
    return including[:limit], len(including)


def failed_ocds_imports(*, user: Any, since: datetime.datetime) -> QuerySet[OcdsImport] | None:
    """Notice files uploaded since `since` from which nothing was imported, newest first: for
    the office, who upload them; None for anyone else. A file whose background work itself
    failed is left out: it is listed with the failed work (core.selectors.failed_tasks)."""
    if not is_office(user):
        return None
    return (
        OcdsImport.objects.filter(state=OcdsImport.State.FAILED, created_at__gte=since)
        .exclude(progress__state=TaskProgress.State.FAILED)
        .defer("content", "report")
        .order_by("-created_at")
    )
