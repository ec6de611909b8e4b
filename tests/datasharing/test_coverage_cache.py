"""The overall coverage matrix is kept between requests: every change to who shares is seen."""

import pytest

from loti.datasharing.agreements import services
from loti.datasharing.coverage import selectors
from tests.datasharing.world import START, build_world

pytestmark = pytest.mark.django_db


def test_the_overall_matrix_kept_between_requests_follows_every_change():
    world = build_world()
    barnet, camden, met = world["borough_a"], world["borough_b"], world["police"]

    def partners_of_met():
        matrix = selectors.coverage_matrix(user=world["officer_a"])
        return set(matrix.coverage.partners(met.pk))

    assert partners_of_met() == {barnet.pk, camden.pk}
    party = world["signed"].current_version.parties.get(organisation=camden)
    services.party_withdraw(actor=world["staff"], party=party, on=START, reason="Left")
    assert partners_of_met() == {barnet.pk}
    services.agreement_withdraw(
        actor=world["staff"], agreement=world["signed"], on=START, reason="End"
    )
    assert partners_of_met() == set()
