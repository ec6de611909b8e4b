"""The estate as rows in the import's columns, for everything a user may see."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from loti.core.permissions import Data, filter_for
from loti.techmap.estate_import.columns import COLUMNS, HEADERS
from loti.techmap.models import Contract, System
from loti.techmap.selectors import contracts_seen_by, systems_seen_by

if TYPE_CHECKING:
    from loti.members.models import Organisation


def guidance_rows() -> list[list[str]]:
    return [[column.key, column.guidance, column.required] for column in COLUMNS]


def export_rows(*, user: Any, organisation: Organisation | None = None) -> Iterator[list[Any]]:
    """Every system and contract `user` may see, in the import's columns (so an export can
    be changed and imported again). Values, satisfaction and notes are what
    `contracts_seen_by` and `systems_seen_by` let `user` see."""
    systems = systems_seen_by(user, filter_for(System.objects.all(), user, Data.TECHMAP))
    contracts = contracts_seen_by(user, filter_for(Contract.objects.all(), user, Data.TECHMAP))
    if organisation is not None:
        systems = systems.filter(organisation=organisation)
        contracts = contracts.filter(organisation=organisation)
    by_system: dict[int | None, list[Contract]] = defaultdict(list)
    for contract in contracts.select_related("organisation", "vendor").order_by(
        "organisation__name", "title", "starts_on", "pk"
    ):
        by_system[contract.system_id].append(contract)
    systems = systems.select_related("organisation", "product__vendor", "product__category")
    systems = systems.prefetch_related("service_areas").order_by(
        "organisation__name", "product__name", "pk"
    )
    for system in systems.iterator(chunk_size=2000):
        product = system.product
        base = {
            "organisation": system.organisation.name,
            "product": product.name,
            "vendor": product.vendor.name,
            "category": product.category.name,
            "hosting": product.get_hosting_display(),
            "service_areas": "; ".join(area.name for area in system.service_areas.all()),
            "in_use_since": system.in_use_since,
            "users": system.users,
            "satisfaction": system.seen_satisfaction,
            "system_notes": system.seen_notes,
            "vendor_companies_house_number": product.vendor.companies_house_number,
            "vendor_is_sme": product.vendor.is_sme,
        }
        for contract in by_system.pop(system.pk, None) or [None]:
            row = dict(base)
            if contract is not None:
                row.update(_contract_cells(contract))
            yield [row.get(key) for key in HEADERS]
    for contract in (c for contracts in by_system.values() for c in contracts):
        row = {
            "organisation": contract.organisation.name,
            "vendor": contract.vendor.name,
            "vendor_companies_house_number": contract.vendor.companies_house_number,
            "vendor_is_sme": contract.vendor.is_sme,
            **_contract_cells(contract),
        }
        yield [row.get(key) for key in HEADERS]


def _contract_cells(contract: Contract) -> dict[str, Any]:
    return {
        "contract_title": contract.title,
        "contract_start": contract.starts_on,
        "contract_end": contract.ends_on,
        "extension_options": contract.extension_options,
        "annual_value": contract.seen_annual_value,
        "total_value": contract.seen_total_value,
        "procurement_route": contract.procurement_route,
        "contract_public": contract.is_public,
    }
