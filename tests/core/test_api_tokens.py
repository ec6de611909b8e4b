"""Personal API tokens as the API's credential: `Authorization: Bearer <token>`."""

import datetime

import pytest
from django.test import Client

from loti.core.models import ApiToken
from loti.core.services import api_token_authenticate, api_token_create, api_token_revoke
from tests.factories import MembershipFactory

PRIVATE = "/api/memberships"
PUBLIC = "/api/organisations"


def bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def api_client():
    # CSRF checks on, as for a real client: a token request must not need a CSRF token.
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def memberships(borough_a, borough_b):
    return [MembershipFactory(organisation=borough_a), MembershipFactory(organisation=borough_b)]


def assert_refused(response, *, reason_mentions):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, str) and reason_mentions in detail
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_acts_as_its_person(api_client, officer_a, memberships):
    _, raw = api_token_create(person=officer_a, name="Reporting")

    response = api_client.get(PRIVATE, headers=bearer(raw))

    assert response.status_code == 200
    # The officer's own organisation only: the token carries its person's permissions.
    assert [item["organisation"] for item in response.json()["items"]] == ["barnet"]


def test_a_token_of_the_office_reads_everything_and_writes(api_client, staff, memberships):
    _, raw = api_token_create(person=staff, name="Finance sync")

    listed = api_client.get(PRIVATE, headers=bearer(raw))
    created = api_client.post(
        PUBLIC,
        {"name": "London Borough of Ealing", "short_name": "Ealing", "kind": "london_borough"},
        content_type="application/json",
        headers=bearer(raw),
    )

    assert listed.status_code == 200
    assert {item["organisation"] for item in listed.json()["items"]} == {"barnet", "camden"}
    assert created.status_code == 201, created.content


def test_a_revoked_token_is_refused(api_client, staff, memberships):
    token, raw = api_token_create(person=staff, name="Old")
    api_token_revoke(actor=staff, token=token)

    assert_refused(api_client.get(PRIVATE, headers=bearer(raw)), reason_mentions="not accepted")
    # Sending it to a public endpoint is refused too, not quietly treated as anonymous.
    assert_refused(api_client.get(PUBLIC, headers=bearer(raw)), reason_mentions="not accepted")


def test_a_wrong_token_is_refused(api_client, staff, memberships):
    _, raw = api_token_create(person=staff, name="Real")

    assert_refused(
        api_client.get(PRIVATE, headers=bearer(raw[:-1] + ("A" if raw[-1] != "A" else "B"))),
        reason_mentions="not accepted",
    )
    assert_refused(
        api_client.get(PRIVATE, headers=bearer("loti_not-a-real-token")),
        reason_mentions="not accepted",
    )


def test_a_token_of_a_deactivated_person_is_refused(api_client, officer_a, memberships):
    _, raw = api_token_create(person=officer_a, name="Leaver")
    assert api_client.get(PRIVATE, headers=bearer(raw)).status_code == 200
    officer_a.is_active = False
    officer_a.save(update_fields=["is_active"])

    assert_refused(api_client.get(PRIVATE, headers=bearer(raw)), reason_mentions="not accepted")


def test_no_token_for_a_private_endpoint_is_a_401_naming_the_header(api_client, memberships):
    response = api_client.get(PRIVATE)

    assert_refused(response, reason_mentions="Authorization: Bearer")
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_browser_session_is_not_an_api_credential(client_as, memberships):
    client = client_as("staff")

    assert client.get("/api/memberships").status_code == 401
    # …and cannot write through the API either.
    response = client.post(
        PUBLIC, {"name": "X", "short_name": "X", "kind": "other"}, content_type="application/json"
    )
    assert response.status_code == 401


def test_anonymous_reads_of_public_endpoints_need_no_header(api_client, borough_a, borough_b):
    listed = api_client.get(PUBLIC)
    one = api_client.get(f"{PUBLIC}/barnet")

    assert listed.status_code == 200
    assert {item["slug"] for item in listed.json()["items"]} == {"barnet", "camden"}
    assert one.status_code == 200
    assert one.json()["name"] == "London Borough of Barnet"


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token abc",
        "Bearer two words",
        "Bearer \x00\x01",
        "Bearer " + "x" * 10_000,
        "Bearer \u00e9\u00e8",
        "loti_abcdef",
    ],
)
@pytest.mark.parametrize("url", [PRIVATE, PUBLIC])
def test_a_malformed_authorization_header_is_a_401_not_a_server_error(api_client, db, header, url):
    response = api_client.get(url, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["detail"]


def test_the_raw_key_is_never_stored(staff):
    token, raw = api_token_create(person=staff, name="Secret")

    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw.startswith(ApiToken.PREFIX)
    assert stored["key_hash"] == ApiToken.hash_key(raw) != raw
    assert len(stored["key_hash"]) == 64
    # No column holds the key; the hint is only its first few characters.
    assert not any(isinstance(value, str) and raw in value for value in stored.values())
    assert raw.startswith(stored["key_hint"]) and len(stored["key_hint"]) < len(raw) // 3
    assert not ApiToken.objects.filter(key_hash=raw).exists()


def test_use_is_recorded(api_client, staff, db, time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
    token, raw = api_token_create(person=staff, name="Sync")
    assert token.last_used_at is None

    api_client.get(PRIVATE, headers=bearer(raw))
    token.refresh_from_db()
    first = token.last_used_at
    assert first == datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC)

    # Within a minute, not rewritten; after it, updated.
    time_machine.move_to(datetime.datetime(2026, 5, 1, 9, 0, 30, tzinfo=datetime.UTC), tick=False)
    api_client.get(PRIVATE, headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == first
    time_machine.move_to(datetime.datetime(2026, 5, 1, 9, 5, tzinfo=datetime.UTC), tick=False)
    api_client.get(PUBLIC, headers=bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == datetime.datetime(2026, 5, 1, 9, 5, tzinfo=datetime.UTC)


def test_a_refused_token_records_no_use(api_client, staff):
    token, raw = api_token_create(person=staff, name="Revoked")
    api_token_revoke(actor=staff, token=token)

    api_client.get(PRIVATE, headers=bearer(raw))

    token.refresh_from_db()
    assert token.last_used_at is None
    assert api_token_authenticate(raw=raw) is None
