"""Organisations' other names and identifiers, and matching buyers in published notices."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from loti.core.models import AuditEntry
from loti.members import selectors, services
from loti.members.models import OrganisationAlias
from loti.members.naming import (
    OrganisationMatcher,
    normalise_identifier,
    normalise_organisation_name,
    organisation_name_keys,
)
from tests.factories import OrganisationFactory

# Normalisation and matching: plain functions, no database ------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("London Borough of Barnet", "barnet"),
        ("Barnet Council", "barnet"),
        ("LB Barnet", "barnet"),
        ("L.B. Barnet", "barnet"),
        ("BARNET LONDON BOROUGH COUNCIL", "barnet"),
        ("LONDON BOROUGH OF NEWHAM", "newham"),
        ("Croydon Council", "croydon"),
        ("Royal Borough of Greenwich", "greenwich"),
        ("Royal Borough of Kingston upon Thames", "kingston upon thames"),
        ("Kensington and Chelsea", "kensington and chelsea"),
        ("Royal Borough of Kensington & Chelsea", "kensington and chelsea"),
        ("Westminster City Council", "westminster"),
        ("The London Borough of Hammersmith & Fulham", "hammersmith and fulham"),
        ("City of London Corporation", "city of london"),
        ("City of London", "city of london"),
        ("Greater London Authority", "greater london authority"),
        ("London Councils", "london councils"),
        ("  Conseil   Général de l’Hérault ", "conseil general de lherault"),
        # A name made only of such words keeps its last one rather than vanishing.
        ("The Council", "council"),
        # A spaced dash's department is kept here; organisation_name_keys drops it.
        ("London Borough of Haringey - Parks and Leisure", "haringey parks and leisure"),
        ("Tri-borough", "tri borough"),
    ],
)
def test_organisation_names_normalise(name, expected):
    assert normalise_organisation_name(name) == expected


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        (
            "London Borough of Haringey - Parks and Leisure",
            ("haringey parks and leisure", "haringey"),
        ),
        (
            "Haringey Council – Adult Social Care",
            ("haringey council adult social care", "haringey"),
        ),
        ("London Borough of Haringey", ("haringey",)),
        ("Tri-borough Shared Services", ("tri borough shared services",)),
        ("", ()),
    ],
)
def test_name_keys_try_the_whole_name_then_the_part_before_a_department(name, keys):
    assert organisation_name_keys(name) == keys


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("GB-LAE-NWM", "GB-LAE-NWM"),
        (" gb-lae-nwm\n", "GB-LAE-NWM"),
        ("GB-CFS-148137", "GB-CFS-148137"),
        ("gb-lae   nwm", "GB-LAE NWM"),
    ],
)
def test_identifiers_normalise(value, expected):
    assert normalise_identifier(value) == expected


@given(st.text())
def test_name_normalisation_is_idempotent(name):
    once = normalise_organisation_name(name)
    assert normalise_organisation_name(once) == once


@given(st.text())
def test_name_keys_are_normal_forms(name):
    for key in organisation_name_keys(name):
        assert key
        assert normalise_organisation_name(key) == key


@given(st.text())
def test_identifier_normalisation_is_idempotent(value):
    once = normalise_identifier(value)
    assert normalise_identifier(once) == once


BARNET, CAMDEN, HARINGEY, HARINGEY_PARKS = 1, 2, 3, 4


def matcher():
    return OrganisationMatcher(
        [
            (BARNET, "London Borough of Barnet"),
            (BARNET, "Barnet"),
            (CAMDEN, "London Borough of Camden"),
            (CAMDEN, "Camden"),
            (HARINGEY, "London Borough of Haringey"),
            (HARINGEY_PARKS, "Haringey - Parks and Leisure"),
        ],
        [(BARNET, "GB-LAE-BNE"), (CAMDEN, "GB-LAE-CMD")],
    )


@pytest.mark.parametrize(
    ("names", "identifiers", "expected"),
    [
        (["LB Barnet"], [], BARNET),
        (["BARNET LONDON BOROUGH COUNCIL"], [""], BARNET),
        ([], ["gb-lae-cmd"], CAMDEN),
        # The identifier wins over the name.
        (["London Borough of Barnet"], ["GB-LAE-CMD"], CAMDEN),
        # An unknown identifier leaves the decision to the names.
        (["Camden Council"], ["GB-CFS-148137"], CAMDEN),
        # The whole name first, then the part before the department.
        (["London Borough of Haringey - Parks and Leisure"], [], HARINGEY_PARKS),
        (["London Borough of Haringey - Libraries"], [], HARINGEY),
        # No fuzzy matching: a near miss is no match.
        (["London Borough of Barnett"], [], None),
        (["Barnet and Camden"], [], None),
        # Names (or identifiers) that disagree are not settled by guessing.
        (["Barnet Council", "Camden Council"], [], None),
        ([], ["GB-LAE-BNE", "GB-LAE-CMD"], None),
        ([], [], None),
    ],
)
def test_matcher(names, identifiers, expected):
    assert matcher().match(names=names, identifiers=identifiers) == expected


def test_a_name_or_identifier_two_organisations_claim_matches_neither():
    ambiguous = OrganisationMatcher(
        [(BARNET, "Barnet"), (CAMDEN, "Barnet Council"), (CAMDEN, "Camden")],
        [(BARNET, "GB-X-1"), (CAMDEN, "gb-x-1"), (CAMDEN, "GB-LAE-CMD")],
    )
    assert ambiguous.match(names=["LB Barnet"], identifiers=[]) is None
    assert ambiguous.match(names=["Camden"], identifiers=["GB-X-1"]) is None
    assert ambiguous.match(names=["Camden"], identifiers=[]) == CAMDEN
    # An organisation naming itself twice is no ambiguity.
    assert matcher().match(names=["Barnet"], identifiers=[]) == BARNET


# The selector -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_matcher_reads_every_organisation_in_two_queries(
    borough_a, borough_b, staff, django_assert_num_queries
):
    for n in range(20):
        OrganisationFactory(name=f"Borough {n}", short_name=f"B{n}", slug=f"borough-{n}")
    services.organisation_alias_add(actor=staff, organisation=borough_a, kind="name", value="LBB")
    services.organisation_alias_add(
        actor=staff, organisation=borough_b, kind="identifier", value="GB-LAE-CMD"
    )
    with django_assert_num_queries(2):
        matcher = selectors.organisation_matcher()
    assert matcher.match(names=["LBB"], identifiers=[]) == borough_a.pk
    assert matcher.match(names=["Barnet"], identifiers=["gb-lae-cmd"]) == borough_b.pk
    assert matcher.match(names=["Camden"], identifiers=[]) == borough_b.pk
    assert matcher.match(names=["Borough 7 Council"], identifiers=[]) is not None
    # An identifier recorded as a name is not an identifier.
    assert matcher.match(names=[], identifiers=["LBB"]) is None


# The services -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_adding_and_removing_an_alias_is_audited(borough_a, staff):
    alias = services.organisation_alias_add(
        actor=staff, organisation=borough_a, kind="name", value="  L.B.B. "
    )
    assert (alias.value, alias.key, alias.kind) == ("L.B.B.", "lbb", "name")
    services.organisation_alias_remove(actor=staff, alias=alias)
    assert not OrganisationAlias.objects.exists()
    entries = list(AuditEntry.objects.order_by("at", "pk"))
    assert [e.action for e in entries] == ["create", "delete"]
    assert all(e.actor == staff and e.object_repr == "L.B.B." for e in entries)
    assert entries[0].changes["Value"] == [None, "L.B.B."]
    assert entries[0].changes["Kind"] == [None, "Other name"]
    assert entries[1].changes["Organisation"] == [{"id": borough_a.pk, "name": "Barnet"}, None]


@pytest.mark.django_db
def test_identifiers_are_kept_as_entered_and_matched_in_capitals(borough_a, staff):
    alias = services.organisation_alias_add(
        actor=staff, organisation=borough_a, kind="identifier", value=" gb-lae-bne "
    )
    assert (alias.value, alias.key) == ("gb-lae-bne", "GB-LAE-BNE")


def add(organisation, kind, value, actor=None):
    return services.organisation_alias_add(
        actor=actor, organisation=organisation, kind=kind, value=value
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        # The organisation's own name or short name, however written.
        ("name", "LB Barnet", "That is already the organisation's name"),
        ("name", "BARNET", "That is already the organisation's name"),
        # Another organisation's own name.
        ("name", "Camden Council", "“Camden Council” is already a name of Camden"),
        # Another organisation's alias, or this one's again.
        ("name", "The LBC", "“The LBC” is already a name of Camden"),
        ("name", "lbb", "“lbb” is already a name of Barnet"),
        ("identifier", "gb-lae-cmd", "“gb-lae-cmd” is already an identifier of Camden"),
        ("name", "", "This field cannot be blank."),
        ("name", " - ", "Enter a name or identifier with letters or numbers"),
        ("name", "x" * 201, "Ensure this value has at most 200 characters (it has 201)."),
        ("name", "&" * 100, "Enter a shorter name or identifier"),
    ],
)
def test_an_alias_that_would_be_ambiguous_is_refused(borough_a, borough_b, kind, value, message):
    add(borough_b, "name", "LBC")
    add(borough_b, "identifier", "GB-LAE-CMD")
    add(borough_a, "name", "LBB")
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        add(borough_a, kind, value)
    assert error.value.message_dict == {"value": [message]}
    assert OrganisationAlias.objects.count() == 3
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_the_same_text_may_be_a_name_of_one_and_an_identifier_of_another(borough_a, borough_b):
    add(borough_a, "name", "BNE")
    add(borough_b, "identifier", "BNE")
    matcher = selectors.organisation_matcher()
    assert matcher.match(names=["BNE"], identifiers=[]) == borough_a.pk
    assert matcher.match(names=[], identifiers=["BNE"]) == borough_b.pk


# The pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_see_aliases_on_the_organisation_page_and_others_do_not(client_as, borough_a):
    add(borough_a, "identifier", "GB-LAE-BNE")
    url = reverse("members:organisation_detail", args=["barnet"])
    html = client_as("staff").get(url).content.decode()
    assert "Other names and identifiers" in html
    assert "GB-LAE-BNE" in html
    assert reverse("members:organisation_aliases", args=["barnet"]) in html
    for persona in ("lead_a", "officer_a", "anonymous"):
        html = client_as(persona).get(url).content.decode()
        assert "Other names and identifiers" not in html
        assert "GB-LAE-BNE" not in html


@pytest.mark.django_db
def test_staff_add_an_alias(client_as, borough_a, staff):
    client = client_as("staff")
    url = reverse("members:organisation_aliases", args=["barnet"])
    response = client.post(url, {"kind": "identifier", "value": "GB-LAE-BNE"}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    html = response.content.decode()
    assert "“GB-LAE-BNE” has been added to Barnet&#x27;s identifiers." in html
    assert "GB-LAE-BNE" in html
    alias = OrganisationAlias.objects.get()
    assert (alias.organisation, alias.kind, alias.key) == (borough_a, "identifier", "GB-LAE-BNE")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor) == ("create", staff)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "href", "message"),
    [
        ({"kind": "name", "value": "Barnet Council"}, "#id_value", "already the organisation"),
        ({"kind": "name", "value": ""}, "#id_value", "Enter the name or identifier"),
        ({"value": "LBB"}, "#id_kind_0", "Select whether it is another name or an identifier"),
        (
            {"kind": "name", "value": "x" * 201},
            "#id_value",
            "The name or identifier must be 200 characters or less",
        ),
    ],
)
def test_a_rejected_alias_shows_the_error_and_saves_nothing(
    client_as, borough_a, data, href, message
):
    response = client_as("staff").post(
        reverse("members:organisation_aliases", args=["barnet"]), data
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'href="{href}"' in html
    assert "govuk-form-group--error" in html
    assert message in html.replace("&#x27;", "'")
    assert "<title>Error:" in html
    assert not OrganisationAlias.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_an_alias_already_used_elsewhere_names_its_organisation(client_as, borough_a, borough_b):
    add(borough_b, "identifier", "GB-LAE-CMD")
    response = client_as("staff").post(
        reverse("members:organisation_aliases", args=["barnet"]),
        {"kind": "identifier", "value": "gb-lae-cmd"},
    )
    assert response.context["form"].errors == {
        "value": ["“gb-lae-cmd” is already an identifier of Camden"]
    }
    assert OrganisationAlias.objects.get().organisation == borough_b


@pytest.mark.django_db
def test_staff_remove_an_alias(client_as, borough_a, staff):
    alias = add(borough_a, "name", "LBB")
    client = client_as("staff")
    page = reverse("members:organisation_aliases", args=["barnet"])
    remove = reverse("members:organisation_alias_delete", args=["barnet", alias.pk])
    assert f'action="{remove}"' in client.get(page).content.decode()
    response = client.post(remove, follow=True)
    assert response.redirect_chain == [(page, 302)]
    assert "“LBB” has been removed from Barnet." in response.content.decode()
    assert not OrganisationAlias.objects.exists()
    entry = AuditEntry.objects.get(action="delete")
    assert (entry.actor, entry.object_id) == (staff, str(alias.pk))


@pytest.mark.django_db
def test_an_alias_is_removed_only_through_its_own_organisation(client_as, borough_a, borough_b):
    alias = add(borough_b, "name", "LBC")
    response = client_as("staff").post(
        reverse("members:organisation_alias_delete", args=["barnet", alias.pk])
    )
    assert response.status_code == 404
    assert OrganisationAlias.objects.filter(pk=alias.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["lead_a", "officer_a", "officer_b", "partner"])
def test_only_staff_change_aliases(client_as, borough_a, persona):
    alias = add(borough_a, "name", "LBB")
    client = client_as(persona)
    page = reverse("members:organisation_aliases", args=["barnet"])
    assert client.post(page, {"kind": "name", "value": "Barnet LBC"}).status_code == 403
    remove = reverse("members:organisation_alias_delete", args=["barnet", alias.pk])
    assert client.post(remove).status_code == 403
    assert list(OrganisationAlias.objects.values_list("value", flat=True)) == ["LBB"]
