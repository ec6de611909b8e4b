"""Reading a scenario: every error at once, each with its JSON path, then a normalised model.

The format is described by docs/appraisal-scenario.schema.json; this module checks the same
shapes in plain Python (the schema library is only a test dependency) and, beyond what a
schema can say, the relations between fields: low <= mode <= high, last_year >= first_year, a
deflator covering every year used.

A scenario from outside (a file, standard input) is read with `parse`, which refuses one
larger than MAX_BYTES or nested deeper than MAX_DEPTH before any of it is checked
(docs/security.md).
"""

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from loti.core.text import join_words

from . import distributions, optimism
from .models import MODELS

MAX_YEAR = 1000
MAX_DRAWS = 10_000_000
DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 20240601
# The limits of a scenario read from outside (docs/security.md). The largest real one is a
# few kilobytes and five levels deep (benefits[0].inputs.parties.low).
MAX_BYTES = 1024 * 1024
MAX_DEPTH = 16

DOMAINS = {
    # domain -> (lowest allowed value, highest allowed value, words)
    "any": (-math.inf, math.inf, None),
    "non_negative": (0.0, math.inf, "0 or more"),
    "fraction": (0.0, 1.0, "from 0 to 1"),
    "parties": (2.0, math.inf, "2 or more"),
}


class ScenarioError(ValueError):
    """An invalid scenario; `errors` lists every problem with its JSON path."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Input:
    path: str
    name: str
    label: str
    spec: distributions.Spec
    domain: str
    unit: str  # money, count or share
    source: str | None = None


@dataclass(frozen=True)
class Stream:
    """A cost line, or a benefit model over its years."""

    kind: str  # "cost" or "benefit"
    index: int  # position in the scenario's costs or benefits
    label: str
    model: str  # "cost", or a benefit model's name
    years: tuple[int, ...]
    inputs: dict[str, Input]
    options: dict[str, str] = field(default_factory=dict)
    uplifted: bool = False


@dataclass(frozen=True)
class Model:
    title: str
    start_year: int | None
    rate: float | None  # None: the Green Book schedule
    deflator: dict[int, float] | None
    price_base_year: int | None
    optimism: dict
    uplift: Input | None
    streams: tuple[Stream, ...]
    horizon: int
    draws: int
    seed: int

    def inputs(self) -> list[Input]:
        found = [self.uplift] if self.uplift else []
        for stream in self.streams:
            found.extend(stream.inputs.values())
        return found

    def uncertain(self) -> bool:
        return any(distributions.is_distribution(item.spec) for item in self.inputs())


def parse(data: bytes | str) -> object:
    """A scenario's JSON text, parsed. Raises ScenarioError, saying why in words, when it is
    larger than MAX_BYTES (in UTF-8), not UTF-8, not JSON (NaN and Infinity are not JSON
    numbers) or nested more than MAX_DEPTH levels deep. Read a stream with `read`."""
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise ScenarioError([f"The scenario is larger than {MAX_BYTES // 1024 // 1024} MB"])
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ScenarioError([f"The scenario is not UTF-8 text: {error.reason}"]) from error
    try:
        value = json.loads(data, parse_constant=_reject_constant)
    except RecursionError as error:  # the parser's own bound, far past ours
        raise ScenarioError([_too_deep()]) from error
    except ValueError as error:
        raise ScenarioError([f"The scenario is not valid JSON: {error}"]) from error
    if _depth_over(value, MAX_DEPTH):
        raise ScenarioError([_too_deep()])
    return value


def read(stream) -> object:
    """`parse` what a binary stream holds, reading at most one byte past MAX_BYTES."""
    return parse(stream.read(MAX_BYTES + 1))


def _reject_constant(name: str):
    # JSON has no NaN or Infinity; Python's parser would accept them.
    raise ValueError(f"{name} is not a JSON number")


def _too_deep() -> str:
    return f"The scenario is nested more than {MAX_DEPTH} levels deep"


def _depth_over(value: object, limit: int) -> bool:
    """Whether the value has objects or arrays more than `limit` levels deep (the value
    itself the first). Iterative, so any depth is safe to check."""
    stack = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        item, level = stack.pop()
        if level > limit:
            return True
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, dict | list):
                stack.append((child, level + 1))
    return False


def validate(scenario: object) -> list[str]:
    """Every problem with the scenario, each "path: message"; empty when it is valid."""
    errors: list[str] = []
    _Checker(errors).scenario(scenario)
    return errors


def build(scenario: Mapping, *, draws: int | None = None, seed: int | None = None) -> Model:
    errors = validate(scenario)
    if errors:
        raise ScenarioError(errors)
    discounting = scenario.get("discounting", {"schedule": "green_book"})
    deflator = discounting.get("deflator")
    streams = [_cost(index, item) for index, item in enumerate(scenario["costs"])]
    for index, item in enumerate(scenario["benefits"]):
        streams.extend(_benefit(index, item))
    settings = scenario.get("monte_carlo", {})
    return Model(
        title=scenario["title"],
        start_year=_int(scenario.get("start_year")),
        rate=discounting.get("rate") if discounting["schedule"] == "flat" else None,
        deflator={int(year): float(index) for year, index in deflator.items()}
        if deflator
        else None,
        price_base_year=_int(discounting.get("price_base_year")),
        optimism=dict(scenario.get("optimism_bias", {"method": "none"})),
        uplift=_uplift(scenario.get("optimism_bias", {"method": "none"})),
        streams=tuple(streams),
        horizon=max((max(stream.years) for stream in streams), default=0),
        draws=draws if draws is not None else int(settings.get("draws", DEFAULT_DRAWS)),
        seed=seed if seed is not None else int(settings.get("seed", DEFAULT_SEED)),
    )


def _int(value) -> int | None:
    return None if value is None else int(value)


def _uplift(bias: Mapping) -> Input | None:
    method = bias["method"]
    if method == "none":
        return None
    if method == "custom":
        spec = bias["uplift"]
    else:
        spec = optimism.green_book_uplift(
            project_type=bias["project_type"],
            bound=bias["bound"],
            mitigation=float(bias.get("mitigation", 0.0)),
        )
    return Input(
        "optimism_bias.uplift", "uplift", "Optimism bias uplift", spec, "non_negative", "share"
    )


def _cost(index: int, item: Mapping) -> Stream:
    label = item.get("label") or "Cost"
    path = f"costs[{index}].amount"
    amount = Input(
        path, "amount", label, item["amount"], "non_negative", "money", item.get("source")
    )
    return Stream(
        kind="cost",
        index=index,
        label=label,
        model="cost",
        years=(int(item["year"]),),
        inputs={"amount": amount},
        uplifted=item.get("optimism_bias", True),
    )


def _benefit(index: int, item: Mapping) -> list[Stream]:
    model = MODELS[item["model"]]
    label = item.get("label") or model.name.replace("_", " ").capitalize()
    sources = item.get("sources", {})
    if model.name == "cash_flow":
        return [
            Stream(
                kind="benefit",
                index=index,
                label=label,
                model=model.name,
                years=(int(entry["year"]),),
                inputs={
                    "amount": Input(
                        f"benefits[{index}].amounts[{position}].amount",
                        "amount",
                        f"{label}, year {int(entry['year'])}",
                        entry["amount"],
                        "any",
                        "money",
                        entry.get("source"),
                    )
                },
            )
            for position, entry in enumerate(item["amounts"])
        ]
    inputs = {
        name: Input(
            f"benefits[{index}].inputs.{name}",
            name,
            f"{input_label} ({label})",
            item["inputs"][name],
            domain,
            unit,
            sources.get(name),
        )
        for name, (input_label, domain, unit) in model.inputs.items()
    }
    options = {}
    if model.name == "avoided_duplication":
        options = {
            "baseline": item.get("baseline", "bilateral"),
            "replacement": item.get("replacement", "multi_party"),
        }
    first, last = int(item["first_year"]), int(item["last_year"])
    return [
        Stream(
            kind="benefit",
            index=index,
            label=label,
            model=model.name,
            years=tuple(range(first, last + 1)),
            inputs=inputs,
            options=options,
        )
    ]


def _is_number(value) -> bool:
    """A finite JSON number (true and false are not numbers, though Python's bool is an int)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def _is_integer(value) -> bool:
    return _is_number(value) and value == int(value)


def _choices(values) -> str:
    values = [f'"{value}"' for value in values]
    listed = join_words(values, "or")
    return listed if len(values) == 2 else f"one of {listed}"


class _Checker:
    def __init__(self, errors: list[str]):
        self.errors = errors

    def error(self, path: str, message: str) -> None:
        self.errors.append(f"{path}: {message}" if path else message)

    def object(self, value, path: str, *, required: tuple, optional: tuple) -> bool:
        if not isinstance(value, Mapping):
            self.error(path, "must be an object")
            return False
        for name in required:
            if name not in value:
                self.error(_join(path, name), "is required")
        for name in value:
            if name not in required and name not in optional:
                expected = ", ".join((*required, *optional))
                self.error(_join(path, name), f"is not a recognised field (expected {expected})")
        return True

    def string(self, value, path: str, *, required: bool = False) -> None:
        if not isinstance(value, str):
            self.error(path, "must be a string")
        elif required and not value.strip():
            self.error(path, "must not be empty")

    def enum(self, value, path: str, choices) -> bool:
        if not isinstance(value, str) or value not in choices:
            self.error(path, f"must be {_choices(choices)}")
            return False
        return True

    def integer(self, value, path: str, low: float, high: float) -> bool:
        if not _is_integer(value):
            self.error(path, "must be a whole number")
            return False
        if not low <= value <= high:
            self.error(path, f"must be from {low:g} to {high:g}")
            return False
        return True

    def number(self, value, path: str, domain: str = "any", *, exclusive_high=False) -> bool:
        low, high, words = DOMAINS[domain]
        if not _is_number(value):
            self.error(path, "must be a number")
            return False
        if value < low or value > high:
            self.error(path, f"must be {words}")
            return False
        if exclusive_high and value >= high:
            self.error(path, f"must be less than {high:g} (a fraction: 0.035 is 3.5%)")
            return False
        return True

    def quantity(self, value, path: str, domain: str) -> None:
        """A number, or a distribution, whose values lie in the domain."""
        low, high, words = DOMAINS[domain]
        if _is_number(value):
            self.number(value, path, domain)
            return
        if not isinstance(value, Mapping) or "distribution" not in value:
            self.error(path, "must be a number or a distribution")
            return
        kind = value["distribution"]
        if not self.enum(kind, _join(path, "distribution"), distributions.PARAMETERS):
            return
        forms = distributions.PARAMETERS[kind]
        names = next((form for form in forms if form[0] in value), forms[0])
        if not self.object(value, path, required=("distribution", *names), optional=()):
            return
        numbers = {}
        for name in names:
            if name in value and self.number(value[name], _join(path, name)):
                numbers[name] = float(value[name])
        if len(numbers) < len(names):
            return
        if kind == "lognormal":
            if "mean" in numbers:
                if numbers["mean"] <= 0:
                    self.error(_join(path, "mean"), "must be more than 0")
                if numbers["sd"] < 0:
                    self.error(_join(path, "sd"), "must be 0 or more")
            elif numbers["sigma"] < 0:
                self.error(_join(path, "sigma"), "must be 0 or more")
            if domain in ("fraction", "parties"):
                self.error(path, f"must be a number or a bounded distribution {words}")
            return
        if numbers["low"] > numbers["high"]:
            self.error(_join(path, "high"), "must be at least low")
        elif "mode" in numbers and not numbers["low"] <= numbers["mode"] <= numbers["high"]:
            self.error(_join(path, "mode"), "must be from low to high")
        if numbers["low"] < low or numbers["high"] > high:
            self.error(path, f"must lie {words} (from low to high)")

    def array(self, value, path: str) -> list:
        if not isinstance(value, list):
            self.error(path, "must be a list")
            return []
        return value

    def scenario(self, scenario) -> None:
        if not self.object(
            scenario,
            "",
            required=("title", "costs", "benefits"),
            optional=(
                "description",
                "start_year",
                "discounting",
                "optimism_bias",
                "monte_carlo",
            ),
        ):
            return
        if "title" in scenario:
            self.string(scenario["title"], "title", required=True)
        if "description" in scenario:
            self.string(scenario["description"], "description")
        start_ok = "start_year" in scenario and self.integer(
            scenario["start_year"], "start_year", 1900, 2200
        )
        years: set[int] = set()
        for index, item in enumerate(self.array(scenario.get("costs", []), "costs")):
            years |= self.cost(item, f"costs[{index}]")
        for index, item in enumerate(self.array(scenario.get("benefits", []), "benefits")):
            years |= self.benefit(item, f"benefits[{index}]")
        if "discounting" in scenario:
            start = int(scenario["start_year"]) if start_ok else None
            self.discounting(scenario["discounting"], start, years, "start_year" in scenario)
        if "optimism_bias" in scenario:
            self.optimism_bias(scenario["optimism_bias"], "optimism_bias")
        if "monte_carlo" in scenario:
            path = "monte_carlo"
            settings = scenario["monte_carlo"]
            if self.object(settings, path, required=(), optional=("draws", "seed")):
                if "draws" in settings:
                    self.integer(settings["draws"], f"{path}.draws", 1, MAX_DRAWS)
                if "seed" in settings:
                    self.integer(settings["seed"], f"{path}.seed", 0, 2**63 - 1)

    def year(self, value, path: str, present: bool = True) -> set[int]:
        if not present:
            return set()
        return {int(value)} if self.integer(value, path, 0, MAX_YEAR) else set()

    def cost(self, item, path: str) -> set[int]:
        if not self.object(
            item, path, required=("year", "amount"), optional=("label", "source", "optimism_bias")
        ):
            return set()
        for name in ("label", "source"):
            if name in item:
                self.string(item[name], f"{path}.{name}")
        if "optimism_bias" in item and not isinstance(item["optimism_bias"], bool):
            self.error(f"{path}.optimism_bias", "must be true or false")
        if "amount" in item:
            self.quantity(item["amount"], f"{path}.amount", "non_negative")
        return self.year(item["year"], f"{path}.year") if "year" in item else set()

    def benefit(self, item, path: str) -> set[int]:
        if not isinstance(item, Mapping):
            self.error(path, "must be an object")
            return set()
        if "model" not in item:
            self.error(f"{path}.model", "is required")
            return set()
        if not self.enum(item["model"], f"{path}.model", MODELS):
            return set()
        model = MODELS[item["model"]]
        if model.name == "cash_flow":
            return self.cash_flow(item, path)
        optional = ("label", "sources")
        if model.name == "avoided_duplication":
            optional += ("baseline", "replacement")
        if not self.object(
            item,
            path,
            required=("model", "first_year", "last_year", "inputs"),
            optional=optional,
        ):
            return set()
        if "label" in item:
            self.string(item["label"], f"{path}.label")
        inputs = item.get("inputs")
        if "inputs" in item and self.object(
            inputs, f"{path}.inputs", required=tuple(model.inputs), optional=()
        ):
            for name, (_label, domain, _unit) in model.inputs.items():
                if name in inputs:
                    self.quantity(inputs[name], f"{path}.inputs.{name}", domain)
        if "sources" in item and self.object(
            item["sources"], f"{path}.sources", required=(), optional=tuple(model.inputs)
        ):
            for name, text in item["sources"].items():
                self.string(text, f"{path}.sources.{name}")
        if model.name == "avoided_duplication":
            baseline = item.get("baseline", "bilateral")
            replacement = item.get("replacement", "multi_party")
            ok = self.enum(baseline, f"{path}.baseline", ("bilateral", "hub_and_spoke"))
            ok &= self.enum(replacement, f"{path}.replacement", ("multi_party", "hub_and_spoke"))
            if ok and baseline == replacement:
                self.error(f"{path}.replacement", "must differ from the baseline")
        first = self.year(item.get("first_year"), f"{path}.first_year", "first_year" in item)
        last = self.year(item.get("last_year"), f"{path}.last_year", "last_year" in item)
        if first and last:
            if max(last) < min(first):
                self.error(f"{path}.last_year", "must be the first year or later")
                return set()
            return set(range(min(first), max(last) + 1))
        return set()

    def cash_flow(self, item, path: str) -> set[int]:
        if not self.object(item, path, required=("model", "amounts"), optional=("label",)):
            return set()
        if "label" in item:
            self.string(item["label"], f"{path}.label")
        years: set[int] = set()
        entries = self.array(item.get("amounts", []), f"{path}.amounts")
        if "amounts" in item and isinstance(item["amounts"], list) and not entries:
            self.error(f"{path}.amounts", "must have at least one amount")
        for position, entry in enumerate(entries):
            where = f"{path}.amounts[{position}]"
            if self.object(entry, where, required=("year", "amount"), optional=("source",)):
                if "source" in entry:
                    self.string(entry["source"], f"{where}.source")
                if "amount" in entry:
                    self.quantity(entry["amount"], f"{where}.amount", "any")
                if "year" in entry:
                    years |= self.year(entry["year"], f"{where}.year")
        return years

    def discounting(self, value, start: int | None, years: set[int], has_start: bool) -> None:
        path = "discounting"
        if not self.object(
            value,
            path,
            required=("schedule",),
            optional=("rate", "deflator", "price_base_year"),
        ):
            return
        schedule = value.get("schedule")
        if "schedule" in value and self.enum(schedule, f"{path}.schedule", ("green_book", "flat")):
            if schedule == "flat" and "rate" not in value:
                self.error(f"{path}.rate", "is required for a flat rate")
            if schedule == "green_book" and "rate" in value:
                self.error(f"{path}.rate", 'is only for the "flat" schedule')
        if "rate" in value:
            self.number(value["rate"], f"{path}.rate", "fraction", exclusive_high=True)
        deflator = value.get("deflator")
        base = value.get("price_base_year")
        if deflator is None and base is not None:
            self.error(f"{path}.price_base_year", "is only used with a deflator")
        if deflator is None:
            return
        if not isinstance(deflator, Mapping) or not deflator:
            self.error(f"{path}.deflator", "must be an object of index values by year")
            return
        index: dict[int, float] = {}
        for year, level in deflator.items():
            where = f"{path}.deflator.{year}"
            if not (isinstance(year, str) and len(year) == 4 and year.isdigit()):
                self.error(where, "must be a four-digit year")
            elif _is_number(level) and level > 0:
                index[int(year)] = float(level)
            else:
                self.error(where, "must be a number more than 0")
        if base is None:
            self.error(f"{path}.price_base_year", "is required with a deflator")
        elif self.integer(base, f"{path}.price_base_year", 1900, 2200) and int(base) not in index:
            self.error(f"{path}.price_base_year", "must be one of the deflator's years")
        if not has_start:
            self.error("start_year", "is required with a deflator (the year that year 0 is)")
        elif start is not None:
            missing = sorted(start + year for year in years if start + year not in index)
            if missing:
                shown = ", ".join(str(year) for year in missing[:5])
                more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
                self.error(f"{path}.deflator", f"has no index for {shown}{more}")

    def optimism_bias(self, value, path: str) -> None:
        if not isinstance(value, Mapping) or "method" not in value:
            if isinstance(value, Mapping):
                self.error(f"{path}.method", "is required")
            else:
                self.error(path, "must be an object")
            return
        method = value["method"]
        if not self.enum(method, f"{path}.method", ("none", "green_book", "custom")):
            return
        if method == "none":
            self.object(value, path, required=("method",), optional=())
        elif method == "custom":
            if self.object(value, path, required=("method", "uplift"), optional=()) and (
                "uplift" in value
            ):
                self.quantity(value["uplift"], f"{path}.uplift", "non_negative")
        elif self.object(
            value, path, required=("method", "project_type", "bound"), optional=("mitigation",)
        ):
            if "project_type" in value:
                self.enum(value["project_type"], f"{path}.project_type", optimism.PROJECT_TYPES)
            if "bound" in value:
                self.enum(value["bound"], f"{path}.bound", optimism.BOUNDS)
            if "mitigation" in value:
                self.number(value["mitigation"], f"{path}.mitigation", "fraction")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
