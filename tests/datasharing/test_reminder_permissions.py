"""Who may open the reminders page: everyone signed in (the office every organisation's
reminders, everyone else their own organisation's); the public are asked to sign in."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.datasharing.reminders_world import build_reminders_world
from tests.permission_matrix import Row, case_id, cases, check, expect
from tests.personas import PERSONAS

MATRIX = [
    Row(
        "datasharing:reminders",
        "GET",
        lambda o: reverse("datasharing:reminders"),
        expect(anonymous=302, others=200),
    ),
]


@pytest.fixture(scope="module")
def objects(module_transaction):
    built = build_reminders_world()
    return {"personas": {name: built[name] for name in PERSONAS}}


@pytest.mark.parametrize(("row", "persona"), cases(MATRIX), ids=case_id)
def test_permission_matrix(db, client, objects, row, persona):
    check(client, objects, row, persona)


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_page_only_answers_get(db, client, objects, method):
    client.force_login(objects["personas"]["staff"])
    assert getattr(client, method)(reverse("datasharing:reminders")).status_code == 405


def test_a_person_of_no_organisation_outside_the_office_is_refused(db, client, objects):
    """The members' rules give everyone but the office an organisation; an account saved
    around them sees no one's reminders."""
    person = get_user_model().objects.create_user(email="orphan@example.org", role="officer")
    client.force_login(person)
    assert client.get(reverse("datasharing:reminders")).status_code == 403
