"""Drafting, changing, signing and withdrawing agreements, and who may read them."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from loti.datasharing.agreements import selectors, services
from loti.datasharing.lawful_basis import Article9, Article10, Schedule1
from loti.datasharing.models import Agreement, Category, DataItem, Party, Signature, Version
from tests.datasharing.world import (
    START,
    build_world,
    items,
    make_agreement,
    parties,
    sign,
    version_fields,
)
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def create(world, actor=None, organisation=None, **kwargs):
    values = {
        "title": "Troubled families",
        "version": version_fields(),
        "data_items": items(),
        "parties": parties(world["borough_a"], world["borough_b"]),
    } | kwargs
    return services.agreement_create(actor=actor, organisation=organisation, **values)


def test_a_draft_holds_its_first_version_with_items_and_parties(world):
    agreement = create(world, actor=world["officer_a"], organisation=world["borough_a"])
    assert agreement.status == Agreement.Status.DRAFT
    assert agreement.current_version.number == 1
    assert agreement.in_force_version is None
    assert [i.name for i in agreement.current_version.data_items.all()] == [
        "Name and address",
        "Care needs",
    ]
    assert agreement.current_version.parties.count() == 2
    assert agreement.created_by == world["officer_a"]


def test_special_category_data_needs_an_article_9_condition(world):
    with pytest.raises(ValidationError) as excinfo:
        create(world, version=version_fields(article9="", schedule1=""))
    assert "Article 9 condition" in errors_of(excinfo)["article9"][0]
    assert not Agreement.objects.filter(title="Troubled families").exists()


def test_criminal_offence_data_needs_an_article_10_basis(world):
    with pytest.raises(ValidationError) as excinfo:
        create(
            world,
            data_items=items(Category.CRIMINAL),
            version=version_fields(article9="", schedule1=""),
        )
    assert "Article 10" in errors_of(excinfo)["article10"][0]


def test_a_schedule_1_condition_must_meet_the_article_9_condition(world):
    with pytest.raises(ValidationError) as excinfo:
        create(world, version=version_fields(schedule1=Schedule1.FRAUD))
    assert "does not" in errors_of(excinfo)["schedule1"][0]
    with pytest.raises(ValidationError) as excinfo:
        create(world, version=version_fields(schedule1=""))
    assert errors_of(excinfo)["schedule1"] == [
        "Select the condition in Schedule 1 of the DPA 2018 that applies"
    ]
    # Explicit consent needs no Schedule 1 condition; naming one is refused.
    with pytest.raises(ValidationError) as excinfo:
        create(world, version=version_fields(article9=Article9.EXPLICIT_CONSENT))
    assert "Remove the Schedule 1 condition" in errors_of(excinfo)["schedule1"][0]
    agreement = create(
        world, version=version_fields(article9=Article9.EXPLICIT_CONSENT, schedule1="")
    )
    assert agreement.current_version.schedule1 == ""


def test_criminal_data_authorised_by_law_takes_any_schedule_1_condition(world):
    agreement = create(
        world,
        data_items=items(Category.CRIMINAL),
        version=version_fields(
            article9="", schedule1=Schedule1.CRIMINAL_PART_2, article10=Article10.SCHEDULE_1
        ),
    )
    assert agreement.current_version.article10 == Article10.SCHEDULE_1


def test_a_review_date_before_the_start_is_refused(world):
    with pytest.raises(ValidationError) as excinfo:
        create(world, version=version_fields(review_date=START - datetime.timedelta(days=1)))
    assert errors_of(excinfo)["review_date"] == [
        "The review date must be the same as or after the start date"
    ]
    assert not Version.objects.filter(
        purpose__startswith="Plan", agreement__title="Troubled families"
    ).exists()


def test_a_party_added_twice_is_refused_naming_it(world):
    barnet = world["borough_a"]
    with pytest.raises(ValidationError) as excinfo:
        create(world, parties=parties(barnet, barnet, world["borough_b"]))
    assert errors_of(excinfo)["parties"] == [f"{barnet} is added twice: add each party once"]


def test_every_problem_is_reported_at_once_and_nothing_is_saved(world):
    before = (Agreement.objects.count(), Version.objects.count(), DataItem.objects.count())
    with pytest.raises(ValidationError) as excinfo:
        create(
            world,
            title=" ",
            data_items=[{"name": "", "category": Category.PERSONAL}],
            parties=parties(world["borough_a"]),
            version=version_fields(purpose="", review_date=START - datetime.timedelta(days=1)),
        )
    assert set(errors_of(excinfo)) == {"title", "purpose", "data_items", "parties", "review_date"}
    assert (Agreement.objects.count(), Version.objects.count(), DataItem.objects.count()) == before


def test_a_member_drafts_only_for_their_own_organisation_as_a_party(world):
    with pytest.raises(PermissionDenied):
        create(world, actor=world["officer_a"], organisation=world["borough_b"])
    with pytest.raises(ValidationError) as excinfo:
        create(
            world,
            actor=world["officer_a"],
            organisation=world["borough_a"],
            parties=parties(world["borough_b"], world["police"]),
        )
    assert "Add Barnet as a party" in errors_of(excinfo)["parties"][0]
    with pytest.raises(PermissionDenied):
        create(world, actor=world["partner"], organisation=world["police"])


def test_a_slug_never_takes_a_word_of_the_registrys_addresses(world):
    agreement = create(world, title="Coverage")
    assert agreement.slug not in services.RESERVED_SLUGS
    assert agreement.slug == "coverage-agreement"


def test_in_force_only_when_every_party_has_signed(world):
    agreement = world["consultation"]
    assert agreement.status == Agreement.Status.CONSULTATION
    assert agreement.in_force_version is None
    sign(agreement, world["lead_a"])
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED
    assert agreement.in_force_version == agreement.current_version
    signature = Signature.objects.get(
        party__organisation=world["borough_a"], party__version=agreement.current_version
    )
    assert (signature.name, signature.capacity) == ("Lee Lead", "Chief Digital Officer")


def test_an_officer_may_not_sign_and_a_partner_signs_only_with_the_flag(world):
    agreement = make_agreement(None, None, [world["borough_a"], world["police"]], title="Met")
    services.agreement_open(actor=None, agreement=agreement)
    for person in (world["officer_a"], world["partner"], world["staff"]):
        assert services.signing_party(person, agreement) is None
        with pytest.raises(PermissionDenied):
            sign(agreement, person)
    assert services.signing_party(world["signatory"], agreement).organisation == world["police"]
    sign(agreement, world["signatory"])


def test_a_lead_of_an_organisation_outside_the_agreement_may_not_sign(world):
    other = PersonFactory(
        role="lead", organisation=OrganisationFactory(name="London Borough of Brent")
    )
    with pytest.raises(PermissionDenied):
        sign(world["consultation"], other)


def test_a_draft_is_not_open_for_signature(world):
    with pytest.raises(ValidationError, match="not open for signature"):
        sign(world["barnet_draft"], world["lead_a"])


def test_signing_twice_is_refused(world):
    with pytest.raises(ValidationError, match="already signed version 1"):
        sign(world["signed"], world["lead_a"])


def test_a_change_after_a_signature_is_a_new_version_every_party_signs_again(world):
    agreement = world["signed"]
    first = agreement.current_version
    with pytest.raises(ValidationError) as excinfo:
        update(world, agreement)
    assert errors_of(excinfo)["change_summary"]
    version = update(world, agreement, change_summary="Adds pseudonymised case numbers")
    agreement.refresh_from_db()
    first.refresh_from_db()
    assert version.number == 2 and agreement.current_version == version
    assert first.superseded_at is not None
    # The signed version stays in force until the new one is signed by everyone.
    assert agreement.in_force_version == first
    assert agreement.status == Agreement.Status.SIGNED
    assert first.parties.filter(signature__isnull=False).count() == 3
    assert version.parties.filter(signature__isnull=False).count() == 0
    for person in (world["lead_a"], world["lead_b"]):
        sign(agreement, person)
    agreement.refresh_from_db()
    assert agreement.in_force_version == first
    sign(agreement, world["signatory"])
    agreement.refresh_from_db()
    assert agreement.in_force_version == version


def update(world, agreement, **kwargs):
    values = {
        "title": agreement.title,
        "version": version_fields(),
        "data_items": items(Category.PERSONAL, Category.SPECIAL, Category.PSEUDONYMISED),
        "parties": parties(world["borough_a"], world["borough_b"], world["police"]),
    } | kwargs
    return services.agreement_update(actor=world["staff"], agreement=agreement, **values)


def test_a_signature_on_a_superseded_version_is_refused(world):
    agreement = world["signed"]
    update(world, agreement, change_summary="Adds pseudonymised case numbers")
    with pytest.raises(ValidationError) as excinfo:
        services.agreement_sign(
            actor=world["lead_a"], agreement=agreement, version_number=1, capacity="CDO"
        )
    assert errors_of(excinfo)["version"] == [
        "Version 1 has been replaced by version 2: read the new version and sign that"
    ]


def test_a_change_before_any_signature_is_made_in_place(world):
    agreement = world["barnet_draft"]
    version = update(
        world, agreement, parties=parties(world["borough_a"], world["police"]), title="Renamed"
    )
    agreement.refresh_from_db()
    assert version.number == 1 and agreement.title == "Renamed"
    assert {p.organisation for p in version.parties.all()} == {world["police"], world["borough_a"]}
    assert Version.objects.filter(agreement=agreement).count() == 1


def test_only_the_drafting_organisation_and_the_office_change_an_agreement(world):
    with pytest.raises(PermissionDenied):
        services.agreement_update(
            actor=world["officer_b"],
            agreement=world["barnet_draft"],
            title="Mine now",
            version=version_fields(),
            data_items=items(),
            parties=parties(world["borough_a"], world["borough_b"]),
        )
    assert services.may_write(world["officer_a"], world["barnet_draft"])
    assert not services.may_write(world["lead_a"], world["signed"])  # the office drafted it
    assert services.may_write(world["staff"], world["signed"])


def test_a_party_withdraws_and_the_others_stay_in_force(world):
    agreement = world["signed"]
    met = agreement.current_version.parties.get(organisation=world["police"])
    with pytest.raises(PermissionDenied):
        services.party_withdraw(actor=world["partner"], party=met, on=None, reason="")
    with pytest.raises(ValidationError) as excinfo:
        services.party_withdraw(actor=world["signatory"], party=met, on=None, reason=" ")
    assert set(errors_of(excinfo)) == {"on", "reason"}
    services.party_withdraw(
        actor=world["signatory"], party=met, on=datetime.date(2026, 1, 1), reason="Merged"
    )
    met.refresh_from_db()
    assert met.withdrawn_on == datetime.date(2026, 1, 1) and met.withdrawal_reason == "Merged"
    sharing = selectors.in_force_parties(on=datetime.date(2026, 2, 1)).filter(
        version__agreement=agreement
    )
    assert {p.organisation for p in sharing} == {world["borough_a"], world["borough_b"]}
    before = selectors.in_force_parties(on=datetime.date(2025, 12, 31)).filter(
        version__agreement=agreement
    )
    assert before.count() == 3


def test_a_withdrawal_can_complete_the_signatures_a_version_awaited(world):
    agreement = make_agreement(
        None, None, [world["borough_a"], world["borough_b"], world["police"]], title="Three"
    )
    services.agreement_open(actor=None, agreement=agreement)
    sign(agreement, world["lead_a"])
    sign(agreement, world["lead_b"])
    met = agreement.current_version.parties.get(organisation=world["police"])
    services.party_withdraw(actor=world["staff"], party=met, on=START, reason="Not needed")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SIGNED


def test_a_withdrawn_agreement_shares_nothing_and_cannot_change(world):
    agreement = world["signed"]
    with pytest.raises(ValidationError) as excinfo:
        services.agreement_withdraw(actor=world["staff"], agreement=agreement, on=None, reason="")
    assert set(errors_of(excinfo)) == {"withdrawn_on", "withdrawal_reason"}
    services.agreement_withdraw(
        actor=world["staff"], agreement=agreement, on=datetime.date(2026, 3, 1), reason="Replaced"
    )
    assert not selectors.in_force_parties().filter(version__agreement=agreement).exists()
    with pytest.raises(ValidationError, match="withdrawn agreement cannot be changed"):
        update(world, agreement, change_summary="Too late")


def test_status_follows_the_dates_of_the_version_in_force(world):
    agreement = world["signed"]
    review = agreement.in_force_version.review_date

    def status(day):
        return (
            selectors.with_status(Agreement.objects.filter(pk=agreement.pk), today=day)
            .get()
            .current_status
        )

    assert status(review - datetime.timedelta(days=1)) == Agreement.Status.SIGNED
    assert status(review) == Agreement.Status.REVIEW_DUE
    Version.objects.filter(pk=agreement.in_force_version_id).update(end_date=review)
    assert status(review + datetime.timedelta(days=1)) == Agreement.Status.EXPIRED


def test_drafts_are_read_only_by_their_organisations_and_the_office(world):
    def slugs(user):
        return set(selectors.agreements_seen_by(user).values_list("slug", flat=True))

    public = slugs(world["anonymous"] or _anonymous())
    assert public == {world["signed"].slug, world["consultation"].slug}
    assert world["barnet_draft"].slug in slugs(world["officer_a"])
    assert world["draft"].slug not in slugs(world["officer_a"])
    assert world["draft"].slug in slugs(world["partner"])  # the Met is a party
    assert world["draft"].slug in slugs(world["officer_b"])
    assert slugs(world["staff"]) >= {world["draft"].slug, world["barnet_draft"].slug}


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_details_are_for_members_the_office_and_the_parties_partners(world):
    anonymous = _anonymous()
    assert not selectors.reads_details(anonymous, world["signed"])
    assert selectors.reads_details(world["officer_b"], world["signed"])
    assert selectors.reads_details(world["partner"], world["signed"])  # the Met is a party
    assert not selectors.reads_details(world["partner"], world["consultation"])
    assert selectors.reads_details(world["staff"], world["consultation"])


@pytest.mark.django_db(transaction=True)
def test_concurrent_signatures_of_one_party_leave_one():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: there is no race to lose")
    world = build_world()
    agreement = world["consultation"]
    second_lead = PersonFactory(role="lead", organisation=world["borough_a"])
    barrier = threading.Barrier(2)
    outcomes = []

    def sign_as(person):
        try:
            barrier.wait()
            services.agreement_sign(
                actor=person, agreement=agreement, version_number=1, capacity="CDO"
            )
            outcomes.append("signed")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_as, args=(p,)) for p in (world["lead_a"], second_lead)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [
        "Barnet has already signed version 1",
        "signed",
    ]
    assert (
        Signature.objects.filter(
            party__version=agreement.current_version, party__organisation=world["borough_a"]
        ).count()
        == 1
    )
    assert Party.objects.filter(version=agreement.current_version).count() == 2
