import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from loti.core.models import AuditEntry
from loti.members.models import Contribution, Membership, Organisation, Person
from tests.factories import (
    BudgetFactory,
    ContributionFactory,
    FeeRateFactory,
    MembershipFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def test_adding_a_core_membership_without_the_declaration_shows_errors_and_saves_nothing(
    client_as, borough_a
):
    FeeRateFactory(year=2026, tier="core", amount=Decimal(30000))
    client = client_as("staff")
    url = reverse("members:membership_create", args=["barnet"])
    response = client.post(url, {"year": "2026", "tier": "core"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_declaration_signed_on_0"' in html  # the summary links to the day box
    assert "govuk-form-group--error" in html
    assert response.context["form"].errors["declaration_signed_on"]
    assert not Membership.objects.exists()

    response = client.post(
        url,
        {
            "year": "2026",
            "tier": "core",
            "declaration_signed_on_0": "4",
            "declaration_signed_on_1": "7",
            "declaration_signed_on_2": "2018",
        },
    )
    membership = Membership.objects.get()
    assert response.status_code == 302
    assert response["Location"] == membership.get_absolute_url()
    assert membership.fee_due == Decimal(30000)
    assert membership.declaration_signed_on == datetime.date(2018, 7, 4)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "7", "2018", "The date the Declaration was signed must include a day"),
        ("31", "2", "2019", "The date the Declaration was signed must be a real date"),
        ("1", "1", "19", "Year must include 4 numbers"),
        ("x", "1", "2019", "The date the Declaration was signed must be a real date"),
    ],
)
def test_date_errors_say_what_is_wrong(client_as, borough_a, day, month, year, message):
    response = client_as("staff").post(
        reverse("members:membership_create", args=["barnet"]),
        {
            "year": "2026",
            "tier": "associate",
            "fee_due": "100",
            "declaration_signed_on_0": day,
            "declaration_signed_on_1": month,
            "declaration_signed_on_2": year,
        },
    )
    assert response.context["form"].errors["declaration_signed_on"] == [message]


def test_money_is_accepted_as_people_write_it(client_as, borough_a):
    client_as("staff").post(
        reverse("members:membership_create", args=["barnet"]),
        {"year": "2026", "tier": "associate", "fee_due": "£12,500.50"},
    )
    assert Membership.objects.get().fee_due == Decimal("12500.50")


def test_a_rejected_edit_leaves_the_record_as_it_was(client_as, borough_a):
    membership = MembershipFactory(
        organisation=borough_a, tier="associate", declaration_signed_on=None
    )
    response = client_as("staff").post(
        reverse("members:membership_edit", args=[membership.pk]), {"tier": "core", "fee_due": "1"}
    )
    assert "There is a problem" in response.content.decode()
    membership.refresh_from_db()
    assert (membership.tier, membership.fee_due) == ("associate", Decimal(30000))


def test_bad_money_gets_a_clear_message(client_as, borough_a):
    response = client_as("staff").post(
        reverse("members:membership_create", args=["barnet"]),
        {"year": "2026", "tier": "associate", "fee_due": "lots"},
    )
    assert response.context["form"].errors["fee_due"] == [
        "The fee due must be an amount in pounds, like 30000 or 30000.00"
    ]


def test_record_history_is_shown_to_staff_only(client_as, borough_a, staff):
    client = client_as("staff")
    client.post(
        reverse("members:membership_create", args=["barnet"]),
        {"year": "2026", "tier": "associate", "fee_due": "100"},
    )
    membership = Membership.objects.get()
    client.post(
        reverse("members:membership_edit", args=[membership.pk]),
        {"tier": "associate", "fee_due": "150"},
    )
    page = client.get(membership.get_absolute_url()).content.decode()
    assert "Change history" in page
    assert "Sam Staff" in page
    assert "Fee due: £100 → £150" in page
    lead_page = client_as("lead_a").get(membership.get_absolute_url()).content.decode()
    assert "Change history" not in lead_page


def test_deleting_a_membership_keeps_its_history(client_as, borough_a):
    membership = MembershipFactory(organisation=borough_a)
    response = client_as("staff").post(reverse("members:membership_delete", args=[membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.exists()
    entry = AuditEntry.objects.get(action="delete")
    assert entry.object_id == str(membership.pk)
    assert "Barnet 2026/27" in entry.object_repr


def test_organisation_page_hides_money_from_the_public_and_other_boroughs(
    client_as, borough_a, borough_b
):
    MembershipFactory(organisation=borough_a, fee_due=Decimal(30000))
    ContributionFactory(organisation=borough_a, amount=Decimal(29999))
    url = reverse("members:organisation_detail", args=["barnet"])
    for persona in ("anonymous", "officer_b", "partner"):
        page = client_as(persona).get(url).content.decode()
        assert "Core member" in page  # the tier is public
        assert "29,999" not in page and "30,000" not in page, persona
    for persona in ("officer_a", "lead_a", "staff"):
        page = client_as(persona).get(url).content.decode()
        assert "29,999" in page, persona


def test_finance_page_shows_income_by_source_against_budget(
    client_as, borough_a, borough_b, police
):
    BudgetFactory(year=2026, amount=Decimal(100_000))
    MembershipFactory(organisation=borough_a, tier="core")
    MembershipFactory(organisation=borough_b, tier="core")
    MembershipFactory(organisation=police, tier="funder", fee_due=Decimal(50_000))
    ContributionFactory(
        organisation=borough_a,
        amount=Decimal(30000),
        status="paid",
        paid_on=datetime.date(2026, 5, 1),
    )
    ContributionFactory(organisation=borough_b, amount=Decimal(30000))
    ContributionFactory(organisation=police, amount=Decimal(50000))
    ContributionFactory(organisation=police, kind="grant", amount=Decimal(5000))
    response = client_as("lead_a").get(reverse("members:finance_year", args=["2026-27"]))
    summary = response.context["summary"]
    assert [(s.label, s.organisations, s.paid, s.invoiced) for s in summary.sources] == [
        ("Core member fees", 2, Decimal(30000), Decimal(30000)),
        ("Funder contributions", 1, Decimal(0), Decimal(50000)),
        ("Grant", 1, Decimal(0), Decimal(5000)),
    ]
    assert summary.total == Decimal(115000)
    assert summary.against_budget == Decimal(15000)
    html = response.content.decode()
    assert "£115,000" in html
    assert "£15,000 surplus" in html
    chart = response.context["chart"]
    assert (
        chart.spec["layer"][0]["data"]
        if "data" in chart.spec["layer"][0]
        else chart.spec["data"]["values"]
    )
    assert {row[0] for row in chart.rows} == {
        "Core member fees",
        "Funder contributions",
        "Grant",
        "Total",
    }
    assert 'data-chart="income-by-source"' in html
    assert 'id="income-by-source"' in html  # the spec as JSON beside the chart


# The worker closes its database connection after each task, as it should in production;
# only a transactional test survives that on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_raising_invoices_runs_as_a_background_task_with_progress(
    client_as, borough_a, borough_b, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    MembershipFactory(organisation=borough_a, year=2026)
    MembershipFactory(organisation=borough_b, year=2026)
    client = client_as("staff")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:invoices_raise", args=["2026-27"]))
    progress_url = response["Location"]
    assert progress_url.startswith("/tasks/")
    status = client.get(progress_url + "?format=json").json()
    assert status["state"] == "queued"
    assert Contribution.objects.count() == 0

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    status = client.get(progress_url + "?format=json").json()
    assert status == {
        "state": "succeeded",
        "state_label": "Finished",
        "done": 2,
        "total": 2,
        "percent": 100,
        "message": "Raised 2 membership fee invoices for 2026/27.",
        "finished": True,
        "result_url": "/finance/2026-27/",
    }
    assert Contribution.objects.filter(status="invoiced", year=2026).count() == 2
    page = client.get(progress_url).content.decode()
    assert "<progress" in page and 'value="100"' in page


def test_staff_add_and_change_people_through_the_site(client_as, borough_a):
    client = client_as("staff")
    response = client.post(
        reverse("members:person_create"),
        {
            "full_name": "Ada Lovelace",
            "email": "ada@barnet.gov.uk",
            "role": "lead",
            "organisation": borough_a.pk,
            "is_active": "on",
        },
    )
    ada = Person.objects.get(email="ada@barnet.gov.uk")
    assert response["Location"] == ada.get_absolute_url()
    assert not ada.has_usable_password()
    client.post(
        reverse("members:person_edit", args=[ada.pk]),
        {
            "full_name": "Ada Lovelace",
            "email": "ada@barnet.gov.uk",
            "role": "lead",
            "organisation": borough_a.pk,
            "is_active": "on",
            "is_advisory_board": "on",
            "advisory_board_role": "Chair",
        },
    )
    ada.refresh_from_db()
    assert ada.is_advisory_board and ada.advisory_board_role == "Chair"
    board = client_as("anonymous").get(reverse("members:advisory_board")).content.decode()
    assert "Ada Lovelace" in board and "Chair" in board
    assert "ada@barnet.gov.uk" not in board


def test_a_lead_without_an_organisation_is_refused_with_a_message(client_as):
    response = client_as("staff").post(
        reverse("members:person_create"),
        {"full_name": "No Org", "email": "no@org.example", "role": "lead"},
    )
    assert response.context["form"].errors["organisation"] == [
        "Select the organisation this member lead works for"
    ]
    assert not Person.objects.filter(email="no@org.example").exists()


def test_a_duplicate_email_is_refused(client_as, officer_a):
    response = client_as("staff").post(
        reverse("members:person_create"),
        {"full_name": "Again", "email": "OFFICER@barnet.example", "role": "office"},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert Person.objects.filter(email__iexact="officer@barnet.example").count() == 1


def test_staff_add_an_organisation_for_another_consortium(client_as):
    response = client_as("staff").post(
        reverse("members:organisation_create"),
        {
            "name": "City of Edinburgh Council",
            "short_name": "Edinburgh",
            "kind": "unitary_authority",
            "gss_code": "s12000036",
        },
    )
    edinburgh = Organisation.objects.get(short_name="Edinburgh")
    assert response["Location"] == edinburgh.get_absolute_url()
    assert edinburgh.gss_code == "S12000036"


def test_an_unknown_financial_year_is_a_404(client_as):
    assert client_as("staff").get("/finance/2026-28/").status_code == 404


def test_staff_filter_people_by_role(client_as, officer_a, officer_b, lead_a):
    response = client_as("staff").get(reverse("members:people_list") + "?role=officer")
    assert {p.full_name for p in response.context["people"]} == {"Ola Officer", "Bea Officer"}


def test_a_person_can_see_and_use_their_tokens(client_as, officer_a):
    client = client_as("officer_a")
    response = client.post(reverse("core:api_token_create"), {"name": "Sync"})
    raw = response.context["raw"]
    assert response["Cache-Control"] == "no-store"
    page = client.get(reverse("members:person_detail", args=[officer_a.pk])).content.decode()
    assert "Sync" in page and raw not in page and raw[:9] in page
    api = client.get("/api/memberships", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 200


def test_someone_else_on_the_staff_list_is_not_person_of_the_week(client_as, officer_a):
    other = PersonFactory(organisation=officer_a.organisation)
    assert (
        client_as("officer_a").get(reverse("members:person_detail", args=[other.pk])).status_code
        == 404
    )


def test_the_finance_page_shows_staff_who_changed_the_budget_and_fees(client_as):
    client = client_as("staff")
    client.post(reverse("members:budget_edit", args=["2026-27"]), {"amount": "900000"})
    client.post(reverse("members:budget_edit", args=["2026-27"]), {"amount": "950,000"})
    client.post(reverse("members:fee_schedule_edit", args=["2026-27"]), {"core": "30000"})
    response = client.get(reverse("members:finance_year", args=["2026-27"]))
    history = list(response.context["history"])
    assert [(e.action, e.record) for e in history] == [
        ("create", "Core member fee 2026/27"),
        ("update", "Budget 2026/27"),
        ("create", "Budget 2026/27"),
    ]
    assert history[1].audit.changes == {"Budget": ["900000.00", "950000.00"]}
    assert [str(line) for line in history[1].lines] == ["Budget: £900,000 → £950,000"]
    assert "Changed: Budget 2026/27" in response.content.decode()
    lead = client_as("lead_a").get(reverse("members:finance_year", args=["2026-27"]))
    assert not lead.context["history"]


def test_a_filter_that_finds_no_one_says_so_and_how_to_see_everyone(client_as, officer_a):
    Person.objects.filter(role="partner").delete()
    page = client_as("staff").get(reverse("members:people_list") + "?role=partner")
    html = page.content.decode()
    assert "No one has this role." in html and "<table" not in html
    assert f'href="{reverse("members:people_list")}"' in html
