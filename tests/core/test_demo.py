import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from loti.core import demo
from loti.core.models import AuditEntry
from loti.members.models import Contribution, Membership, Organisation, Person

pytestmark = pytest.mark.django_db

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


@pytest.mark.django_db(transaction=True)  # flushing cannot run inside a test's transaction
def test_the_demo_is_deterministic_for_a_seed():
    demo.build(seed=7, today=TODAY)
    first = fingerprint()
    call_command("flush", interactive=False, verbosity=0)
    demo.build(seed=7, today=TODAY)
    assert fingerprint() == first
    call_command("flush", interactive=False, verbosity=0)
    demo.build(seed=8, today=TODAY)
    assert fingerprint() != first


def test_the_demo_year_brings_in_1_010_000(client):
    demo.build(seed=2019, today=TODAY)
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


def test_demo_logins_exist_and_sign_in(client):
    demo.build(seed=2019, today=TODAY)
    for login in demo.logins():
        assert client.login(email=login.email, password=demo.DEMO_PASSWORD), login.email
    roles = {login.email: Person.objects.get(email=login.email).role for login in demo.logins()}
    assert sorted(roles.values()) == ["lead", "office", "officer", "officer", "partner"]
    assert AuditEntry.objects.exists()  # the demo goes through the audited services


@pytest.mark.django_db(transaction=True)
def test_demo_command_prints_logins_and_reset_rebuilds(capsys):
    call_command("demo", "--seed", "3")
    output = capsys.readouterr().out
    assert "Demo built with seed 3." in output
    assert "office@loti.example" in output and demo.DEMO_PASSWORD in output
    call_command("demo")
    assert "already has data" in capsys.readouterr().out
    Person.objects.filter(email="office@loti.example").update(full_name="Changed")
    call_command("demo", "--reset", "--dry-run")
    assert "Would delete" in capsys.readouterr().out
    assert Person.objects.get(email="office@loti.example").full_name == "Changed"
    call_command("demo", "--reset", "--seed", "3")
    assert Person.objects.get(email="office@loti.example").full_name != "Changed"
