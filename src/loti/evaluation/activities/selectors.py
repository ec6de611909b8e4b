"""Reads for the evaluation's activities and reports: the office's (Data.EVALUATION), except
published reports, which are public."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from loti.core.access import check_can
from loti.core.permissions import Data, filter_for
from loti.evaluation import appraisal
from loti.evaluation.activities import records
from loti.evaluation.activities.models import (
    BENEFIT_INPUTS,
    Activity,
    ActivityCost,
    ActivityInput,
    InputSpec,
)

# Cost lines as the appraisal shows them.
COST_LINES = (("staff_time", "Staff time"), ("external_spend", "External spend"))


def _with_details(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    return activities.select_related("quantity_agreement").prefetch_related(
        Prefetch("costs", queryset=ActivityCost.objects.order_by("financial_year")),
        Prefetch("inputs", queryset=ActivityInput.objects.order_by("pk")),
    )


def activity_list(*, user: Any) -> QuerySet[Activity]:
    return _with_details(filter_for(Activity.objects.all(), user, Data.EVALUATION))


def activity_for(*, user: Any, slug: str) -> Activity:
    check_can(user, Data.EVALUATION)
    return get_object_or_404(_with_details(Activity.objects.all()), slug=slug)


def input_specs(activity: Activity) -> tuple[InputSpec, ...]:
    return BENEFIT_INPUTS[activity.benefit_model]


def drawn_figures(activity: Activity) -> tuple[records.Drawn, ...]:
    """The figures the activity's records give, when its quantity is drawn from records:
    the quantity, or for every agreement in force the pairs sharing and the agreements
    covering them."""
    if not activity.quantity_from or activity.quantity_year is None:
        return ()
    quantity = input_specs(activity)[0]
    return records.drawn(activity=activity, key=quantity.key, label=quantity.label)


def engine_model(activity: Activity) -> str:
    """The appraisal engine's benefit model for the activity: its own, except that avoided
    duplication across every agreement in force is counted in pairs (`avoided_pairs`)."""
    if activity.quantity_from == Activity.QuantityFrom.AGREEMENTS_IN_FORCE:
        return "avoided_pairs"
    return activity.benefit_model


def entered_specs(activity: Activity) -> tuple[InputSpec, ...]:
    """The inputs a person enters: all the benefit model's, but the quantity when it is
    drawn from records."""
    specs = input_specs(activity)
    return specs[1:] if activity.quantity_from else specs


def _number(amount: Decimal) -> float | int:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _input_value(item: ActivityInput) -> Any:
    """An input as the scenario gives it: a number, or a distribution around it."""
    if not item.distribution:
        return _number(item.value)
    if item.distribution == ActivityInput.Distribution.LOGNORMAL:
        # The stored value is the median: the exponential of the logarithm's mean.
        return {
            "distribution": "lognormal",
            "mu": math.log(item.value),
            "sigma": _number(item.sigma),
        }
    if item.distribution == ActivityInput.Distribution.UNIFORM:
        return {"distribution": "uniform", "low": _number(item.low), "high": _number(item.high)}
    return {
        "distribution": item.distribution,
        "low": _number(item.low),
        "mode": _number(item.value),
        "high": _number(item.high),
    }


def first_cost_year(activity: Activity) -> int | None:
    """The financial year that is year 0 of the activity's appraisal."""
    years = [cost.financial_year for cost in activity.costs.all()]
    return min(years) if years else None


def activity_scenario(activity: Activity) -> dict[str, Any]:
    """The appraisal engine's scenario for the activity, from its stored records (see
    docs/appraisal-scenario.schema.json). Year 0 is the first financial year with a cost."""
    start = first_cost_year(activity)
    costs = []
    for cost in activity.costs.all():
        for field, label in COST_LINES:
            amount = getattr(cost, field)
            if amount:
                line = {
                    "year": cost.financial_year - start,
                    "amount": _number(amount),
                    "label": f"{label}, {cost.year}",
                }
                if cost.notes:
                    line["source"] = cost.notes
                costs.append(line)
    if activity.discounting == Activity.Discounting.FLAT:
        discounting: dict[str, Any] = {
            "schedule": "flat",
            "rate": float(activity.discount_rate) / 100,
        }
    else:
        discounting = {"schedule": "green_book"}
    if activity.optimism_bias == Activity.OptimismBias.GREEN_BOOK:
        optimism: dict[str, Any] = {
            "method": "green_book",
            "project_type": activity.project_type,
            "bound": activity.bound,
        }
    elif activity.optimism_bias == Activity.OptimismBias.CUSTOM:
        optimism = {"method": "custom", "uplift": float(activity.optimism_bias_uplift) / 100}
    else:
        optimism = {"method": "none"}
    inputs = {item.name: item for item in activity.inputs.all()}
    entered = [spec for spec in entered_specs(activity) if spec.key in inputs]
    benefit: dict[str, Any] = {
        "model": engine_model(activity),
        "label": activity.title,
        "first_year": activity.first_benefit_year,
        "last_year": activity.first_benefit_year + activity.benefit_years - 1,
        "inputs": {spec.key: _input_value(inputs[spec.key]) for spec in entered},
        "sources": {
            spec.key: inputs[spec.key].source for spec in entered if inputs[spec.key].source
        },
    }
    for drawn in drawn_figures(activity):
        benefit["inputs"][drawn.key] = drawn.value
        benefit["sources"][drawn.key] = drawn.source
    if benefit["model"] == Activity.BenefitModel.AVOIDED_DUPLICATION:
        benefit["baseline"] = activity.baseline_structure
        benefit["replacement"] = activity.replacement_structure
    scenario: dict[str, Any] = {
        "title": activity.title,
        "start_year": start,
        "discounting": discounting,
        "optimism_bias": optimism,
        "costs": costs,
        "benefits": [benefit],
    }
    if any(inputs[spec.key].distribution for spec in entered):
        scenario["monte_carlo"] = {
            "draws": activity.monte_carlo_draws,
            "seed": activity.monte_carlo_seed,
        }
    return scenario


def missing_inputs(activity: Activity) -> list[InputSpec]:
    have = {item.name for item in activity.inputs.all()}
    return [spec for spec in entered_specs(activity) if spec.key not in have]


def activity_appraisal(*, activity: Activity) -> dict[str, Any]:
    """The activity's appraisal: `ready` (whether it could be appraised), `problems` (why
    not, in words), `scenario`, `result` (the engine's output) and `tornado`."""
    problems = [f"Enter the {spec.subject}" for spec in missing_inputs(activity)]
    if activity.quantity_from == Activity.QuantityFrom.AGREEMENT_PARTIES:
        if activity.quantity_agreement is None:
            problems.append("Select the agreement whose signed parties are counted")
        elif drawn_figures(activity)[0].value < 2:
            problems.append(
                f"Fewer than two parties shared under “{activity.quantity_agreement}” in "
                "the financial year of the records: select another agreement or year"
            )
    if first_cost_year(activity) is None:
        problems.insert(0, "Enter the activity's costs for at least one financial year")
    if problems:
        return {"ready": False, "problems": problems, "scenario": None, "result": None}
    scenario = activity_scenario(activity)
    errors = appraisal.validate(scenario)
    if errors:
        return {"ready": False, "problems": errors, "scenario": scenario, "result": None}
    return {
        "ready": True,
        "problems": [],
        "scenario": scenario,
        "result": appraisal.appraise(scenario),
        "tornado": appraisal.tornado(scenario),
    }
