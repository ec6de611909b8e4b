"""Personas shared by every test: office staff, a lead and an officer of borough A, an officer
of borough B, a partner, and the anonymous public."""

import pytest
from tests.factories import OrganisationFactory, PersonFactory

from loti.core.permissions import Role


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings, request):
    # Argon2 is the production hasher (tested in tests/core/test_auth.py); most tests need
    # a hash, not a slow one.
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def borough_a(db):
    return OrganisationFactory(
        name="London Borough of Barnet", short_name="Barnet", slug="barnet", gss_code="E09000003"
    )


@pytest.fixture
def borough_b(db):
    return OrganisationFactory(
        name="London Borough of Camden", short_name="Camden", slug="camden", gss_code="E09000007"
    )


@pytest.fixture
def police(db):
    return OrganisationFactory(
        name="Metropolitan Police Service",
        short_name="Met Police",
        slug="met-police",
        kind="police",
    )


@pytest.fixture
def staff(db):
    return PersonFactory(
        email="staff@loti.example", full_name="Sam Staff", role=Role.OFFICE, organisation=None
    )


@pytest.fixture
def lead_a(borough_a):
    return PersonFactory(
        email="lead@barnet.example", full_name="Lee Lead", role=Role.LEAD, organisation=borough_a
    )


@pytest.fixture
def officer_a(borough_a):
    return PersonFactory(
        email="officer@barnet.example",
        full_name="Ola Officer",
        role=Role.OFFICER,
        organisation=borough_a,
    )


@pytest.fixture
def officer_b(borough_b):
    return PersonFactory(
        email="officer@camden.example",
        full_name="Bea Officer",
        role=Role.OFFICER,
        organisation=borough_b,
    )


@pytest.fixture
def partner(police):
    return PersonFactory(
        email="partner@met.example", full_name="Pat Partner", role=Role.PARTNER, organisation=police
    )


PERSONAS = ["anonymous", "staff", "lead_a", "officer_a", "officer_b", "partner"]


@pytest.fixture
def personas(staff, lead_a, officer_a, officer_b, partner):
    return {
        "anonymous": None,
        "staff": staff,
        "lead_a": lead_a,
        "officer_a": officer_a,
        "officer_b": officer_b,
        "partner": partner,
    }


@pytest.fixture
def client_as(client, personas):
    """client_as("officer_a") -> the test client signed in as that persona."""

    def sign_in(persona):
        client.logout()
        if personas[persona] is not None:
            client.force_login(personas[persona])
        return client

    return sign_in
