import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse

from loti.core.models import LoginFailure
from loti.members import services
from tests import clock
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.argon2
def test_passwords_are_hashed_with_argon2(staff, borough_a):
    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    person = services.person_create(
        actor=staff,
        email="a@b.example",
        full_name="A",
        role="office",
        password="a long enough password",
    )
    assert person.password.startswith("argon2$argon2id$")
    assert person.check_password("a long enough password")


def sign_in(client, email, password):
    return client.post(reverse("login"), {"email": email, "password": password})


def test_sign_in_with_email_and_password_any_case(client, officer_a):
    response = sign_in(client, "Officer@Barnet.example", PASSWORD)
    assert response.status_code == 302
    assert get_user(client) == officer_a


def test_wrong_password_gets_one_message_that_reveals_nothing(client, officer_a):
    for email in ("officer@barnet.example", "nobody@barnet.example"):
        response = sign_in(client, email, "wrong")
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [
            "Enter a correct email address and password"
        ]
        assert "There is a problem" in response.content.decode()


def test_empty_form_names_each_missing_field(client):
    response = sign_in(client, "", "")
    errors = response.context["form"].errors
    assert errors["email"] == ["Enter your email address"]
    assert errors["password"] == ["Enter your password"]


def test_guessing_is_throttled_per_email_and_cleared_by_time(client, officer_a):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "officer@barnet.example", "guess")
    response = sign_in(client, "officer@barnet.example", PASSWORD)  # even the right password
    assert response.status_code == 200
    assert "too many times" in response.content.decode()
    assert not get_user(client).is_authenticated
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(
        seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS + 1
    )
    with clock.frozen(later):
        assert sign_in(client, "officer@barnet.example", PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(email="officer@barnet.example").exists()


def test_inactive_people_cannot_sign_in(client, officer_a):
    officer_a.is_active = False
    officer_a.save()
    assert sign_in(client, "officer@barnet.example", PASSWORD).status_code == 200


def test_password_reset_by_email(client, officer_a):
    response = client.post(reverse("password_reset"), {"email": "officer@barnet.example"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["officer@barnet.example"]
    assert settings.CONSORTIUM_NAME in message.subject
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body)[1]
    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    response = client.post(
        form_url,
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert response["Location"] == reverse("password_reset_complete")
    officer_a.refresh_from_db()
    assert officer_a.check_password("a brand new passphrase")


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "stranger@example.com"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_sessions_expire_after_being_idle(client, officer_a):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    sign_in(client, "officer@barnet.example", PASSWORD)
    assert client.get(reverse("password_change")).status_code == 200
    idle = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(
        seconds=settings.SESSION_COOKIE_AGE + 60
    )
    with clock.frozen(idle):
        assert client.get(reverse("password_change")).status_code == 302


def _expiry(client) -> datetime.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_in_use_is_written_at_most_once_a_minute(client, officer_a):
    start = datetime.datetime(2026, 11, 22, 9, 0, tzinfo=datetime.UTC)
    with clock.frozen(start):
        sign_in(client, "officer@barnet.example", PASSWORD)
        client.get(reverse("password_change"))
        first = _expiry(client)
    with clock.frozen(start + datetime.timedelta(seconds=30)):
        client.get(reverse("password_change"))
        assert _expiry(client) == first  # not written again within the minute
    with clock.frozen(start + datetime.timedelta(seconds=61)):
        client.get(reverse("password_change"))
        assert _expiry(client) == first + datetime.timedelta(seconds=61)


def test_a_session_in_use_outlives_the_idle_time(client, officer_a):
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = datetime.datetime(2026, 11, 22, 9, 0, tzinfo=datetime.UTC)
    with clock.frozen(start):
        sign_in(client, "officer@barnet.example", PASSWORD)
    with clock.frozen(start + idle - datetime.timedelta(minutes=5)):
        assert client.get(reverse("password_change")).status_code == 200
    last_use = start + idle + datetime.timedelta(minutes=5)
    with clock.frozen(last_use):
        assert client.get(reverse("password_change")).status_code == 200
    with clock.frozen(last_use + idle + datetime.timedelta(minutes=1)):
        assert client.get(reverse("password_change")).status_code == 302


def test_anonymous_visits_make_no_session(client):
    client.get(reverse("core:accessibility"))
    assert not Session.objects.exists()


def test_sign_out_is_a_post(client, officer_a):
    client.force_login(officer_a)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert not get_user(client).is_authenticated


def test_a_new_person_without_a_password_sets_one_through_the_reset_link(client, staff):
    person = services.person_create(
        actor=staff, email="new@loti.example", full_name="New Person", role="office"
    )
    assert not person.has_usable_password()
    client.post(reverse("password_reset"), {"email": "NEW@loti.example"})
    assert [message.to for message in mail.outbox] == [["new@loti.example"]]


def test_deactivated_people_get_no_reset_email(client, officer_a):
    officer_a.is_active = False
    officer_a.save()
    client.post(reverse("password_reset"), {"email": "officer@barnet.example"})
    assert mail.outbox == []
