"""A library activity draws its quantity from records: the reuses recorded in the library in
one financial year, times a cost avoided per reuse entered with its source. The activity
page says which figures came from records and which were entered."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from loti.evaluation import appraisal
from loti.evaluation.activities import selectors, services
from loti.evaluation.models import Activity
from loti.library import selectors as library_selectors
from loti.library.models import Resource, Reuse
from tests.factories import OrganisationFactory

REUSES = "library_reuses"


def record_reuses(*days):
    """One reuse of one resource by a different organisation on each of `days`."""
    resource = Resource.objects.create(
        title="Parking permits specification", summary="s", kind="specification", licence="mit"
    )
    for day in days:
        Reuse.objects.create(resource=resource, organisation=OrganisationFactory(), recorded_on=day)


def make_activity(**fields):
    activity = services.activity_create(
        actor=None,
        title="Reusing shared specifications",
        **{"benefit_model": "market_rate", "quantity_from": REUSES, "quantity_year": 2025} | fields,
    )
    services.activity_costs_set(
        actor=None,
        activity=activity,
        costs=[{"financial_year": 2025, "staff_time": Decimal(1_000), "external_spend": 0}],
    )
    services.activity_inputs_set(
        actor=None,
        activity=activity,
        inputs={
            "market_unit_cost": {
                "value": Decimal(5_000),
                "source": "Ten days of an officer's time at £500 a day",
                "confidence": "medium",
            },
            "our_unit_cost": {
                "value": Decimal(1_000),
                "source": "Two days adapting the document",
                "confidence": "medium",
            },
        },
    )
    return activity


def test_the_reuses_of_a_financial_year_run_from_1_april_to_31_march(db):
    record_reuses(
        datetime.date(2025, 3, 31),
        datetime.date(2025, 4, 1),
        datetime.date(2026, 3, 31),
        datetime.date(2026, 4, 1),
    )
    year = {"start": datetime.date(2025, 4, 1), "end": datetime.date(2026, 3, 31)}
    assert library_selectors.reuses_in(**year) == 2
    earlier = {"start": datetime.date(2024, 4, 1), "end": datetime.date(2025, 3, 31)}
    assert library_selectors.reuses_in(**earlier) == 1


def test_the_quantity_is_the_years_reuses_times_the_entered_cost_avoided(db):
    # 31 March 2025 falls in 2024/25; the other three in 2025/26.
    record_reuses(
        datetime.date(2025, 3, 31),
        datetime.date(2025, 4, 1),
        datetime.date(2025, 10, 1),
        datetime.date(2026, 3, 31),
    )
    activity = make_activity()
    assert [spec.key for spec in selectors.entered_specs(activity)] == [
        "market_unit_cost",
        "our_unit_cost",
    ]
    assert selectors.missing_inputs(activity) == []
    scenario = selectors.activity_scenario(activity)
    (benefit,) = scenario["benefits"]
    assert benefit["inputs"]["quantity"] == 3
    assert benefit["sources"]["quantity"].startswith(
        "From records: the reuses recorded in the library in 2025/26"
    )
    assert benefit["sources"]["market_unit_cost"] == "Ten days of an officer's time at £500 a day"
    result = appraisal.appraise(scenario)
    # Year 0, undiscounted: 3 reuses x (£5,000 - £1,000).
    assert result["pv_benefits"] == pytest.approx(12_000)
    # A reuse recorded later counts at the next appraisal: the records are read afresh.
    record_reuses(datetime.date(2025, 12, 1))
    again = selectors.activity_scenario(Activity.objects.get(pk=activity.pk))
    assert again["benefits"][0]["inputs"]["quantity"] == 4


def test_with_no_reuses_recorded_the_activity_is_appraised_with_no_benefit(db):
    activity = make_activity()
    result = selectors.activity_appraisal(activity=activity)
    assert result["ready"]
    assert result["result"]["pv_benefits"] == 0


def test_the_page_says_which_figures_came_from_records_and_which_were_entered(client, staff, db):
    record_reuses(datetime.date(2025, 6, 1), datetime.date(2025, 7, 1))
    activity = make_activity()
    client.force_login(staff)
    html = client.get(activity.get_absolute_url()).content.decode()
    rows = html.split("<tbody", 2)[1].split("</tbody>")[0].split("<tr")[1:]
    quantity, market, ours = rows
    assert "Number of units supplied" in quantity
    assert "2 reuses" in quantity
    assert "From records" in quantity and "Entered" not in quantity
    assert "the reuses recorded in the library in 2025/26" in quantity
    assert "Entered" in market and "From records" not in market
    assert "Ten days of an officer" in market
    assert "Entered" in ours
    assert "came from the platform's records" in unescape(html)
    # The inputs page asks only for the entered figures.
    form = client.get(reverse("evaluation:activity_inputs", args=[activity.slug]))
    assert 'name="quantity__value"' not in form.content.decode()
    assert 'name="market_unit_cost__value"' in form.content.decode()


def test_an_activity_whose_figures_were_all_entered_says_so(client, staff, db):
    activity = make_activity(quantity_from="", quantity_year=None)
    client.force_login(staff)
    html = client.get(activity.get_absolute_url()).content.decode()
    assert "Every figure was entered" in html
    assert "From records" not in html


def test_drawing_from_records_needs_a_year_and_a_model_with_a_quantity(db):
    with pytest.raises(ValidationError, match="Select the financial year whose records"):
        make_activity(quantity_year=None)
    with pytest.raises(ValidationError, match="or enter the number of parties"):
        make_activity(
            benefit_model="avoided_duplication",
            baseline_structure="bilateral",
            replacement_structure="multi_party",
        )


def test_changing_an_activity_to_draw_from_records_drops_its_entered_quantity(client, staff, db):
    activity = make_activity(quantity_from="", quantity_year=None)
    services.activity_inputs_set(
        actor=None,
        activity=activity,
        inputs={
            "quantity": {"value": Decimal(30), "source": "A guess", "confidence": "low"},
            **{
                item.name: {"value": item.value, "source": item.source, "confidence": "medium"}
                for item in activity.inputs.all()
            },
        },
    )
    assert activity.inputs.filter(name="quantity").exists()
    client.force_login(staff)
    form = {
        "title": activity.title,
        "benefit_model": "market_rate",
        "first_benefit_year": "0",
        "benefit_years": "1",
        "discounting": "green_book",
        "optimism_bias": "none",
        "monte_carlo_draws": "10000",
        "monte_carlo_seed": "2021",
        "quantity_from": REUSES,
    }
    url = reverse("evaluation:activity_edit", args=[activity.slug])
    missing = client.post(url, form).content.decode()
    assert "Select the financial year whose records give the quantity" in missing
    assert activity.inputs.filter(name="quantity").exists()
    response = client.post(url, {**form, "quantity_year": "2025"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.quantity_from, activity.quantity_year) == (REUSES, 2025)
    assert not activity.inputs.filter(name="quantity").exists()
    assert Activity.objects.get().inputs.count() == 2
