"""Permission matrix for the activities and the report: the office's, except published
reports, which anyone may read."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from loti.evaluation.activities import services
from loti.evaluation.models import Activity
from loti.evaluation.report import content as report
from loti.evaluation.report import services as report_services
from tests import clock
from tests.permission_matrix import Row, api_tokens, case_id, cases, check, expect
from tests.personas import PERSONAS, build_personas

OFFICE_ONLY = expect(anonymous=302, staff=200, others=403)
# A successful POST redirects; everyone else is refused.
OFFICE_POST = expect(anonymous=302, staff=302, others=403)
EVERYONE = expect(others=200)


def url(name, *args):
    return lambda o: reverse(name, args=[o.get(a, a) for a in args])


MATRIX = [
    Row("evaluation:home", "GET", url("evaluation:home"), OFFICE_ONLY),
    Row("evaluation:activity_list", "GET", url("evaluation:activity_list"), OFFICE_ONLY),
    Row("evaluation:activity_create", "GET", url("evaluation:activity_create"), OFFICE_ONLY),
    Row(
        "evaluation:activity_create",
        "POST",
        url("evaluation:activity_create"),
        OFFICE_POST,
        data={
            "title": "Shared cyber training",
            "benefit_model": "market_rate",
            "first_benefit_year": "0",
            "benefit_years": "1",
            "discounting": "green_book",
            "optimism_bias": "none",
            "monte_carlo_draws": "1000",
            "monte_carlo_seed": "1",
        },
    ),
    Row(
        "evaluation:activity_detail",
        "GET",
        url("evaluation:activity_detail", "activity"),
        OFFICE_ONLY,
    ),
    Row(
        "evaluation:activity_edit", "GET", url("evaluation:activity_edit", "activity"), OFFICE_ONLY
    ),
    Row(
        "evaluation:activity_delete",
        "GET",
        url("evaluation:activity_delete", "activity"),
        OFFICE_ONLY,
    ),
    Row(
        "evaluation:activity_delete",
        "POST",
        url("evaluation:activity_delete", "activity"),
        OFFICE_POST,
    ),
    Row(
        "evaluation:activity_costs",
        "GET",
        url("evaluation:activity_costs", "activity"),
        OFFICE_ONLY,
    ),
    Row(
        "evaluation:activity_inputs",
        "GET",
        url("evaluation:activity_inputs", "activity"),
        OFFICE_ONLY,
    ),
    # A cost without its year: the office sees the form again with its error.
    Row(
        "evaluation:activity_costs",
        "POST",
        url("evaluation:activity_costs", "activity"),
        OFFICE_ONLY,
        data={"staff_time_0": "100"},
    ),
    # A value without its source or confidence: the form again, with its errors.
    Row(
        "evaluation:activity_inputs",
        "POST",
        url("evaluation:activity_inputs", "activity"),
        OFFICE_ONLY,
        data={"incidents__value": "1"},
    ),
    Row(
        "evaluation:activity_edit",
        "POST",
        url("evaluation:activity_edit", "activity"),
        OFFICE_POST,
        data={
            "title": "Attack-surface mapping pilot",
            "benefit_model": "avoided_incidents",
            "first_benefit_year": "0",
            "benefit_years": "2",
            "discounting": "green_book",
            "optimism_bias": "none",
            "monte_carlo_draws": "1000",
            "monte_carlo_seed": "1",
        },
    ),
    Row("evaluation:report_draft", "GET", url("evaluation:report_draft"), OFFICE_ONLY),
    Row("evaluation:report_pdf", "GET", url("evaluation:report_pdf"), OFFICE_ONLY),
    Row("evaluation:report_publish", "GET", url("evaluation:report_publish"), OFFICE_ONLY),
    Row(
        "evaluation:report_publish",
        "POST",
        url("evaluation:report_publish"),
        OFFICE_POST,
        data={"title": "Evaluation report 2026/27"},
    ),
    Row("evaluation:report_list", "GET", url("evaluation:report_list"), EVERYONE),
    Row(
        "evaluation:published_report",
        "GET",
        url("evaluation:published_report", "publication"),
        EVERYONE,
    ),
    Row(
        "evaluation:published_report_pdf",
        "GET",
        url("evaluation:published_report_pdf", "publication"),
        EVERYONE,
    ),
    Row(
        "evaluation:published_report_withdraw",
        "GET",
        url("evaluation:published_report_withdraw", "publication"),
        OFFICE_ONLY,
    ),
    Row(
        "evaluation:published_report_withdraw",
        "POST",
        url("evaluation:published_report_withdraw", "publication"),
        OFFICE_POST,
    ),
    Row(
        "api:list_activities",
        "GET",
        lambda o: "/api/evaluation/activities",
        expect(anonymous=401, staff=200, others=403),
    ),
    Row(
        "api:activity_appraisal",
        "GET",
        lambda o: f"/api/evaluation/activities/{o['activity']}/appraisal",
        expect(anonymous=401, staff=200, others=403),
    ),
]


frozen_today = clock.frozen_fixture(datetime.date(2026, 12, 1), scope="module", autouse=False)


@pytest.fixture(scope="module")
def objects(module_transaction, frozen_today):
    built = build_personas()
    personas = {name: built[name] for name in PERSONAS}
    activity = services.activity_create(
        actor=None,
        title="Attack-surface mapping pilot",
        benefit_model=Activity.BenefitModel.AVOIDED_INCIDENTS,
    )
    services.activity_costs_set(
        actor=None,
        activity=activity,
        costs=[{"financial_year": 2021, "staff_time": Decimal(42_000), "external_spend": 0}],
    )
    publication = report_services.report_publish(
        actor=personas["staff"],
        title="Evaluation report 2025/26",
        financial_year=2025,
        content=report.build(user=personas["staff"], year=2025),
    )
    tokens = api_tokens(personas)
    return {
        "personas": personas,
        "tokens": tokens,
        "activity": activity.slug,
        "publication": publication.pk,
    }


@pytest.mark.parametrize(("row", "persona"), cases(MATRIX), ids=case_id)
def test_permission_matrix(db, client, objects, row, persona):
    check(client, objects, row, persona)
