"""The scenario's method and inputs in plain English, one sentence each."""

from loti.core.money import money

from . import discounting, distributions, optimism
from .models import ARRANGEMENTS
from .scenario import Input, Model, Stream


def count(value: float) -> str:
    value = float(value)
    return f"{value:,.0f}" if value == round(value) else f"{value:,.2f}".rstrip("0")


def percent(value: float) -> str:
    return f"{float(value) * 100:.4g}%"


SHOW = {"money": money, "count": count, "share": percent}


def value(item: Input, singular: str = "", plural: str = "") -> str:
    """The central value, with its noun if given, then any distribution in brackets:
    "1 incident", "£2,500 (a triangular distribution from £1,500 to £4,000, most likely
    £2,500)"."""
    show = SHOW[item.unit]
    central = distributions.central(item.spec)
    text = show(central)
    if plural:
        text += f" {singular if central == 1 else plural}"
    if distributions.is_distribution(item.spec):
        text += f" ({distributions.describe(item.spec, show)})"
    return text


def titled(stream: Stream, model: str) -> str:
    """The benefit's label, with the model's name unless the label is already that."""
    if stream.label.lower() in (model, stream.model.replace("_", " ")):
        return stream.label
    return f"{stream.label} ({model})"


def years(stream: Stream) -> str:
    first, last = min(stream.years), max(stream.years)
    return f"in year {first}" if first == last else f"a year in years {first}–{last}"


def sourced(sentence: str, *items: Input) -> str:
    sources = [
        f"{item.name.replace('_', ' ').capitalize()}: {item.source}"
        for item in items
        if item.source
    ]
    if len(sources) == 1 and len(items) == 1:
        return f"{sentence[:-1]} (source: {items[0].source})."
    return sentence if not sources else f"{sentence[:-1]} (sources: {'; '.join(sources)})."


def describe(model: Model) -> list[str]:
    sentences = [_discounting(model)]
    if model.start_year is not None:
        sentences.append(
            f"Year 0 is {model.start_year}; the appraisal runs to year {model.horizon} "
            f"({model.start_year + model.horizon})."
        )
    else:
        sentences.append(f"The appraisal runs from year 0 to year {model.horizon}.")
    sentences.append(_prices(model))
    sentences.append(_optimism(model))
    sentences.extend(_stream(stream) for stream in model.streams if stream.kind == "cost")
    done: set[int] = set()
    for stream in model.streams:
        if stream.kind == "benefit" and stream.index not in done:
            done.add(stream.index)
            sentences.append(_benefit(model, stream))
    if model.uncertain():
        sentences.append(
            "The central estimate takes each distribution's most likely value (triangular and "
            "PERT), its midpoint (uniform) or its mean (lognormal)."
        )
        sentences.append(
            f"The Monte Carlo simulation makes {model.draws:,} draws (seed {model.seed}): each "
            "uncertain input is drawn once per draw, holds for every year it applies to, and "
            "is drawn independently of the other inputs."
        )
    sentences.append(
        "Switching values and break-even counts move one input at a time, holding every "
        "other input at its central estimate."
    )
    return sentences


def _discounting(model: Model) -> str:
    if model.rate is not None:
        return (
            f"Benefits and costs are discounted at a flat {percent(model.rate)} a year; "
            "year 0 is not discounted."
        )
    # Whole bands of the schedule, as far as the appraisal reaches (at least the first).
    bands = []
    for index, (last, rate) in enumerate(discounting.GREEN_BOOK_SCHEDULE):
        first = 1 if index == 0 else int(discounting.GREEN_BOOK_SCHEDULE[index - 1][0]) + 1
        if index and first > model.horizon:
            break
        span = f"years {first}–{int(last)}" if last != float("inf") else f"year {first} on"
        bands.append(f"{percent(rate)}{' a year' if index == 0 else ''} for {span}")
    return (
        f"Benefits and costs are discounted at the Green Book social time preference rate "
        f"({', '.join(bands)}), applied year on year; year 0 is not discounted."
    )


def _prices(model: Model) -> str:
    if model.deflator is None:
        return "All amounts are in real terms (constant prices), as given."
    series = ", ".join(f"{year}: {index:g}" for year, index in sorted(model.deflator.items()))
    return (
        f"Amounts are nominal and are converted to {model.price_base_year} prices with the GDP "
        f"deflator given ({series}): real = nominal × index in {model.price_base_year} ÷ "
        "index in the year."
    )


def _optimism(model: Model) -> str:
    method = model.optimism["method"]
    if method == "none":
        return "No optimism bias uplift is applied to costs."
    exempt = [
        stream.label for stream in model.streams if stream.kind == "cost" and not stream.uplifted
    ]
    tail = f" It is not applied to: {', '.join(exempt)}." if exempt else ""
    if method == "custom":
        return (
            f"Costs are uplifted for optimism bias by {value(model.uplift)} (a custom uplift)."
            + tail
        )
    project = optimism.PROJECT_TYPES[model.optimism["project_type"]]
    bound = model.optimism["bound"]
    table = project.upper if bound == "upper" else project.lower
    mitigation = float(model.optimism.get("mitigation", 0))
    reduced = (
        f", reduced by {percent(mitigation)} for the bias the project has mitigated"
        if mitigation
        else ""
    )
    return (
        f"Costs are uplifted by {percent(model.uplift.spec)} for optimism bias: the Green Book "
        f"{bound} bound for {project.applies_to} on {project.description} projects "
        f"({percent(table)}){reduced}.{tail}"
    )


def _stream(stream: Stream) -> str:
    amount = stream.inputs["amount"]
    return sourced(f"{stream.label}, {years(stream)}: {value(amount)}.", amount)


def _benefit(model: Model, stream: Stream) -> str:
    inputs = stream.inputs
    if stream.model == "cash_flow":
        entries = [s for s in model.streams if s.kind == "benefit" and s.index == stream.index]
        amounts = "; ".join(f"{value(s.inputs['amount'])} {years(s)}" for s in entries)
        return sourced(
            f"{titled(stream, 'a cash flow of benefits')}: {amounts}.",
            *[s.inputs["amount"] for s in entries],
        )
    if stream.model == "market_rate":
        sentence = (
            f"{titled(stream, 'counterfactual market rate')}: "
            f"{value(inputs['quantity'], 'unit', 'units')} "
            f"{years(stream)}, each worth the market unit cost of "
            f"{value(inputs['market_unit_cost'])} less our unit cost of "
            f"{value(inputs['our_unit_cost'])}."
        )
    elif stream.model == "avoided_duplication":
        baseline, replacement = stream.options["baseline"], stream.options["replacement"]
        parties = inputs["parties"]
        sentence = (
            f"{titled(stream, 'avoided duplication')}: {ARRANGEMENTS[replacement][0]} "
            f"instead of {ARRANGEMENTS[baseline][0]}, for {value(parties, 'party', 'parties')}"
        )
        if not distributions.is_distribution(parties.spec):
            n = float(parties.spec)
            before = ARRANGEMENTS[baseline][1](n)
            after = ARRANGEMENTS[replacement][1](n)
            sentence += f" ({count(before)} agreements replaced by {count(after)})"
        sentence += f", at {value(inputs['cost_per_agreement'])} per agreement, {years(stream)}."
    elif stream.model == "avoided_pairs":
        sentence = (
            f"{titled(stream, 'avoided duplication')}: "
            f"{value(inputs['agreements'], 'agreement', 'agreements')} instead of a bilateral "
            f"agreement for each of {value(inputs['pairs'], 'pair', 'pairs')} of parties "
            "sharing (each pair counted once, however many agreements it shares under), at "
            f"{value(inputs['cost_per_agreement'])} per agreement, {years(stream)}."
        )
    elif stream.model == "avoided_incidents":
        sentence = (
            f"{titled(stream, 'avoided incidents')}: "
            f"{value(inputs['incidents'], 'incident', 'incidents')} avoided "
            f"{years(stream)}, at {value(inputs['cost_per_incident'])} per incident."
        )
    else:
        sentence = (
            f"{titled(stream, 'outcome-based unit cost')}: "
            f"{value(inputs['outcomes'], 'outcome', 'outcomes')} "
            f"{years(stream)} at a unit cost of {value(inputs['unit_cost'])}, less deadweight "
            f"(outcomes that would have happened anyway) of {value(inputs['deadweight'])}, "
            f"with {value(inputs['attribution'])} attributed to this activity."
        )
    return sourced(sentence, *inputs.values())
