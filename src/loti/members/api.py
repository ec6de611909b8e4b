"""Organisations, memberships and contributions over the API."""

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator, StrictInt, WithJsonSchema

from loti.core.api import (
    ERRORS,
    Pagination,
    Payload,
    Text,
    is_slug,
    public_or_token,
    token_auth,
    user_of,
)
from loti.core.permissions import Action, Data, can
from loti.members import selectors, services
from loti.members.financial_year import FinancialYear
from loti.members.models import Contribution, Organisation, Tier

router = Router(tags=["members"])


def _choices(choices: Any, name: str, description: str) -> Any:
    """A model's choices, described inline under their own name: OpenAPI components are named
    after the class, and Organisation.Kind and Contribution.Kind would otherwise both be "Kind",
    one silently replacing the other in the published schema."""
    return Annotated[
        choices,
        WithJsonSchema(
            {
                "title": name,
                "description": description,
                "type": "string",
                "enum": list(choices.values),
            }
        ),
    ]


OrganisationKind = _choices(Organisation.Kind, "OrganisationKind", "What kind of organisation")
TierChoice = _choices(Tier, "Tier", "The membership tier")
ContributionKind = _choices(Contribution.Kind, "ContributionKind", "What the money is for")
ContributionStatus = _choices(Contribution.Status, "ContributionStatus", "Invoiced, or paid")

Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
# Amounts out always carry pence, "30000.00": sums computed by the database otherwise come
# back as "30000" on SQLite and "30000.00" on PostgreSQL.
MoneyOut = Annotated[Decimal, AfterValidator(lambda amount: amount.quantize(Decimal("0.01")))]
Year = Annotated[
    int,
    Field(
        ge=1990,
        le=2100,
        description="The calendar year the financial year starts in: 2025 for 2025/26",
    ),
]

# In a body, a JSON number (a query parameter is text by nature, so its Year is lax).
BodyYear = Annotated[
    StrictInt,
    Field(
        ge=1990,
        le=2100,
        description="The calendar year the financial year starts in: 2025 for 2025/26",
    ),
]


class OrganisationOut(Schema):
    slug: str
    name: str
    short_name: str
    kind: OrganisationKind
    gss_code: str
    website: str


class OrganisationIn(Payload):
    name: Text = Field(min_length=1, max_length=200)
    short_name: Text = Field(min_length=1, max_length=100)
    kind: OrganisationKind
    gss_code: Text = Field("", max_length=9)
    website: Text = Field("", max_length=200)


# In a PATCH a field left out is unchanged. Fields that cannot be empty in the records are not
# nullable here either (their default is never validated, so leaving them out stays possible):
# an explicit null is a 422 with a reason.
class OrganisationPatch(Payload):
    name: Text = Field(None, min_length=1, max_length=200)
    short_name: Text = Field(None, min_length=1, max_length=100)
    kind: OrganisationKind = None
    gss_code: Text = Field(None, max_length=9)
    website: Text = Field(None, max_length=200)


class MembershipOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.slug")
    year: int
    financial_year: str
    tier: TierChoice
    fee_due: MoneyOut
    fee_paid: MoneyOut
    fee_invoiced: MoneyOut
    declaration_signed_on: datetime.date | None

    @staticmethod
    def resolve_financial_year(obj) -> str:
        return FinancialYear(obj.year).label


class MembershipIn(Payload):
    organisation: Text = Field(description="The organisation's slug")
    year: BodyYear
    tier: TierChoice
    fee_due: Money | None = Field(
        None, description="Defaults to the year's fee schedule for the tier"
    )
    declaration_signed_on: datetime.date | None = None


class MembershipPatch(Payload):
    tier: TierChoice = None
    fee_due: Money = None
    declaration_signed_on: datetime.date | None = None


class ContributionOut(Schema):
    id: int
    organisation: str = Field(..., alias="organisation.slug")
    year: int
    financial_year: str
    kind: ContributionKind
    status: ContributionStatus
    amount: MoneyOut
    description: str
    invoice_reference: str
    invoiced_on: datetime.date | None
    paid_on: datetime.date | None

    @staticmethod
    def resolve_financial_year(obj) -> str:
        return FinancialYear(obj.year).label


class ContributionIn(Payload):
    organisation: Text = Field(description="The organisation's slug")
    year: BodyYear
    kind: ContributionKind
    status: ContributionStatus
    amount: Money
    description: Text = Field("", max_length=200)
    invoice_reference: Text = Field("", max_length=50)
    invoiced_on: datetime.date | None = None
    paid_on: datetime.date | None = None


class ContributionPatch(Payload):
    kind: ContributionKind = None
    status: ContributionStatus = None
    amount: Money = None
    description: Text = Field(None, max_length=200)
    invoice_reference: Text = Field(None, max_length=50)
    invoiced_on: datetime.date | None = None
    paid_on: datetime.date | None = None


class FinanceFilter(Schema):
    year: Year | None = None
    organisation: str | None = Field(None, description="An organisation's slug")


def _require_finance_write(request: HttpRequest) -> None:
    if not can(user_of(request), Data.FINANCE, Action.WRITE):
        raise PermissionDenied


def _organisation(request: HttpRequest, slug: str, action: Action = Action.READ) -> Organisation:
    # Anything that is not a slug names no organisation (and may hold characters, like NUL,
    # that the database refuses).
    if not is_slug(slug):
        raise Http404
    return selectors.organisation_for(user=user_of(request), slug=slug, action=action)


def _payload_organisation(request: HttpRequest, slug: str) -> Organisation:
    """The organisation a payload names: one that does not exist is a mistake in the payload,
    a 400 naming the field, not a missing resource."""
    try:
        return _organisation(request, slug)
    except Http404:
        reason = f"There is no organisation with the slug {slug!r}"
        raise ValidationError({"organisation": reason}) from None


def _finance_filter(request: HttpRequest, filters: FinanceFilter) -> dict:
    return {
        "year": filters.year,
        "organisation": _organisation(request, filters.organisation)
        if filters.organisation
        else None,
    }


# Organisations ---------------------------------------------------------------------------


@router.get("/organisations", response={200: list[OrganisationOut], **ERRORS}, auth=public_or_token)
@paginate(Pagination)
def list_organisations(request):
    return selectors.organisation_list(user=user_of(request))


@router.get(
    "/organisations/{slug}", response={200: OrganisationOut, **ERRORS}, auth=public_or_token
)
def get_organisation(request, slug: str):
    return _organisation(request, slug)


@router.post("/organisations", response={201: OrganisationOut, **ERRORS}, auth=token_auth)
def create_organisation(request, payload: OrganisationIn):
    if not can(user_of(request), Data.DIRECTORY, Action.WRITE):
        raise PermissionDenied
    return Status(201, services.organisation_create(actor=user_of(request), **payload.dict()))


@router.patch("/organisations/{slug}", response={200: OrganisationOut, **ERRORS}, auth=token_auth)
def update_organisation(request, slug: str, payload: OrganisationPatch):
    organisation = _organisation(request, slug, action=Action.WRITE)
    return services.organisation_update(
        actor=user_of(request), organisation=organisation, **payload.dict(exclude_unset=True)
    )


# Memberships -----------------------------------------------------------------------------


@router.get("/memberships", response={200: list[MembershipOut], **ERRORS}, auth=token_auth)
@paginate(Pagination)
def list_memberships(request, filters: Query[FinanceFilter]):
    return selectors.membership_list(user=user_of(request), **_finance_filter(request, filters))


@router.get(
    "/memberships/{membership_id}", response={200: MembershipOut, **ERRORS}, auth=token_auth
)
def get_membership(request, membership_id: int):
    return selectors.membership_for(user=user_of(request), pk=membership_id)


@router.post("/memberships", response={201: MembershipOut, **ERRORS}, auth=token_auth)
def create_membership(request, payload: MembershipIn):
    _require_finance_write(request)
    fields = payload.dict()
    fields["organisation"] = _payload_organisation(request, fields["organisation"])
    membership = services.membership_create(actor=user_of(request), **fields)
    return Status(201, selectors.membership_for(user=user_of(request), pk=membership.pk))


@router.patch(
    "/memberships/{membership_id}", response={200: MembershipOut, **ERRORS}, auth=token_auth
)
def update_membership(request, membership_id: int, payload: MembershipPatch):
    membership = selectors.membership_for(
        user=user_of(request), pk=membership_id, action=Action.WRITE
    )
    services.membership_update(
        actor=user_of(request), membership=membership, **payload.dict(exclude_unset=True)
    )
    return selectors.membership_for(user=user_of(request), pk=membership_id)


@router.delete("/memberships/{membership_id}", response={204: None, **ERRORS}, auth=token_auth)
def delete_membership(request, membership_id: int):
    membership = selectors.membership_for(
        user=user_of(request), pk=membership_id, action=Action.WRITE
    )
    services.membership_delete(actor=user_of(request), membership=membership)
    return Status(204, None)


# Contributions ---------------------------------------------------------------------------


@router.get("/contributions", response={200: list[ContributionOut], **ERRORS}, auth=token_auth)
@paginate(Pagination)
def list_contributions(request, filters: Query[FinanceFilter]):
    return selectors.contribution_list(user=user_of(request), **_finance_filter(request, filters))


@router.get(
    "/contributions/{contribution_id}", response={200: ContributionOut, **ERRORS}, auth=token_auth
)
def get_contribution(request, contribution_id: int):
    return selectors.contribution_for(user=user_of(request), pk=contribution_id)


@router.post("/contributions", response={201: ContributionOut, **ERRORS}, auth=token_auth)
def create_contribution(request, payload: ContributionIn):
    _require_finance_write(request)
    fields = payload.dict()
    fields["organisation"] = _payload_organisation(request, fields["organisation"])
    return Status(201, services.contribution_create(actor=user_of(request), **fields))


@router.patch(
    "/contributions/{contribution_id}", response={200: ContributionOut, **ERRORS}, auth=token_auth
)
def update_contribution(request, contribution_id: int, payload: ContributionPatch):
    contribution = selectors.contribution_for(
        user=user_of(request), pk=contribution_id, action=Action.WRITE
    )
    return services.contribution_update(
        actor=user_of(request), contribution=contribution, **payload.dict(exclude_unset=True)
    )


@router.delete("/contributions/{contribution_id}", response={204: None, **ERRORS}, auth=token_auth)
def delete_contribution(request, contribution_id: int):
    contribution = selectors.contribution_for(
        user=user_of(request), pk=contribution_id, action=Action.WRITE
    )
    services.contribution_delete(actor=user_of(request), contribution=contribution)
    return Status(204, None)
