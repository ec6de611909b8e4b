"""Writes for organisations, memberships, money and people. Each is audited."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from loti.core import audit
from loti.core import services as core_services
from loti.core.permissions import may_change_account
from loti.core.slugs import unique_slug
from loti.core.text import join_words
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
from loti.members.naming import normalise_identifier, normalise_organisation_name

REFERENCE_ORGANISATIONS = Path(__file__).parent / "data" / "london-organisations.csv"


def organisation_create(
    *, actor: Any, name: str, short_name: str, kind: str, gss_code: str = "", website: str = ""
) -> Organisation:
    organisation = Organisation(
        name=name.strip(),
        short_name=short_name.strip() or name.strip(),
        slug=unique_slug(Organisation, short_name or name, fallback="organisation"),
        kind=kind,
        gss_code=gss_code.strip().upper(),
        website=website.strip(),
    )
    return audit.create(actor=actor, obj=organisation)


def organisation_update(*, actor: Any, organisation: Organisation, **fields: Any) -> Organisation:
    if "gss_code" in fields:
        fields["gss_code"] = fields["gss_code"].strip().upper()
    return audit.update(actor=actor, obj=organisation, **fields)


def organisation_alias_add(
    *, actor: Any, organisation: Organisation, kind: str, value: str
) -> OrganisationAlias:
    """Record another name or an identifier the organisation is known by in published data.

    No two organisations may share a name or an identifier in its matching form (see
    `loti.members.naming`), as a buyer named by it could not be told apart; for names that
    includes each organisation's own name and short name. An organisation's own name is not
    recorded again as another name.
    """
    value = value.strip()
    is_name = kind == OrganisationAlias.Kind.NAME
    key = normalise_organisation_name(value) if is_name else normalise_identifier(value)
    alias = OrganisationAlias(organisation=organisation, kind=kind, value=value, key=key)
    # Field errors first; a clash is then explained below rather than by the constraint.
    alias.full_clean(exclude=["key"], validate_constraints=False)
    if not key:
        raise ValidationError({"value": "Enter a name or identifier with letters or numbers"})
    if len(key) > OrganisationAlias._meta.get_field("key").max_length:
        # "&" becomes "and", "ß" becomes "ss": a long name can grow past the limit.
        raise ValidationError({"value": "Enter a shorter name or identifier"})
    what = "a name" if is_name else "an identifier"
    if is_name:
        if key in _name_keys(organisation):
            raise ValidationError({"value": "That is already the organisation's name"})
        for other in Organisation.objects.exclude(pk=organisation.pk).only("name", "short_name"):
            if key in _name_keys(other):
                raise ValidationError({"value": f"“{value}” is already {what} of {other}"})
    taken = OrganisationAlias.objects.filter(kind=kind, key=key).select_related("organisation")
    existing = taken.first()
    if existing is not None:
        raise ValidationError({"value": f"“{value}” is already {what} of {existing.organisation}"})
    return audit.create(actor=actor, obj=alias)


def _name_keys(organisation: Organisation) -> set[str]:
    return {
        normalise_organisation_name(organisation.name),
        normalise_organisation_name(organisation.short_name),
    }


def organisation_alias_remove(*, actor: Any, alias: OrganisationAlias) -> None:
    audit.delete(actor=actor, obj=alias)


# The limits of an organisations file, checked as it is read: London has 35 organisations,
# the country about 400; a line or a cell far longer than any name is not a list of them.
ORGANISATIONS_MAX_ROWS = 5_000
ORGANISATIONS_MAX_LINE = 2_000  # characters
ORGANISATIONS_MAX_CELL = 500  # characters


def organisations_import(*, actor: Any, source: io.TextIOBase | None = None) -> dict[str, int]:
    """Load organisations from a CSV (gss_code,name,short_name,kind,website), all or nothing.

    Existing organisations, found by GSS code or else by name, are updated; others are
    created. With no source, loads the reference list of London's organisations. The file's
    limits (rows, line and cell length) are enforced while it is read.
    """
    if source is None:
        with REFERENCE_ORGANISATIONS.open(newline="", encoding="utf-8") as handle:
            return organisations_import(actor=actor, source=handle)
    try:
        rows, errors = _organisation_rows(source)
    except UnicodeDecodeError as exc:
        raise ValidationError("The file is not UTF-8 text: save it as CSV UTF-8") from exc
    except csv.Error as exc:
        raise ValidationError(f"The file cannot be read as CSV: {exc}") from exc
    if errors:
        raise ValidationError(errors)
    created = updated = unchanged = 0
    with transaction.atomic():
        for number, row in enumerate(rows, start=2):
            gss = row.get("gss_code", "").upper()
            existing = (Organisation.objects.filter(gss_code=gss).first() if gss else None) or (
                Organisation.objects.filter(name=row["name"]).first()
            )
            fields = {
                "name": row["name"],
                "short_name": row.get("short_name") or row["name"],
                "kind": row["kind"],
                "gss_code": gss,
                "website": row.get("website", ""),
            }
            try:
                if existing is None:
                    organisation_create(actor=actor, **fields)
                    created += 1
                elif all(getattr(existing, name) == value for name, value in fields.items()):
                    unchanged += 1
                else:
                    organisation_update(actor=actor, organisation=existing, **fields)
                    updated += 1
            except ValidationError as exc:
                messages = [f"Row {number}: {message}" for message in exc.messages]
                raise ValidationError(messages) from exc
    return {"created": created, "updated": updated, "unchanged": unchanged}


def _lines(source: io.TextIOBase) -> Iterable[str]:
    """The source's lines, refusing one longer than ORGANISATIONS_MAX_LINE before it is read
    whole."""
    number = 0
    while line := source.readline(ORGANISATIONS_MAX_LINE + 1):
        number += 1
        if len(line.rstrip("\r\n")) > ORGANISATIONS_MAX_LINE:
            raise ValidationError(
                f"Line {number} is longer than {ORGANISATIONS_MAX_LINE:,} characters"
            )
        yield line


def _organisation_rows(source: io.TextIOBase) -> tuple[list[dict[str, str]], list[str]]:
    reader = csv.DictReader(_lines(source))
    required = {"name", "short_name", "kind"}
    missing = required - set(reader.fieldnames or [])
    if missing:
        raise ValidationError(f"The file has no {', '.join(sorted(missing))} column")
    kinds = {value for value, _ in Organisation.Kind.choices}
    errors: list[str] = []
    rows: list[dict[str, str]] = []
    for number, row in enumerate(reader, start=2):
        if len(rows) == ORGANISATIONS_MAX_ROWS:
            raise ValidationError(
                f"The file has more than {ORGANISATIONS_MAX_ROWS:,} organisations: "
                "split it into files of fewer rows"
            )
        if None in row:
            errors.append(f"Row {number}: there are more cells than columns")
        row = {key: (value or "").strip() for key, value in row.items() if key}
        long = sorted(key for key, value in row.items() if len(value) > ORGANISATIONS_MAX_CELL)
        if long:
            errors.append(
                f"Row {number}: {join_words(long)} must be {ORGANISATIONS_MAX_CELL} "
                "characters or fewer"
            )
        if not row.get("name"):
            errors.append(f"Row {number}: enter the organisation's name")
        if row.get("kind") not in kinds:
            errors.append(f"Row {number}: kind must be one of {', '.join(sorted(kinds))}")
        rows.append(row)
    return rows, errors


def fee_for(*, year: int, tier: str) -> Decimal | None:
    rate = FeeRate.objects.filter(year=year, tier=tier).first()
    return rate.amount if rate else None


def fee_schedule_set(*, actor: Any, year: int, amounts: dict[str, Decimal | None]) -> None:
    """Set the year's fee for each tier given; None removes that tier's fee."""
    with transaction.atomic():
        for tier, amount in amounts.items():
            rate = FeeRate.objects.filter(year=year, tier=tier).first()
            if amount is None:
                if rate:
                    audit.delete(actor=actor, obj=rate)
            elif rate is None:
                audit.create(actor=actor, obj=FeeRate(year=year, tier=tier, amount=amount))
            else:
                audit.update(actor=actor, obj=rate, amount=amount)


def budget_set(*, actor: Any, year: int, amount: Decimal, notes: str = "") -> Budget:
    budget = Budget.objects.filter(year=year).first()
    if budget is None:
        return audit.create(actor=actor, obj=Budget(year=year, amount=amount, notes=notes))
    return audit.update(actor=actor, obj=budget, amount=amount, notes=notes)


def membership_create(
    *,
    actor: Any,
    organisation: Organisation,
    year: int,
    tier: str,
    fee_due: Decimal | None = None,
    declaration_signed_on: Any = None,
) -> Membership:
    """Record an organisation's membership for a year.

    The fee defaults to the year's fee schedule for the tier, and the Declaration date to the
    one recorded in an earlier year.
    """
    if fee_due is None:
        fee_due = fee_for(year=year, tier=tier)
        if fee_due is None:
            raise ValidationError(
                {
                    "fee_due": f"There is no {Tier(tier).label.lower()} fee in the "
                    f"{FinancialYear(year)} schedule: enter the fee due"
                }
            )
    if declaration_signed_on is None:
        earlier = (
            Membership.objects.filter(
                organisation=organisation, year__lt=year, declaration_signed_on__isnull=False
            )
            .order_by("-year")
            .first()
        )
        declaration_signed_on = earlier.declaration_signed_on if earlier else None
    membership = Membership(
        organisation=organisation,
        year=year,
        tier=tier,
        fee_due=fee_due,
        declaration_signed_on=declaration_signed_on,
    )
    return audit.create(actor=actor, obj=membership)


def membership_update(*, actor: Any, membership: Membership, **fields: Any) -> Membership:
    return audit.update(actor=actor, obj=membership, **fields)


def membership_delete(*, actor: Any, membership: Membership) -> None:
    audit.delete(actor=actor, obj=membership)


def contribution_create(*, actor: Any, **fields: Any) -> Contribution:
    return audit.create(actor=actor, obj=Contribution(**fields))


def contribution_update(*, actor: Any, contribution: Contribution, **fields: Any) -> Contribution:
    return audit.update(actor=actor, obj=contribution, **fields)


def contribution_delete(*, actor: Any, contribution: Contribution) -> None:
    audit.delete(actor=actor, obj=contribution)


def memberships_to_invoice(*, year: int) -> Iterable[Membership]:
    """Memberships of `year` with a fee due and no membership-fee contribution yet."""
    invoiced = Contribution.objects.filter(year=year, kind=Contribution.Kind.MEMBERSHIP_FEE).values(
        "organisation_id"
    )
    return (
        Membership.objects.filter(year=year, fee_due__gt=0)
        .exclude(organisation_id__in=invoiced)
        .select_related("organisation")
        .order_by("organisation__short_name")
    )


def membership_invoices_start(*, actor: Any, year: int) -> Any:
    """Start invoicing, in the background, every membership fee of `year` not invoiced yet;
    returns the work's progress record."""
    return core_services.task_start(
        "loti.members.tasks.raise_membership_invoices",
        label=f"Raising membership fee invoices for {FinancialYear(year)}",
        requested_by=actor,
        result_url=reverse("members:finance_year", args=[FinancialYear(year)]),
        year=year,
        actor_id=actor.pk,
    )


def membership_invoices_raise(*, actor: Any, year: int, progress_id: str | None = None) -> int:
    """Invoice every membership fee of `year` not invoiced yet; returns how many.

    Each invoice is its own transaction, so work done survives an interruption and running
    it again picks up where it stopped without invoicing anyone twice.
    """
    pending = list(memberships_to_invoice(year=year))
    if progress_id:
        core_services.task_progress_start(progress_id=progress_id, total=len(pending))
    today = timezone.localdate()
    raised = 0
    for membership in pending:
        with transaction.atomic():
            # Lock the membership so two workers never invoice the same one.
            locked = Membership.objects.select_for_update().get(pk=membership.pk)
            already = Contribution.objects.filter(
                organisation_id=locked.organisation_id,
                year=year,
                kind=Contribution.Kind.MEMBERSHIP_FEE,
            ).exists()
            if not already:
                contribution_create(
                    actor=actor,
                    organisation=locked.organisation,
                    year=year,
                    kind=Contribution.Kind.MEMBERSHIP_FEE,
                    status=Contribution.Status.INVOICED,
                    amount=locked.fee_due,
                    description=f"{locked.get_tier_display()} fee {FinancialYear(year)}",
                    invoiced_on=today,
                )
                raised += 1
        if progress_id:
            core_services.task_progress_advance(progress_id=progress_id)
    return raised


def person_create(*, actor: Any, password: str | None = None, **fields: Any) -> Person:
    person = Person(**fields)
    person.email = person.email.strip().lower()
    if password:
        person.set_password(password)
    else:
        person.set_unusable_password()
    return audit.create(actor=actor, obj=person)


def _check_may_change(actor: Any, person: Person) -> None:
    # The actor None is the system itself (the demo, commands).
    if actor is not None and not may_change_account(actor, person):
        raise PermissionDenied


def person_update(*, actor: Any, person: Person, **fields: Any) -> Person:
    _check_may_change(actor, person)
    return audit.update(actor=actor, obj=person, **fields)


def person_delete(*, actor: Any, person: Person) -> None:
    _check_may_change(actor, person)
    if actor.pk == person.pk:
        raise ValidationError("You cannot delete your own account")
    audit.delete(actor=actor, obj=person)
