"""Writes for the technology map. Each goes through the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from loti.core import audit
from loti.core import services as core_services
from loti.core.slugs import unique_slug
from loti.techmap import search
from loti.techmap.matching import normalise
from loti.techmap.models import (
    Contract,
    NoticeAward,
    OcdsImport,
    OpportunityInterest,
    Product,
    ServiceArea,
    SkillArea,
    SkillLevel,
    System,
    Vendor,
    VendorAlias,
)

if TYPE_CHECKING:
    from loti.members.models import Organisation


def vendor_create(
    *, actor: Any, name: str, companies_house_number: str = "", is_sme: bool | None = None
) -> Vendor:
    name = name.strip()
    if VendorAlias.objects.filter(normalised_name=normalise(name)).exists():
        raise ValidationError({"name": f"“{name}” is already known as another vendor's name"})
    vendor = Vendor(
        name=name,
        normalised_name=normalise(name),
        slug=unique_slug(Vendor, name),
        companies_house_number=companies_house_number.strip().upper(),
        is_sme=is_sme,
    )
    return audit.create(actor=actor, obj=vendor)


def vendor_update(*, actor: Any, vendor: Vendor, **fields: Any) -> Vendor:
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        fields["normalised_name"] = normalise(fields["name"])
    if "companies_house_number" in fields:
        fields["companies_house_number"] = fields["companies_house_number"].strip().upper()
    vendor = audit.update(actor=actor, obj=vendor, **fields)
    if "name" in fields:
        # Its products are found by its name too.
        search.index_products(vendor.products.values_list("pk", flat=True))
    return vendor


def vendor_alias_add(*, actor: Any, vendor: Vendor, name: str) -> VendorAlias:
    alias = VendorAlias(vendor=vendor, name=name.strip(), normalised_name=normalise(name))
    if alias.normalised_name == vendor.normalised_name:
        raise ValidationError({"name": "That is the vendor's own name"})
    return audit.create(actor=actor, obj=alias)


@transaction.atomic
def vendor_merge(*, actor: Any, keep: Vendor, duplicates: Iterable[Vendor]) -> Vendor:
    """Fold duplicate vendors into `keep`: their products, contracts and aliases move over and
    their names become aliases, so imports keep matching them."""
    for duplicate in duplicates:
        if duplicate.pk == keep.pk:
            raise ValidationError("A vendor cannot be merged into itself")
        for product in duplicate.products.all():
            same = Product.objects.filter(vendor=keep, name=product.name).first()
            if same is None:
                audit.update(actor=actor, obj=product, vendor=keep)
            else:
                _merge_products(actor=actor, keep=same, duplicate=product)
        Contract.objects.filter(vendor=duplicate).update(vendor=keep, updated_at=timezone.now())
        names = [duplicate.name, *duplicate.aliases.values_list("name", flat=True)]
        duplicate.aliases.all().delete()
        audit.delete(actor=actor, obj=duplicate)
        for name in names:
            if (
                normalise(name) != keep.normalised_name
                and not VendorAlias.objects.filter(normalised_name=normalise(name)).exists()
            ):
                vendor_alias_add(actor=actor, vendor=keep, name=name)
        if keep.is_sme is None and duplicate.is_sme is not None:
            audit.update(actor=actor, obj=keep, is_sme=duplicate.is_sme)
    return keep


def _merge_products(*, actor: Any, keep: Product, duplicate: Product) -> None:
    for system in duplicate.systems.all():
        existing = System.objects.filter(organisation=system.organisation, product=keep).first()
        if existing is None:
            audit.update(actor=actor, obj=system, product=keep)
        else:
            existing.service_areas.add(*system.service_areas.all())
            system.contracts.update(system=existing)
            audit.delete(actor=actor, obj=system)
    audit.delete(actor=actor, obj=duplicate)


def product_create(
    *, actor: Any, vendor: Vendor, name: str, category: Any, hosting: str = ""
) -> Product:
    product = Product(
        vendor=vendor,
        name=name.strip(),
        slug=unique_slug(Product, f"{vendor.name} {name}"),
        category=category,
        hosting=hosting,
    )
    return audit.create(actor=actor, obj=product)


@transaction.atomic
def system_create(
    *,
    actor: Any,
    organisation: Organisation,
    product: Product,
    service_areas: Iterable[ServiceArea] = (),
    **fields: Any,
) -> System:
    system = audit.create(
        actor=actor, obj=System(organisation=organisation, product=product, **fields)
    )
    areas = list(service_areas) or list(product.category.usual_service_areas.all())
    system.service_areas.set(areas)
    return system


@transaction.atomic
def system_update(
    *, actor: Any, system: System, service_areas: Iterable[ServiceArea] | None = None, **fields: Any
) -> System:
    system = audit.update(actor=actor, obj=system, updated_at=timezone.now(), **fields)
    if service_areas is not None:
        system.service_areas.set(list(service_areas))
    return system


def system_delete(*, actor: Any, system: System) -> None:
    audit.delete(actor=actor, obj=system)


def contract_create(*, actor: Any, organisation: Organisation, **fields: Any) -> Contract:
    _check_system(organisation, fields.get("system"))
    return audit.create(actor=actor, obj=Contract(organisation=organisation, **fields))


def contract_update(*, actor: Any, contract: Contract, **fields: Any) -> Contract:
    _check_system(contract.organisation, fields.get("system"))
    return audit.update(actor=actor, obj=contract, updated_at=timezone.now(), **fields)


def contract_delete(*, actor: Any, contract: Contract) -> None:
    audit.delete(actor=actor, obj=contract)


def _check_system(organisation: Organisation, system: System | None) -> None:
    if system is not None and system.organisation_id != organisation.pk:
        raise ValidationError({"system": "Choose one of this organisation's own systems"})


@transaction.atomic
def skill_levels_set(
    *, actor: Any, organisation: Organisation, levels: dict[SkillArea, int | None]
) -> None:
    """Set the organisation's level (1–5) in each skill area; None clears it."""
    for area, level in levels.items():
        current = SkillLevel.objects.filter(organisation=organisation, skill_area=area).first()
        if level is None:
            if current:
                audit.delete(actor=actor, obj=current)
        elif current is None:
            audit.create(
                actor=actor, obj=SkillLevel(organisation=organisation, skill_area=area, level=level)
            )
        elif current.level != level:
            audit.update(actor=actor, obj=current, level=level)


def opportunity_interest_set(
    *,
    actor: Any,
    organisation: Organisation,
    group_slug: str,
    window_starts_on: Any,
    window_ends_on: Any,
    interested: bool,
) -> None:
    """Mark (or withdraw) an organisation's interest in buying together on an opportunity: a
    service area's contracts ending from `window_starts_on`."""
    lookup = {
        "organisation": organisation,
        "grouping": OpportunityInterest.Grouping.SERVICE_AREA,
        "group_slug": group_slug,
        "window_starts_on": window_starts_on,
    }
    existing = OpportunityInterest.objects.filter(**lookup).first()
    if interested and existing is None:
        interest = OpportunityInterest(**lookup, window_ends_on=window_ends_on, marked_by=actor)
        audit.create(actor=actor, obj=interest)
    elif not interested and existing is not None:
        audit.delete(actor=actor, obj=existing)


def ocds_import_start(*, actor: Any, filename: str, content: bytes) -> OcdsImport:
    """Keep an uploaded file of published notices and import it in the background."""
    with transaction.atomic():
        upload = OcdsImport(requested_by=actor, filename=filename[:255], content=content)
        upload.full_clean(exclude=["content"])
        upload.save()
        upload.progress = core_services.task_start(
            "loti.techmap.tasks.import_ocds_upload",
            label=f"Importing {upload.filename}",
            requested_by=actor,
            result_url=upload.get_absolute_url(),
            import_id=upload.pk,
        )
        upload.save(update_fields=["progress"])
    return upload


@transaction.atomic
def contract_conflict_settle(*, actor: Any, contract: Contract, field: str, take: bool) -> Contract:
    """Settle a difference between a person's edit of an imported contract and a newer
    published notice: take the notice's value (`take`), or keep the person's."""
    award = NoticeAward.objects.select_for_update().filter(contract=contract).first()
    if award is None or field not in award.conflicts:
        raise ValidationError("There is no difference to settle for that field")
    value = award.conflicts.pop(field)
    award.save(update_fields=["conflicts"])
    if take:
        fields = {field: Contract._meta.get_field(field).to_python(value)}
        contract = audit.update(actor=actor, obj=contract, updated_at=timezone.now(), **fields)
    return contract
