"""The demo's evaluated activities: the three headline findings of London's published 2021
evaluation, with inputs chosen to reproduce them and each labelled an illustrative
assumption.

- Data sharing: 34 parties (33 local authorities and the Met) would need 561 bilateral
  agreements; one multi-party agreement replaces them, at £2,500 an agreement: £1.4m.
- Recruitment support: 50 roles at a market agency fee of 15-20% of a £45,000 salary, less
  the consortium's £250 a role and its running cost: at least £300k.
- Attack-surface mapping: a £242,000 pilot, covered by one avoided attack costing £242,000.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from loti.evaluation.activities import services
from loti.evaluation.activities.models import Activity
from loti.portfolio.projects import selectors as project_selectors

SOURCE = (
    "Illustrative assumption chosen to reproduce the published 2021 evaluation's headline figure"
)

ACTIVITIES = [
    {
        "title": "Multi-party data-sharing agreement",
        "description": (
            "One data-sharing agreement signed by every London local authority and the "
            "Metropolitan Police, instead of an agreement between every pair of them."
        ),
        "benefit_model": Activity.BenefitModel.AVOIDED_DUPLICATION,
        "baseline_structure": Activity.Structure.BILATERAL,
        "replacement_structure": Activity.Structure.MULTI_PARTY,
        "project_words": ("data sharing", "data-sharing", "sharing agreement"),
        "costs": [(2020, Decimal(20_000), Decimal(10_000), "Drafting, and a legal review")],
        "inputs": {
            "parties": (Decimal(34), "parties", "33 local authorities and the Met"),
            "cost_per_agreement": (
                Decimal(2_500),
                "£",
                "the cost of drafting, reviewing and signing one agreement",
            ),
        },
    },
    {
        "title": "Recruitment support",
        "description": (
            "Shared job descriptions, advertising and shortlisting for members' digital and "
            "data roles, instead of recruitment agencies."
        ),
        "benefit_model": Activity.BenefitModel.MARKET_RATE,
        "project_words": ("recruit", "job descriptions"),
        "costs": [(2020, Decimal(25_000), Decimal(0), "The office's time running the service")],
        "inputs": {
            "quantity": (Decimal(50), "roles", "roles filled with the consortium's support"),
            "market_unit_cost": (
                (Decimal(6_750), Decimal(7_875), Decimal(9_000)),
                "£",
                "an agency fee of 15% to 20% (most likely 17.5%) of a £45,000 salary",
            ),
            "our_unit_cost": (Decimal(250), "£", "advertising one role on the shared board"),
        },
    },
    {
        "title": "Attack-surface mapping pilot",
        "description": (
            "Mapping members' internet-facing assets and their weaknesses, so that they can "
            "be fixed before they are attacked."
        ),
        "benefit_model": Activity.BenefitModel.AVOIDED_INCIDENTS,
        "project_words": ("attack surface", "attack-surface"),
        "costs": [(2021, Decimal(42_000), Decimal(200_000), "The office's time, and the supplier")],
        "inputs": {
            "incidents": (Decimal(1), "attacks", "one attack avoided"),
            "cost_per_incident": (
                Decimal(242_000),
                "£",
                "the cost to a council of recovering from a cyber-attack",
            ),
        },
    },
]


def build(*, rng: random.Random, today: datetime.date) -> None:
    for spec in ACTIVITIES:
        activity = services.activity_create(
            actor=None,
            title=spec["title"],
            description=spec["description"],
            benefit_model=spec["benefit_model"],
            baseline_structure=spec.get("baseline_structure", ""),
            replacement_structure=spec.get("replacement_structure", ""),
            # The portfolio's demo projects it belongs to, if that demo made any.
            projects=project_selectors.projects_titled(words=spec["project_words"]),
        )
        services.activity_costs_set(
            actor=None,
            activity=activity,
            costs=[
                {
                    "financial_year": year,
                    "staff_time": staff_time,
                    "external_spend": external_spend,
                    "notes": notes,
                }
                for year, staff_time, external_spend, notes in spec["costs"]
            ],
        )
        services.activity_inputs_set(
            actor=None,
            activity=activity,
            inputs={name: _input(*given) for name, given in spec["inputs"].items()},
        )


def _input(value, unit: str, detail: str) -> dict:
    fields = {
        "unit": unit,
        "source": f"{SOURCE}: {detail}.",
        "confidence": "low",
        "illustrative": True,
    }
    if isinstance(value, tuple):
        low, mode, high = value
        return {**fields, "value": mode, "distribution": "triangular", "low": low, "high": high}
    return {**fields, "value": value, "distribution": ""}
