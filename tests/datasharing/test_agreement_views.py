"""The register and an agreement's pages through the test client: what each reader sees,
drafting and changing through the one form, signing (and refusing a superseded version),
withdrawing, and the agreements' places in the navigation and the one search."""

import datetime

import pytest
from django.urls import reverse

from loti.core import navigation, search
from loti.datasharing.agreements import services
from loti.datasharing.models import Agreement, Signature
from loti.members.forms import PersonForm
from tests.datasharing.world import SECRET, build_world, items, parties, version_fields


@pytest.fixture(scope="module")
def world(module_transaction):
    return build_world()


def fresh(world, key):
    """The agreement as the database has it now: the world's objects are shared by every
    test of the module, and a test's writes are undone after it."""
    return Agreement.objects.get(pk=world[key].pk)


def page(client, person, url, **kwargs):
    client.logout()
    if person is not None:
        client.force_login(person)
    return client.get(url, **kwargs)


def detail(agreement):
    return reverse("datasharing:agreement_detail", args=[agreement.slug])


def date_parts(name, value):
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def form_data(organisations, *, role="joint_controller", rows=None, **overrides):
    """The agreement form posted in full, as a person fills it in."""
    fields = version_fields()
    data = {
        "title": "School admissions",
        **{
            name: value
            for name, value in fields.items()
            if name not in ("start_date", "review_date", "end_date")
        },
        **date_parts("start_date", fields["start_date"]),
        **date_parts("review_date", fields["review_date"]),
        "end_date_0": "",
        "end_date_1": "",
        "end_date_2": "",
        "organisations": [o.pk for o in organisations],
        "role": role,
    }
    rows = items() if rows is None else rows
    data["items-TOTAL_FORMS"] = len(rows) + 1
    data["items-INITIAL_FORMS"] = 0
    for number, row in enumerate(rows):
        for key, value in row.items():
            data[f"items-{number}-{key}"] = value
    return data | overrides


# What each reader sees.


def test_the_public_reads_the_register_but_never_an_operational_detail(db, client, world):
    signed = fresh(world, "signed")
    register = page(client, None, detail(signed)).content.decode()
    assert signed.title in register
    assert "Plan adult social care placements" in register  # the purpose
    assert "9(2)(h) Health or social care" in register  # the lawful basis
    assert "Metropolitan Police Service" in register  # the parties
    assert SECRET not in register
    assert "Care needs" not in register  # a data item
    version = page(client, None, reverse("datasharing:version_detail", args=[signed.slug, 1]))
    assert SECRET not in version.content.decode()


def test_members_read_the_details_and_a_partner_only_those_of_its_own_agreements(db, client, world):
    for person in ("officer_b", "partner"):
        assert SECRET in page(client, world[person], detail(world["signed"])).content.decode()
    # The Met is no party to "consultation": its partner reads only the register.
    seen = page(client, world["partner"], detail(world["consultation"])).content.decode()
    assert "Housing needs" in seen
    assert SECRET not in seen


def test_the_register_lists_what_the_reader_may_see_with_status_and_parties(db, client, world):
    public = page(client, None, reverse("datasharing:agreements")).content.decode()
    assert "London safeguarding" in public and "Housing needs" in public
    assert "Camden and the Met" not in public and "Barnet&#x27;s draft" not in public
    assert 'data-status="signed"' in public and 'data-status="consultation"' in public
    barnet = page(client, world["officer_a"], reverse("datasharing:agreements")).content.decode()
    assert "Barnet&#x27;s draft" in barnet and "Camden and the Met" not in barnet
    assert "Draft an agreement" in barnet and "Draft an agreement" not in public


def test_the_register_filters_by_status_and_organisation(db, client, world):
    url = reverse("datasharing:agreements")
    signed = page(client, None, url, data={"status": "signed"}).content.decode()
    assert "London safeguarding" in signed and "Housing needs" not in signed
    met = page(client, None, url, data={"organisation": world["police"].pk}).content.decode()
    assert "London safeguarding" in met and "Housing needs" not in met
    wrong = page(client, None, url, data={"status": "nonsense"}).content.decode()
    assert "Select a status from the list" in wrong


def test_only_the_party_still_to_sign_sees_the_sign_button(db, client, world):
    consultation = fresh(world, "consultation")
    assert (
        "Sign this agreement"
        in page(client, world["lead_a"], detail(consultation)).content.decode()
    )
    for person in ("officer_a", "staff", "lead_b"):
        seen = page(client, world[person], detail(consultation)).content.decode()
        assert "Sign this agreement" not in seen, person
    # The version history shows who signed, in what capacity.
    assert "signed by Cam Lead (Chief Digital Officer)" in seen


# Signing.


def test_a_lead_signs_the_version_on_the_page(db, client, world):
    consultation = fresh(world, "consultation")
    url = reverse("datasharing:agreement_sign", args=[consultation.slug])
    world["lead_a"].job_title = "Director of Digital"
    world["lead_a"].save()
    shown = page(client, world["lead_a"], url).content.decode()
    assert "Sign version 1 for London Borough of Barnet" in shown
    assert 'value="Director of Digital"' in shown
    response = client.post(url, {"version_number": 1, "capacity": "Director of Digital"})
    assert response.status_code == 302
    signature = Signature.objects.get(
        party__version=consultation.current_version, person=world["lead_a"]
    )
    assert signature.capacity == "Director of Digital"
    consultation.refresh_from_db()
    assert consultation.status == Agreement.Status.SIGNED


def test_a_signature_of_a_superseded_version_is_refused_on_the_page(db, client, world):
    consultation = fresh(world, "consultation")
    url = reverse("datasharing:agreement_sign", args=[consultation.slug])
    assert 'value="1"' in page(client, world["lead_a"], url).content.decode()
    # Meanwhile the office changes it: Camden had signed, so this is version 2.
    services.agreement_update(
        actor=world["staff"],
        agreement=consultation,
        title=consultation.title,
        version=version_fields(retention="One year"),
        data_items=items(),
        parties=parties(world["borough_a"], world["borough_b"]),
        change_summary="Retention shortened",
    )
    response = client.post(url, {"version_number": 1, "capacity": "Lead"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Version 1 has been replaced by version 2: read the new version and sign that" in body
    assert not Signature.objects.filter(
        person=world["lead_a"], party__version__agreement=consultation
    ).exists()
    # The agreement's page says a change awaits signatures only once one is in force; here
    # version 2 is simply the one being signed.
    assert "Version 2" in page(client, world["lead_a"], detail(consultation)).content.decode()


def test_signing_without_a_capacity_says_what_to_enter(db, client, world):
    url = reverse("datasharing:agreement_sign", args=[world["consultation"].slug])
    page(client, world["lead_a"], url)
    body = client.post(url, {"version_number": 1, "capacity": ""}).content.decode()
    assert "Enter the capacity you sign in" in body


# Drafting and changing.


def test_a_member_drafts_an_agreement_with_a_role_for_all_and_one_that_differs(db, client, world):
    page(client, world["officer_a"], reverse("datasharing:agreement_create"))
    camden = world["borough_b"]
    data = form_data([world["borough_a"], camden], role="controller")
    data[f"role_{camden.pk}"] = "processor"
    response = client.post(reverse("datasharing:agreement_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = Agreement.objects.get(title="School admissions")
    assert agreement.organisation == world["borough_a"]
    assert agreement.status == Agreement.Status.DRAFT
    roles = {p.organisation.short_name: p.role for p in agreement.current_version.parties.all()}
    assert roles == {"Barnet": "controller", "Camden": "processor"}
    assert [i.name for i in agreement.current_version.data_items.all()] == [
        "Name and address",
        "Care needs",
    ]


def test_the_draft_form_offers_every_section_and_the_members_own_organisation(db, client, world):
    body = page(
        client, world["officer_a"], reverse("datasharing:agreement_create")
    ).content.decode()
    for legend in (
        "Purpose and benefits",
        "Lawful basis",
        "How the data moves",
        "Keeping it safe",
        "People&#x27;s rights",
        "Dates",
        "Parties",
    ):
        assert legend in body, legend
    assert body.count("data-item-row") == 3
    assert f'value="{world["borough_a"].pk}" checked' in body


def test_add_another_data_item_shows_one_more_row_and_saves_nothing(db, client, world):
    client.force_login(world["staff"])
    before = Agreement.objects.count()
    data = form_data([world["borough_a"], world["borough_b"]], action="add_item")
    body = client.post(reverse("datasharing:agreement_create"), data).content.decode()
    assert body.count("data-item-row") == 4
    assert 'value="Care needs"' in body
    assert "There is a problem" not in body
    assert Agreement.objects.count() == before


def test_choosing_roles_per_party_shows_a_role_for_each_ticked_organisation(db, client, world):
    client.force_login(world["staff"])
    data = form_data([world["borough_a"], world["police"]], action="roles")
    body = client.post(reverse("datasharing:agreement_create"), data).content.decode()
    assert "Role of Barnet" in body and "Role of Met Police" in body
    assert "Role of Camden" not in body


def test_the_services_errors_are_shown_on_their_fields_and_nothing_is_saved(db, client, world):
    client.force_login(world["staff"])
    before = Agreement.objects.count()
    data = form_data(
        [world["borough_a"]],
        article9="",
        schedule1="",
        **date_parts("review_date", datetime.date(2024, 1, 1)),
    )
    body = client.post(reverse("datasharing:agreement_create"), data).content.decode()
    assert "There is a problem" in body
    assert "Select the Article 9 condition for the special category data" in body
    assert "The review date must be the same as or after the start date" in body
    assert "Add at least two parties" in body
    assert 'href="#id_article9"' in body
    assert Agreement.objects.count() == before


def test_an_empty_form_says_what_to_enter(db, client, world):
    client.force_login(world["staff"])
    body = client.post(reverse("datasharing:agreement_create"), {}).content.decode()
    for message in (
        "Enter the agreement&#x27;s title",
        "Enter why the data is shared",
        "Select the lawful basis under Article 6",
        "Enter the start date",
        "Select the organisations that are party to the agreement",
    ):
        assert message in body, message


def test_changing_a_signed_agreement_asks_what_changed_and_makes_a_new_version(db, client, world):
    signed = fresh(world, "signed")
    url = reverse("datasharing:agreement_edit", args=[signed.slug])
    shown = page(client, world["staff"], url).content.decode()
    assert "What has changed?" in shown
    assert 'value="London safeguarding"' in shown
    organisations = [world["borough_a"], world["borough_b"], world["police"]]
    data = form_data(organisations, title="London safeguarding", retention="One year")
    body = client.post(url, data).content.decode()
    assert "Describe what changed: every party signs the new version" in body
    signed.refresh_from_db()
    assert signed.current_version.number == 1
    response = client.post(url, data | {"change_summary": "Retention shortened"})
    assert response.status_code == 302
    signed.refresh_from_db()
    assert signed.current_version.number == 2
    assert signed.in_force_version.number == 1
    seen = page(client, world["lead_a"], detail(signed)).content.decode()
    assert "A change awaits signatures" in seen
    assert "Sign this agreement" in seen


def test_a_draft_is_opened_for_signatures(db, client, world):
    draft = fresh(world, "barnet_draft")
    url = reverse("datasharing:agreement_consult", args=[draft.slug])
    assert (
        "Open this agreement for signatures?"
        in page(client, world["officer_a"], url).content.decode()
    )
    assert client.post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Agreement.Status.CONSULTATION


# Withdrawing.


def test_a_party_withdraws_with_a_date_and_a_reason(db, client, world):
    signed = fresh(world, "signed")
    party = signed.current_version.parties.get(organisation=world["borough_a"])
    url = reverse("datasharing:party_withdraw", args=[signed.slug, party.pk])
    page(client, world["lead_a"], url)
    body = client.post(url, {"reason": ""}).content.decode()
    assert "Enter the date the withdrawal takes effect" in body
    assert "Enter why the organisation is withdrawing" in body
    data = {**date_parts("on", datetime.date(2026, 4, 1)), "reason": "Service ended"}
    assert client.post(url, data).status_code == 302
    party.refresh_from_db()
    assert party.withdrawn_on == datetime.date(2026, 4, 1)
    # The register shows that the party withdrew, and when; why, to readers of the details.
    public = page(client, None, detail(signed)).content.decode()
    assert "Withdrawn</strong> from 1 Apr 2026" in public and "Service ended" not in public
    assert "Service ended" in page(client, world["officer_b"], detail(signed)).content.decode()


def test_the_office_withdraws_an_agreement(db, client, world):
    signed = fresh(world, "signed")
    url = reverse("datasharing:agreement_withdraw", args=[signed.slug])
    page(client, world["staff"], url)
    data = {
        **date_parts("withdrawn_on", datetime.date(2026, 5, 1)),
        "withdrawal_reason": "Replaced",
    }
    assert client.post(url, data).status_code == 302
    signed.refresh_from_db()
    assert signed.status == Agreement.Status.WITHDRAWN
    assert 'data-status="withdrawn"' in page(client, None, detail(signed)).content.decode()


# The shared registries, and the members' form.


def test_data_sharing_is_in_the_navigation_for_everyone(db, world):
    for person in (None, world["partner"], world["officer_a"]):
        user = person or _anonymous()
        labels = [section.label for section, _ in navigation.sections_for(user)]
        assert "Data sharing" in labels


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_search_reads_only_the_agreements_the_reader_sees(db, world):
    kind = next(kind for kind in search.kinds() if kind.key == "agreements")
    public = set(kind.readable(_anonymous()).values_list("title", flat=True))
    assert public == {"London safeguarding", "Housing needs"}
    camden = set(kind.readable(world["officer_b"]).values_list("title", flat=True))
    assert "Camden and the Met" in camden and "Barnet's draft" in camden


def test_the_person_form_offers_the_signatory_flag():
    assert "signs_agreements" in PersonForm.base_fields
