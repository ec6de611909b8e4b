import datetime

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from loti.library import home
from loti.library.models import Licence, Resource
from tests.library.conftest import make_resource


def _texts(rows):
    return [row.text for row in rows.rows]


def test_a_members_own_drafts(officer_a, borough_a, officer_b, staff, partner):
    make_resource(officer_a, [borough_a], publish=False, title="Barnet's draft")
    make_resource(officer_a, [borough_a], title="Barnet's published guide")
    assert _texts(home.own_drafts(officer_a)) == ["Barnet's draft"]
    assert _texts(home.own_drafts(officer_b)) == []
    assert home.own_drafts(staff) is None and home.own_drafts(partner) is None


def test_the_office_sees_every_draft(officer_a, borough_a, staff):
    make_resource(officer_a, [borough_a], publish=False, title="Barnet's draft")
    assert _texts(home.all_drafts(staff)) == ["Barnet's draft"]
    assert home.all_drafts(officer_a) is None


def test_new_in_the_library_is_what_the_person_may_read(officer_a, borough_a, partner):
    make_resource(officer_a, [borough_a], title="Open guide")
    make_resource(officer_a, [borough_a], licence=Licence.MEMBERS_ONLY, title="Members' guide")
    make_resource(officer_a, [borough_a], publish=False, title="Draft")
    old = make_resource(officer_a, [borough_a], title="Old guide")
    Resource.objects.filter(pk=old.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=91)
    )
    assert _texts(home.new_resources(AnonymousUser())) == ["Open guide"]
    assert sorted(_texts(home.new_resources(partner))) == ["Members' guide", "Open guide"]


def test_the_items_are_on_the_home_page(client_as, officer_a, borough_a):
    make_resource(officer_a, [borough_a], publish=False, title="Barnet's draft")
    page = client_as("officer_a").get("/").content.decode()
    assert "Your organisation&#x27;s draft resources" in page
    assert "Barnet&#x27;s draft" in page
    assert "New in the library" in page
