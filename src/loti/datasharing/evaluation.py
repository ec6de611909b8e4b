"""What the evaluation counts from the registry: the only module of the registry the
evaluation imports (see the import contracts in pyproject.toml).

An agreement replaces the bilateral agreements its parties would otherwise each have made
with each other: n parties sharing under one agreement need no n(n-1)/2 agreements between
pairs. Across the registry a pair of organisations party to several agreements in force
would still need only one bilateral agreement, so pairs are counted once (`pairs_covered`),
and each agreement in force that covers a pair is one agreement made instead.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from loti.datasharing.agreements import selectors as agreement_selectors
from loti.datasharing.models import Agreement


@dataclass(frozen=True)
class Coverage:
    """Who shares under the agreements in force on a day, counted for the evaluation."""

    organisations: int  # distinct organisations party to at least one of them
    pairs: int  # distinct unordered pairs of organisations sharing under at least one
    agreements: int  # the agreements in force that cover at least one pair


def pairs_covered(groups: Iterable[Iterable[int]]) -> int:
    """The distinct unordered pairs of members over `groups`, each pair counted once however
    many groups hold both of its members. A group of n distinct members holds n(n-1)/2.

    Each member's partners are kept as the bits of one integer, so the work is one OR per
    member of each group rather than one step per pair."""
    index: dict[int, int] = {}
    partners: dict[int, int] = defaultdict(int)
    for group in groups:
        members = set(group)
        mask = 0
        for member in members:
            mask |= 1 << index.setdefault(member, len(index))
        for member in members:
            partners[member] |= mask
    # Each member's own bit is among its partners; each pair is seen from both ends.
    return sum(bits.bit_count() - 1 for bits in partners.values()) // 2


def _groups(on: datetime.date | None) -> dict[int, set[int]]:
    """The organisations sharing under each agreement in force on `on`, by agreement."""
    groups: dict[int, set[int]] = defaultdict(set)
    rows = agreement_selectors.in_force_parties(on=on).values_list(
        "version__agreement_id", "organisation_id"
    )
    for agreement_id, organisation_id in rows:
        groups[agreement_id].add(organisation_id)
    return groups


def signed_parties(*, agreement_id: int, on: datetime.date | None = None) -> int:
    """How many organisations share under the agreement on `on` (by default today): the
    parties that signed its version in force and had not withdrawn by then. 0 if it is not
    in force that day."""
    return len(_groups(on).get(agreement_id, ()))


def coverage(*, on: datetime.date | None = None) -> Coverage:
    """The organisations, distinct pairs and covering agreements of every agreement in force
    on `on` (by default today). An agreement left with one party sharing covers no pair and
    is not counted among those that replace bilateral agreements."""
    groups = [members for members in _groups(on).values() if len(members) >= 2]
    return Coverage(
        organisations=len(set().union(*groups)),
        pairs=pairs_covered(groups),
        agreements=len(groups),
    )


def agreement_choices() -> QuerySet[Agreement]:
    """The agreements an evaluation may count the signed parties of: those that have been in
    force (a version every party signed), by title."""
    return Agreement.objects.filter(in_force_version__isnull=False).order_by("title", "pk")


def agreement_titled(title: str) -> Agreement | None:
    """The agreement with `title` that has been in force, if there is one (for the demo)."""
    return agreement_choices().filter(title=title).first()
