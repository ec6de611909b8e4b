import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from loti.core.models import AuditEntry
from loti.members import services
from loti.members.models import Contribution, Membership, Organisation
from tests.factories import ContributionFactory, FeeRateFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_reference_list_loads_londons_organisations():
    result = services.organisations_import(actor=None)
    assert result == {"created": 36, "updated": 0, "unchanged": 0}
    barnet = Organisation.objects.get(gss_code="E09000003")
    assert (barnet.name, barnet.short_name, barnet.slug) == (
        "London Borough of Barnet",
        "Barnet",
        "barnet",
    )
    assert Organisation.objects.exclude(gss_code="").count() == 33
    assert Organisation.objects.get(short_name="Met Police").kind == Organisation.Kind.POLICE
    # Loading it again changes nothing.
    assert services.organisations_import(actor=None) == {
        "created": 0,
        "updated": 0,
        "unchanged": 36,
    }


def test_import_is_all_or_nothing_with_a_message_per_bad_row():
    source = io.StringIO(
        "gss_code,name,short_name,kind,website\n"
        "S12000036,City of Edinburgh Council,Edinburgh,unitary_authority,\n"
        ",,Nameless,unitary_authority,\n"
        "S12000049,Glasgow City Council,Glasgow,city_state,\n"
    )
    with pytest.raises(ValidationError) as error:
        services.organisations_import(actor=None, source=source)
    assert error.value.messages == [
        "Row 3: enter the organisation's name",
        "Row 4: kind must be one of " + ", ".join(sorted(k for k, _ in Organisation.Kind.choices)),
    ]
    assert not Organisation.objects.exists()


def test_import_reports_a_bad_gss_code_by_row_and_writes_nothing():
    source = io.StringIO(
        "gss_code,name,short_name,kind\n"
        "S12000036,City of Edinburgh Council,Edinburgh,unitary_authority\n"
        "X123,Glasgow City Council,Glasgow,unitary_authority\n"
    )
    with pytest.raises(ValidationError) as error:
        services.organisations_import(actor=None, source=source)
    assert error.value.messages[0].startswith("Row 3: Enter a GSS code in the correct format")
    assert not Organisation.objects.exists()


def test_core_membership_requires_the_declaration(borough_a, staff):
    with pytest.raises(ValidationError) as error:
        services.membership_create(
            actor=staff, organisation=borough_a, year=2026, tier="core", fee_due=Decimal(30000)
        )
    assert "declaration_signed_on" in error.value.message_dict
    assert "Local Digital Declaration" in error.value.message_dict["declaration_signed_on"][0]
    assert not Membership.objects.exists()
    assert not AuditEntry.objects.exists()


def test_declaration_must_be_signed_by_the_end_of_the_year(borough_a, staff):
    with pytest.raises(ValidationError) as error:
        services.membership_create(
            actor=staff,
            organisation=borough_a,
            year=2019,
            tier="core",
            fee_due=Decimal(30000),
            declaration_signed_on=datetime.date(2020, 4, 1),
        )
    assert "by 31 March 2020" in error.value.message_dict["declaration_signed_on"][0]


def test_other_tiers_need_no_declaration(borough_a, staff):
    membership = services.membership_create(
        actor=staff, organisation=borough_a, year=2026, tier="associate", fee_due=Decimal(10000)
    )
    assert membership.declaration_signed_on is None


def test_fee_defaults_from_the_schedule_and_declaration_from_an_earlier_year(borough_a, staff):
    FeeRateFactory(year=2026, tier="core", amount=Decimal(30000))
    MembershipFactory(
        organisation=borough_a, year=2025, declaration_signed_on=datetime.date(2019, 5, 2)
    )
    membership = services.membership_create(
        actor=staff, organisation=borough_a, year=2026, tier="core"
    )
    assert membership.fee_due == Decimal(30000)
    assert membership.declaration_signed_on == datetime.date(2019, 5, 2)


def test_a_missing_fee_is_asked_for(borough_a, staff):
    with pytest.raises(ValidationError) as error:
        services.membership_create(actor=staff, organisation=borough_a, year=2026, tier="funder")
    assert error.value.message_dict["fee_due"] == [
        "There is no funder fee in the 2026/27 schedule: enter the fee due"
    ]


def test_one_membership_per_organisation_and_year(borough_a, staff):
    MembershipFactory(organisation=borough_a, year=2026)
    with pytest.raises(ValidationError):
        services.membership_create(
            actor=staff, organisation=borough_a, year=2026, tier="associate", fee_due=Decimal(1)
        )
    assert Membership.objects.count() == 1


def test_changes_to_money_are_audited_with_who_and_what(borough_a, staff):
    membership = services.membership_create(
        actor=staff, organisation=borough_a, year=2026, tier="associate", fee_due=Decimal(10000)
    )
    services.membership_update(actor=staff, membership=membership, fee_due=Decimal(12000))
    services.membership_delete(actor=staff, membership=membership)
    entries = list(AuditEntry.objects.order_by("at", "pk"))
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert all(e.actor == staff and e.actor_name == "Sam Staff" for e in entries)
    assert entries[0].changes["Tier"] == [None, "Associate"]
    assert entries[1].changes == {"Fee due": ["10000.00", "12000.00"]}
    assert entries[2].changes["Fee due"] == ["12000.00", None]
    assert len({e.object_id for e in entries}) == 1


def test_an_update_that_changes_nothing_is_not_recorded(borough_a, staff):
    membership = MembershipFactory(organisation=borough_a)
    services.membership_update(actor=staff, membership=membership, tier=membership.tier)
    assert not AuditEntry.objects.exists()


def test_a_rejected_update_saves_nothing(borough_a, staff):
    membership = MembershipFactory(
        organisation=borough_a, tier="associate", declaration_signed_on=None
    )
    with pytest.raises(ValidationError):
        services.membership_update(actor=staff, membership=membership, tier="core")
    membership.refresh_from_db()
    assert membership.tier == "associate"
    assert not AuditEntry.objects.exists()


def test_a_paid_contribution_needs_its_date(borough_a, staff):
    with pytest.raises(ValidationError) as error:
        services.contribution_create(
            actor=staff,
            organisation=borough_a,
            year=2026,
            kind="grant",
            status="paid",
            amount=Decimal(5),
        )
    assert error.value.message_dict == {"paid_on": ["Enter the date it was paid"]}


def test_payment_cannot_come_before_the_invoice(borough_a, staff):
    with pytest.raises(ValidationError) as error:
        services.contribution_create(
            actor=staff,
            organisation=borough_a,
            year=2026,
            kind="grant",
            status="paid",
            amount=Decimal(5),
            invoiced_on=datetime.date(2026, 5, 1),
            paid_on=datetime.date(2026, 4, 1),
        )
    assert "after the date invoiced" in error.value.message_dict["paid_on"][0]


def test_raising_invoices_covers_each_fee_once(borough_a, borough_b, staff):
    MembershipFactory(organisation=borough_a, year=2026, fee_due=Decimal(30000))
    MembershipFactory(organisation=borough_b, year=2026, fee_due=Decimal(30000))
    MembershipFactory(organisation=borough_b, year=2025, fee_due=Decimal(30000))
    ContributionFactory(organisation=borough_b, year=2026, amount=Decimal(30000))
    assert services.membership_invoices_raise(actor=staff, year=2026) == 1
    invoice = Contribution.objects.get(organisation=borough_a)
    assert (invoice.year, invoice.status, invoice.amount) == (2026, "invoiced", Decimal(30000))
    assert services.membership_invoices_raise(actor=staff, year=2026) == 0
    assert Contribution.objects.filter(year=2026).count() == 2


def test_fee_schedule_set_creates_changes_and_removes(staff):
    services.fee_schedule_set(
        actor=staff, year=2026, amounts={"core": Decimal(30000), "funder": Decimal(1)}
    )
    services.fee_schedule_set(
        actor=staff, year=2026, amounts={"core": Decimal(31000), "funder": None}
    )
    assert services.fee_for(year=2026, tier="core") == Decimal(31000)
    assert services.fee_for(year=2026, tier="funder") is None
    assert AuditEntry.objects.count() == 4


def test_people_are_audited_without_their_password(staff, borough_a):
    person = services.person_create(
        actor=staff,
        email="New.Person@Barnet.gov.uk ",
        full_name="New Person",
        role="officer",
        organisation=borough_a,
        password="a-long-enough-password",
    )
    assert person.email == "new.person@barnet.gov.uk"
    entry = AuditEntry.objects.get()
    assert "password" not in str(entry.changes).lower()
    assert entry.changes["Role"] == [None, "Member officer"]


def test_member_roles_need_an_organisation(staff):
    with pytest.raises(ValidationError) as error:
        services.person_create(actor=staff, email="x@example.gov.uk", full_name="X", role="lead")
    assert error.value.message_dict["organisation"] == [
        "Select the organisation this member lead works for"
    ]


def test_nobody_deletes_their_own_account(staff):
    with pytest.raises(ValidationError):
        services.person_delete(actor=staff, person=staff)
