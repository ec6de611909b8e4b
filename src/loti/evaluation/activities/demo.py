"""The demo's evaluated activities: seven, as London's published 2021 evaluation appraised.
The three it headlines have inputs chosen to reproduce its figures:

- Data sharing: 34 parties (33 local authorities and the Met) would need 561 bilateral
  agreements; one multi-party agreement replaces them, at £2,500 an agreement: £1.4m. The
  34 are counted from the registry's records, the parties that signed the London
  data-sharing agreement (the registry's demo, `datasharing/demo.py`), when that demo was
  built; otherwise they are entered, as the published evaluation gave them. The £2,500 is
  no measured cost: it is chosen so that the 560 agreements avoided give the published
  £1,400,000.
- Recruitment support: 50 roles at a market agency fee of 15-20% of a £45,000 salary, less
  the consortium's £250 a role and its running cost: at least £300k.
- Attack-surface mapping: a £242,000 pilot, covered by one avoided attack costing £242,000.

The other four are the kind of work the consortium does besides (buying together from the
technology map, reusing shared documents, recycling devices for digital inclusion, and
leadership training), with plausible figures for London. The reuse of shared documents
takes its quantity from the library's records of reuses in the current financial year (none,
if the library's demo recorded none); no app records the other inputs yet, so every one of
them is labelled illustrative.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from loti.datasharing import evaluation as datasharing_records
from loti.evaluation.activities import services
from loti.evaluation.activities.models import Activity
from loti.members.financial_year import FinancialYear
from loti.portfolio.projects import selectors as project_selectors

SOURCE = "Illustrative: no app records this yet"
HEADLINE = "chosen to reproduce the published 2021 evaluation's headline figure"
PLAUSIBLE = "a plausible figure for London"

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
        # Its parties are the London agreement's signed parties, when the registry has it.
        "agreement": "The London data-sharing agreement",
        "costs": [(2020, Decimal(20_000), Decimal(10_000), "Drafting, and a legal review")],
        "inputs": {
            "parties": (Decimal(34), "parties", HEADLINE, "33 local authorities and the Met"),
            "cost_per_agreement": (
                Decimal(2_500),
                "£",
                HEADLINE,
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
            "quantity": (
                Decimal(50),
                "roles",
                HEADLINE,
                "roles filled with the consortium's support",
            ),
            "market_unit_cost": (
                (Decimal(6_750), Decimal(7_875), Decimal(9_000)),
                "£",
                HEADLINE,
                "an agency fee of 15% to 20% (most likely 17.5%) of a £45,000 salary",
            ),
            "our_unit_cost": (
                Decimal(250),
                "£",
                HEADLINE,
                "advertising one role on the shared board",
            ),
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
            "incidents": (Decimal(1), "attacks", HEADLINE, "one attack avoided"),
            "cost_per_incident": (
                Decimal(242_000),
                "£",
                HEADLINE,
                "the cost to a council of recovering from a cyber-attack",
            ),
        },
    },
    {
        "title": "Buying together from the technology map",
        "description": (
            "Boroughs whose contracts for the same kind of system end close together, found "
            "on the technology map, run one joint tender instead of one each."
        ),
        "benefit_model": Activity.BenefitModel.MARKET_RATE,
        "project_words": ("procurement",),
        "first_benefit_year": 1,
        "costs": [
            (
                2022,
                Decimal(35_000),
                Decimal(15_000),
                "The office's time convening the boroughs, and legal advice on the framework",
            )
        ],
        "inputs": {
            "quantity": (
                Decimal(8),
                "tenders",
                PLAUSIBLE,
                "boroughs that joined one joint tender instead of running their own",
            ),
            "market_unit_cost": (
                (Decimal(18_000), Decimal(25_000), Decimal(40_000)),
                "£",
                PLAUSIBLE,
                "the officer, legal and evaluation time of running a technology tender alone",
            ),
            "our_unit_cost": (
                Decimal(6_000),
                "£",
                PLAUSIBLE,
                "each borough's share of running the joint tender and calling off from it",
            ),
        },
    },
    {
        "title": "Reusing shared specifications and business cases",
        "description": (
            "Specifications, tender documents and business cases published once on an open "
            "licence and adapted by other boroughs, instead of each writing its own."
        ),
        "benefit_model": Activity.BenefitModel.MARKET_RATE,
        "project_words": ("business case", "specification"),
        "benefit_years": 3,
        "quantity_from": Activity.QuantityFrom.LIBRARY_REUSES,
        "costs": [
            (2022, Decimal(20_000), Decimal(0), "The office's time setting up the library"),
            (2023, Decimal(12_000), Decimal(0), "The office's time curating the library"),
            (2024, Decimal(12_000), Decimal(0), "The office's time curating the library"),
        ],
        "inputs": {
            "market_unit_cost": (
                (Decimal(3_500), Decimal(5_250), Decimal(7_000)),
                "£",
                PLAUSIBLE,
                "writing one from scratch: 10 to 20 days of an officer's time at £350 a day",
            ),
            "our_unit_cost": (
                Decimal(700),
                "£",
                PLAUSIBLE,
                "two days adapting a shared document to local needs",
            ),
        },
    },
    {
        "title": "Device recycling for digital inclusion",
        "description": (
            "Councils' old laptops wiped, refurbished and passed on to residents without a "
            "device, through local digital inclusion partners."
        ),
        "benefit_model": Activity.BenefitModel.OUTCOME,
        "project_words": ("device recycling",),
        "costs": [
            (
                2023,
                Decimal(18_000),
                Decimal(20_000),
                "The project team's time, and the refurbishing partner's fees",
            )
        ],
        "inputs": {
            "outcomes": (
                Decimal(600),
                "devices",
                PLAUSIBLE,
                "refurbished laptops passed on to residents",
            ),
            "unit_cost": (
                Decimal(300),
                "£",
                PLAUSIBLE,
                "a new basic laptop that a resident or a charity would otherwise have bought",
            ),
            "deadweight": (
                Decimal("0.25"),
                "share",
                PLAUSIBLE,
                "residents who would have found a device another way",
            ),
            "attribution": (
                Decimal("0.5"),
                "share",
                PLAUSIBLE,
                "the share due to the consortium rather than the partners who hand the devices out",
            ),
        },
    },
    {
        "title": "Digital leadership training",
        "description": (
            "Short courses for service heads who commission digital work, taught by members' "
            "own staff, instead of places on commercial leadership courses."
        ),
        "benefit_model": Activity.BenefitModel.MARKET_RATE,
        "project_words": ("leadership programme",),
        "costs": [
            (
                2024,
                Decimal(30_000),
                Decimal(30_000),
                "The office's time, and the course designers",
            )
        ],
        "inputs": {
            "quantity": (Decimal(90), "places", PLAUSIBLE, "places taken on the courses"),
            "market_unit_cost": (
                (Decimal(1_200), Decimal(1_800), Decimal(2_800)),
                "£",
                PLAUSIBLE,
                "a place on a comparable commercial leadership course",
            ),
            "our_unit_cost": (
                Decimal(150),
                "£",
                PLAUSIBLE,
                "venue and materials for a place; the teachers are members' own staff",
            ),
        },
    },
]


def build(*, rng: random.Random, today: datetime.date) -> None:
    for spec in ACTIVITIES:
        spec = _from_registry(spec)
        activity = services.activity_create(
            actor=None,
            title=spec["title"],
            description=spec["description"],
            benefit_model=spec["benefit_model"],
            baseline_structure=spec.get("baseline_structure", ""),
            replacement_structure=spec.get("replacement_structure", ""),
            first_benefit_year=spec.get("first_benefit_year", 0),
            benefit_years=spec.get("benefit_years", 1),
            quantity_from=spec.get("quantity_from", ""),
            quantity_agreement=spec.get("quantity_agreement"),
            quantity_year=FinancialYear.containing(today).start_year
            if spec.get("quantity_from")
            else None,
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


def _from_registry(spec: dict) -> dict:
    """`spec`, drawing its parties from the registry's signatures of its agreement when the
    registry has that agreement (in force), instead of the number entered."""
    agreement = (
        datasharing_records.agreement_titled(spec["agreement"]) if "agreement" in spec else None
    )
    if agreement is None:
        return spec
    inputs = {name: given for name, given in spec["inputs"].items() if name != "parties"}
    return {
        **spec,
        "quantity_from": Activity.QuantityFrom.AGREEMENT_PARTIES,
        "quantity_agreement": agreement,
        "inputs": inputs,
    }


def _input(value, unit: str, basis: str, detail: str) -> dict:
    fields = {
        "unit": unit,
        "source": f"{SOURCE}; {basis}: {detail}.",
        "confidence": "low",
        "illustrative": True,
    }
    if isinstance(value, tuple):
        low, mode, high = value
        return {**fields, "value": mode, "distribution": "triangular", "low": low, "high": high}
    return {**fields, "value": value, "distribution": ""}
