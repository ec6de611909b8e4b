"""Reads for organisations, memberships, money and people, each scoped to the acting user."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, DecimalField, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from loti.core.access import get_for_user
from loti.core.permissions import (
    Action,
    Data,
    Role,
    can,
    filter_for,
    may_change_account,
    reads_all,
)
from loti.members.financial_year import FinancialYear
from loti.members.models import (
    Budget,
    Contribution,
    FeeRate,
    Membership,
    Organisation,
    OrganisationAlias,
    Person,
    Tier,
)
from loti.members.naming import OrganisationMatcher

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))


def organisation_list(*, user: Any, year: int | None = None) -> QuerySet[Organisation]:
    """Every organisation (the directory is public), with its tier in `year` if given."""
    organisations = filter_for(Organisation.objects.all(), user, Data.DIRECTORY, owner="id")
    if year is not None:
        tier = Membership.objects.filter(organisation=OuterRef("pk"), year=year).values("tier")[:1]
        organisations = organisations.annotate(tier=Subquery(tier))
    return organisations


def organisations(*, ids: Any = None) -> QuerySet[Organisation]:
    """Organisations by short name (the directory is public), for choosing among or naming:
    every one, or those with `ids`."""
    found = Organisation.objects.order_by("short_name", "pk")
    return found if ids is None else found.filter(pk__in=ids)


def councils() -> QuerySet[Organisation]:
    """The councils among the organisations (London's boroughs and the City, for London)."""
    return Organisation.objects.filter(kind__in=Organisation.COUNCILS)


def organisation_for(*, user: Any, slug: str, action: Action = Action.READ) -> Organisation:
    return get_for_user(
        Organisation.objects.all(), user, Data.DIRECTORY, action=action, owner="id", slug=slug
    )


def organisation_aliases(*, user: Any, organisation: Organisation) -> QuerySet[OrganisationAlias]:
    """The organisation's other names and identifiers, for those who keep the directory."""
    if not can(user, Data.DIRECTORY, Action.WRITE, organisation.pk):
        return OrganisationAlias.objects.none()
    return organisation.aliases.all()


def organisation_alias_for(
    *, user: Any, organisation: Organisation, pk: int, action: Action = Action.READ
) -> OrganisationAlias:
    """One of the organisation's aliases; another organisation's is a 404."""
    return get_for_user(
        OrganisationAlias.objects.filter(organisation=organisation),
        user,
        Data.DIRECTORY,
        action=action,
        pk=pk,
    )


def organisation_matcher() -> OrganisationMatcher:
    """Every organisation's names (full, short and other names) and identifiers, ready to
    match buyers in published notices against. Two queries, however many organisations."""
    names: list[tuple[int, str]] = []
    for organisation_id, name, short_name in Organisation.objects.order_by().values_list(
        "id", "name", "short_name"
    ):
        names += [(organisation_id, name), (organisation_id, short_name)]
    identifiers: list[tuple[int, str]] = []
    for organisation_id, kind, value in OrganisationAlias.objects.order_by().values_list(
        "organisation_id", "kind", "value"
    ):
        if kind == OrganisationAlias.Kind.IDENTIFIER:
            identifiers.append((organisation_id, value))
        else:
            names.append((organisation_id, value))
    return OrganisationMatcher(names, identifiers)


def _with_payments(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    fees = Contribution.objects.filter(
        organisation=OuterRef("organisation"),
        year=OuterRef("year"),
        kind=Contribution.Kind.MEMBERSHIP_FEE,
    )

    def total(status: str) -> Coalesce:
        sums = (
            fees.filter(status=status)
            .order_by()
            .values("organisation")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        return Coalesce(Subquery(sums), ZERO)

    return memberships.annotate(
        fee_paid=total(Contribution.Status.PAID), fee_invoiced=total(Contribution.Status.INVOICED)
    )


def membership_list(
    *, user: Any, year: int | None = None, organisation: Organisation | None = None
) -> QuerySet[Membership]:
    """Memberships the user may see, each with `fee_paid` and `fee_invoiced` (unpaid)."""
    memberships = filter_for(Membership.objects.select_related("organisation"), user, Data.FINANCE)
    if year is not None:
        memberships = memberships.filter(year=year)
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    return _with_payments(memberships)


def membership_for(*, user: Any, pk: int, action: Action = Action.READ) -> Membership:
    return get_for_user(
        _with_payments(Membership.objects.select_related("organisation")),
        user,
        Data.FINANCE,
        action=action,
        pk=pk,
    )


def contribution_list(
    *, user: Any, year: int | None = None, organisation: Organisation | None = None
) -> QuerySet[Contribution]:
    contributions = filter_for(
        Contribution.objects.select_related("organisation"), user, Data.FINANCE
    )
    if year is not None:
        contributions = contributions.filter(year=year)
    if organisation is not None:
        contributions = contributions.filter(organisation=organisation)
    return contributions


def contribution_for(*, user: Any, pk: int, action: Action = Action.READ) -> Contribution:
    return get_for_user(
        Contribution.objects.select_related("organisation"),
        user,
        Data.FINANCE,
        action=action,
        pk=pk,
    )


def fee_schedule(*, year: int) -> dict[str, Decimal]:
    """The year's fee for each tier that has one. Fees are published to members and the public
    alike: what a tier costs is not confidential, what an organisation paid is."""
    return dict(FeeRate.objects.filter(year=year).values_list("tier", "amount"))


def budget_and_fees(*, year: int) -> list[Budget | FeeRate]:
    """The records that set a year's money: its budget and its fee schedule."""
    return [*Budget.objects.filter(year=year), *FeeRate.objects.filter(year=year)]


@dataclass
class IncomeSource:
    label: str
    organisations: int
    invoiced: Decimal
    paid: Decimal

    @property
    def total(self) -> Decimal:
        return self.invoiced + self.paid


@dataclass
class FinanceSummary:
    year: FinancialYear
    budget: Budget | None
    sources: list[IncomeSource] = field(default_factory=list)

    @property
    def invoiced(self) -> Decimal:
        return sum((s.invoiced for s in self.sources), Decimal(0))

    @property
    def paid(self) -> Decimal:
        return sum((s.paid for s in self.sources), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.invoiced + self.paid

    @property
    def against_budget(self) -> Decimal | None:
        """Income less budget: positive is a surplus, negative a shortfall."""
        return None if self.budget is None else self.total - self.budget.amount

    @property
    def percent_of_budget(self) -> int | None:
        if self.budget is None or not self.budget.amount:
            return None
        return round(100 * self.total / self.budget.amount)


# Membership fees are grouped by the payer's tier that year; the other kinds by kind.
FEE_SOURCE_LABELS = {
    Tier.CORE: "Core member fees",
    Tier.ASSOCIATE: "Associate fees",
    Tier.FUNDER: "Funder contributions",
    Tier.PARTNER: "Partner contributions",
    Tier.NON_MEMBER: "Non-member fees",
    None: "Fees from organisations with no membership that year",
}


def finance_summary(*, user: Any, year: int) -> FinanceSummary:
    """Income by source against the budget, for those who may read the whole consortium's
    finances (the office and member leads)."""
    summary = FinanceSummary(
        year=FinancialYear(year), budget=Budget.objects.filter(year=year).first()
    )
    if not reads_all(user, Data.FINANCE):
        return summary
    tier = Membership.objects.filter(organisation=OuterRef("organisation"), year=year).values(
        "tier"
    )[:1]
    rows = (
        Contribution.objects.filter(year=year)
        .annotate(payer_tier=Subquery(tier))
        .values("kind", "payer_tier", "status")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    payers: dict[str, set[int]] = {}
    for organisation_id, kind, payer_tier in (
        Contribution.objects.filter(year=year)
        .annotate(payer_tier=Subquery(tier))
        .values_list("organisation_id", "kind", "payer_tier")
    ):
        payers.setdefault(_source_label(kind, payer_tier), set()).add(organisation_id)
    by_label: dict[str, IncomeSource] = {}
    for row in rows:
        label = _source_label(row["kind"], row["payer_tier"])
        source = by_label.setdefault(
            label, IncomeSource(label, len(payers.get(label, ())), Decimal(0), Decimal(0))
        )
        if row["status"] == Contribution.Status.PAID:
            source.paid += row["total"]
        else:
            source.invoiced += row["total"]
    order = list(FEE_SOURCE_LABELS.values()) + [label for _, label in Contribution.Kind.choices]
    summary.sources = sorted(by_label.values(), key=lambda s: order.index(s.label))
    return summary


def _source_label(kind: str, payer_tier: str | None) -> str:
    if kind == Contribution.Kind.MEMBERSHIP_FEE:
        return FEE_SOURCE_LABELS[Tier(payer_tier) if payer_tier else None]
    return Contribution.Kind(kind).label


def people_list(*, user: Any) -> QuerySet[Person]:
    if not can(user, Data.PEOPLE):
        return Person.objects.none()
    return Person.objects.select_related("organisation")


def person_for(*, user: Any, pk: int, action: Action = Action.READ) -> Person:
    """The office reads and writes everyone (but only a superuser writes a superuser: a
    403); a person reads their own record; anyone else gets a 404."""
    if action == Action.READ and user.is_authenticated and user.pk == pk:
        return user
    person = get_for_user(
        Person.objects.select_related("organisation"), user, Data.PEOPLE, action=action, pk=pk
    )
    if action != Action.READ and not may_change_account(user, person):
        raise PermissionDenied
    return person


def people(*, organisations: Any = None, roles: Any = None) -> QuerySet[Person]:
    """Active people, of `organisations` and in `roles` if given: whom the system's own work
    (the demo, invitations) picks from."""
    found = Person.objects.filter(is_active=True)
    if organisations is not None:
        found = found.filter(organisation__in=organisations)
    if roles is not None:
        found = found.filter(role__in=roles)
    return found


def office_person() -> Person | None:
    """One of the office's staff (the first by email), for work done in the office's name
    where no one is signed in: the demo's."""
    return Person.objects.filter(role=Role.OFFICE, is_active=True).order_by("email").first()


def advisory_board() -> QuerySet[Person]:
    """The advisory board is public: names, roles and organisations only."""
    return (
        Person.objects.filter(is_advisory_board=True, is_active=True)
        .select_related("organisation")
        .order_by(
            # The chair and other named roles first, then everyone else by name.
            Case(When(advisory_board_role="", then=Value(1)), default=Value(0)),
            "full_name",
        )
    )


def core_member_ids(*, on: datetime.date) -> set[int]:
    """The organisations that are core members in the financial year containing `on`: those
    who set the consortium's priorities (and vote in its calls) that year."""
    year = FinancialYear.containing(on).start_year
    return set(
        Membership.objects.filter(year=year, tier=Tier.CORE).values_list(
            "organisation_id", flat=True
        )
    )


def core_organisations(*, user: Any, year: int) -> QuerySet[Organisation]:
    """The organisations that are core members in financial year `year`."""
    return organisation_list(user=user, year=year).filter(tier=Tier.CORE)


@dataclass(frozen=True)
class TierCounts:
    rows: list[tuple[str, int]]  # (tier, organisations) for each tier with any, in order
    core: int  # how many are core members


def membership_tiers(*, user: Any, year: int) -> TierCounts:
    """How many organisations are in each membership tier in financial year `year`, of the
    memberships `user` may read."""
    counts = Counter(membership.tier for membership in membership_list(user=user, year=year))
    return TierCounts(
        rows=[(Tier(tier).label, counts[tier]) for tier in Tier.values if counts.get(tier)],
        core=counts.get(Tier.CORE, 0),
    )


def is_core_member(*, organisation_id: int | None, on: datetime.date) -> bool:
    if organisation_id is None:
        return False
    year = FinancialYear.containing(on).start_year
    return Membership.objects.filter(
        organisation_id=organisation_id, year=year, tier=Tier.CORE
    ).exists()


def contributions_unpaid(
    *, user: Any, invoiced_before: datetime.date
) -> QuerySet[Contribution] | None:
    """Contributions invoiced before `invoiced_before` and not yet paid, longest waiting
    first: for the office, who chase them; None for anyone else."""
    if not can(user, Data.FINANCE, Action.WRITE):
        return None
    return (
        Contribution.objects.filter(
            status=Contribution.Status.INVOICED, invoiced_on__lt=invoiced_before
        )
        .select_related("organisation")
        .order_by("invoiced_on", "organisation__short_name", "pk")
    )
