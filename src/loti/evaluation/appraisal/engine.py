"""appraise and tornado: a scenario in, plain data out (the JSON `loti appraise` prints)."""

import math
from collections.abc import Mapping

from . import assumptions, distributions, measures, montecarlo
from .scenario import DOMAINS, Model, build

# Fixed inputs swing this far either side of their value in a tornado chart.
FIXED_SWING = 0.2
MONEY_KEYS = {
    "pv_costs",
    "pv_benefits",
    "npsv",
    "pv",
    "costs",
    "optimism_bias",
    "benefits",
    "net",
    "discounted_costs",
    "discounted_benefits",
    "discounted_net",
    "cumulative_discounted_net",
    "pv_to_cover",
    "pv_per_unit",
    "npsv_low",
    "npsv_high",
    "swing",
}


def appraise(scenario: Mapping, *, draws: int | None = None, seed: int | None = None) -> dict:
    """The appraisal of a scenario at full precision; raises ScenarioError if it is invalid.

    `draws` and `seed` override the scenario's own Monte Carlo settings.
    """
    model = build(scenario, draws=draws, seed=seed)
    values = measures.central_values(model)
    weight = measures.weights(model)
    pv_costs, pv_benefits = (float(pv) for pv in measures.present_values(model, values, weight))
    table = measures.yearly_table(model, values)
    result = {
        "title": model.title,
        "discounting": "flat" if model.rate is not None else "green_book",
        "discount_rate": model.rate,
        "price_base_year": model.price_base_year,
        "optimism_bias_uplift": (
            None if model.uplift is None else distributions.central(model.uplift.spec)
        ),
        "pv_costs": pv_costs,
        "pv_benefits": pv_benefits,
        "npsv": pv_benefits - pv_costs,
        "bcr": measures.bcr(pv_costs, pv_benefits),
        "payback_year": measures.payback_year(table),
        "benefits": _benefit_pvs(model, values, weight),
        "years": table,
        "discount_factors": [row["discount_factor"] for row in table],
        "switching_values": measures.switching_values(model, values, weight),
        "break_even": measures.break_even(model, values, weight),
        "assumptions": assumptions.describe(model),
        "monte_carlo": None,
    }
    if model.uncertain():
        pv_c, pv_b = montecarlo.simulate(model, draws=model.draws, seed=model.seed)
        result["monte_carlo"] = montecarlo.summarise(pv_c, pv_b, seed=model.seed)
    return result


def _benefit_pvs(model: Model, values, weight) -> list[dict]:
    found: dict[int, dict] = {}
    for stream, stream_weight in zip(model.streams, weight.streams, strict=True):
        if stream.kind != "benefit":
            continue
        entry = found.setdefault(
            stream.index,
            {"index": stream.index, "label": stream.label, "model": stream.model, "pv": 0.0},
        )
        amount = measures.yearly_amount(model, stream, values)
        entry["pv"] += float(amount) * stream_weight
    return list(found.values())


def tornado(scenario: Mapping) -> list[dict]:
    """NPSV with each input at a low and a high value, the others central; widest swing first.

    A distribution swings between its low and high (lognormal: its 5th and 95th
    percentiles); a fixed number by 20% either way, kept within the input's range.
    """
    model = build(scenario)
    values = measures.central_values(model)
    weight = measures.weights(model)
    rows = []
    for item in model.inputs():
        if distributions.is_distribution(item.spec):
            low, high = distributions.range_of(item.spec)
            basis = "distribution"
        else:
            base = float(item.spec)
            floor, ceiling, _words = DOMAINS[item.domain]
            low = max(floor, base - abs(base) * FIXED_SWING)
            high = min(ceiling, base + abs(base) * FIXED_SWING)
            basis = "fixed ±20%"
        at = measures.varying(model, values, weight, item.path)
        npsv_low, npsv_high = at(low), at(high)
        rows.append(
            {
                "input": item.path,
                "label": item.label,
                "basis": basis,
                "base_value": values[item.path],
                "low_value": low,
                "high_value": high,
                "npsv_low": npsv_low,
                "npsv_high": npsv_high,
                "swing": abs(npsv_high - npsv_low),
            }
        )
    return sorted(rows, key=lambda row: -row["swing"])


def rounded(result: dict) -> dict:
    """The appraisal as printed: money to the penny; factors, ratios and inputs to 6 decimal
    places."""
    return _round(result, money=False)


def _round(value, *, money: bool):
    if isinstance(value, dict):
        return {
            name: _round(item, money=money or name in MONEY_KEYS) for name, item in value.items()
        }
    if isinstance(value, list):
        return [_round(item, money=money) for item in value]
    if isinstance(value, float):
        # JSON has no infinity: amounts near the float limit overflow, and print as null.
        if not math.isfinite(value):
            return None
        return round(value, 2 if money else 6)
    return value
