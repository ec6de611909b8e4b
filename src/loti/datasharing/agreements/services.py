"""Writes for data-sharing agreements, each through the audit trail and all or nothing.

The office drafts and changes any agreement; a member's people draft agreements for their
own organisation, which must be one of the parties, and change the ones it drafted. Each
party signs through its member lead, or a partner's person who signs its agreements. An
actor of None is the system itself (the demo, commands), which may do what the office does,
except sign: a signature is always a person's.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from loti.core import audit, search
from loti.core.models import AuditEntry
from loti.core.permissions import ALL, OWN, Action, Data, Role, scope
from loti.core.slugs import unique_slug
from loti.datasharing.lawful_basis import Article9, Schedule1, schedule_1_needed
from loti.datasharing.models import Agreement, Category, DataItem, Party, Signature, Version

# Words the registry's own addresses use after /data-sharing/: no agreement's slug takes one.
RESERVED_SLUGS = frozenset({"new", "can-we-share", "coverage", "reminders", "templates"})

# What a version's content may be given as (`version=` of the services below).
VERSION_FIELDS = (
    "purpose",
    "benefits",
    "article6",
    "article6_detail",
    "article9",
    "schedule1",
    "article10",
    "data_subjects",
    "transfer_method",
    "frequency",
    "security",
    "retention",
    "deletion",
    "rights",
    "privacy_information",
    "breach_reporting",
    "start_date",
    "review_date",
    "end_date",
)
MAX_DATA_ITEMS = 200
MAX_PARTIES = 500


# Who may do what.


def may_write(user: Any, agreement: Agreement | None = None) -> bool:
    """May `user` change `agreement` (with None: draft a new one at all)? The office any;
    a member's people the ones their organisation drafted."""
    if user is None:
        return True
    granted = scope(user, Data.AGREEMENTS, Action.WRITE)
    if granted == ALL:
        return True
    own = getattr(user, "organisation_id", None)
    if granted != OWN or own is None:
        return False
    return agreement is None or agreement.organisation_id == own


def entitled_to_sign(user: Any, organisation_id: int) -> bool:
    """Does `user` sign data-sharing agreements for `organisation_id`: its member lead, or a
    partner's person who signs its agreements?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.organisation_id is None or user.organisation_id != organisation_id:
        return False
    return user.role == Role.LEAD or (user.role == Role.PARTNER and user.signs_agreements)


def signing_party(user: Any, agreement: Agreement) -> Party | None:
    """The party of the version being signed that `user` may sign for now, if any."""
    if agreement.status not in (Agreement.Status.CONSULTATION, Agreement.Status.SIGNED):
        return None
    if agreement.current_version_id is None or getattr(user, "organisation_id", None) is None:
        return None
    if not entitled_to_sign(user, user.organisation_id):
        return None
    return (
        Party.objects.filter(
            version_id=agreement.current_version_id,
            organisation_id=user.organisation_id,
            withdrawn_on__isnull=True,
            signature__isnull=True,
        )
        .select_related("organisation", "version")
        .first()
    )


def may_withdraw_party(user: Any, party: Party) -> bool:
    """The office, or whoever signs for the party's organisation, withdraws it."""
    if party.withdrawn_on is not None:
        return False
    if user is None or scope(user, Data.AGREEMENTS, Action.WRITE) == ALL:
        return True
    return entitled_to_sign(user, party.organisation_id)


def _check_write(actor: Any, agreement: Agreement) -> None:
    if not may_write(actor, agreement):
        raise PermissionDenied


# Checking what an agreement says.


def _version(values: dict[str, Any]) -> Version:
    unknown = set(values) - set(VERSION_FIELDS)
    if unknown:
        raise TypeError(f"Not a version field: {', '.join(sorted(unknown))}")
    cleaned = {
        name: value.strip() if isinstance(value, str) else value for name, value in values.items()
    }
    return Version(**cleaned)


def _items(data_items: list[dict[str, Any]]) -> tuple[list[DataItem], list[str]]:
    errors: list[str] = []
    items: list[DataItem] = []
    seen: set[str] = set()
    if not data_items:
        errors.append("Add the data items the agreement shares")
    if len(data_items) > MAX_DATA_ITEMS:
        errors.append(f"List at most {MAX_DATA_ITEMS} data items")
        return [], errors
    for order, values in enumerate(data_items):
        name = (values.get("name") or "").strip()
        category = values.get("category") or ""
        number = order + 1
        if not name:
            errors.append(f"Enter the name of data item {number}")
            continue
        if category not in Category.values:
            errors.append(f"Select the category of {name}")
            continue
        if name.casefold() in seen:
            errors.append(f"{name} is listed twice: list each data item once")
            continue
        seen.add(name.casefold())
        item = DataItem(
            name=name,
            category=category,
            description=(values.get("description") or "").strip(),
            order=order,
        )
        try:
            item.full_clean(exclude=["version"])
        except ValidationError as error:
            errors.extend(f"{name}: {message}" for message in error.messages)
            continue
        items.append(item)
    return items, errors


def _parties(
    actor: Any, organisation: Any, parties: list[dict[str, Any]]
) -> tuple[list[Party], list[str]]:
    errors: list[str] = []
    built: list[Party] = []
    seen: set[int] = set()
    if len(parties) > MAX_PARTIES:
        return [], [f"Add at most {MAX_PARTIES} parties"]
    for values in parties:
        party_organisation = values.get("organisation")
        role = values.get("role") or ""
        if party_organisation is None:
            errors.append("Select the organisation of each party")
            continue
        if party_organisation.pk in seen:
            errors.append(f"{party_organisation} is added twice: add each party once")
            continue
        seen.add(party_organisation.pk)
        if role not in Party.Role.values:
            errors.append(f"Select the role of {party_organisation}")
            continue
        built.append(Party(organisation=party_organisation, role=role))
    if len(seen) < 2:
        errors.append("Add at least two parties: an agreement is between organisations")
    if organisation is not None and organisation.pk not in seen:
        errors.append(
            f"Add {organisation} as a party: an organisation drafts the agreements it is party to"
        )
    return built, errors


def _lawful_basis_errors(version: Version, items: list[DataItem]) -> dict[str, str]:
    errors: dict[str, str] = {}
    categories = {item.category for item in items}
    if Category.SPECIAL in categories and not version.article9:
        errors["article9"] = (
            "Select the Article 9 condition for the special category data this agreement shares"
        )
    elif version.article9 and Category.SPECIAL not in categories:
        errors["article9"] = (
            "Remove the Article 9 condition, or list the special category data it is for"
        )
    if Category.CRIMINAL in categories and not version.article10:
        errors["article10"] = (
            "Select the Article 10 basis for the criminal offence data this agreement shares"
        )
    elif version.article10 and Category.CRIMINAL not in categories:
        errors["article10"] = (
            "Remove the Article 10 basis, or list the criminal offence data it is for"
        )
    if "article9" in errors or "article10" in errors:
        return errors
    allowed = schedule_1_needed(article9=version.article9, article10=version.article10)
    if allowed is None and version.schedule1:
        errors["schedule1"] = "Remove the Schedule 1 condition: the conditions selected need none"
    elif allowed is not None and not version.schedule1:
        errors["schedule1"] = "Select the condition in Schedule 1 of the DPA 2018 that applies"
    elif allowed is not None and version.schedule1 not in allowed:
        article9 = Article9(version.article9).label if version.article9 else ""
        errors["schedule1"] = (
            f"Select a Schedule 1 condition that meets {article9}: "
            f"{Schedule1(version.schedule1).label} does not"
        )
    return errors


def _date_errors(version: Version) -> dict[str, str]:
    errors: dict[str, str] = {}
    start, review, end = version.start_date, version.review_date, version.end_date
    if start and review and review < start:
        errors["review_date"] = "The review date must be the same as or after the start date"
    if start and end and end < start:
        errors["end_date"] = "The end date must be the same as or after the start date"
    elif review and end and review > end:
        errors["review_date"] = "The review date must be the same as or before the end date"
    return errors


def _checked(
    *,
    actor: Any,
    organisation: Any,
    title: str,
    version: dict[str, Any],
    data_items: list[dict[str, Any]],
    parties: list[dict[str, Any]],
) -> tuple[Version, list[DataItem], list[Party]]:
    """The version, its data items and parties, built and checked, not saved: every problem
    is raised at once, keyed by the field it is about."""
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = ["Enter the agreement's title"]
    elif len(title.strip()) > Agreement._meta.get_field("title").max_length:
        errors["title"] = ["The title must be 200 characters or fewer"]
    built = _version(version)
    try:
        built.full_clean(exclude=["agreement", "number"], validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    items, item_errors = _items(data_items)
    if item_errors:
        errors["data_items"] = item_errors
    built_parties, party_errors = _parties(actor, organisation, parties)
    if party_errors:
        errors["parties"] = party_errors
    if not item_errors:
        for name, message in _lawful_basis_errors(built, items).items():
            errors.setdefault(name, []).append(message)
    for name, message in _date_errors(built).items():
        errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)
    return built, items, built_parties


def _save_content(version: Version, items: list[DataItem], parties: list[Party]) -> None:
    for item in items:
        item.version = version
    for party in parties:
        party.version = version
    DataItem.objects.bulk_create(items)
    Party.objects.bulk_create(parties)


def _slug(title: str) -> str:
    slug = unique_slug(Agreement, title, fallback="agreement")
    if slug in RESERVED_SLUGS:
        slug = unique_slug(Agreement, f"{title} agreement", fallback="agreement")
    return slug


# Drafting and changing.


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    organisation: Any,
    title: str,
    version: dict[str, Any],
    data_items: list[dict[str, Any]],
    parties: list[dict[str, Any]],
    template: Any = None,
    synthetic: bool = False,
) -> Agreement:
    """A new draft agreement and its first version. `organisation` is who drafts it (None:
    the office); a member drafts only for their own organisation."""
    if actor is not None and not may_write(actor):
        raise PermissionDenied
    if scope(actor, Data.AGREEMENTS, Action.WRITE) == OWN and (
        organisation is None or organisation.pk != actor.organisation_id
    ):
        raise PermissionDenied
    built, items, built_parties = _checked(
        actor=actor,
        organisation=organisation,
        title=title,
        version=version,
        data_items=data_items,
        parties=parties,
    )
    person = actor if getattr(actor, "pk", None) else None
    agreement = audit.create(
        actor=actor,
        obj=Agreement(
            title=title.strip(),
            slug=_slug(title),
            organisation=organisation,
            template=template,
            created_by=person,
            synthetic=synthetic,
        ),
    )
    built.agreement = agreement
    built.number = 1
    built.created_by = person
    built.full_clean()
    built.save()
    _save_content(built, items, built_parties)
    agreement.current_version = built
    agreement.save(update_fields=["current_version"])
    search.index(agreement)
    return agreement


def _locked(agreement: Agreement) -> Agreement:
    """The agreement's row, locked until the transaction ends (PostgreSQL; SQLite writes one
    transaction at a time anyway), read afresh."""
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


@transaction.atomic
def agreement_update(
    *,
    actor: Any,
    agreement: Agreement,
    title: str,
    version: dict[str, Any],
    data_items: list[dict[str, Any]],
    parties: list[dict[str, Any]],
    change_summary: str = "",
) -> Version:
    """Change what an agreement says. Once anyone has signed the version being signed, the
    change is a new version, which every party signs again; before that it is changed in
    place. Returns the version that now holds the content."""
    _check_write(actor, agreement)
    agreement = _locked(agreement)
    if agreement.status == Agreement.Status.WITHDRAWN:
        raise ValidationError("A withdrawn agreement cannot be changed")
    built, items, built_parties = _checked(
        actor=actor,
        organisation=agreement.organisation,
        title=title,
        version=version,
        data_items=data_items,
        parties=parties,
    )
    current = agreement.current_version
    signed = Signature.objects.filter(party__version=current).exists()
    if signed and not change_summary.strip():
        raise ValidationError(
            {"change_summary": "Describe what changed: every party signs the new version"}
        )
    person = actor if getattr(actor, "pk", None) else None
    now = timezone.now()
    if signed:
        Version.objects.filter(pk=current.pk).update(superseded_at=now)
        built.agreement = agreement
        built.number = current.number + 1
        built.change_summary = change_summary.strip()
        built.created_by = person
        built.created_at = now
        built.full_clean()
        built.save()
        audit.record(actor=actor, action=AuditEntry.Action.CREATE, obj=built)
        target = built
    else:
        before = audit.snapshot(current)
        for name in VERSION_FIELDS:
            setattr(current, name, getattr(built, name))
        current.change_summary = change_summary.strip()
        current.full_clean()
        current.save()
        audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=current, before=before)
        current.data_items.all().delete()
        current.parties.all().delete()
        target = current
    _save_content(target, items, built_parties)
    audit.update(
        actor=actor,
        obj=agreement,
        title=title.strip(),
        current_version=target,
        updated_at=now,
    )
    search.index(agreement)
    return target


@transaction.atomic
def agreement_open(*, actor: Any, agreement: Agreement) -> Agreement:
    """Send a draft to its parties for signature: from now on it is in consultation and
    on the public register."""
    _check_write(actor, agreement)
    agreement = _locked(agreement)
    if agreement.status != Agreement.Status.DRAFT:
        raise ValidationError("Only a draft can be sent for signature")
    return audit.update(
        actor=actor,
        obj=agreement,
        status=Agreement.Status.CONSULTATION,
        updated_at=timezone.now(),
    )


def _bring_into_force(agreement: Agreement) -> None:
    """Once every remaining party of the version being signed has signed it, that version
    is the one in force."""
    current = agreement.current_version
    remaining = Party.objects.filter(version=current, withdrawn_on__isnull=True)
    if remaining.count() < 2 or remaining.filter(signature__isnull=True).exists():
        return
    Agreement.objects.filter(pk=agreement.pk).update(
        in_force_version=current, status=Agreement.Status.SIGNED, updated_at=timezone.now()
    )
    agreement.refresh_from_db()
    search.index(agreement)  # the register now shows the version in force


@transaction.atomic
def agreement_sign(
    *, actor: Any, agreement: Agreement, version_number: int, capacity: str
) -> Signature:
    """`actor` signs the version being signed for their organisation. `version_number` is the
    version they read: a version replaced since is refused, not signed."""
    agreement = _locked(agreement)
    if agreement.status not in (Agreement.Status.CONSULTATION, Agreement.Status.SIGNED):
        raise ValidationError("This agreement is not open for signature")
    current = agreement.current_version
    if version_number != current.number:
        raise ValidationError(
            {
                "version": (
                    f"Version {version_number} has been replaced by version {current.number}: "
                    "read the new version and sign that"
                )
            }
        )
    organisation_id = getattr(actor, "organisation_id", None)
    if organisation_id is None or not entitled_to_sign(actor, organisation_id):
        raise PermissionDenied
    party = (
        Party.objects.filter(version=current, organisation_id=organisation_id)
        .select_related("organisation")
        .first()
    )
    if party is None:
        raise PermissionDenied
    if party.withdrawn_on is not None:
        raise ValidationError(f"{party.organisation} has withdrawn from this agreement")
    capacity = capacity.strip()
    if not capacity:
        raise ValidationError({"capacity": "Enter the capacity you sign in"})
    already = ValidationError(f"{party.organisation} has already signed version {current.number}")
    if Signature.objects.filter(party=party).exists():
        raise already
    signature = Signature(party=party, person=actor, name=actor.full_name, capacity=capacity)
    signature.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            signature.save()
    except IntegrityError as exc:  # another request signed for the party a moment ago
        raise already from exc
    audit.record(actor=actor, action=AuditEntry.Action.CREATE, obj=signature)
    _bring_into_force(agreement)
    return signature


@transaction.atomic
def party_withdraw(*, actor: Any, party: Party, on: datetime.date | None, reason: str) -> None:
    """A party leaves the agreement from `on`: from the version in force and from any
    version awaiting signatures. The others go on sharing under it."""
    if not may_withdraw_party(actor, party):
        raise PermissionDenied
    agreement = _locked(party.version.agreement)
    errors = {}
    if on is None:
        errors["on"] = "Enter the date the withdrawal takes effect"
    if not reason.strip():
        errors["reason"] = f"Enter why {party.organisation} is withdrawing"
    if errors:
        raise ValidationError(errors)
    versions = {agreement.current_version_id, agreement.in_force_version_id} - {None}
    rows = Party.objects.filter(
        version_id__in=versions, organisation_id=party.organisation_id, withdrawn_on__isnull=True
    )
    for row in rows:
        audit.update(
            actor=actor,
            obj=row,
            withdrawn_on=on,
            withdrawal_reason=reason.strip(),
            withdrawn_by=actor if getattr(actor, "pk", None) else None,
        )
    # Who shares under it has changed (the coverage matrix's cache key reads this).
    Agreement.objects.filter(pk=agreement.pk).update(updated_at=timezone.now())
    # The version awaiting signatures may have waited only for the party that left.
    if agreement.status in (Agreement.Status.CONSULTATION, Agreement.Status.SIGNED):
        _bring_into_force(agreement)


@transaction.atomic
def agreement_withdraw(
    *, actor: Any, agreement: Agreement, on: datetime.date | None, reason: str
) -> Agreement:
    """End the agreement for every party from `on`."""
    _check_write(actor, agreement)
    agreement = _locked(agreement)
    if agreement.status == Agreement.Status.WITHDRAWN:
        raise ValidationError("This agreement has already been withdrawn")
    errors = {}
    if on is None:
        errors["withdrawn_on"] = "Enter the date the withdrawal takes effect"
    if not reason.strip():
        errors["withdrawal_reason"] = "Enter why the agreement is withdrawn"
    if errors:
        raise ValidationError(errors)
    return audit.update(
        actor=actor,
        obj=agreement,
        status=Agreement.Status.WITHDRAWN,
        withdrawn_on=on,
        withdrawal_reason=reason.strip(),
        updated_at=timezone.now(),
    )
