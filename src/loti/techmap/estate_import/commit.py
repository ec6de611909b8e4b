"""Writing a checked preview: all of it in one transaction, in bulk."""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from loti.core.permissions import Action, Data, can
from loti.techmap import search
from loti.techmap.estate_import.validation import Preview
from loti.techmap.matching import normalise
from loti.techmap.models import Contract, Product, System, Vendor, VendorAlias

BATCH_SIZE = 1000
# What an import may change on a contract it finds (the rest are its key, or not its to set).
CONTRACT_UPDATE_FIELDS = (
    "system_id",
    "ends_on",
    "extension_options",
    "annual_value",
    "total_value",
    "procurement_route",
    "is_public",
)


def _unique_slug(text: str, taken: set[str], fallback: str) -> str:
    base = slugify(text)[:90] or fallback
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def _chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _counts(created: int, updated: int, unchanged: int) -> dict[str, int]:
    return {"created": created, "updated": updated, "unchanged": unchanged}


def commit_rows(preview: Preview, *, user: Any) -> dict[str, Any]:
    """Write a ready preview in one transaction; returns what changed.

    Raises ValidationError if the preview has problems or undecided vendors, and
    PermissionDenied if `user` may not write one of its organisations.
    """
    if not preview.ready:
        raise ValidationError("Fix every problem and decide every vendor before importing")
    organisation_ids = {plan.organisation_id for plan in preview.systems.values()}
    for organisation_id in organisation_ids:
        if not can(user, Data.TECHMAP, Action.WRITE, organisation_id):
            raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        vendor_ids, vendor_result, vendors_to_index = _write_vendors(preview)
        product_ids, new_product_ids = _write_products(preview, vendor_ids)
        system_ids, systems_result = _write_systems(preview, product_ids, organisation_ids, now)
        contracts_result = _write_contracts(preview, vendor_ids, system_ids, organisation_ids, now)
        # Written in bulk, without signals: new suppliers and products, and suppliers that
        # gained other names, are indexed here (only those: rewriting an entry is a query).
        search.index_vendors(vendors_to_index)
        search.index_products(new_product_ids)
    systems, contracts = systems_result, contracts_result
    summary = (
        f"Imported {preview.rows} row{'s' if preview.rows != 1 else ''}: "
        f"{systems['created']} systems added, {systems['updated']} changed, "
        f"{systems['unchanged']} unchanged; {contracts['created']} contracts added, "
        f"{contracts['updated']} changed, {contracts['unchanged']} unchanged."
    )
    return {
        "rows": preview.rows,
        "systems": systems,
        "contracts": contracts,
        "products_created": len(new_product_ids),
        **vendor_result,
        "summary": summary,
    }


def _write_vendors(preview: Preview) -> tuple[dict[str, int], dict[str, int], set[int]]:
    """The vendors' ids by key, what was written, and the vendors whose names changed."""
    plans = list(preview.vendors.values())
    taken = set(Vendor.objects.values_list("slug", flat=True))
    new = [
        Vendor(
            name=plan.name,
            normalised_name=normalise(plan.name)[:200],
            slug=_unique_slug(plan.name, taken, "vendor"),
            companies_house_number=plan.companies_house_number,
            is_sme=plan.is_sme,
        )
        for plan in plans
        if plan.vendor_id is None
    ]
    Vendor.objects.bulk_create(new, batch_size=BATCH_SIZE)
    created = iter(new)
    ids = {
        plan.key: plan.vendor_id if plan.vendor_id is not None else next(created).pk
        for plan in plans
    }
    # Existing vendors gain only what was unknown about them.
    existing = Vendor.objects.in_bulk([plan.vendor_id for plan in plans if plan.vendor_id])
    changed = []
    for plan in plans:
        vendor = existing.get(plan.vendor_id)
        if vendor is None:
            continue
        fresh = False
        if plan.companies_house_number and not vendor.companies_house_number:
            vendor.companies_house_number, fresh = plan.companies_house_number, True
        if plan.is_sme is not None and vendor.is_sme is None:
            vendor.is_sme, fresh = plan.is_sme, True
        if fresh:
            changed.append(vendor)
    Vendor.objects.bulk_update(changed, ["companies_house_number", "is_sme"], batch_size=BATCH_SIZE)
    # A name a person matched to a vendor is remembered, so it matches next time.
    known = set(VendorAlias.objects.values_list("normalised_name", flat=True))
    known |= set(Vendor.objects.values_list("normalised_name", flat=True))
    aliases = []
    for plan in plans:
        for key, name in plan.aliases.items():
            if key[:200] not in known:
                known.add(key[:200])
                aliases.append(
                    VendorAlias(
                        vendor_id=plan.vendor_id, name=name[:200], normalised_name=key[:200]
                    )
                )
    VendorAlias.objects.bulk_create(aliases, batch_size=BATCH_SIZE)
    to_index = {vendor.pk for vendor in new} | {alias.vendor_id for alias in aliases}
    return (
        ids,
        {
            "vendors_created": len(new),
            "vendors_updated": len(changed),
            "aliases_created": len(aliases),
        },
        to_index,
    )


def _write_products(
    preview: Preview, vendor_ids: dict[str, int]
) -> tuple[dict[tuple[str, str], int], list[int]]:
    """The products' ids by key, and the ids of those created."""
    names = {plan.key: plan.name for plan in preview.vendors.values()}
    taken = set(Product.objects.values_list("slug", flat=True))
    new = [
        (
            vendor_ids[plan.vendor_key],
            plan.name,
            _unique_slug(f"{names[plan.vendor_key]} {plan.name}", taken, "product"),
            plan.category_id,
            plan.hosting,
        )
        for plan in preview.products.values()
        if plan.product_id is None
    ]
    _insert(Product, ("vendor", "name", "slug", "category", "hosting"), new)
    created = {}
    if new:
        created = {
            (vendor_id, name): pk
            for pk, vendor_id, name in Product.objects.filter(
                vendor_id__in={row[0] for row in new}
            ).values_list("id", "vendor_id", "name")
        }
    ids = {
        key: plan.product_id
        if plan.product_id is not None
        else created[(vendor_ids[plan.vendor_key], plan.name)]
        for key, plan in preview.products.items()
    }
    return ids, [created[(vendor_id, name)] for vendor_id, name, *_ in new]


SYSTEM_FIELDS = ("in_use_since", "users", "satisfaction", "notes")


def _write_systems(
    preview: Preview,
    product_ids: dict[tuple[str, str], int],
    organisation_ids: set[int],
    now: datetime.datetime,
) -> tuple[dict[tuple, int], dict[str, int]]:
    def existing_systems() -> dict[tuple[int, int], dict[str, Any]]:
        rows = System.objects.filter(organisation_id__in=organisation_ids).values(
            "id", "organisation_id", "product_id", *SYSTEM_FIELDS
        )
        return {(row["organisation_id"], row["product_id"]): row for row in rows}

    existing = existing_systems()
    through = System.service_areas.through
    current_areas: dict[int, set[int]] = defaultdict(set)
    for system_id, area_id in through.objects.filter(
        system__organisation_id__in=organisation_ids
    ).values_list("system_id", "servicearea_id"):
        current_areas[system_id].add(area_id)

    new, changed, unchanged = [], [], 0
    areas_of: dict[tuple[int, int], frozenset[int]] = {}
    for plan in preview.systems.values():
        values = plan.values
        areas = values.get("service_areas")
        if areas is None:
            category = preview.products[plan.product_key].category_id
            areas = preview.usual_areas.get(category, frozenset())
        fields = (
            values.get("in_use_since"),
            values.get("users"),
            values.get("satisfaction"),
            values.get("notes") or "",
        )
        key = (plan.organisation_id, product_ids[plan.product_key])
        row = existing.get(key)
        if row is None:
            new.append((*key, *fields, now))
            areas_of[key] = areas
            continue
        same_fields = all(
            row[name] == value for name, value in zip(SYSTEM_FIELDS, fields, strict=True)
        )
        same_areas = current_areas.get(row["id"], set()) == areas
        if same_fields and same_areas:
            unchanged += 1
            continue
        changed.append((*fields, now, row["id"]))
        if not same_areas:
            areas_of[key] = areas
    _insert(System, ("organisation", "product", *SYSTEM_FIELDS, "updated_at"), new)
    _update(System, (*SYSTEM_FIELDS, "updated_at"), changed)
    ids = {key: row["id"] for key, row in existing_systems().items()}

    replaced = [ids[key] for key in areas_of if key in existing]
    for chunk in _chunks(replaced):
        through.objects.filter(system_id__in=chunk).delete()
    links = [(ids[key], area_id) for key, areas in areas_of.items() for area_id in areas]
    _insert(through, ("system", "servicearea"), links)

    by_plan = {
        plan_key: ids[(plan.organisation_id, product_ids[plan.product_key])]
        for plan_key, plan in preview.systems.items()
    }
    return by_plan, _counts(len(new), len(changed), unchanged)


def _write_contracts(
    preview: Preview,
    vendor_ids: dict[str, int],
    system_ids: dict[tuple, int],
    organisation_ids: set[int],
    now: datetime.datetime,
) -> dict[str, int]:
    existing: dict[tuple, dict[str, Any]] = {}
    rows = (
        Contract.objects.filter(organisation_id__in=organisation_ids)
        .order_by("pk")
        .values("id", "organisation_id", "vendor_id", "title", "starts_on", *CONTRACT_UPDATE_FIELDS)
    )
    for row in rows:
        key = (row["organisation_id"], row["vendor_id"], row["title"], row["starts_on"])
        existing.setdefault(key, row)
    new, changed, unchanged = [], [], 0
    for plan in preview.contracts.values():
        vendor_id = vendor_ids[plan.vendor_key]
        fields = (
            system_ids[plan.system_key],
            plan.ends_on,
            plan.extension_options,
            plan.annual_value,
            plan.total_value,
            plan.procurement_route,
            plan.is_public,
        )
        row = existing.get((plan.organisation_id, vendor_id, plan.title, plan.starts_on))
        if row is None:
            key = (plan.organisation_id, vendor_id, plan.title, plan.starts_on)
            new.append((*key, *fields, preview.source, "", now))
        elif all(
            row[name] == value for name, value in zip(CONTRACT_UPDATE_FIELDS, fields, strict=True)
        ):
            unchanged += 1
        else:
            changed.append((*fields, now, row["id"]))
    contract_key = ("organisation", "vendor", "title", "starts_on")
    update_fields = ("system", *CONTRACT_UPDATE_FIELDS[1:])
    _insert(Contract, (*contract_key, *update_fields, "source", "notes", "updated_at"), new)
    _update(Contract, (*update_fields, "updated_at"), changed)
    return _counts(len(new), len(changed), unchanged)


# Writing many rows -----------------------------------------------------------------------
#
# bulk_create and bulk_update compile SQL for every value they write, which for 100,000 rows
# takes far longer than the database's own work. One parameterised statement, run through
# executemany, costs the same on SQLite and PostgreSQL and leaves the work to the database.
# Values still pass through each field's own conversion where it has one (dates, amounts).


def _preparers(model: type[models.Model], names: Iterable[str]) -> tuple[list[str], list[Any]]:
    fields = [model._meta.get_field(name) for name in names]
    converting = (models.DateField, models.DecimalField)
    preparers = [
        functools.partial(_prepare, field) if isinstance(field, converting) else None
        for field in fields
    ]
    return [connection.ops.quote_name(field.column) for field in fields], preparers


def _prepare(field: models.Field, value: Any) -> Any:
    return field.get_db_prep_save(value, connection)


def _params(rows: list[tuple], preparers: list[Any]) -> list[list[Any]]:
    return [
        [
            value if prepare is None else prepare(value)
            for prepare, value in zip(preparers, row, strict=True)
        ]
        for row in rows
    ]


def _insert(model: type[models.Model], names: Iterable[str], rows: list[tuple]) -> None:
    """INSERT `rows`, each a tuple of values for the fields `names`."""
    if not rows:
        return
    columns, preparers = _preparers(model, names)
    table = connection.ops.quote_name(model._meta.db_table)
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, BATCH_SIZE):
            cursor.executemany(sql, _params(chunk, preparers))


def _update(model: type[models.Model], names: Iterable[str], rows: list[tuple]) -> None:
    """UPDATE the fields `names` of each row; a row is their values, then the primary key."""
    if not rows:
        return
    columns, preparers = _preparers(model, names)
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    assignments = ", ".join(f"{column} = %s" for column in columns)
    sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, BATCH_SIZE):
            cursor.executemany(sql, _params(chunk, [*preparers, None]))
