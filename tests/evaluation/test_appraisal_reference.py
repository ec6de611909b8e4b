"""Hand-computed reference cases for the appraisal engine (HM Treasury Green Book)."""

import math

import pytest

from loti.evaluation import appraisal
from loti.evaluation.appraisal import discounting, optimism


def scenario(*, costs, benefits, **extra) -> dict:
    return {"title": "Reference", "costs": costs, "benefits": benefits, **extra}


def cash_flow(amounts: dict[int, float]) -> dict:
    return {
        "model": "cash_flow",
        "amounts": [{"year": year, "amount": amount} for year, amount in amounts.items()],
    }


def one_off(model: str, year: int = 0, **inputs) -> dict:
    return {"model": model, "first_year": year, "last_year": year, "inputs": inputs}


def test_500k_cost_and_100k_a_year_for_ten_years_at_the_green_book_rate():
    result = appraisal.appraise(
        scenario(
            costs=[{"year": 0, "amount": 500_000}],
            benefits=[cash_flow(dict.fromkeys(range(1, 11), 100_000))],
        )
    )
    assert round(result["pv_benefits"]) == 831_661
    assert round(result["pv_costs"]) == 500_000
    assert round(result["npsv"]) == 331_661
    assert round(result["bcr"], 3) == 1.663
    assert result["monte_carlo"] is None


def test_hm_treasury_worked_example_1m_cost_and_150k_a_year_gives_npsv_247491():
    # Costs in year 0 (undiscounted), benefits at the end of years 1 to 10: the annuity
    # factor (1 - 1.035^-10) / 0.035 = 8.3166 gives 1,247,491 of benefits.
    result = appraisal.appraise(
        scenario(
            costs=[{"year": 0, "amount": 1_000_000}],
            benefits=[cash_flow(dict.fromkeys(range(1, 11), 150_000))],
        )
    )
    assert round(result["npsv"]) == 247_491


def test_the_same_example_with_benefits_in_years_0_to_9_would_not_give_247491():
    result = appraisal.appraise(
        scenario(
            costs=[{"year": 0, "amount": 1_000_000}],
            benefits=[cash_flow(dict.fromkeys(range(10), 150_000))],
        )
    )
    assert round(result["npsv"]) == 291_153


def test_green_book_factors_are_cumulative_across_the_rate_bands():
    factors = discounting.discount_factors(301)
    assert factors[0] == 1
    assert factors[1] == pytest.approx(1 / 1.035)
    assert factors[30] == pytest.approx(1 / 1.035**30, rel=1e-12)
    assert factors[31] == pytest.approx(factors[30] / 1.03, rel=1e-12)
    assert factors[75] == pytest.approx(1 / (1.035**30 * 1.03**45), rel=1e-12)
    assert factors[76] == pytest.approx(factors[75] / 1.025, rel=1e-12)
    assert factors[126] == pytest.approx(factors[125] / 1.02, rel=1e-12)
    assert factors[201] == pytest.approx(factors[200] / 1.015, rel=1e-12)
    assert factors[301] == pytest.approx(factors[300] / 1.01, rel=1e-12)


def test_a_flat_rate_discounts_every_year_alike():
    result = appraisal.appraise(
        scenario(
            costs=[{"year": 0, "amount": 100}],
            benefits=[cash_flow({1: 110, 2: 121})],
            discounting={"schedule": "flat", "rate": 0.1},
        )
    )
    assert result["pv_benefits"] == pytest.approx(200)
    assert result["discount_factors"] == pytest.approx([1, 1 / 1.1, 1 / 1.21])
    assert result["assumptions"][0] == (
        "Benefits and costs are discounted at a flat 10% a year; year 0 is not discounted."
    )


def test_34_parties_replacing_561_bilateral_agreements_with_one_saves_1_4m():
    result = appraisal.appraise(
        scenario(
            costs=[],
            benefits=[one_off("avoided_duplication", parties=34, cost_per_agreement=2_500)],
        )
    )
    assert result["pv_benefits"] == 1_400_000  # (34 x 33 / 2 - 1) x £2,500 = 560 x £2,500
    assert result["bcr"] is None  # no costs: the ratio is undefined
    assert "(561 agreements replaced by 1)" in result["assumptions"][4]


@pytest.mark.parametrize(
    ("baseline", "replacement", "avoided"),
    [("bilateral", "hub_and_spoke", 561 - 33), ("hub_and_spoke", "multi_party", 33 - 1)],
)
def test_avoided_duplication_counts_the_other_arrangements(baseline, replacement, avoided):
    benefit = one_off("avoided_duplication", parties=34, cost_per_agreement=1_000)
    benefit |= {"baseline": baseline, "replacement": replacement}
    result = appraisal.appraise(scenario(costs=[], benefits=[benefit]))
    assert result["pv_benefits"] == avoided * 1_000


def test_a_242k_pilot_breaks_even_with_one_avoided_242k_attack():
    result = appraisal.appraise(
        scenario(
            costs=[{"year": 0, "amount": 242_000}],
            benefits=[one_off("avoided_incidents", incidents=1, cost_per_incident=242_000)],
        )
    )
    [entry] = result["break_even"]
    assert entry["count"] == 1
    assert entry["input"] == "benefits[0].inputs.incidents"
    assert result["npsv"] == 0


def test_an_attack_avoided_a_year_later_is_discounted_so_two_are_needed():
    result = appraisal.appraise(
        scenario(
            costs=[{"year": 0, "amount": 242_000}],
            benefits=[one_off("avoided_incidents", year=1, incidents=1, cost_per_incident=242_000)],
        )
    )
    # £242,000 / (£242,000 / 1.035) = 1.035 attacks, rounded up.
    assert result["break_even"][0]["count"] == 2


def test_break_even_counts_what_the_other_benefits_leave_to_cover():
    result = appraisal.appraise(
        scenario(
            costs=[{"year": 0, "amount": 1_000_000}],
            benefits=[
                cash_flow({0: 600_000}),
                one_off("avoided_incidents", incidents=1, cost_per_incident=150_000),
            ],
        )
    )
    # £400,000 left to cover at £150,000 an incident: 2.67, so 3.
    assert result["break_even"][0]["count"] == 3


def test_nominal_amounts_are_converted_to_base_year_prices_with_the_deflator():
    result = appraisal.appraise(
        scenario(
            start_year=2024,
            discounting={
                "schedule": "green_book",
                "deflator": {"2024": 100.0, "2025": 110.0},
                "price_base_year": 2024,
            },
            costs=[{"year": 0, "amount": 50_000}],
            benefits=[cash_flow({1: 110_000})],
        )
    )
    # £110,000 cash in 2025 is £100,000 in 2024 prices, then discounted one year.
    assert result["years"][1]["benefits"] == pytest.approx(100_000)
    assert result["years"][1]["calendar_year"] == 2025
    assert result["pv_benefits"] == pytest.approx(100_000 / 1.035)


def test_green_book_optimism_bias_uplifts_costs_by_the_project_types_bound():
    base = {"costs": [{"year": 0, "amount": 100_000}], "benefits": []}
    upper = appraisal.appraise(
        scenario(
            **base,
            optimism_bias={
                "method": "green_book",
                "project_type": "standard_buildings",
                "bound": "upper",
            },
        )
    )
    assert upper["pv_costs"] == pytest.approx(124_000)
    assert upper["years"][0]["optimism_bias"] == pytest.approx(24_000)
    assert "upper bound for capital expenditure on standard buildings" in (upper["assumptions"][3])
    mitigated = appraisal.appraise(
        scenario(
            **base,
            optimism_bias={
                "method": "green_book",
                "project_type": "standard_buildings",
                "bound": "upper",
                "mitigation": 0.5,
            },
        )
    )
    assert mitigated["pv_costs"] == pytest.approx(112_000)


@pytest.mark.parametrize(
    ("project_type", "upper", "lower"),
    [
        ("standard_buildings", 0.24, 0.02),
        ("non_standard_buildings", 0.51, 0.04),
        ("standard_civil_engineering", 0.44, 0.03),
        ("non_standard_civil_engineering", 0.66, 0.06),
        ("equipment_development", 2.00, 0.10),
        ("outsourcing", 0.4183, 0.0),
    ],
)
def test_the_optimism_bias_table_holds_the_published_bounds(project_type, upper, lower):
    assert optimism.green_book_uplift(project_type=project_type, bound="upper") == upper
    assert optimism.green_book_uplift(project_type=project_type, bound="lower") == lower


def test_a_custom_uplift_spares_costs_marked_exempt():
    result = appraisal.appraise(
        scenario(
            optimism_bias={"method": "custom", "uplift": 0.2},
            costs=[
                {"year": 0, "amount": 100_000, "label": "Build"},
                {"year": 0, "amount": 50_000, "label": "Licence", "optimism_bias": False},
            ],
            benefits=[],
        )
    )
    assert result["pv_costs"] == pytest.approx(170_000)
    assert "It is not applied to: Licence." in result["assumptions"][3]


def test_market_rate_values_each_unit_at_the_market_price_less_ours():
    benefit = one_off("market_rate", quantity=20, market_unit_cost=9_000, our_unit_cost=1_500)
    result = appraisal.appraise(scenario(costs=[], benefits=[benefit]))
    assert result["pv_benefits"] == 150_000


def test_outcomes_are_net_of_deadweight_and_attributed():
    benefit = one_off("outcome", outcomes=100, unit_cost=10_000, deadweight=0.25, attribution=0.5)
    result = appraisal.appraise(scenario(costs=[], benefits=[benefit]))
    assert result["pv_benefits"] == 375_000


def test_payback_is_the_first_year_cumulative_discounted_net_benefit_reaches_zero():
    result = appraisal.appraise(
        scenario(
            costs=[{"year": 0, "amount": 500_000}],
            benefits=[cash_flow(dict.fromkeys(range(1, 11), 100_000))],
        )
    )
    # Five years of benefits are worth £451,505; six £532,855.
    assert result["years"][5]["cumulative_discounted_net"] < 0
    assert result["years"][6]["cumulative_discounted_net"] >= 0
    assert result["payback_year"] == 6


def test_payback_is_none_when_the_costs_are_never_recovered():
    result = appraisal.appraise(
        scenario(costs=[{"year": 0, "amount": 500_000}], benefits=[cash_flow({1: 100_000})])
    )
    assert result["payback_year"] is None


def test_switching_values_of_linear_inputs_are_exact():
    result = appraisal.appraise(
        scenario(
            costs=[{"year": 0, "amount": 500_000}],
            benefits=[
                {
                    "model": "market_rate",
                    "first_year": 1,
                    "last_year": 10,
                    "inputs": {"quantity": 20, "market_unit_cost": 6_000, "our_unit_cost": 1_000},
                }
            ],
        )
    )
    switching = {row["input"]: row for row in result["switching_values"]}
    # PV benefits = 20 x £5,000 x 8.3166 = £831,661: costs may rise 66.3% before NPSV is 0,
    # and the quantity may fall to 500,000 / (5,000 x 8.3166) = 12.02 units a year.
    cost = switching["costs[0].amount"]
    assert cost["switching_value"] == pytest.approx(831_660.53, abs=0.01)
    assert cost["change_percent"] == pytest.approx(66.332, abs=0.001)
    quantity = switching["benefits[0].inputs.quantity"]
    assert quantity["switching_value"] == pytest.approx(500_000 / (5_000 * 8.316605322577959))
    assert quantity["within_range"] is True
    ours = switching["benefits[0].inputs.our_unit_cost"]
    assert ours["switching_value"] == pytest.approx(6_000 - 500_000 / (20 * 8.316605322577959))


def test_the_switching_value_of_the_number_of_parties_is_found_by_bisection():
    # (n(n - 1)/2 - 1) x £2,500 = £110,000 when n(n - 1)/2 = 45, n = 10.
    result = appraisal.appraise(
        scenario(
            costs=[{"year": 0, "amount": 110_000}],
            benefits=[one_off("avoided_duplication", parties=34, cost_per_agreement=2_500)],
        )
    )
    switching = {row["input"]: row for row in result["switching_values"]}
    assert switching["benefits[0].inputs.parties"]["switching_value"] == pytest.approx(10)
    assert switching["benefits[0].inputs.parties"]["change"] == pytest.approx(-24)


def test_an_input_that_cannot_bring_npsv_to_zero_within_its_range_has_no_switching_value():
    result = appraisal.appraise(
        scenario(
            costs=[{"year": 0, "amount": 1_000}],
            benefits=[
                cash_flow({0: 5_000}),
                one_off("avoided_duplication", parties=34, cost_per_agreement=2_500),
            ],
        )
    )
    switching = {row["input"]: row for row in result["switching_values"]}
    # However few the parties (2 or more), the cash flow alone outweighs the cost.
    parties = switching["benefits[1].inputs.parties"]
    assert parties["switching_value"] is None
    assert parties["within_range"] is False
    # A linear input's switching value is reported even outside its range, and says so.
    cost_per_agreement = switching["benefits[1].inputs.cost_per_agreement"]
    assert cost_per_agreement["switching_value"] == pytest.approx(-4_000 / 560)
    assert cost_per_agreement["within_range"] is False


def test_money_is_rounded_to_the_penny_only_when_printed():
    result = appraisal.appraise(
        scenario(
            costs=[{"year": 0, "amount": 500_000}],
            benefits=[cash_flow(dict.fromkeys(range(1, 11), 100_000))],
        )
    )
    printed = appraisal.rounded(result)
    assert result["pv_benefits"] != round(result["pv_benefits"], 2)
    assert printed["pv_benefits"] == 831_660.53
    assert printed["bcr"] == 1.663321
    assert printed["years"][1]["discount_factor"] == 0.966184
    assert math.isclose(printed["years"][1]["discounted_benefits"], 96_618.36)


def test_assumptions_state_the_rate_bands_the_appraisal_reaches_and_the_timing():
    result = appraisal.appraise(
        scenario(costs=[{"year": 0, "amount": 1}], benefits=[cash_flow({40: 10})])
    )
    assert result["assumptions"][0] == (
        "Benefits and costs are discounted at the Green Book social time preference rate "
        "(3.5% a year for years 1–30, 3% for years 31–75), applied year on year; year 0 is "
        "not discounted."
    )


def test_monte_carlo_percentiles_and_chance_of_bcr_above_1_of_a_uniform_benefit():
    # Benefit uniform from £50 to £150 against a £100 cost, both in year 0: NPSV is uniform
    # from -£50 to £50, so P10 = -£40, P50 = £0, P90 = £40 and P(BCR > 1) = 0.5.
    result = appraisal.appraise(
        scenario(
            costs=[{"year": 0, "amount": 100}],
            benefits=[cash_flow({0: {"distribution": "uniform", "low": 50, "high": 150}})],
            monte_carlo={"draws": 200_000, "seed": 3},
        )
    )
    carlo = result["monte_carlo"]
    assert carlo["npsv"]["p10"] == pytest.approx(-40, abs=0.5)
    assert carlo["npsv"]["p50"] == pytest.approx(0, abs=0.5)
    assert carlo["npsv"]["p90"] == pytest.approx(40, abs=0.5)
    assert carlo["bcr"]["p90"] == pytest.approx(1.4, abs=0.005)
    assert carlo["p_bcr_above_1"] == pytest.approx(0.5, abs=0.005)
    assert result["npsv"] == 0  # the central estimate is the midpoint


def test_tornado_swings_distributions_over_their_range_and_numbers_by_a_fifth():
    rows = appraisal.tornado(
        scenario(
            costs=[{"year": 0, "amount": 100_000}],
            benefits=[
                one_off(
                    "outcome",
                    outcomes={"distribution": "triangular", "low": 10, "mode": 20, "high": 40},
                    unit_cost=10_000,
                    deadweight=0.9,
                    attribution=1,
                )
            ],
        )
    )
    by_input = {row["input"]: row for row in rows}
    outcomes = by_input["benefits[0].inputs.outcomes"]
    # 10 x £10,000 x 10% - £100,000 = -£90,000; 40 outcomes: -£60,000.
    assert (outcomes["low_value"], outcomes["high_value"]) == (10, 40)
    assert outcomes["npsv_low"] == pytest.approx(-90_000)
    assert outcomes["npsv_high"] == pytest.approx(-60_000)
    assert outcomes["basis"] == "distribution"
    cost = by_input["costs[0].amount"]
    assert (cost["low_value"], cost["high_value"]) == (80_000, 120_000)
    assert cost["basis"] == "fixed ±20%"
    # A share stays within 0 to 1: attribution 100% can only swing down.
    attribution = by_input["benefits[0].inputs.attribution"]
    assert (attribution["low_value"], attribution["high_value"]) == (0.8, 1)
    # Deadweight 90% ± 20% is 72% to 100% (capped): the widest swing, first.
    assert rows[0]["input"] == "benefits[0].inputs.deadweight"
    assert rows[0]["swing"] == pytest.approx(20 * 10_000 * 0.28)
    assert [row["swing"] for row in rows] == sorted((row["swing"] for row in rows), reverse=True)
