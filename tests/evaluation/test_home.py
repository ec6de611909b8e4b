"""The evaluation's home-page items: a person's unanswered survey invitations, the office's
response rates, and published reports."""

import pytest
from django.utils import timezone

from loti.evaluation.models import ReportPublication
from loti.evaluation.report import home as report_home
from loti.evaluation.surveys import home as surveys_home
from tests import clock
from tests.evaluation import survey_builders as builders

pytestmark = pytest.mark.django_db

frozen_today = clock.frozen_fixture(builders.DURING)


def test_a_person_sees_only_their_own_unanswered_invitations(officer_a, officer_b, lead_a):
    survey = builders.make_survey()
    mine, _ = builders.invite(survey, officer_a, lead_a)
    (row,) = surveys_home.invitations(officer_a).rows
    assert (row.text, row.tag) == ("Answer Member value survey 2026", "Closes 30 June")
    assert row.url == mine.response_url()
    assert surveys_home.invitations(officer_b).rows == []
    assert surveys_home.invitations(None) is None
    mine.submitted_at = timezone.now()
    mine.save()
    assert surveys_home.invitations(officer_a).rows == []
    assert len(surveys_home.invitations(lead_a).rows) == 1


def test_the_office_sees_how_many_have_answered(staff, officer_a, officer_b, lead_a):
    survey = builders.make_survey()
    answered, *_ = builders.invite(survey, officer_a, officer_b, lead_a)
    answered.submitted_at = timezone.now()
    answered.save()
    (row,) = surveys_home.response_rates(staff).rows
    assert row.text == "Member value survey 2026: 1 of 3 invited have answered (33%)"
    assert row.url == survey.get_absolute_url()
    for person in (officer_a, lead_a, None):
        assert surveys_home.response_rates(person) is None


def test_everyone_sees_published_reports(db):
    assert report_home.reports(None) == []
    ReportPublication.objects.create(title="Evaluation 2025/26", financial_year=2025, content={})
    (row,) = report_home.reports(None)
    assert row.text == "Evaluation 2025/26"
