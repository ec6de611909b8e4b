import pytest
from django.urls import reverse

from loti.core import services
from loti.core.models import TaskProgress
from tests.permission_matrix import Row, api_tokens, case_id, cases, check, expect, posted
from tests.personas import PERSONAS, build_personas

MATRIX = [
    Row("core:home", "GET", lambda o: reverse("core:home"), expect(others=200)),
    Row("core:accessibility", "GET", lambda o: reverse("core:accessibility"), expect(others=200)),
    Row("core:healthz", "GET", lambda o: reverse("core:healthz"), expect(others=200)),
    # A group of the navigation's sections: every persona sees some of the technology ones.
    Row(
        "core:section",
        "GET",
        lambda o: reverse("core:section", args=["technology"]),
        expect(others=200),
    ),
    Row(
        "core:task_progress",
        "GET",
        lambda o: reverse("core:task_progress", args=[o["progress"].pk]),
        expect(anonymous=302, staff=200, others=404),
    ),
    Row(
        "core:api_token_create",
        "GET",
        lambda o: reverse("core:api_token_create"),
        expect(anonymous=302, others=200),
    ),
    Row(
        "core:api_token_revoke",
        "POST",
        lambda o: reverse("core:api_token_revoke", args=[o["token_a"].pk]),
        # The owner and the office may revoke; to anyone else the token does not exist.
        expect(anonymous=302, staff=302, officer_a=302, others=404),
    ),
    Row(
        "core:api_token_revoke",
        "GET",
        lambda o: reverse("core:api_token_revoke", args=[o["token_a"].pk]),
        expect(anonymous=302, others=405),
    ),
    Row(
        "core:audit_log",
        "GET",
        lambda o: reverse("core:audit_log"),
        expect(anonymous=302, staff=200, others=403),
    ),
    # The one search: everyone may search; what each finds is tested in test_search_page.
    Row(
        "core:search",
        "GET",
        lambda o: f"{reverse('core:search')}?q=parking+permits",
        expect(others=200),
    ),
    # Signed-in people are sent on from the sign-in page.
    Row("login", "GET", lambda o: reverse("login"), expect(anonymous=200, others=302)),
    Row("logout", "POST", lambda o: reverse("logout"), expect(others=302), to_sign_in=False),
    Row("logout", "GET", lambda o: reverse("logout"), expect(others=405)),
    Row("password_reset", "GET", lambda o: reverse("password_reset"), expect(others=200)),
    Row("password_reset_done", "GET", lambda o: reverse("password_reset_done"), expect(others=200)),
    Row(
        "password_reset_confirm",
        "GET",
        lambda o: reverse("password_reset_confirm", args=["MQ", "not-a-token"]),
        expect(others=200),
    ),
    Row(
        "password_reset_complete",
        "GET",
        lambda o: reverse("password_reset_complete"),
        expect(others=200),
    ),
    Row(
        "password_change",
        "GET",
        lambda o: reverse("password_change"),
        expect(anonymous=302, others=200),
    ),
    Row(
        "password_change_done",
        "GET",
        lambda o: reverse("password_change_done"),
        expect(anonymous=302, others=200),
    ),
    Row("api:openapi-json", "GET", lambda o: reverse("api:openapi-json"), expect(others=200)),
    Row("api:openapi-view", "GET", lambda o: reverse("api:openapi-view"), expect(others=200)),
    # The Django admin is for superusers only: office staff are sent to its own sign-in.
    Row(
        "admin:index",
        "GET",
        lambda o: reverse("admin:index"),
        expect(others=302),
        to_sign_in=False,
    ),
]


MATRIX += [
    posted(MATRIX, "core:api_token_create"),
    # Signed-in people are sent on; the public get the form back with its errors.
    posted(MATRIX, "login"),
    posted(MATRIX, "password_reset"),
    posted(MATRIX, "password_reset_confirm"),
    posted(MATRIX, "password_change"),
]


@pytest.fixture(scope="module")
def objects(module_transaction):
    built = build_personas()
    personas = {name: built[name] for name in PERSONAS}
    token_a, _ = services.api_token_create(person=built["officer_a"], name="Spreadsheet sync")
    progress = TaskProgress.objects.create(label="Some work", requested_by=built["staff"])
    return {
        "personas": personas,
        "tokens": api_tokens(personas),
        "token_a": token_a,
        "progress": progress,
    }


@pytest.mark.parametrize(("row", "persona"), cases(MATRIX), ids=case_id)
def test_permission_matrix(db, client, objects, row, persona):
    check(client, objects, row, persona)
