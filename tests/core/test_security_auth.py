"""Signing in and sessions, as docs/security.md ("Signing in and sessions") describes them:
the throttle, the Django admin's sign-in, the session limits and the secret key."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user
from django.core import mail
from django.urls import reverse

from loti.core.models import LoginFailure
from tests import clock
from tests.core.test_settings import run
from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.django_db

HERE = "192.0.2.10"  # the real person's browser
ELSEWHERE = "203.0.113.66"  # someone guessing their password


def sign_in(client, email, password, *, at=HERE, url=None):
    return client.post(
        url or reverse("login"), {"email": email, "password": password}, REMOTE_ADDR=at
    )


def refusal(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


# The throttle ------------------------------------------------------------------------------


def test_guesses_from_elsewhere_do_not_lock_the_person_out_of_their_own_browser(client, officer_a):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, officer_a.email, "guess", at=ELSEWHERE)
    refused = sign_in(client, officer_a.email, PASSWORD, at=ELSEWHERE)
    assert "too many times" in refusal(refused)
    assert not get_user(client).is_authenticated

    assert sign_in(client, officer_a.email, PASSWORD, at=HERE).status_code == 302
    assert get_user(client) == officer_a


def test_a_sign_in_forgets_only_its_own_clients_failures(client, officer_a):
    for _ in range(3):
        sign_in(client, officer_a.email, "guess", at=ELSEWHERE)
    sign_in(client, officer_a.email, PASSWORD, at=HERE)
    assert LoginFailure.objects.filter(email=officer_a.email, client=ELSEWHERE).count() == 3


def test_guessing_one_address_from_many_clients_locks_it_everywhere(client, officer_a):
    LoginFailure.objects.bulk_create(
        LoginFailure(email=officer_a.email, client=f"198.51.100.{n}")
        for n in range(settings.LOGIN_FAILURE_EMAIL_LIMIT)
    )
    refused = sign_in(client, officer_a.email, PASSWORD, at=HERE)
    assert refused.status_code == 200
    assert "too many times" in refusal(refused)
    assert not get_user(client).is_authenticated


def _reset_password(client, email, password, *, at=HERE):
    client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=at)
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[-1].body)[1]
    form_url = client.get(link, REMOTE_ADDR=at)["Location"]
    response = client.post(
        form_url, {"new_password1": password, "new_password2": password}, REMOTE_ADDR=at
    )
    assert response["Location"] == reverse("password_reset_complete")


def test_a_password_reset_lifts_the_lock_as_the_message_says(client, officer_a):
    LoginFailure.objects.bulk_create(
        LoginFailure(email=officer_a.email, client=f"198.51.100.{n}")
        for n in range(settings.LOGIN_FAILURE_EMAIL_LIMIT)
    )
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, officer_a.email, "guess", at=HERE)
    message = refusal(sign_in(client, officer_a.email, PASSWORD, at=HERE))
    assert message == (
        "You have entered the wrong details too many times. Wait 15 minutes and try again, "
        "or reset your password."
    )

    _reset_password(client, officer_a.email, "a brand new passphrase")
    assert sign_in(client, officer_a.email, "a brand new passphrase").status_code == 302
    assert get_user(client) == officer_a
    assert not LoginFailure.objects.filter(email=officer_a.email).exists()


def test_a_client_guessing_many_addresses_is_paused_without_promising_a_reset(client, officer_a):
    LoginFailure.objects.bulk_create(
        LoginFailure(email=f"someone{n}@barnet.example", client=ELSEWHERE)
        for n in range(settings.LOGIN_FAILURE_CLIENT_LIMIT)
    )
    message = refusal(sign_in(client, officer_a.email, PASSWORD, at=ELSEWHERE))
    assert message == (
        "There have been too many wrong sign-ins from your network. Wait 15 minutes and try again."
    )
    assert sign_in(client, officer_a.email, PASSWORD, at=HERE).status_code == 302


# The Django admin's sign-in ----------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return PersonFactory(
        email="root@loti.example", role="office", organisation=None, is_superuser=True
    )


ADMIN_LOGIN = "/django-admin/login/"


def test_the_admin_sign_in_is_throttled_like_the_sites(client, superuser):
    assert reverse("admin:login") == ADMIN_LOGIN
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = sign_in(client, superuser.email, "guess", url=ADMIN_LOGIN)
        assert refusal(response) == "Enter a correct email address and password"
    sixth = sign_in(client, superuser.email, PASSWORD, url=ADMIN_LOGIN)
    assert sixth.status_code == 200
    assert "too many times" in refusal(sixth)
    assert not get_user(client).is_authenticated


def test_djangos_own_admin_sign_in_form_is_not_accepted(client, superuser):
    client.post(ADMIN_LOGIN, {"username": superuser.email, "password": PASSWORD})
    assert not get_user(client).is_authenticated


def test_a_superuser_signs_in_to_the_admin_and_lands_on_it(client, superuser):
    response = sign_in(client, superuser.email, PASSWORD, url=ADMIN_LOGIN)
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_someone_signed_in_who_may_not_use_the_admin_is_refused_not_bounced(client, staff):
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(ADMIN_LOGIN)
    assert client.get(response["Location"]).status_code == 403


# Sessions ----------------------------------------------------------------------------------


def test_a_busy_session_still_ends_twelve_hours_after_signing_in(client, officer_a):
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60
    assert settings.SESSION_COOKIE_AGE < settings.SESSION_ABSOLUTE_SECONDS
    start = datetime.datetime(2026, 11, 22, 8, 0, tzinfo=datetime.UTC)
    page = reverse("password_change")
    with clock.frozen(start):
        assert sign_in(client, officer_a.email, PASSWORD).status_code == 302
    for hour in range(1, 12):  # used every hour, so never idle for long
        with clock.frozen(start + datetime.timedelta(hours=hour)):
            assert client.get(page).status_code == 200
    with clock.frozen(start + datetime.timedelta(hours=12, minutes=1)):
        response = client.get(page, follow=True)
        assert response.redirect_chain[0][0] == f"{reverse('login')}?next={page}"
        assert not get_user(client).is_authenticated
        assert (
            "You have been signed out because you signed in more than 12 hours ago"
            in response.content.decode()
        )


def test_a_session_signed_in_otherwise_is_timed_from_its_first_request(client, officer_a):
    start = datetime.datetime(2026, 11, 22, 8, 0, tzinfo=datetime.UTC)
    client.force_login(officer_a)
    with clock.frozen(start):
        assert client.get(reverse("password_change")).status_code == 200
    for hour in range(1, 13):
        with clock.frozen(start + datetime.timedelta(hours=hour, minutes=1)):
            response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert not get_user(client).is_authenticated


# The secret key ----------------------------------------------------------------------------


def test_production_refuses_a_short_secret_key():
    result = run("import django; django.setup()", SECRET_KEY="s" * 49)
    assert result.returncode != 0
    assert "SECRET_KEY is too short: 49 characters, and it needs at least 50" in result.stderr
    assert run("import django; django.setup()", SECRET_KEY="s" * 50).returncode == 0


def test_debug_mode_may_use_a_short_key():
    assert run("import django; django.setup()", SECRET_KEY="s", DEBUG="true").returncode == 0
