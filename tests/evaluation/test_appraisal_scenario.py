"""Scenario validation: every error with its JSON path, and the JSON Schema in docs/ agreeing
with the engine's own checks."""

import copy
import json
from pathlib import Path

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loti.evaluation import appraisal

DOCS = Path(__file__).resolve().parents[2] / "docs"
SCHEMA = json.loads((DOCS / "appraisal-scenario.schema.json").read_text())
EXAMPLE = json.loads((DOCS / "examples" / "data-sharing.json").read_text())

MINIMAL = {"title": "Pilot", "costs": [], "benefits": []}
EVERYTHING = {
    "title": "Everything",
    "description": "Every field the format has.",
    "start_year": 2024,
    "discounting": {
        "schedule": "flat",
        "rate": 0.05,
        "deflator": {"2024": 100, "2025": 102.5, "2026": 105.1},
        "price_base_year": 2024,
    },
    "optimism_bias": {
        "method": "green_book",
        "project_type": "equipment_development",
        "bound": "lower",
        "mitigation": 0.2,
    },
    "costs": [
        {"year": 0, "amount": 10_000, "label": "Staff time", "source": "Timesheets"},
        {
            "year": 1,
            "amount": {"distribution": "pert", "low": 1_000, "mode": 2_000, "high": 5_000},
            "optimism_bias": False,
        },
    ],
    "benefits": [
        {
            "model": "market_rate",
            "label": "Recruitment",
            "first_year": 0,
            "last_year": 2,
            "inputs": {
                "quantity": {"distribution": "uniform", "low": 10, "high": 20},
                "market_unit_cost": {"distribution": "lognormal", "mean": 9_000, "sd": 1_000},
                "our_unit_cost": {"distribution": "lognormal", "mu": 7.0, "sigma": 0.1},
            },
            "sources": {"quantity": "Roles supported, 2023-24"},
        },
        {
            "model": "avoided_duplication",
            "first_year": 0,
            "last_year": 0,
            "baseline": "hub_and_spoke",
            "replacement": "multi_party",
            "inputs": {
                "parties": {"distribution": "triangular", "low": 30, "mode": 34, "high": 34},
                "cost_per_agreement": 2_500,
            },
        },
        {
            "model": "avoided_incidents",
            "first_year": 1,
            "last_year": 2,
            "inputs": {"incidents": 0.5, "cost_per_incident": 242_000},
        },
        {
            "model": "outcome",
            "first_year": 1,
            "last_year": 1,
            "inputs": {
                "outcomes": 12,
                "unit_cost": 9_000,
                "deadweight": {"distribution": "uniform", "low": 0.1, "high": 0.3},
                "attribution": 0.5,
            },
        },
        {
            "model": "cash_flow",
            "label": "Licence savings",
            "amounts": [{"year": 2, "amount": -1_000, "source": "Supplier quote"}],
        },
        {
            "model": "avoided_pairs",
            "first_year": 0,
            "last_year": 1,
            "inputs": {"pairs": 564, "agreements": 4, "cost_per_agreement": 2_500},
            "sources": {"pairs": "Every data-sharing agreement in force, each pair once"},
        },
    ],
    "monte_carlo": {"draws": 500, "seed": 7},
}


def changed(base: dict, path: tuple, value) -> dict:
    """A deep copy of `base` with the item at `path` set to `value` (or removed: ...)."""
    result = copy.deepcopy(base)
    target = result
    for step in path[:-1]:
        target = target[step]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return result


VALID = [MINIMAL, EVERYTHING, EXAMPLE]
INVALID = [
    changed(MINIMAL, ("title",), ...),
    changed(MINIMAL, ("title",), ""),
    changed(MINIMAL, ("costs",), {}),
    changed(MINIMAL, ("colour",), "blue"),
    changed(EVERYTHING, ("start_year",), 2024.5),
    changed(EVERYTHING, ("costs", 0, "amount"), "10,000"),
    changed(EVERYTHING, ("costs", 0, "amount"), -1),
    changed(EVERYTHING, ("costs", 0, "amount"), True),
    changed(EVERYTHING, ("costs", 0, "year"), -1),
    changed(EVERYTHING, ("costs", 0, "year"), 1001),
    changed(EVERYTHING, ("costs", 0, "optimism_bias"), "no"),
    changed(EVERYTHING, ("costs", 1, "amount", "distribution"), "normal"),
    changed(EVERYTHING, ("costs", 1, "amount", "mode"), ...),
    changed(EVERYTHING, ("costs", 1, "amount", "low"), -5),
    changed(EVERYTHING, ("costs", 1, "amount", "spread"), 3),
    changed(EVERYTHING, ("benefits", 0, "model"), "guesswork"),
    changed(EVERYTHING, ("benefits", 0, "inputs", "quantity"), ...),
    changed(EVERYTHING, ("benefits", 0, "inputs", "colour"), 1),
    changed(EVERYTHING, ("benefits", 0, "first_year"), ...),
    changed(EVERYTHING, ("benefits", 0, "baseline"), "bilateral"),
    changed(EVERYTHING, ("benefits", 0, "sources", "colour"), "x"),
    changed(EVERYTHING, ("benefits", 0, "inputs", "market_unit_cost", "sd"), ...),
    changed(EVERYTHING, ("benefits", 0, "inputs", "market_unit_cost", "mean"), 0),
    changed(EVERYTHING, ("benefits", 0, "inputs", "our_unit_cost", "sigma"), -1),
    changed(EVERYTHING, ("benefits", 1, "inputs", "parties"), 1),
    changed(EVERYTHING, ("benefits", 1, "inputs", "parties", "low"), 1),
    changed(EVERYTHING, ("benefits", 1, "replacement"), "bilateral"),
    changed(EVERYTHING, ("benefits", 3, "inputs", "attribution"), 1.5),
    changed(
        EVERYTHING,
        ("benefits", 3, "inputs", "attribution"),
        {"distribution": "lognormal", "mean": 0.5, "sd": 0.1},
    ),
    changed(EVERYTHING, ("benefits", 3, "inputs", "deadweight", "high"), 2),
    changed(EVERYTHING, ("benefits", 4, "amounts"), []),
    changed(EVERYTHING, ("benefits", 4, "first_year"), 0),
    changed(EVERYTHING, ("discounting", "schedule"), "treasury"),
    changed(EVERYTHING, ("discounting", "rate"), ...),
    changed(EVERYTHING, ("discounting", "rate"), 3.5),
    changed(EVERYTHING, ("discounting", "schedule"), "green_book"),  # with a rate
    changed(EVERYTHING, ("discounting", "price_base_year"), ...),
    changed(EVERYTHING, ("discounting", "deflator", "24"), 100),
    changed(EVERYTHING, ("discounting", "deflator", "2025"), 0),
    changed(EVERYTHING, ("optimism_bias", "project_type"), "software"),
    changed(EVERYTHING, ("optimism_bias", "bound"), ...),
    changed(EVERYTHING, ("optimism_bias", "mitigation"), 1.2),
    changed(EVERYTHING, ("optimism_bias",), {"method": "custom"}),
    changed(EVERYTHING, ("optimism_bias",), {"method": "none", "uplift": 0.1}),
    changed(EVERYTHING, ("monte_carlo", "draws"), 0),
    changed(EVERYTHING, ("monte_carlo", "seed"), -1),
    changed(EVERYTHING, ("monte_carlo", "chains"), 4),
]
# Relations between fields that a JSON Schema cannot state: only the engine rejects these.
INVALID_BEYOND_THE_SCHEMA = [
    changed(EVERYTHING, ("costs", 1, "amount", "mode"), 9_000),
    changed(EVERYTHING, ("benefits", 0, "inputs", "quantity", "high"), 5),
    changed(EVERYTHING, ("benefits", 2, "last_year"), 0),
    changed(EVERYTHING, ("benefits", 2, "last_year"), 3),  # no deflator for 2027
    changed(EVERYTHING, ("start_year",), ...),
    changed(EVERYTHING, ("discounting", "price_base_year"), 2023),
    changed(
        changed(EVERYTHING, ("benefits", 1, "baseline"), "hub_and_spoke"),
        ("benefits", 1, "replacement"),
        "hub_and_spoke",
    ),
]


@pytest.fixture(scope="module")
def schema():
    return jsonschema_rs.validator_for(SCHEMA)


def test_the_schema_is_draft_2020_12_and_describes_every_property():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema_rs.Draft202012Validator(SCHEMA)
    undescribed = []

    def walk(node, where):
        if isinstance(node, dict):
            for name, child in node.get("properties", {}).items():
                if isinstance(child, dict) and "description" not in child and "$ref" not in child:
                    undescribed.append(f"{where}.{name}")
            for key, child in node.items():
                # Conditions restate properties described elsewhere.
                if key != "if":
                    walk(child, f"{where}.{key}")
        elif isinstance(node, list):
            for index, child in enumerate(node):
                walk(child, f"{where}[{index}]")

    walk(SCHEMA, "")
    assert undescribed == []


@pytest.mark.parametrize("scenario", VALID, ids=["minimal", "everything", "example"])
def test_valid_scenarios_pass_both_the_engine_and_the_schema(scenario, schema):
    assert appraisal.validate(scenario) == []
    assert schema.is_valid(scenario)


@pytest.mark.parametrize("scenario", INVALID)
def test_invalid_scenarios_fail_both_the_engine_and_the_schema(scenario, schema):
    assert appraisal.validate(scenario) != []
    assert not schema.is_valid(scenario)


@pytest.mark.parametrize("scenario", INVALID_BEYOND_THE_SCHEMA)
def test_the_engine_also_checks_relations_between_fields(scenario, schema):
    assert schema.is_valid(scenario)
    assert appraisal.validate(scenario) != []


def test_every_error_is_reported_at_once_with_its_json_path():
    scenario = {
        "title": "Broken",
        "costs": [{"year": 0, "amount": "lots"}],
        "benefits": [
            {
                "model": "avoided_duplication",
                "first_year": 3,
                "last_year": 1,
                "inputs": {"parties": 34, "cost_per_agreement": [2_500]},
            },
            {
                "model": "outcome",
                "first_year": 0,
                "last_year": 0,
                "inputs": {
                    "outcomes": {"distribution": "triangular", "low": 5, "mode": 9, "high": 8},
                    "unit_cost": 100,
                    "deadweight": 0.2,
                    "attribution": 2,
                },
            },
        ],
        "monte_carlo": {"draws": 0},
    }
    assert appraisal.validate(scenario) == [
        "costs[0].amount: must be a number or a distribution",
        "benefits[0].inputs.cost_per_agreement: must be a number or a distribution",
        "benefits[0].last_year: must be the first year or later",
        "benefits[1].inputs.outcomes.mode: must be from low to high",
        "benefits[1].inputs.attribution: must be from 0 to 1",
        "monte_carlo.draws: must be from 1 to 1e+07",
    ]


def test_missing_and_unknown_fields_are_named():
    errors = appraisal.validate(
        {
            "costs": [],
            "benefits": [
                {
                    "model": "market_rate",
                    "first_year": 0,
                    "last_year": 0,
                    "inputs": {"quantity": 1, "market_cost": 5},
                }
            ],
        }
    )
    assert "title: is required" in errors
    assert "benefits[0].inputs.market_unit_cost: is required" in errors
    assert (
        "benefits[0].inputs.market_cost: is not a recognised field "
        "(expected quantity, market_unit_cost, our_unit_cost)"
    ) in errors


def test_a_deflator_must_cover_every_year_used():
    scenario = changed(EVERYTHING, ("benefits", 2, "last_year"), 5)
    assert "discounting.deflator: has no index for 2027, 2028, 2029" in appraisal.validate(scenario)


def test_a_scenario_that_is_not_an_object_is_one_error():
    assert appraisal.validate([1, 2]) == ["must be an object"]


def test_appraise_raises_scenario_error_with_every_error():
    with pytest.raises(appraisal.ScenarioError) as caught:
        appraisal.appraise({"title": "", "costs": [], "benefits": [{"model": "x"}]})
    assert caught.value.errors == [
        "title: must not be empty",
        'benefits[0].model: must be one of "market_rate", "avoided_duplication", '
        '"avoided_pairs", "avoided_incidents", "outcome" or "cash_flow"',
    ]


def test_the_documented_example_appraises_with_its_monte_carlo_settings():
    result = appraisal.appraise(EXAMPLE)
    assert result["pv_benefits"] == 1_400_000
    assert result["monte_carlo"]["draws"] == 10_000
    assert result["monte_carlo"]["seed"] == 20240601


def paths(node, prefix=()):
    """Every path into a JSON document, as tuples of keys and indexes."""
    yield prefix
    if isinstance(node, dict):
        for key, child in node.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from paths(child, (*prefix, index))


EVERYTHING_PATHS = [path for path in paths(EVERYTHING) if path]
replacements = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=3)
replacements |= st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [[], {}, "green_book", "triangular", "upper", "bilateral", "market_rate", -1, 0, 0.5, 2]
)


@settings(max_examples=400, deadline=None)
@given(path=st.sampled_from(EVERYTHING_PATHS), value=replacements | st.just(...))
def test_whatever_the_schema_rejects_the_engine_rejects_too(path, value, schema):
    document = changed(EVERYTHING, path, value)
    if not schema.is_valid(document):
        assert appraisal.validate(document) != []
    if appraisal.validate(document) == []:
        assert schema.is_valid(document)
