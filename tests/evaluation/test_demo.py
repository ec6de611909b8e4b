"""The demo appraises seven activities, as the published 2021 evaluation did, and reproduces
its three headline figures from its stored records, through the appraisal engine."""

import datetime
import random

import pytest
from django.urls import reverse

from loti.evaluation import appraisal, demo
from loti.evaluation.activities import selectors
from loti.evaluation.activities import summary as report
from loti.evaluation.models import Activity, ReportPublication
from loti.members import demo as members_demo
from loti.portfolio import demo as portfolio_demo

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture(scope="module")
def activities(module_transaction):
    """The members', portfolio's and evaluation's demos, built once for this module's tests,
    which only read them: the evaluated activities, the three the published evaluation
    headlined also by their benefit model."""
    members_demo.build(rng=random.Random("1:members"), today=TODAY)
    portfolio_demo.build(rng=random.Random("1:portfolio"), today=TODAY)
    demo.build(rng=random.Random("1:evaluation"), today=TODAY)
    found = {activity.title: activity for activity in Activity.objects.all()}
    return {**found, **{model: found[title] for model, title in HEADLINED.items()}}


HEADLINED = {
    Activity.BenefitModel.AVOIDED_DUPLICATION: "Multi-party data-sharing agreement",
    Activity.BenefitModel.MARKET_RATE: "Recruitment support",
    Activity.BenefitModel.AVOIDED_INCIDENTS: "Attack-surface mapping pilot",
}


def _appraise(activity):
    return appraisal.appraise(selectors.activity_scenario(activity))


def test_one_multi_party_agreement_for_34_parties_saves_a_potential_1_4m(db, activities):
    activity = activities[Activity.BenefitModel.AVOIDED_DUPLICATION]
    result = _appraise(activity)
    # 34 parties: 34 x 33 / 2 = 561 bilateral agreements, less the one that replaces them,
    # at £2,500 each, all in year 0.
    assert result["pv_benefits"] == pytest.approx(560 * 2_500) == 1_400_000
    assert report.short_money(result["pv_benefits"]) == "£1.4m"


def test_recruitment_support_saves_at_least_300k_against_market_rates(db, activities):
    activity = activities[Activity.BenefitModel.MARKET_RATE]
    scenario = selectors.activity_scenario(activity)
    fee = next(
        row for row in appraisal.tornado(scenario) if row["input"].endswith("market_unit_cost")
    )
    # At the low end of the fee (15% of £45,000 = £6,750): 50 x (6,750 - 250) - 25,000.
    assert fee["low_value"] == 6_750
    assert fee["npsv_low"] == pytest.approx(300_000)
    result = _appraise(activity)
    assert result["npsv"] == pytest.approx(50 * (7_875 - 250) - 25_000)
    # The fee is a range, so a Monte Carlo ran: even its 10th percentile clears £300k.
    assert result["monte_carlo"]["npsv"]["p10"] >= 300_000
    assert result["monte_carlo"]["p_bcr_above_1"] == 1.0


def test_the_attack_surface_pilot_breaks_even_with_one_avoided_attack_of_242k(db, activities):
    activity = activities[Activity.BenefitModel.AVOIDED_INCIDENTS]
    result = _appraise(activity)
    assert result["pv_costs"] == pytest.approx(242_000)
    assert [row["count"] for row in result["break_even"]] == [1]
    assert result["bcr"] == pytest.approx(1.0)


def test_the_demo_appraises_seven_activities_each_with_costs_and_a_positive_value(db, activities):
    assert Activity.objects.count() == 7
    for activity in Activity.objects.all():
        assert activity.costs.exists(), activity.title
        appraisal_ = selectors.activity_appraisal(activity=activity)
        assert appraisal_["ready"], (activity.title, appraisal_["problems"])
        if activity.quantity_from:
            # Its quantity is the library's count of reuses this financial year: none here,
            # where no library demo was built, so no benefit yet.
            assert [drawn.value for drawn in selectors.drawn_figures(activity)] == [0]
            assert appraisal_["result"]["pv_benefits"] == 0
            continue
        # Each at least breaks even, as the published evaluation found of all it appraised.
        assert appraisal_["result"]["bcr"] >= 1 - 1e-9, activity.title


def test_every_demo_input_is_labelled_illustrative_with_its_source(db, activities):
    inputs = [item for activity in Activity.objects.all() for item in activity.inputs.all()]
    # 2 + 3 + 2 for the headlined three, 3 + 2 + 4 + 3 for the others: the reuse of shared
    # documents draws its quantity from the library's records instead.
    assert len(inputs) == 19
    (drawn,) = Activity.objects.exclude(quantity_from="")
    assert drawn.title == "Reusing shared specifications and business cases"
    assert drawn.quantity_from == Activity.QuantityFrom.LIBRARY_REUSES
    assert drawn.quantity_year == 2026
    assert not drawn.inputs.filter(name="quantity").exists()
    assert all(item.illustrative for item in inputs)
    assert all(item.source.startswith("Illustrative: no app records this yet") for item in inputs)
    headlined = [item for title in HEADLINED.values() for item in activities[title].inputs.all()]
    assert all("published 2021 evaluation" in item.source for item in headlined)


def test_the_headlines_say_the_published_findings(db, activities):
    headlines = {
        model: report.headline(
            activities[model], selectors.activity_appraisal(activity=activities[model])
        )
        for model in HEADLINED
    }
    assert headlines[Activity.BenefitModel.AVOIDED_DUPLICATION].startswith(
        "Saved a potential £1.4m"
    )
    assert "at least £300k" in headlines[Activity.BenefitModel.MARKET_RATE]
    assert headlines[Activity.BenefitModel.AVOIDED_INCIDENTS] == (
        "Breaks even if it avoids 1 attack costing £242k"
    )


def test_the_activities_are_linked_to_the_portfolio_demos_projects_when_it_has_them(db, activities):
    linked = {
        model: [project.title for project in activities[model].projects.all()]
        for model in HEADLINED
    }
    assert linked[Activity.BenefitModel.AVOIDED_INCIDENTS] == [
        "Shared cyber attack surface mapping pilot"
    ]
    assert "Common job descriptions for data roles" in linked[Activity.BenefitModel.MARKET_RATE]
    assert linked[Activity.BenefitModel.AVOIDED_DUPLICATION] == [
        "One information-sharing agreement for homelessness prevention"
    ]
    assert [
        p.title for p in activities["Device recycling for digital inclusion"].projects.all()
    ] == ["Digital inclusion: device recycling across boroughs"]


def test_the_demo_publishes_last_years_report_for_everyone_to_read(db, activities, client):
    publication = ReportPublication.objects.get()
    assert publication.financial_year == 2025
    assert publication.title == "Evaluation report 2025/26"
    # Its figures are those of the demo's activities.
    activities = {row["title"] for row in publication.content["activities"]}
    assert activities == set(Activity.objects.values_list("title", flat=True))
    response = client.get(reverse("evaluation:published_report", args=[publication.pk]))
    assert response.status_code == 200
    assert "Saved a potential £1.4m" in response.content.decode()
