"""Recording activities, their costs and inputs, and the appraisal each page shows."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from loti.core.models import AuditEntry
from loti.evaluation import appraisal
from loti.evaluation.activities import selectors, services
from loti.evaluation.activities.models import BENEFIT_INPUTS
from loti.evaluation.appraisal.models import MODELS
from loti.evaluation.models import Activity, ActivityCost, ActivityInput

ACTIVITY = {
    "title": "Shared cyber training",
    "benefit_model": "market_rate",
    "first_benefit_year": "0",
    "benefit_years": "3",
    "discounting": "green_book",
    "optimism_bias": "none",
    "monte_carlo_draws": "1000",
    "monte_carlo_seed": "7",
}


def _activity(**fields):
    return services.activity_create(
        actor=None,
        title=fields.pop("title", "Training"),
        **{"benefit_model": "market_rate", **fields},
    )


def test_every_benefit_model_asks_for_exactly_the_engines_inputs():
    for model, specs in BENEFIT_INPUTS.items():
        assert {spec.key for spec in specs} == set(MODELS[model].inputs), model


def test_adding_an_activity_records_it_and_goes_on_to_its_costs(client, staff):
    client.force_login(staff)
    response = client.post(reverse("evaluation:activity_create"), ACTIVITY)
    activity = Activity.objects.get()
    assert response.url == reverse("evaluation:activity_costs", args=["shared-cyber-training"])
    assert (activity.benefit_years, activity.monte_carlo_seed) == (3, 7)
    entry = AuditEntry.objects.get(object_repr="Shared cyber training")
    assert (entry.action, entry.actor) == (AuditEntry.Action.CREATE, staff)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Enter the title"),
        ({"discounting": "flat"}, "Enter the flat discount rate"),
        ({"optimism_bias": "custom"}, "Enter the optimism bias uplift"),
        ({"optimism_bias": "green_book"}, "Select the Green Book project type"),
        (
            {"benefit_model": "avoided_duplication", "baseline_structure": "multi_party"},
            "Select bilateral or hub-and-spoke agreements",
        ),
        ({"benefit_years": "0"}, "The number of years the benefit lasts must be 1 or more"),
    ],
)
def test_an_incomplete_activity_is_refused_with_a_message(client, staff, changes, message):
    client.force_login(staff)
    response = client.post(reverse("evaluation:activity_create"), {**ACTIVITY, **changes})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Activity.objects.exists()


def test_costs_are_set_per_financial_year_and_a_cleared_year_is_removed(client, staff):
    activity = _activity()
    services.activity_costs_set(
        actor=None,
        activity=activity,
        costs=[{"financial_year": 2022, "staff_time": Decimal(1), "external_spend": Decimal(0)}],
    )
    client.force_login(staff)
    response = client.post(
        reverse("evaluation:activity_costs", args=[activity.slug]),
        {
            "year_0": "",
            "year_1": "2023",
            "staff_time_1": "£12,000",
            "external_spend_1": "500",
            "year_2": "2024",
            "staff_time_2": "8000",
        },
    )
    assert response.status_code == 302
    costs = list(activity.costs.values_list("financial_year", "staff_time", "external_spend"))
    assert costs == [(2023, Decimal(12_000), Decimal(500)), (2024, Decimal(8_000), Decimal(0))]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).count() == 1


def test_the_same_financial_year_twice_is_refused(client, staff):
    activity = _activity()
    client.force_login(staff)
    response = client.post(
        reverse("evaluation:activity_costs", args=[activity.slug]),
        {"year_0": "2023", "staff_time_0": "1", "year_1": "2023", "staff_time_1": "2"},
    )
    assert "Enter each financial year&#x27;s costs only once" in response.content.decode()
    assert not ActivityCost.objects.exists()


def test_amounts_without_a_year_are_refused(client, staff):
    activity = _activity()
    client.force_login(staff)
    response = client.post(
        reverse("evaluation:activity_costs", args=[activity.slug]), {"staff_time_0": "100"}
    )
    assert "Select the financial year of these costs" in response.content.decode()


def _inputs_post(**extra):
    data = {}
    for key in ("quantity", "market_unit_cost", "our_unit_cost"):
        data.update(
            {f"{key}__value": "10", f"{key}__source": "Our records", f"{key}__confidence": "high"}
        )
    return {**data, **extra}


def test_inputs_are_saved_with_their_range_source_and_confidence(client, staff):
    activity = _activity()
    client.force_login(staff)
    response = client.post(
        reverse("evaluation:activity_inputs", args=[activity.slug]),
        _inputs_post(
            **{
                "market_unit_cost__value": "8000",
                "market_unit_cost__distribution": "pert",
                "market_unit_cost__low": "7000",
                "market_unit_cost__high": "9000",
                "market_unit_cost__illustrative": "on",
            }
        ),
    )
    assert response.status_code == 302
    fee = ActivityInput.objects.get(name="market_unit_cost")
    assert (fee.distribution, fee.low, fee.value, fee.high) == ("pert", 7000, 8000, 9000)
    assert fee.illustrative and fee.confidence == "high" and fee.source == "Our records"
    assert activity.inputs.count() == 3


def test_a_range_needs_its_low_and_high_values(client, staff):
    activity = _activity()
    client.force_login(staff)
    response = client.post(
        reverse("evaluation:activity_inputs", args=[activity.slug]),
        _inputs_post(**{"quantity__distribution": "triangular", "quantity__high": "12"}),
    )
    assert "Enter the low number of units supplied" in response.content.decode()
    assert not ActivityInput.objects.exists()


def test_a_value_outside_its_range_is_refused_by_the_service(db):
    activity = _activity()
    with pytest.raises(ValidationError, match="between its low and high"):
        services.activity_inputs_set(
            actor=None,
            activity=activity,
            inputs={
                "quantity": {
                    "value": Decimal(20),
                    "distribution": "uniform",
                    "low": Decimal(1),
                    "high": Decimal(10),
                    "confidence": "low",
                }
            },
        )


def test_the_scenario_counts_years_from_the_first_financial_year_with_a_cost(db):
    activity = _activity(
        discounting="flat",
        discount_rate=Decimal("5.00"),
        optimism_bias="green_book",
        project_type="equipment_development",
        bound="upper",
        first_benefit_year=1,
        benefit_years=2,
    )
    services.activity_costs_set(
        actor=None,
        activity=activity,
        costs=[
            {"financial_year": 2024, "staff_time": Decimal(100), "external_spend": Decimal(0)},
            {"financial_year": 2022, "staff_time": Decimal(0), "external_spend": Decimal(50)},
        ],
    )
    services.activity_inputs_set(
        actor=None,
        activity=activity,
        inputs={
            "quantity": {"value": Decimal(3), "confidence": "high"},
            "market_unit_cost": {
                "value": Decimal(40),
                "distribution": "lognormal",
                "sigma": Decimal("0.5"),
                "confidence": "low",
            },
            "our_unit_cost": {"value": Decimal(10), "confidence": "high", "source": "Invoices"},
        },
    )
    scenario = selectors.activity_scenario(activity)
    assert scenario["start_year"] == 2022
    assert [(c["year"], c["amount"]) for c in scenario["costs"]] == [(0, 50), (2, 100)]
    assert scenario["discounting"] == {"schedule": "flat", "rate": 0.05}
    assert scenario["optimism_bias"] == {
        "method": "green_book",
        "project_type": "equipment_development",
        "bound": "upper",
    }
    benefit = scenario["benefits"][0]
    assert (benefit["first_year"], benefit["last_year"]) == (1, 2)
    assert benefit["inputs"]["market_unit_cost"]["mu"] == pytest.approx(3.6888794541)
    assert benefit["sources"] == {"our_unit_cost": "Invoices"}
    assert scenario["monte_carlo"] == {"draws": 10_000, "seed": 2021}
    assert appraisal.validate(scenario) == []


def test_an_activity_without_costs_or_inputs_says_what_is_missing(client, staff):
    activity = _activity()
    client.force_login(staff)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "This activity cannot be appraised yet" in page
    assert "Enter the activity&#x27;s costs for at least one financial year" in page
    assert "Enter the market cost per unit" in page


def test_costs_recorded_for_a_year_long_past_can_still_be_changed(client, staff):
    activity = _activity()
    services.activity_costs_set(
        actor=None,
        activity=activity,
        costs=[{"financial_year": 2001, "staff_time": Decimal(5), "external_spend": Decimal(0)}],
    )
    client.force_login(staff)
    response = client.post(
        reverse("evaluation:activity_costs", args=[activity.slug]),
        {"year_0": "2001", "staff_time_0": "7"},
    )
    assert response.status_code == 302
    assert activity.costs.get().staff_time == 7


def test_the_office_finds_the_evaluation_in_the_navigation_and_no_one_else_does(
    client, staff, officer_a
):
    client.force_login(staff)
    home = reverse("evaluation:home")
    assert f'href="{home}"' in client.get(reverse("evaluation:report_list")).content.decode()
    client.force_login(officer_a)
    assert f'href="{home}"' not in client.get(reverse("evaluation:report_list")).content.decode()


def test_a_most_likely_value_outside_its_range_is_shown_on_the_field(client, staff):
    activity = _activity()
    client.force_login(staff)
    response = client.post(
        reverse("evaluation:activity_inputs", args=[activity.slug]),
        _inputs_post(
            **{"quantity__distribution": "uniform", "quantity__low": "20", "quantity__high": "30"}
        ),
    )
    page = response.content.decode()
    assert '<a href="#id_quantity__value">' in page
    assert "The number of units supplied must be between its low and high values" in page
