"""Benefit models: each turns its inputs into an amount a year.

The formulas work on plain numbers and on numpy arrays alike, so the central estimate and
every Monte Carlo draw go through the same code.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

Value = float | np.ndarray

# Agreements a group of n parties needs under each arrangement.
ARRANGEMENTS: dict[str, tuple[str, Callable[[Value], Value]]] = {
    "bilateral": ("bilateral agreements between every pair of parties", lambda n: n * (n - 1) / 2),
    "hub_and_spoke": ("hub-and-spoke agreements, one per party with a hub", lambda n: n - 1),
    "multi_party": ("one multi-party agreement", lambda n: 1.0 + 0.0 * n),
}


def agreements(arrangement: str, parties: Value) -> Value:
    return ARRANGEMENTS[arrangement][1](parties)


@dataclass(frozen=True)
class BenefitModel:
    name: str
    description: str
    # Input name -> (label, domain checked by scenario validation, unit: money, count or share).
    inputs: dict[str, tuple[str, str, str]]
    # The input counted in whole units for break-even counts, if any.
    unit_input: str | None
    unit_label: str | None

    def yearly(self, values: Mapping[str, Value], options: Mapping[str, str]) -> Value:
        return YEARLY[self.name](values, options)

    def per_unit(self, values: Mapping[str, Value]) -> Value:
        """The yearly amount one unit of `unit_input` is worth."""
        return PER_UNIT[self.name](values)


def _market_rate(values, options):
    return values["quantity"] * _market_rate_unit(values)


def _market_rate_unit(values):
    return values["market_unit_cost"] - values["our_unit_cost"]


def _avoided_duplication(values, options):
    parties = values["parties"]
    avoided = agreements(options["baseline"], parties) - agreements(options["replacement"], parties)
    return avoided * values["cost_per_agreement"]


def _avoided_pairs(values, options):
    return (values["pairs"] - values["agreements"]) * values["cost_per_agreement"]


def _avoided_incidents(values, options):
    return values["incidents"] * values["cost_per_incident"]


def _outcome(values, options):
    return values["outcomes"] * _outcome_unit(values)


def _outcome_unit(values):
    return values["unit_cost"] * (1 - values["deadweight"]) * values["attribution"]


YEARLY = {
    "market_rate": _market_rate,
    "avoided_duplication": _avoided_duplication,
    "avoided_pairs": _avoided_pairs,
    "avoided_incidents": _avoided_incidents,
    "outcome": _outcome,
    "cash_flow": lambda values, options: values["amount"],
}
PER_UNIT = {
    "market_rate": _market_rate_unit,
    "avoided_incidents": lambda values: values["cost_per_incident"],
    "outcome": _outcome_unit,
}

MODELS: dict[str, BenefitModel] = {
    model.name: model
    for model in (
        BenefitModel(
            "market_rate",
            "counterfactual market rate: quantity x (market unit cost - our unit cost)",
            {
                "quantity": ("Quantity", "non_negative", "count"),
                "market_unit_cost": ("Market unit cost", "non_negative", "money"),
                "our_unit_cost": ("Our unit cost", "non_negative", "money"),
            },
            "quantity",
            "units",
        ),
        BenefitModel(
            "avoided_duplication",
            "avoided duplication of agreements: (agreements under the baseline - agreements "
            "under the replacement) x cost per agreement",
            {
                "parties": ("Parties", "parties", "count"),
                "cost_per_agreement": ("Cost per agreement", "non_negative", "money"),
            },
            None,
            None,
        ),
        BenefitModel(
            "avoided_pairs",
            "avoided duplication across overlapping agreements: (pairs of parties sharing, "
            "each pair once - agreements made instead) x cost per agreement",
            {
                "pairs": ("Pairs sharing", "non_negative", "count"),
                "agreements": ("Agreements made instead", "non_negative", "count"),
                "cost_per_agreement": ("Cost per agreement", "non_negative", "money"),
            },
            None,
            None,
        ),
        BenefitModel(
            "avoided_incidents",
            "avoided incidents: incidents avoided x cost per incident",
            {
                "incidents": ("Incidents avoided", "non_negative", "count"),
                "cost_per_incident": ("Cost per incident", "non_negative", "money"),
            },
            "incidents",
            "incidents",
        ),
        BenefitModel(
            "outcome",
            "outcome-based unit costs: outcomes x unit cost x (1 - deadweight) x attribution",
            {
                "outcomes": ("Outcomes", "non_negative", "count"),
                "unit_cost": ("Unit cost", "non_negative", "money"),
                "deadweight": ("Deadweight", "fraction", "share"),
                "attribution": ("Attribution", "fraction", "share"),
            },
            "outcomes",
            "outcomes",
        ),
        BenefitModel(
            "cash_flow",
            "a cash flow of amounts by year",
            {"amount": ("Amount", "any", "money")},
            None,
            None,
        ),
    )
}
