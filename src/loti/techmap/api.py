"""An organisation's systems and contracts over the API, including a bulk upsert that uses the
spreadsheet import's own validation and commit, so a borough can push its asset register."""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictBool, StrictInt

from loti.core.api import ERRORS, Pagination, Payload, Text, public_or_token, token_auth, user_of
from loti.core.permissions import Action, Data, can
from loti.members import selectors as member_selectors
from loti.techmap import estate_import, selectors, services
from loti.techmap.models import Contract, Product, ServiceArea, System, Vendor

router = Router(tags=["technology map"])

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
# What a client sends: a JSON number or boolean, never `"4"`, `true` for 1 or `0` for false.
Satisfaction = Annotated[StrictInt, Field(ge=1, le=5)]
Users = Annotated[StrictInt, Field(ge=0, le=10_000_000)]


class SystemOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.slug")
    product: str = Field(..., alias="product.slug")
    product_name: str = Field(..., alias="product.name")
    vendor: str = Field(..., alias="product.vendor.name")
    service_areas: list[str]
    in_use_since: datetime.date | None
    users: int | None
    satisfaction: int | None = Field(None, alias="seen_satisfaction")
    notes: str | None = None

    @staticmethod
    def resolve_service_areas(obj) -> list[str]:
        return [area.slug for area in obj.service_areas.all()]

    @staticmethod
    def resolve_notes(obj) -> str | None:
        return obj.seen_notes if obj.notes_seen else None


class SystemIn(Payload):
    product: Text = Field(description="The product's slug")
    service_areas: list[Text] = Field(default_factory=list, description="Service-area slugs")
    in_use_since: datetime.date | None = None
    users: Users | None = None
    satisfaction: Satisfaction | None = None
    notes: Text = Field("", max_length=5000)


class SystemPatch(Payload):
    service_areas: list[Text] | None = None
    in_use_since: datetime.date | None = None
    users: Users | None = None
    satisfaction: Satisfaction | None = None
    notes: Text | None = Field(None, max_length=5000)


class ContractOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.slug")
    system: int | None = Field(None, alias="system_id")
    vendor: str = Field(..., alias="vendor.name")
    title: str
    description: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    extension_options: str
    procurement_route: str
    source: str
    is_public: bool
    annual_value: Decimal | None = Field(None, alias="seen_annual_value")
    total_value: Decimal | None = Field(None, alias="seen_total_value")
    notes: str | None = None

    @staticmethod
    def resolve_notes(obj) -> str | None:
        return obj.seen_notes if obj.notes_seen else None


class ContractIn(Payload):
    title: Text = Field(min_length=1, max_length=300)
    vendor: Text = Field(description="The supplier's slug")
    system: StrictInt | None = None
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    extension_options: Text = Field("", max_length=100)
    annual_value: Money | None = None
    total_value: Money | None = None
    procurement_route: Text = Field("", max_length=200)
    is_public: StrictBool = False
    notes: Text = Field("", max_length=5000)


class ContractPatch(Payload):
    title: Text | None = Field(None, min_length=1, max_length=300)
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    extension_options: Text | None = Field(None, max_length=100)
    annual_value: Money | None = None
    total_value: Money | None = None
    procurement_route: Text | None = Field(None, max_length=200)
    is_public: StrictBool | None = None
    notes: Text | None = Field(None, max_length=5000)


class EstateIn(Payload):
    rows: list[dict[str, Any]] = Field(
        max_length=100_000,
        description=(
            "Rows with the spreadsheet template's columns (see /techmap/template/): at most "
            "100,000, in a request body of at most 50 MB"
        ),
    )
    vendor_decisions: dict[str, str] = Field(
        default_factory=dict,
        description='For each uncertain supplier name, the slug of the supplier it is, or "new"',
    )


class EstateOut(Schema):
    committed: bool
    result: dict[str, Any] | None = None
    problems: list[dict[str, Any]] = []
    decisions_needed: list[dict[str, Any]] = []


class CellProblem(Schema):
    row: int = Field(description="The row's number, counting the first row sent as 1")
    column: str
    message: str


class EstateRefused(Schema):
    detail: list[CellProblem] | list[dict[str, Any]] = Field(
        description="Each cell that cannot be read as a value of its column at all (a "
        "control character, a number not written in ASCII digits), as {row, column, "
        "message}; or, for a body of the wrong shape, how it is wrong"
    )


def _writable_organisation(request: HttpRequest, slug: str):
    organisation = member_selectors.organisation_for(user=user_of(request), slug=slug)
    if not can(user_of(request), Data.TECHMAP, Action.WRITE, organisation.pk):
        raise PermissionDenied
    return organisation


def _areas(slugs: list[str]) -> list[ServiceArea]:
    areas = list(ServiceArea.objects.filter(slug__in=slugs))
    unknown = sorted(set(slugs) - {a.slug for a in areas})
    if unknown:
        raise ValidationError(
            {"service_areas": [f"There is no service area {s!r}" for s in unknown]}
        )
    return areas


@router.get(
    "/techmap/organisations/{slug}/systems",
    response={200: list[SystemOut], **ERRORS},
    auth=public_or_token,
)
@paginate(Pagination)
def list_systems(request, slug: str):
    organisation = member_selectors.organisation_for(user=user_of(request), slug=slug)
    return selectors.organisation_estate(user=user_of(request), organisation=organisation)[
        "systems"
    ]


@router.post(
    "/techmap/organisations/{slug}/systems", response={201: SystemOut, **ERRORS}, auth=token_auth
)
def create_system(request, slug: str, payload: SystemIn):
    organisation = _writable_organisation(request, slug)
    fields = payload.dict()
    product = Product.objects.filter(slug=fields.pop("product")).first()
    if product is None:
        raise ValidationError({"product": ["There is no product with that slug"]})
    system = services.system_create(
        actor=user_of(request),
        organisation=organisation,
        product=product,
        service_areas=_areas(fields.pop("service_areas")),
        **fields,
    )
    return Status(201, selectors.system_for(user=user_of(request), pk=system.pk))


@router.patch("/techmap/systems/{system_id}", response={200: SystemOut, **ERRORS}, auth=token_auth)
def update_system(request, system_id: int, payload: SystemPatch):
    system = selectors.system_for(user=user_of(request), pk=system_id, action=Action.WRITE)
    fields = payload.dict(exclude_unset=True)
    if "service_areas" in fields:
        fields["service_areas"] = _areas(fields["service_areas"] or [])
    services.system_update(actor=user_of(request), system=system, **fields)
    return selectors.system_for(user=user_of(request), pk=system.pk)


class TenderOut(Schema):
    ocid: str
    title: str
    description: str
    buyer: str = Field(..., alias="organisation.slug")
    buyer_name: str
    status: str = Field(..., alias="tender_status")
    closes_at: datetime.datetime
    value: Decimal | None
    suitable_for_sme: bool | None
    suitable_for_vcse: bool | None
    cpv_codes: list[str]
    service_areas: list[str]
    url: str

    @staticmethod
    def resolve_service_areas(obj) -> list[str]:
        return [area.slug for area in obj.service_areas.all()]


@router.get("/techmap/tenders", response={200: list[TenderOut], **ERRORS}, auth=public_or_token)
@paginate(Pagination)
def list_tenders(request, area: str | None = None, buyer: str | None = None):
    """Members' open technology tenders from their published notices, soonest closing first.
    Filter by a service area's slug or a buyer organisation's slug."""
    service_area = organisation = None
    if area:
        service_area = get_object_or_404(ServiceArea, slug=area)
    if buyer:
        organisation = get_object_or_404(member_selectors.organisations(), slug=buyer)
    return selectors.open_tenders(
        now=timezone.now(), area=service_area, organisation=organisation
    ).prefetch_related("service_areas")


@router.get(
    "/techmap/organisations/{slug}/contracts",
    response={200: list[ContractOut], **ERRORS},
    auth=public_or_token,
)
@paginate(Pagination)
def list_contracts(request, slug: str):
    organisation = member_selectors.organisation_for(user=user_of(request), slug=slug)
    return selectors.organisation_estate(user=user_of(request), organisation=organisation)[
        "contracts"
    ]


@router.post(
    "/techmap/organisations/{slug}/contracts",
    response={201: ContractOut, **ERRORS},
    auth=token_auth,
)
def create_contract(request, slug: str, payload: ContractIn):
    organisation = _writable_organisation(request, slug)
    fields = payload.dict()
    vendor = Vendor.objects.filter(slug=fields.pop("vendor")).first()
    if vendor is None:
        raise ValidationError({"vendor": ["There is no supplier with that slug"]})
    system_id = fields.pop("system")
    system = (
        get_object_or_404(System, pk=system_id, organisation=organisation) if system_id else None
    )
    contract = services.contract_create(
        actor=user_of(request),
        organisation=organisation,
        vendor=vendor,
        system=system,
        source=Contract.Source.API,
        **fields,
    )
    return Status(201, selectors.contract_for(user=user_of(request), pk=contract.pk))


@router.patch(
    "/techmap/contracts/{contract_id}", response={200: ContractOut, **ERRORS}, auth=token_auth
)
def update_contract(request, contract_id: int, payload: ContractPatch):
    contract = selectors.contract_for(user=user_of(request), pk=contract_id, action=Action.WRITE)
    fields = payload.dict(exclude_unset=True)
    services.contract_update(actor=user_of(request), contract=contract, **fields)
    return selectors.contract_for(user=user_of(request), pk=contract.pk)


@router.post(
    "/techmap/organisations/{slug}/estate",
    response={200: EstateOut, **ERRORS, 422: EstateRefused},
    auth=token_auth,
)
def upsert_estate(request, slug: str, payload: EstateIn):
    """Create or update many systems and contracts at once, all or nothing: if any row has a
    problem or a supplier name is uncertain, nothing is written and the answer lists why.
    Cells that cannot be values of their column at all are a 422 listing each by row and
    column."""
    organisation = _writable_organisation(request, slug)
    rows = [(number, row) for number, row in enumerate(payload.rows, start=1)]
    malformed = estate_import.malformed_cells(rows)
    if malformed:
        return Status(422, {"detail": malformed})
    preview = estate_import.validate_rows(
        rows,
        organisation=organisation,
        user=user_of(request),
        decisions=payload.vendor_decisions,
        source=Contract.Source.API,
    )
    if not preview.ready:
        summary = preview.as_dict()
        return Status(
            200,
            {
                "committed": False,
                "problems": summary["problems"],
                "decisions_needed": summary["decisions"],
            },
        )
    return Status(
        200,
        {"committed": True, "result": estate_import.commit_rows(preview, user=user_of(request))},
    )
