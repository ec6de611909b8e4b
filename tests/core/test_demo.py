import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from loti.core import demo
from loti.core.models import AuditEntry
from loti.members.models import Contribution, Membership, Organisation, Person

TODAY = datetime.date(2026, 11, 22)


def fingerprint():
    """Everything the demo made, without primary keys or timestamps."""
    return {
        "organisations": sorted(Organisation.objects.values_list("slug", "gss_code", "kind")),
        "memberships": sorted(
            Membership.objects.values_list(
                "organisation__slug", "year", "tier", "fee_due", "declaration_signed_on"
            )
        ),
        "contributions": sorted(
            Contribution.objects.values_list(
                "organisation__slug", "year", "kind", "status", "amount", "paid_on"
            )
        ),
        "people": sorted(
            Person.objects.values_list(
                "email", "full_name", "role", "organisation__slug", "is_advisory_board"
            )
        ),
    }


@pytest.fixture(scope="module")
def london(module_transaction):
    """The demo consortium for the seed `loti demo` uses, built once for this module's tests,
    which only read it."""
    demo.build(seed=2019, today=TODAY)


def test_the_demo_year_brings_in_1_010_000(db, london, client):
    memberships = Membership.objects.filter(year=2026)
    assert memberships.filter(tier="core").count() == 27
    assert sorted(
        memberships.filter(tier="funder").values_list("organisation__short_name", flat=True)
    ) == [
        "GLA",
        "London Councils",
    ]
    client.force_login(Person.objects.get(email="office@loti.example"))
    response = client.get(reverse("members:finance_year", args=["2026-27"]))
    assert response.context["summary"].total == Decimal(1_010_000)
    assert "£1,010,000" in response.content.decode()


def test_demo_logins_exist_and_sign_in(db, london, client):
    for login in demo.logins():
        assert client.login(email=login.email, password=demo.DEMO_PASSWORD), login.email
    roles = {login.email: Person.objects.get(email=login.email).role for login in demo.logins()}
    assert sorted(roles.values()) == ["lead", "office", "officer", "officer", "partner"]
    assert AuditEntry.objects.exists()  # the demo goes through the audited services
