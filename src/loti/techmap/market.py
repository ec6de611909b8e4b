"""Supplier concentration across the members' contracts: who holds the spend, how concentrated
each service area or category is, and how much goes to small and medium-sized enterprises.

Contracts without an annual value count towards contract numbers but add nothing to values.

Shares are of value (`BY_VALUE`) for a viewer who sees every contract's value, and of contracts
(`BY_CONTRACTS`) for one who sees only the published few: the concentration of a handful of
published values says nothing about the market (one published contract is an HHI of 10,000).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

REMAINDER = "All other suppliers"
BY_VALUE = "value"
BY_CONTRACTS = "contracts"

# HHI thresholds from the CMA's Merger Assessment Guidelines (CMA129, 2021): a market above
# 1,000 "may be regarded as concentrated" and above 2,000 as "highly concentrated". (The US
# DOJ/FTC 2023 guidelines use 1,000 and 1,800; we follow the UK regulator.)
MODERATE_FROM = 1_000
HIGH_ABOVE = 2_000
UNCONCENTRATED = "Unconcentrated"
MODERATELY_CONCENTRATED = "Moderately concentrated"
HIGHLY_CONCENTRATED = "Highly concentrated"


@dataclass(frozen=True)
class ContractValue:
    """One contract, or several of one vendor in one group with their values summed (as a
    database counts them): `contracts` says how many."""

    vendor: str
    is_sme: bool | None  # None: not known
    group: str
    annual_value: Decimal | None  # None: no value known
    contracts: int = 1


@dataclass(frozen=True)
class SupplierShare:
    vendor: str
    contracts: int
    value: Decimal
    share_of_contracts: float  # 0-1
    share_of_value: float  # 0-1; 0 when no contract has a value
    is_remainder: bool = False
    suppliers: int = 1  # how many vendors this row stands for (more than 1 only in a remainder)


@dataclass(frozen=True)
class HhiResult:
    group: str
    hhi: float  # 0-10,000
    vendors: int  # vendors with a contract in the group, valued or not
    total_value: Decimal
    concentration: str | None  # None when nothing in the group has a share (no value known)
    by: str = BY_VALUE  # what the shares are of: BY_VALUE or BY_CONTRACTS


@dataclass(frozen=True)
class SmeShare:
    sme_value: Decimal
    non_sme_value: Decimal
    unknown_value: Decimal
    share_by_value: float | None  # SME value / value whose status is known; None if none known
    sme_contracts: int = 0
    non_sme_contracts: int = 0
    unknown_contracts: int = 0
    # SME contracts / contracts whose supplier's size is known; None if none known
    share_by_contracts: float | None = None


def top_suppliers(
    contracts: Iterable[ContractValue], n: int = 15, *, by: str = BY_VALUE
) -> list[SupplierShare]:
    """The ``n`` largest vendors by value (then contract count, then name), or ``by``
    contracts (then name), followed by one remainder row for every other vendor when there are
    more than ``n``."""
    if n < 0:
        raise ValueError("n must not be negative")
    _check_basis(by)
    counts: defaultdict[str, int] = defaultdict(int)
    values: defaultdict[str, Decimal] = defaultdict(Decimal)
    for contract in contracts:
        counts[contract.vendor] += contract.contracts
        values[contract.vendor] += _value(contract)
    total_contracts = sum(counts.values())
    total_value = sum(values.values(), Decimal(0))

    def share(
        vendor: str,
        contract_count: int,
        value: Decimal,
        *,
        suppliers: int = 1,
        remainder: bool = False,
    ) -> SupplierShare:
        return SupplierShare(
            vendor=vendor,
            contracts=contract_count,
            value=value,
            share_of_contracts=contract_count / total_contracts if total_contracts else 0.0,
            share_of_value=float(value / total_value) if total_value else 0.0,
            is_remainder=remainder,
            suppliers=suppliers,
        )

    if by == BY_VALUE:
        ranked = sorted(counts, key=lambda v: (-values[v], -counts[v], v.casefold(), v))
    else:
        ranked = sorted(counts, key=lambda v: (-counts[v], v.casefold(), v))
    rows = [share(vendor, counts[vendor], values[vendor]) for vendor in ranked[:n]]
    rest = ranked[n:]
    if rest:
        rows.append(
            share(
                REMAINDER,
                sum(counts[v] for v in rest),
                sum((values[v] for v in rest), Decimal(0)),
                suppliers=len(rest),
                remainder=True,
            )
        )
    return rows


def hhi(values: Iterable[Decimal]) -> float:
    """Herfindahl-Hirschman index on the 0-10,000 scale: the sum of each vendor's squared
    percentage share of the total. ``values`` holds one total per vendor; 0 when they sum to 0.
    """
    shares = [Fraction(value) for value in values]
    if any(share < 0 for share in shares):
        raise ValueError("vendor values must not be negative")
    total = sum(shares, Fraction(0))
    if not total:
        return 0.0
    # Exact arithmetic, rounded once: a monopoly is exactly 10,000 and k equal vendors exactly
    # the nearest float to 10,000/k, so the bounds users read on the page hold.
    return float(sum(share * share for share in shares) * 10_000 / (total * total))


def concentration(index: float) -> str:
    if index < MODERATE_FROM:
        return UNCONCENTRATED
    if index <= HIGH_ABOVE:
        return MODERATELY_CONCENTRATED
    return HIGHLY_CONCENTRATED


def hhi_by_group(contracts: Iterable[ContractValue], *, by: str = BY_VALUE) -> dict[str, HhiResult]:
    """Concentration of each group's annual value across its vendors, or of its number of
    contracts (``by=BY_CONTRACTS``), keyed by group."""
    _check_basis(by)
    by_group: defaultdict[str, defaultdict[str, Decimal]] = defaultdict(
        lambda: defaultdict(Decimal)
    )
    values: defaultdict[str, Decimal] = defaultdict(Decimal)
    for contract in contracts:
        values[contract.group] += _value(contract)
        by_group[contract.group][contract.vendor] += (
            _value(contract) if by == BY_VALUE else Decimal(contract.contracts)
        )
    results = {}
    for group in sorted(by_group):
        shares = by_group[group]
        index = hhi(shares.values())
        results[group] = HhiResult(
            group=group,
            hhi=index,
            vendors=len(shares),
            total_value=values[group],
            # An HHI of 0 from no data is not evidence of a competitive market.
            concentration=concentration(index) if sum(shares.values()) else None,
            by=by,
        )
    return results


def sme_share(contracts: Iterable[ContractValue]) -> SmeShare:
    """How much goes to SMEs, as a share of the value and of the number of contracts whose
    supplier's size is known."""
    totals = {True: Decimal(0), False: Decimal(0), None: Decimal(0)}
    counts = {True: 0, False: 0, None: 0}
    for contract in contracts:
        totals[contract.is_sme] += _value(contract)
        counts[contract.is_sme] += contract.contracts
    known = totals[True] + totals[False]
    known_contracts = counts[True] + counts[False]
    return SmeShare(
        sme_value=totals[True],
        non_sme_value=totals[False],
        unknown_value=totals[None],
        share_by_value=float(totals[True] / known) if known else None,
        sme_contracts=counts[True],
        non_sme_contracts=counts[False],
        unknown_contracts=counts[None],
        share_by_contracts=counts[True] / known_contracts if known_contracts else None,
    )


def _check_basis(by: str) -> None:
    if by not in (BY_VALUE, BY_CONTRACTS):
        raise ValueError(f"shares are of {BY_VALUE!r} or {BY_CONTRACTS!r}, not {by!r}")


def _value(contract: ContractValue) -> Decimal:
    return contract.annual_value if contract.annual_value is not None else Decimal(0)
