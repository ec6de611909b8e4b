"""Fixtures the survey tests share."""

import datetime

import pytest
import time_machine

from tests.evaluation.survey_builders import DURING, make_survey


@pytest.fixture
def survey():
    return make_survey()


@pytest.fixture
def frozen():
    """The clock stopped at noon on a day the survey is open."""
    with time_machine.travel(
        datetime.datetime.combine(DURING, datetime.time(12), tzinfo=datetime.UTC), tick=False
    ):
        yield
