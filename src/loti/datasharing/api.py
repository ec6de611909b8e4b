"""The data-sharing register over the API: agreements with their versions, parties and
signatures, read under the same rules as the pages (`agreements.selectors`): everyone reads
the register's fields, the operational details only those `reads_details` lets read them.
An agreement's answer here is its JSON export (`documents.content`, `documents.schemas`)."""

from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from loti.core.api import ERRORS, Pagination, Text, is_slug, public_or_token, user_of
from loti.datasharing.agreements import selectors
from loti.datasharing.documents import content
from loti.datasharing.documents.schemas import AgreementDetailOut, AgreementOut
from loti.datasharing.models import Agreement
from loti.members import selectors as member_selectors

router = Router(tags=["datasharing"])

Slug = Annotated[str, Path(min_length=1, max_length=120, pattern=r"^[-a-zA-Z0-9_]+$")]

NOT_SIGNED_HERE = (
    " Agreements are signed on the site only, by the person entitled to sign for their "
    "organisation: a signature is a person's act, not a token's, so the API cannot sign."
)


# The statuses as plain values: an enum here would be published under the bare name "Status"
# among every app's schemas.
AgreementStatus = Literal["draft", "consultation", "signed", "review_due", "expired", "withdrawn"]


class Filters(Schema):
    status: AgreementStatus | None = Field(None, description="The agreement's status today")
    party: Text | None = Field(
        None,
        max_length=100,
        description="An organisation's slug: the agreements it is a party to (in the version "
        "in force or the one being signed)",
    )


class Contents:
    """A list of agreements that pagination slices, each slice read as the agreements'
    content for `user` (`content.register_contents`) in a few queries."""

    def __init__(self, user: Any, agreements: QuerySet[Agreement]) -> None:
        self.user, self.agreements = user, agreements

    def __len__(self) -> int:
        return self.agreements.count()

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        page = list(self.agreements[key])
        return content.register_contents(user=self.user, agreements=page)


def _listed(user: Any, filters: Filters) -> QuerySet[Agreement]:
    agreements = selectors.agreements_seen_by(user).select_related("organisation")
    if filters.status:
        agreements = agreements.filter(current_status=filters.status)
    if filters.party:
        if not is_slug(filters.party) or not (
            member_selectors.organisations().filter(slug=filters.party).exists()
        ):
            raise ValidationError({"party": [f"There is no organisation {filters.party!r}"]})
        agreements = agreements.filter(
            Q(current_version__parties__organisation__slug=filters.party)
            | Q(in_force_version__parties__organisation__slug=filters.party)
        ).distinct()
    return agreements.order_by("title", "pk")


@router.get(
    "/datasharing/agreements",
    response={200: list[AgreementOut], **ERRORS},
    auth=public_or_token,
    description=(
        "The agreements you may read, by title, each with the version the register shows "
        "and its parties. Everyone reads each agreement's title, purpose, parties and their "
        "roles, lawful basis and dates; its operational details (data items, how data moves, "
        "security, retention, rights, privacy information, breach reporting, DPIA and "
        "signatures) are null or empty unless you read them (`details`): members do, and a "
        "partner's people for the agreements their organisation is party to. A draft is "
        "listed only for the office and the people of its parties and of the organisation "
        "that drafted it." + NOT_SIGNED_HERE
    ),
)
@paginate(Pagination)
def list_agreements(request, filters: Query[Filters]):
    return Contents(user_of(request), _listed(user_of(request), filters))


@router.get(
    "/datasharing/agreements/{slug}",
    response={200: AgreementDetailOut, **ERRORS},
    auth=public_or_token,
    description=(
        "One agreement with every version (oldest first), each with its parties and their "
        "signatures, and its DPIA screening and DPIA: the same as the agreement's JSON export "
        "on the site. Operational details are null or empty unless you read them. Another "
        "organisation's draft is not found." + NOT_SIGNED_HERE
    ),
)
def get_agreement(request, slug: Slug):
    user = user_of(request)
    return content.agreement_content(user=user, agreement=selectors.agreement_for(user, slug))
