"""The members' home-page item: invoices unpaid after 30 days, for the office only."""

import datetime

import pytest

from loti.members import home
from loti.members.models import Contribution
from tests import clock
from tests.factories import ContributionFactory

pytestmark = pytest.mark.django_db

frozen_today = clock.frozen_fixture()


def test_the_office_sees_invoices_unpaid_after_30_days(borough_a, borough_b, staff):
    old = ContributionFactory(
        organisation=borough_a, invoiced_on=datetime.date(2026, 9, 1), invoice_reference="INV-1"
    )
    ContributionFactory(organisation=borough_b, invoiced_on=datetime.date(2026, 11, 1))
    ContributionFactory(
        organisation=borough_b,
        invoiced_on=datetime.date(2026, 4, 1),
        status=Contribution.Status.PAID,
        paid_on=datetime.date(2026, 5, 1),
    )
    (row,) = home.unpaid(staff).rows
    assert row.text == "Barnet: membership fee 2026/27, £30,000"
    assert row.tag == "Unpaid for 82 days"
    assert row.detail == "Invoiced 1 September, reference INV-1"
    assert row.url == old.get_absolute_url()


def test_nobody_else_sees_who_has_not_paid(borough_a, lead_a, officer_a, partner):
    ContributionFactory(organisation=borough_a, invoiced_on=datetime.date(2026, 9, 1))
    # A lead reads the consortium's figures, but chasing invoices is the office's.
    for person in (lead_a, officer_a, partner, None):
        assert home.unpaid(person) is None
