"""The demo's evaluated activities on their pages and through the API: built once for this
module, since its tests only read them (or undo what they change)."""

import datetime
import random

import pytest
from django.urls import reverse

from loti.core import services as core_services
from loti.core.models import AuditEntry
from loti.evaluation import demo
from loti.evaluation.models import Activity, ActivityInput
from tests import clock

frozen_today = clock.frozen_fixture(datetime.date(2026, 12, 1), scope="module", autouse=False)


@pytest.fixture(scope="module")
def demo_activities(module_transaction, frozen_today):
    demo.build(rng=random.Random(1), today=datetime.date(2026, 12, 1))
    # The three the published evaluation headlined, one of each of these benefit models.
    return {
        model: Activity.objects.get(title=title)
        for model, title in {
            Activity.BenefitModel.AVOIDED_DUPLICATION: "Multi-party data-sharing agreement",
            Activity.BenefitModel.MARKET_RATE: "Recruitment support",
            Activity.BenefitModel.AVOIDED_INCIDENTS: "Attack-surface mapping pilot",
        }.items()
    }


def test_the_activity_page_shows_the_appraisal_assumptions_and_a_tornado_table(
    db, demo_activities, client, staff
):
    activity = demo_activities[Activity.BenefitModel.MARKET_RATE]
    client.force_login(staff)
    page = client.get(activity.get_absolute_url()).content.decode()
    # 50 roles x (£7,875 - £250), less £25,000 of staff time, all in year 0.
    assert "£356,250" in page
    assert "Year 0 is 2020/21" in page
    assert "How far each input moves NPSV" in page
    # The tornado's table: the fee at the low end of its range gives exactly £300,000.
    assert "£6,750" in page and "£300,000" in page
    assert "NPSV across the Monte Carlo draws" in page
    assert "Illustrative" in page


def test_deleting_an_activity_removes_its_costs_and_inputs_with_a_history(
    db, demo_activities, client, staff
):
    activity = demo_activities[Activity.BenefitModel.AVOIDED_INCIDENTS]
    client.force_login(staff)
    response = client.post(reverse("evaluation:activity_delete", args=[activity.slug]))
    assert response.url == reverse("evaluation:activity_list")
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert not ActivityInput.objects.filter(activity_id=activity.pk).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).count() == 1 + 1 + 2


def test_the_api_gives_the_office_an_activitys_appraisal_and_scenario(
    db, demo_activities, client, staff
):
    token = core_services.api_token_create(person=staff, name="test")[1]
    headers = {"Authorization": f"Bearer {token}"}
    activity = demo_activities[Activity.BenefitModel.AVOIDED_DUPLICATION]
    body = client.get(
        f"/api/evaluation/activities/{activity.slug}/appraisal", headers=headers
    ).json()
    assert body["ready"] is True
    assert body["result"]["pv_benefits"] == 1_400_000
    assert body["scenario"]["benefits"][0]["baseline"] == "bilateral"
    listed = client.get("/api/evaluation/activities", headers=headers).json()["items"]
    assert {row["slug"] for row in listed} == set(Activity.objects.values_list("slug", flat=True))
    assert len(listed) == 7
    missing = client.get("/api/evaluation/activities/no-such-thing/appraisal", headers=headers)
    assert missing.status_code == 404
