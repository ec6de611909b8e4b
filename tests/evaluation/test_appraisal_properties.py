"""Properties of the appraisal engine, checked with generated scenarios."""

import json
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loti.evaluation import appraisal
from loti.evaluation.appraisal import discounting, measures, montecarlo, scenario

amounts = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False, allow_infinity=False)
years = st.integers(min_value=0, max_value=120)
cash_flows = st.dictionaries(years, amounts, min_size=1, max_size=15)


def flow(values: dict[int, float]) -> dict:
    return {
        "model": "cash_flow",
        "amounts": [{"year": year, "amount": amount} for year, amount in values.items()],
    }


def appraise(benefits: list[dict], costs=None, **extra) -> dict:
    return appraisal.appraise(
        {"title": "Property", "costs": costs or [], "benefits": benefits, **extra}
    )


def test_green_book_factors_strictly_decrease_over_500_years():
    factors = discounting.discount_factors(500)
    assert factors[0] == 1
    assert np.all(np.diff(factors) < 0)
    assert np.all(factors > 0)


@given(rate=st.floats(min_value=1e-4, max_value=0.99), horizon=st.integers(1, 500))
def test_flat_rate_factors_strictly_decrease(rate, horizon):
    factors = discounting.discount_factors(horizon, rate=rate)
    assert np.all(np.diff(factors) < 0)


@given(values=cash_flows, k=st.floats(min_value=-100, max_value=100, allow_nan=False))
def test_scaling_benefits_by_k_scales_their_present_value_by_k(values, k):
    base = appraise([flow(values)])["pv_benefits"]
    scaled = appraise([flow({year: amount * k for year, amount in values.items()})])
    assert scaled["pv_benefits"] == pytest.approx(k * base, rel=1e-9, abs=1e-6)


@given(first=cash_flows, second=cash_flows, cost=st.floats(0, 1e7))
def test_two_benefit_streams_add_their_present_values(first, second, cost):
    costs = [{"year": 0, "amount": cost}]
    together = appraise([flow(first), flow(second)], costs)
    apart = appraise([flow(first)], costs)["pv_benefits"] + appraise([flow(second)])["pv_benefits"]
    assert together["pv_benefits"] == pytest.approx(apart, rel=1e-9, abs=1e-6)
    assert together["npsv"] == pytest.approx(apart - cost, rel=1e-9, abs=1e-6)


def collapsed(value: float) -> st.SearchStrategy:
    return st.sampled_from(
        [
            {"distribution": "triangular", "low": value, "mode": value, "high": value},
            {"distribution": "pert", "low": value, "mode": value, "high": value},
            {"distribution": "uniform", "low": value, "high": value},
            {"distribution": "lognormal", "mean": value, "sd": 0} if value > 0 else value,
        ]
    )


@st.composite
def collapsed_scenarios(draw) -> dict:
    cost = draw(st.floats(1, 1e6))
    incidents = draw(st.floats(0, 20))
    per_incident = draw(st.floats(1, 1e6))
    return {
        "title": "Collapsed",
        "costs": [{"year": draw(years), "amount": draw(collapsed(cost))}],
        "benefits": [
            {
                "model": "avoided_incidents",
                "first_year": 1,
                "last_year": draw(st.integers(1, 40)),
                "inputs": {
                    "incidents": draw(collapsed(incidents)),
                    "cost_per_incident": draw(collapsed(per_incident)),
                },
            }
        ],
        "monte_carlo": {"draws": 200, "seed": draw(st.integers(0, 2**32))},
    }


@given(collapsed_scenarios())
def test_monte_carlo_collapses_to_the_deterministic_value(case):
    result = appraisal.appraise(case)
    npsv = result["monte_carlo"]["npsv"]
    for key in ("mean", "p10", "p50", "p90"):
        assert npsv[key] == pytest.approx(result["npsv"], rel=1e-9, abs=1e-6)
    assert result["monte_carlo"]["bcr"]["p50"] == pytest.approx(result["bcr"], rel=1e-9)


@st.composite
def symmetric(draw) -> dict:
    centre = draw(st.floats(100, 10_000))
    half = centre * draw(st.floats(0.01, 0.9))
    return draw(
        st.sampled_from(
            [
                {
                    "distribution": "triangular",
                    "low": centre - half,
                    "mode": centre,
                    "high": centre + half,
                },
                {
                    "distribution": "pert",
                    "low": centre - half,
                    "mode": centre,
                    "high": centre + half,
                },
                {"distribution": "uniform", "low": centre - half, "high": centre + half},
            ]
        )
    )


@settings(max_examples=25, deadline=None)
@given(cost=symmetric(), quantity=symmetric(), price=symmetric(), seed=st.integers(0, 2**32))
def test_monte_carlo_mean_of_symmetric_inputs_converges_to_the_central_value(
    cost, quantity, price, seed
):
    # NPSV is linear in each input, and the inputs are independent, so its mean is its
    # value at the inputs' means, which for symmetric distributions are their centres.
    result = appraise(
        [
            {
                "model": "market_rate",
                "first_year": 1,
                "last_year": 10,
                "inputs": {"quantity": quantity, "market_unit_cost": price, "our_unit_cost": 0},
            }
        ],
        [{"year": 0, "amount": cost}],
        monte_carlo={"draws": 200_000, "seed": seed},
    )
    pv_benefits = result["pv_benefits"]
    # A generous bound: 200,000 draws put the standard error near 0.3% of the benefits.
    assert result["monte_carlo"]["npsv"]["mean"] == pytest.approx(
        result["npsv"], abs=0.02 * pv_benefits
    )


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**63 - 1))
def test_the_same_seed_gives_the_same_results(seed):
    case = {
        "title": "Seeded",
        "costs": [{"year": 0, "amount": {"distribution": "lognormal", "mean": 1e5, "sd": 2e4}}],
        "benefits": [
            {
                "model": "outcome",
                "first_year": 1,
                "last_year": 5,
                "inputs": {
                    "outcomes": {"distribution": "pert", "low": 5, "mode": 10, "high": 30},
                    "unit_cost": 4_000,
                    "deadweight": {"distribution": "uniform", "low": 0.1, "high": 0.4},
                    "attribution": 0.6,
                },
            }
        ],
        "monte_carlo": {"draws": 1_000, "seed": seed},
    }
    first = appraisal.appraise(case)["monte_carlo"]
    assert appraisal.appraise(case)["monte_carlo"] == first
    other = appraisal.appraise(case, seed=(seed + 1) % 2**63)["monte_carlo"]
    assert other["npsv"] != first["npsv"]


def test_chunked_draws_give_every_draw_its_own_values():
    model = scenario.build(
        {
            "title": "Chunks",
            "costs": [{"year": 0, "amount": {"distribution": "uniform", "low": 0, "high": 1}}],
            "benefits": [],
        }
    )
    pv_costs, _pv_benefits = montecarlo.simulate(model, draws=2_500, seed=1, chunk=1_000)
    assert len(set(pv_costs.tolist())) == 2_500


@settings(max_examples=40)
@given(
    quantity=st.floats(0, 1e4),
    market=st.floats(0, 1e5),
    ours=st.floats(0, 1e5),
    cost=st.floats(1, 1e8),
    last=st.integers(0, 60),
)
def test_npsv_is_zero_at_every_switching_value(quantity, market, ours, cost, last):
    case = {
        "title": "Switching",
        "costs": [{"year": 0, "amount": cost}],
        "benefits": [
            {
                "model": "market_rate",
                "first_year": 0,
                "last_year": last,
                "inputs": {"quantity": quantity, "market_unit_cost": market, "our_unit_cost": ours},
            }
        ],
    }
    model = scenario.build(case)
    weight = measures.weights(model)
    values = measures.central_values(model)
    result = appraisal.appraise(case)
    # Zero to the precision of the gross flows: the benefit is a difference of two products.
    scale = cost + quantity * (market + ours) * weight.yearly[: last + 1].sum()
    for row in result["switching_values"]:
        if row["switching_value"] is None:
            continue
        at_zero = measures.npsv(model, {**values, row["input"]: row["switching_value"]}, weight)
        assert abs(at_zero) <= 1e-9 * scale


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    *("title", "costs", "benefits", "model", "year", "amount", "inputs"),
                    *("distribution", "low", "mode", "high", "first_year", "last_year"),
                    *("discounting", "schedule", "deflator", "optimism_bias", "method"),
                    *("uplift", "amounts", "monte_carlo", "draws", "x"),
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)


@settings(max_examples=300)
@given(json_values)
def test_validation_never_fails_on_any_json_it_is_given(document):
    errors = appraisal.validate(document)
    assert isinstance(errors, list)
    assert all(isinstance(error, str) and error for error in errors)


def quantity(low: float, high: float) -> st.SearchStrategy:
    """A number in [low, high], or a valid distribution within it."""
    value = st.floats(low, high)

    @st.composite
    def bounded(draw):
        ends = sorted([draw(value), draw(value)])
        mode = draw(st.floats(ends[0], ends[1]))
        return draw(
            st.sampled_from(
                [
                    {"distribution": "triangular", "low": ends[0], "mode": mode, "high": ends[1]},
                    {"distribution": "pert", "low": ends[0], "mode": mode, "high": ends[1]},
                    {"distribution": "uniform", "low": ends[0], "high": ends[1]},
                ]
            )
        )

    return value | bounded()


@st.composite
def benefit_models(draw) -> dict:
    first = draw(st.integers(0, 50))
    span = {"first_year": first, "last_year": first + draw(st.integers(0, 30))}
    money, count, share = quantity(0, 1e6), quantity(0, 1e3), quantity(0, 1)
    return draw(
        st.sampled_from(
            [
                {
                    "model": "market_rate",
                    **span,
                    "inputs": {
                        "quantity": draw(count),
                        "market_unit_cost": draw(money),
                        "our_unit_cost": draw(money),
                    },
                },
                {
                    "model": "avoided_duplication",
                    **span,
                    "baseline": draw(st.sampled_from(["bilateral", "hub_and_spoke"])),
                    "inputs": {
                        "parties": draw(quantity(2, 100)),
                        "cost_per_agreement": draw(money),
                    },
                },
                {
                    "model": "avoided_incidents",
                    **span,
                    "inputs": {"incidents": draw(count), "cost_per_incident": draw(money)},
                },
                {
                    "model": "outcome",
                    **span,
                    "inputs": {
                        "outcomes": draw(count),
                        "unit_cost": draw(money),
                        "deadweight": draw(share),
                        "attribution": draw(share),
                    },
                },
                {
                    "model": "cash_flow",
                    "amounts": [{"year": first, "amount": draw(quantity(-1e6, 1e6))}],
                },
            ]
        )
    )


@settings(max_examples=60, deadline=None)
@given(
    costs=st.lists(
        st.fixed_dictionaries({"year": st.integers(0, 60), "amount": quantity(0, 1e7)}),
        max_size=4,
    ),
    benefits=st.lists(benefit_models(), max_size=4),
    bias=st.sampled_from(
        [
            {"method": "none"},
            {"method": "green_book", "project_type": "outsourcing", "bound": "upper"},
            {"method": "custom", "uplift": {"distribution": "uniform", "low": 0, "high": 0.5}},
        ]
    ),
)
def test_every_valid_scenario_appraises_to_printable_json(costs, benefits, bias):
    case = {
        "title": "Generated",
        "costs": costs,
        "benefits": benefits,
        "optimism_bias": bias,
        "monte_carlo": {"draws": 50},
    }
    assert appraisal.validate(case) == []
    result = appraisal.appraise(case)
    json.dumps(appraisal.rounded(result), allow_nan=False)
    assert result["npsv"] == pytest.approx(result["pv_benefits"] - result["pv_costs"])
    assert len(result["years"]) == len(result["discount_factors"])
    assert sum(row["discounted_net"] for row in result["years"]) == pytest.approx(
        result["npsv"], rel=1e-9, abs=1e-3
    )
    for row in appraisal.tornado(case):
        assert row["swing"] >= 0


def test_monte_carlo_mean_of_skewed_inputs_converges_to_npsv_at_their_means():
    # Linear in each independent input, so E[NPSV] is NPSV at the means: a PERT cost of
    # (100 + 4 x 120 + 200) / 6 = 130 thousand and a triangular benefit of (50 + 60 + 130) / 3
    # = 80 thousand a year for years 1-10, whereas the central estimate uses the modes.
    case = {
        "title": "Skewed",
        "costs": [
            {"year": 0, "amount": {"distribution": "pert", "low": 1e5, "mode": 1.2e5, "high": 2e5}}
        ],
        "benefits": [
            {
                "model": "avoided_incidents",
                "first_year": 1,
                "last_year": 10,
                "inputs": {
                    "incidents": 1,
                    "cost_per_incident": {
                        "distribution": "triangular",
                        "low": 5e4,
                        "mode": 6e4,
                        "high": 1.3e5,
                    },
                },
            }
        ],
        "monte_carlo": {"draws": 400_000, "seed": 11},
    }
    result = appraisal.appraise(case)
    annuity = 8.316605322577959
    assert result["npsv"] == pytest.approx(6e4 * annuity - 1.2e5)
    assert result["monte_carlo"]["npsv"]["mean"] == pytest.approx(8e4 * annuity - 1.3e5, rel=0.005)


@pytest.mark.parametrize(
    ("spec", "mean", "sd"),
    [
        ({"distribution": "lognormal", "mean": 242_000, "sd": 80_000}, 242_000, 80_000),
        # mu = ln(1,000), sigma = 0.5: mean 1,000 e^0.125, sd mean x sqrt(e^0.25 - 1).
        (
            {"distribution": "lognormal", "mu": 6.907755278982137, "sigma": 0.5},
            1_000 * 1.1331484530668263,
            1_000 * 1.1331484530668263 * 0.5329403500277882,
        ),
    ],
)
def test_lognormal_inputs_are_drawn_with_the_stated_mean_and_spread(spec, mean, sd):
    model = scenario.build({"title": "L", "costs": [{"year": 0, "amount": spec}], "benefits": []})
    pv_costs, _ = montecarlo.simulate(model, draws=400_000, seed=5)
    assert pv_costs.mean() == pytest.approx(mean, rel=0.005)
    assert pv_costs.std() == pytest.approx(sd, rel=0.02)
    assert appraisal.appraise(
        {"title": "L", "costs": [{"year": 0, "amount": spec}], "benefits": []}
    )["pv_costs"] == pytest.approx(mean)


def test_a_ratio_beyond_the_float_range_prints_as_null_without_a_warning():
    # Costs of a fraction of a penny against a million of benefits: every draw's BCR overflows.
    case = {
        "title": "Overflow",
        "costs": [{"year": 0, "amount": 5e-324}],
        "benefits": [{"model": "cash_flow", "amounts": [{"year": 0, "amount": 1e6}]}],
        "optimism_bias": {
            "method": "custom",
            "uplift": {"distribution": "uniform", "low": 0, "high": 0.5},
        },
        "monte_carlo": {"draws": 50},
    }
    assert appraisal.validate(case) == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = appraisal.rounded(appraisal.appraise(case))
    assert result["monte_carlo"]["bcr"]["p50"] is None
    assert result["monte_carlo"]["p_bcr_above_1"] == 1.0
    json.dumps(result, allow_nan=False)
