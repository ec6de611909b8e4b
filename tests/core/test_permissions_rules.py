"""The rules table itself, apart from any view."""

import pytest
from django.contrib.auth.models import AnonymousUser

from loti.core.permissions import Action, Data, can, filter_for, reads_all
from loti.members.models import Membership
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_officers_read_only_their_own_finances(officer_a, borough_a, borough_b):
    assert can(officer_a, Data.FINANCE, Action.READ, borough_a.pk)
    assert not can(officer_a, Data.FINANCE, Action.READ, borough_b.pk)
    assert not can(officer_a, Data.FINANCE, Action.WRITE, borough_a.pk)
    assert not reads_all(officer_a, Data.FINANCE)


def test_filter_for_scopes_querysets(officer_a, lead_a, partner, staff, borough_a, borough_b):
    MembershipFactory(organisation=borough_a)
    MembershipFactory(organisation=borough_b)
    everything = Membership.objects.all()
    assert set(
        filter_for(everything, officer_a, Data.FINANCE).values_list("organisation__slug", flat=True)
    ) == {"barnet"}
    assert filter_for(everything, lead_a, Data.FINANCE).count() == 2
    assert filter_for(everything, staff, Data.FINANCE).count() == 2
    assert filter_for(everything, partner, Data.FINANCE).count() == 0
    assert filter_for(everything, AnonymousUser(), Data.FINANCE).count() == 0


def test_deactivated_people_have_no_rights(staff):
    staff.is_active = False
    assert not can(staff, Data.PEOPLE, Action.READ)
    assert can(AnonymousUser(), Data.DIRECTORY, Action.READ)


def test_an_officer_without_an_organisation_sees_no_ones_finances(officer_a):
    officer_a.organisation = None
    assert not can(officer_a, Data.FINANCE)
    assert filter_for(Membership.objects.all(), officer_a, Data.FINANCE).query.is_empty()
