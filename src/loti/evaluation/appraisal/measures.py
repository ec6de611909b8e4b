"""Present values, NPSV, BCR, payback, switching values and break-even counts.

Every measure comes from `present_values`, which takes each input's value as a number (the
central estimate) or as an array (one value per Monte Carlo draw). A model's inputs hold for
every year it applies to, so its present value is its yearly amount times the sum of the
weights (discount factor x real-price factor) of those years.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from . import discounting, distributions
from .models import MODELS, Value
from .scenario import DOMAINS, Model, Stream

# A root found by the linear step is accepted when NPSV there is this small relative to the
# present values involved; otherwise the input enters the model non-linearly (the number of
# parties does) and is solved by bisection.
ROOT_TOLERANCE = 1e-9
BISECTION_STEPS = 200


@dataclass(frozen=True)
class Weights:
    """Discount factor x real-price factor by year, and its sum over each stream's years."""

    yearly: np.ndarray
    streams: tuple[float, ...]


def weights(model: Model) -> Weights:
    yearly = discounting.discount_factors(model.horizon, rate=model.rate)
    if model.deflator is not None:
        yearly = yearly * discounting.real_price_factors(
            start_year=model.start_year,
            horizon=model.horizon,
            deflator=model.deflator,
            price_base_year=model.price_base_year,
        )
    sums = np.concatenate(([0.0], np.cumsum(yearly)))
    return Weights(
        yearly,
        tuple(
            # Years are consecutive (a range, or a single year): a difference of prefix sums.
            float(sums[max(stream.years) + 1] - sums[min(stream.years)])
            for stream in model.streams
        ),
    )


def central_values(model: Model) -> dict[str, float]:
    return {item.path: distributions.central(item.spec) for item in model.inputs()}


def uplift_of(model: Model, values: Mapping[str, Value]) -> Value:
    return values[model.uplift.path] if model.uplift else 0.0


def yearly_amount(model: Model, stream: Stream, values: Mapping[str, Value]) -> Value:
    """The stream's amount in each of its years (costs with optimism bias)."""
    own = {name: values[item.path] for name, item in stream.inputs.items()}
    if stream.kind == "cost":
        return own["amount"] * (1 + uplift_of(model, values)) if stream.uplifted else own["amount"]
    return MODELS[stream.model].yearly(own, stream.options)


def present_values(model: Model, values: Mapping[str, Value], weight: Weights) -> tuple:
    """PV of costs and PV of benefits (numbers, or arrays of one per draw)."""
    # Uplifted costs are summed first and uplifted once, and fixed amounts are summed apart
    # from arrays: with hundreds of fixed cost lines beside a few uncertain ones, each array
    # is then touched once instead of once per line.
    uplifted, plain, benefits = _Sum(), _Sum(), _Sum()
    for stream, stream_weight in zip(model.streams, weight.streams, strict=True):
        if stream.kind == "cost":
            pv = values[stream.inputs["amount"].path] * stream_weight
            (uplifted if stream.uplifted else plain).add(pv)
        else:
            benefits.add(yearly_amount(model, stream, values) * stream_weight)
    return uplifted.total() * (1 + uplift_of(model, values)) + plain.total(), benefits.total()


class _Sum:
    def __init__(self):
        self.number = 0.0
        self.array: np.ndarray | None = None

    def add(self, value: Value) -> None:
        if isinstance(value, np.ndarray):
            self.array = (
                value.copy() if self.array is None else np.add(self.array, value, out=self.array)
            )
        else:
            self.number += value

    def total(self) -> Value:
        return self.number if self.array is None else self.array + self.number


def npsv(model: Model, values: Mapping[str, Value], weight: Weights) -> Value:
    pv_costs, pv_benefits = present_values(model, values, weight)
    return pv_benefits - pv_costs


def touching(model: Model, weight: Weights, path: str) -> tuple[Model, Weights]:
    """The part of the model an input affects: NPSV changes with the input only there."""
    uplift = model.uplift is not None and path == model.uplift.path
    kept = [
        (stream, stream_weight)
        for stream, stream_weight in zip(model.streams, weight.streams, strict=True)
        if any(item.path == path for item in stream.inputs.values())
        or (uplift and stream.kind == "cost" and stream.uplifted)
    ]
    return (
        replace(model, streams=tuple(stream for stream, _ in kept)),
        Weights(weight.yearly, tuple(stream_weight for _, stream_weight in kept)),
    )


def varying(
    model: Model, values: Mapping[str, float], weight: Weights, path: str
) -> Callable[[float], float]:
    """NPSV as a function of one input, the others at `values`."""
    part, part_weight = touching(model, weight, path)
    rest = float(npsv(model, values, weight)) - float(npsv(part, values, part_weight))

    def at(value: float) -> float:
        return rest + float(npsv(part, {**values, path: value}, part_weight))

    return at


def bcr(pv_costs: float, pv_benefits: float) -> float | None:
    return None if pv_costs == 0 else pv_benefits / pv_costs


def yearly_table(model: Model, values: Mapping[str, float]) -> list[dict]:
    factors = discounting.discount_factors(model.horizon, rate=model.rate)
    real = weights(model).yearly / factors
    costs = np.zeros(model.horizon + 1)
    bias = np.zeros(model.horizon + 1)
    benefits = np.zeros(model.horizon + 1)
    uplift = uplift_of(model, values)
    for stream in model.streams:
        amount = yearly_amount(model, stream, values)
        for year in stream.years:
            if stream.kind == "cost":
                costs[year] += amount * real[year]
                if stream.uplifted:
                    bias[year] += amount * uplift / (1 + uplift) * real[year]
            else:
                benefits[year] += amount * real[year]
    cumulative = np.cumsum((benefits - costs) * factors)
    rows = []
    for year in range(model.horizon + 1):
        rows.append(
            {
                "year": year,
                "calendar_year": None if model.start_year is None else model.start_year + year,
                "discount_factor": float(factors[year]),
                "costs": float(costs[year]),
                "optimism_bias": float(bias[year]),
                "benefits": float(benefits[year]),
                "net": float(benefits[year] - costs[year]),
                "discounted_costs": float(costs[year] * factors[year]),
                "discounted_benefits": float(benefits[year] * factors[year]),
                "discounted_net": float((benefits[year] - costs[year]) * factors[year]),
                "cumulative_discounted_net": float(cumulative[year]),
            }
        )
    return rows


def payback_year(table: list[dict]) -> int | None:
    """The first year the cumulative discounted net benefit is 0 or more."""
    return next((row["year"] for row in table if row["cumulative_discounted_net"] >= 0), None)


def switching_values(model: Model, values: Mapping[str, float], weight: Weights) -> list[dict]:
    """For each input, the value at which NPSV is zero, the others at their central values."""
    pv_costs, pv_benefits = present_values(model, values, weight)
    scale = max(1.0, abs(pv_costs), abs(pv_benefits))
    found = []
    for item in model.inputs():
        base = values[item.path]
        low, high, _words = DOMAINS[item.domain]
        root = _root(varying(model, values, weight, item.path), base, low, high, scale=scale)
        found.append(
            {
                "input": item.path,
                "label": item.label,
                "base_value": base,
                "switching_value": root,
                "change": None if root is None else root - base,
                "change_percent": (
                    None if root is None or base == 0 else (root - base) / abs(base) * 100
                ),
                "within_range": root is not None and low <= root <= high,
            }
        )
    return found


def _root(at: Callable[[float], float], base: float, low: float, high: float, *, scale: float):
    here = at(base)
    if here == 0:
        return base
    step = max(abs(base), 1.0)
    slope = (at(base + step) - here) / step
    if slope == 0:
        return None
    guess = base - here / slope
    if abs(at(guess)) <= ROOT_TOLERANCE * scale:
        return guess
    return _bisect(at, base, here, max(low, -1e15), min(high, 1e15))


def _bisect(at, base: float, here: float, low: float, high: float) -> float | None:
    """Search outwards from `base` for a change of sign within [low, high], then bisect."""

    def crossed(value: float) -> bool:
        there = at(value)
        return there == 0 or (there > 0) != (here > 0)

    for end in (low, high):
        inner, step, outer = base, max(abs(base), 1.0) / 8, None
        while inner != end:
            candidate = min(max(inner + math.copysign(step, end - base), low), high)
            if crossed(candidate):
                outer = candidate
                break
            inner, step = candidate, step * 2
        if outer is None:
            continue
        for _ in range(BISECTION_STEPS):
            middle = (inner + outer) / 2
            if middle in (inner, outer):
                break
            if crossed(middle):
                outer = middle
            else:
                inner = middle
        return outer
    return None


def break_even(model: Model, values: Mapping[str, float], weight: Weights) -> list[dict]:
    """For each benefit counted in units: how many a year it must deliver for NPSV >= 0.

    Units needed = (PV of costs - PV of the other benefits) / PV of one unit a year over the
    model's years, rounded up; with no other benefits that is PV costs / the discounted value
    per unit (e.g. one avoided attack of £242k covers a £242k pilot).
    """
    pv_costs, pv_benefits = present_values(model, values, weight)
    found = []
    for stream, stream_weight in zip(model.streams, weight.streams, strict=True):
        benefit = MODELS.get(stream.model)
        if stream.kind != "benefit" or benefit is None or benefit.unit_input is None:
            continue
        own = {name: values[item.path] for name, item in stream.inputs.items()}
        unit_pv = float(benefit.per_unit(own)) * stream_weight
        this_pv = float(benefit.yearly(own, stream.options)) * stream_weight
        to_cover = pv_costs - (pv_benefits - this_pv)
        item = stream.inputs[benefit.unit_input]
        needed = None
        if to_cover <= 0:
            needed = 0
        elif unit_pv > 0 and math.isfinite(to_cover / unit_pv):
            # A hair below a whole number is that number: 242,000 / 242,000 after rounding.
            needed = math.ceil(to_cover / unit_pv - 1e-9)
        found.append(
            {
                "benefit": stream.index,
                "label": stream.label,
                "input": item.path,
                "unit": benefit.unit_label,
                "years": [min(stream.years), max(stream.years)],
                "per_year": len(stream.years) > 1,
                "count": needed,
                "pv_to_cover": to_cover,
                "pv_per_unit": unit_pv,
            }
        )
    return found
