"""Fixtures shared by the portfolio's test modules."""

import pytest

from tests import clock
from tests.portfolio.call_helpers import make_call, make_core, make_proposal


@pytest.fixture
def voting(borough_a, borough_b):
    """A points call open for voting today, with a proposal of each borough, both core
    members when voting closes."""
    today = clock.TODAY
    call = make_call(today=today, stage="voting", method="points", title="Call 2027")
    hub = make_proposal(call=call, organisation=borough_a, title="Inclusion hub")
    standard = make_proposal(call=call, organisation=borough_b, title="Data standard")
    make_core(borough_a, on=call.voting_closes_on)
    make_core(borough_b, on=call.voting_closes_on)
    return call, hub, standard
