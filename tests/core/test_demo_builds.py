"""Building the demo: the same seed builds the same consortium, and the `demo` command builds,
keeps or rebuilds it."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction

from loti.core import demo
from loti.members.models import Person
from tests.core.test_demo import fingerprint

TODAY = datetime.date(2026, 11, 22)


def built(seed: int) -> dict:
    """What the demo builds for `seed`, then undone."""
    with transaction.atomic():
        demo.build(seed=seed, today=TODAY)
        found = fingerprint()
        transaction.set_rollback(True)
    return found


@pytest.mark.django_db
def test_the_demo_is_deterministic_for_a_seed():
    first = built(7)
    assert built(7) == first
    assert built(8) != first


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
