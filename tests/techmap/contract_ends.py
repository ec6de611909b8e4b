"""The opportunity finder fed from contracts held in memory, one record per contract and group,
as the tests build them; the site feeds it from the database (`selectors.opportunities`)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple

from loti.techmap.opportunities import (
    CONTRACT_ID,
    ENDS_ON,
    Group,
    Names,
    Opportunity,
    add_months,
    find_in_groups,
)


class ContractEnd(NamedTuple):
    contract_id: int
    organisation_id: int
    organisation: str
    group: str  # a service-area slug
    group_name: str
    vendor: str
    ends_on: datetime.date
    annual_value: Decimal | None
    category: str = "Case management"  # the product's category: a facet, not a group


def find_opportunities(
    contracts: Iterable[ContractEnd],
    *,
    today: datetime.date,
    window_months: int = 12,
    horizon_months: int = 36,
    discount_low: Decimal = Decimal("0.05"),
    discount_high: Decimal = Decimal("0.15"),
) -> list[Opportunity]:
    """Opportunities among `contracts` ending from `today` to `horizon_months` ahead, both
    inclusive, ranked as `find_in_groups` ranks them."""
    horizon = add_months(today, horizon_months)
    rows: defaultdict[str, list[tuple[Any, ...]]] = defaultdict(list)
    group_names: dict[str, str] = {}
    organisations: dict[int, str] = {}
    for c in contracts:
        if today <= c.ends_on <= horizon:
            rows[c.group].append(
                (c.ends_on, c.contract_id, c.organisation_id, c.vendor, c.annual_value, c.category)
            )
            group_names[c.group] = c.group_name
            organisations[c.organisation_id] = c.organisation
    for members in rows.values():
        members.sort(key=itemgetter(ENDS_ON, CONTRACT_ID))
    vendors = {row[3]: row[3] for members in rows.values() for row in members}
    categories = {row[5]: row[5] for members in rows.values() for row in members}
    return find_in_groups(
        [Group(slug, group_names[slug], members) for slug, members in rows.items()],
        names=Names(organisations=organisations, vendors=vendors, categories=categories),
        window_months=window_months,
        discount_low=discount_low,
        discount_high=discount_high,
    )
