"""What a ready preview would do, before anything is written: for systems and for contracts,
which would be added, which changed (and which of their fields), and which left as they are.

It compares the plan with the records by the keys `commit_rows` uses, in a few bulk reads, so
its counts are the counts the commit reports afterwards.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from loti.members import selectors as member_selectors
from loti.techmap.estate_import.commit import CONTRACT_UPDATE_FIELDS, SYSTEM_FIELDS
from loti.techmap.estate_import.validation import Preview
from loti.techmap.models import Contract, System

# How many records of each kind and outcome the page lists by name; the counts are exact.
LISTED = 50

SYSTEM_LABELS = {
    "in_use_since": "in use since",
    "users": "users",
    "satisfaction": "satisfaction",
    "notes": "notes",
    "service_areas": "services",
}
CONTRACT_LABELS = {
    "system_id": "system",
    "ends_on": "end date",
    "extension_options": "extension options",
    "annual_value": "annual value",
    "total_value": "total value",
    "procurement_route": "procurement route",
    "is_public": "published",
}


class _Outcomes:
    def __init__(self) -> None:
        self.counts = {"added": 0, "changed": 0, "unchanged": 0}
        self.listed: dict[str, list[dict[str, Any]]] = {key: [] for key in self.counts}

    def add(self, outcome: str, name: str, row: int | None, fields: list[str] = ()) -> None:
        self.counts[outcome] += 1
        if len(self.listed[outcome]) < LISTED:
            self.listed[outcome].append({"name": name, "row": row, "fields": list(fields)})

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.counts,
            "listed": self.listed,
            "more": {key: self.counts[key] - len(self.listed[key]) for key in self.counts},
        }


def planned_changes(preview: Preview) -> dict[str, Any]:
    """{"systems": ..., "contracts": ...}, each with the counts added, changed and unchanged,
    and up to LISTED of each by name, row and (for a change) the fields that change."""
    organisation_ids = {plan.organisation_id for plan in preview.systems.values()}
    shortnames = dict(
        member_selectors.organisations(ids=sorted(organisation_ids)).values_list("id", "short_name")
    )
    several = len(organisation_ids) > 1

    def product_of(product_key: tuple[str, str]) -> tuple[int | None, str]:
        product = preview.products[product_key]
        vendor = preview.vendors.get(product.vendor_key)
        return product.product_id, f"{product.name} ({vendor.name})" if vendor else product.name

    existing_systems = {
        (row["organisation_id"], row["product_id"]): row
        for row in System.objects.filter(organisation_id__in=organisation_ids).values(
            "id", "organisation_id", "product_id", *SYSTEM_FIELDS
        )
    }
    current_areas: dict[int, set[int]] = defaultdict(set)
    for system_id, area_id in System.service_areas.through.objects.filter(
        system__organisation_id__in=organisation_ids
    ).values_list("system_id", "servicearea_id"):
        current_areas[system_id].add(area_id)

    systems = _Outcomes()
    system_ids: dict[tuple, int | None] = {}
    for plan_key, plan in preview.systems.items():
        product_id, name = product_of(plan.product_key)
        if several:
            name = f"{shortnames.get(plan.organisation_id, '')}: {name}"
        row_number = min(plan.first_row.values(), default=None)
        values = plan.values
        areas = values.get("service_areas")
        if areas is None:
            category = preview.products[plan.product_key].category_id
            areas = preview.usual_areas.get(category, frozenset())
        existing = existing_systems.get((plan.organisation_id, product_id))
        system_ids[plan_key] = existing["id"] if existing else None
        if existing is None:
            systems.add("added", name, row_number)
            continue
        planned = {
            "in_use_since": values.get("in_use_since"),
            "users": values.get("users"),
            "satisfaction": values.get("satisfaction"),
            "notes": values.get("notes") or "",
        }
        fields = [SYSTEM_LABELS[f] for f in SYSTEM_FIELDS if existing[f] != planned[f]]
        if current_areas.get(existing["id"], set()) != set(areas):
            fields.append(SYSTEM_LABELS["service_areas"])
        systems.add("changed" if fields else "unchanged", name, row_number, fields)

    existing_contracts: dict[tuple, dict[str, Any]] = {}
    for row in (
        Contract.objects.filter(organisation_id__in=organisation_ids)
        .order_by("pk")
        .values("id", "organisation_id", "vendor_id", "title", "starts_on", *CONTRACT_UPDATE_FIELDS)
    ):
        key = (row["organisation_id"], row["vendor_id"], row["title"], row["starts_on"])
        existing_contracts.setdefault(key, row)

    contracts = _Outcomes()
    for plan in preview.contracts.values():
        vendor = preview.vendors.get(plan.vendor_key)
        vendor_id = vendor.vendor_id if vendor else None
        name = f"{plan.title} ({vendor.name})" if vendor else plan.title
        if several:
            name = f"{shortnames.get(plan.organisation_id, '')}: {name}"
        existing = (
            existing_contracts.get((plan.organisation_id, vendor_id, plan.title, plan.starts_on))
            if vendor_id is not None
            else None
        )
        if existing is None:
            contracts.add("added", name, plan.row)
            continue
        planned = {
            "system_id": system_ids.get(plan.system_key),
            "ends_on": plan.ends_on,
            "extension_options": plan.extension_options,
            "annual_value": plan.annual_value,
            "total_value": plan.total_value,
            "procurement_route": plan.procurement_route,
            "is_public": plan.is_public,
        }
        fields = [
            CONTRACT_LABELS[f]
            for f in CONTRACT_UPDATE_FIELDS
            # A new system has no id yet: the contract moves to it.
            if (f == "system_id" and planned[f] is None) or existing[f] != planned[f]
        ]
        contracts.add("changed" if fields else "unchanged", name, plan.row, fields)
    return {"systems": systems.as_dict(), "contracts": contracts.as_dict()}
