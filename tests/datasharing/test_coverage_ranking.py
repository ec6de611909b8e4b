"""What ranks the answer to "can we share?" is only what the reader may read."""

import pytest
from django.contrib.auth.models import AnonymousUser

from loti.datasharing.agreements import services
from loti.datasharing.coverage import selectors
from loti.datasharing.models import Category
from tests.datasharing.world import build_world, parties, sign, version_fields

pytestmark = pytest.mark.django_db


def _in_force(world, title, item_name):
    agreement = services.agreement_create(
        actor=None,
        organisation=None,
        title=title,
        version=version_fields(purpose="Plan housing together", article9="", schedule1=""),
        data_items=[{"name": item_name, "category": Category.PERSONAL, "description": ""}],
        parties=parties(world["borough_a"], world["borough_b"]),
    )
    services.agreement_open(actor=None, agreement=agreement)
    sign(agreement, world["lead_a"])
    sign(agreement, world["lead_b"])
    return agreement


def test_the_data_items_rank_the_answer_only_for_readers_of_every_agreements_details():
    world = build_world()
    _in_force(world, "Alpha housing", "Tenancy start date")
    _in_force(world, "Beta housing", "Zebra crossing records")

    def order(user):
        answer = selectors.can_we_share(
            user=user,
            a=world["borough_a"],
            b=world["borough_b"],
            category=Category.PERSONAL,
            purpose="zebra crossing",
        )
        return [c.agreement.title for c in answer.covering if c.agreement.title.endswith("housing")]

    # A member reads the data items: the one that matches the words comes first.
    assert order(world["officer_b"]) == ["Beta housing", "Alpha housing"]
    # The public and a partner do not: the items' names do not order what they are shown.
    assert order(AnonymousUser()) == ["Alpha housing", "Beta housing"]
    assert order(world["partner"]) == ["Alpha housing", "Beta housing"]
