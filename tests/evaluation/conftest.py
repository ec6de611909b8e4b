"""Fixtures the survey tests share."""

import pytest

from tests import clock
from tests.evaluation.survey_builders import DURING, make_survey


@pytest.fixture
def survey():
    return make_survey()


# The clock stopped at noon on a day the survey is open.
frozen = clock.frozen_fixture(DURING, autouse=False)
