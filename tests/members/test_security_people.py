"""Only a superuser changes a superuser's account, and changes made in the Django admin go
into the change history like any other."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from loti.core.models import AuditEntry
from loti.members import services
from loti.members.models import Organisation
from tests.factories import BudgetFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return PersonFactory(
        email="root@loti.example",
        full_name="Root",
        role="office",
        organisation=None,
        is_superuser=True,
    )


def person_form(person, **changes):
    return {
        "full_name": person.full_name,
        "email": person.email,
        "job_title": "",
        "role": person.role,
        "organisation": "",
        "advisory_board_role": "",
        "is_active": "on",
        **changes,
    }


# Only a superuser changes a superuser -------------------------------------------------------


def test_office_staff_cannot_change_a_superusers_email(client, staff, superuser):
    client.force_login(staff)
    url = reverse("members:person_edit", args=[superuser.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, person_form(superuser, email="staff@loti.example"))
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.email == "root@loti.example"


def test_office_staff_cannot_delete_a_superuser(client, staff, superuser):
    client.force_login(staff)
    url = reverse("members:person_delete", args=[superuser.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert type(superuser).objects.filter(pk=superuser.pk).exists()


def test_office_staff_see_a_superuser_without_the_change_buttons(client, staff, superuser):
    client.force_login(staff)
    page = client.get(reverse("members:person_detail", args=[superuser.pk])).content.decode()
    assert reverse("members:person_edit", args=[superuser.pk]) not in page


@pytest.mark.parametrize(
    "change",
    [
        {"email": "mine@loti.example"},
        {"full_name": "Someone"},
        {"role": "lead"},
        {"is_active": False},
    ],
)
def test_the_people_service_refuses_staff_changing_a_superuser(staff, superuser, change):
    with pytest.raises(PermissionDenied):
        services.person_update(actor=staff, person=superuser, **change)
    with pytest.raises(PermissionDenied):
        services.person_delete(actor=staff, person=superuser)


def test_a_superuser_may_change_a_superuser(client, superuser):
    other = PersonFactory(email="root2@loti.example", role="office", organisation=None)
    other.is_superuser = True
    other.save()
    client.force_login(superuser)
    url = reverse("members:person_edit", args=[other.pk])
    assert client.post(url, person_form(other, full_name="Root Two")).status_code == 302
    other.refresh_from_db()
    assert other.full_name == "Root Two"


def test_office_staff_still_change_everyone_else(client, staff, officer_a):
    client.force_login(staff)
    url = reverse("members:person_edit", args=[officer_a.pk])
    response = client.post(
        url,
        person_form(officer_a, full_name="Renamed", organisation=officer_a.organisation_id),
    )
    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.full_name == "Renamed"


# The Django admin's changes are in the change history ---------------------------------------


def test_every_admin_registration_records_its_changes():
    from loti.core.admin import AuditedModelAdmin

    assert admin.site._registry
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedModelAdmin)
    ]
    assert unaudited == []


def test_a_change_in_the_admin_is_in_the_change_history(client, superuser):
    budget = BudgetFactory(amount=Decimal(1_000_000))
    client.force_login(superuser)
    url = reverse("admin:members_budget_change", args=[budget.pk])
    response = client.post(url, {"year": budget.year, "amount": "1250000.00"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_id=str(budget.pk), action=AuditEntry.Action.UPDATE)
    assert entry.actor == superuser
    assert list(entry.changes.values()) == [["1000000.00", "1250000.00"]]


def test_a_deletion_in_the_admin_is_in_the_change_history(client, superuser):
    organisation = Organisation.objects.create(
        name="London Borough of Nowhere", short_name="Nowhere", slug="nowhere"
    )
    client.force_login(superuser)
    url = reverse("admin:members_organisation_delete", args=[organisation.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DELETE)
    assert entry.object_id == str(organisation.pk)
    assert entry.actor == superuser
