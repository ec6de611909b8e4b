"""The registry's demo: the London data-sharing agreement signed by its 34 parties, and the
evaluation reproducing the published £1,400,000 from those signatures rather than from a
typed number. Built twice for this module (its tests only read it), to show that the same
seed builds the same registry: only the demos it needs, the members' and the evaluation's
activities."""

import datetime
import random
from html import unescape

import pytest
from django.db import transaction

from loti.datasharing import demo
from loti.datasharing import evaluation as records
from loti.datasharing.agreements import selectors as agreement_selectors
from loti.datasharing.models import Agreement, Party, Screening, Signature
from loti.evaluation import appraisal
from loti.evaluation.activities import demo as activities_demo
from loti.evaluation.activities import selectors
from loti.evaluation.activities import summary as report
from loti.evaluation.models import Activity
from loti.members import demo as members_demo
from tests import clock

TODAY = datetime.date(2026, 11, 22)
frozen_today = clock.frozen_fixture(TODAY, scope="module", autouse=False)


def _build(seed: str) -> None:
    members_demo.build(rng=random.Random(f"{seed}:members"), today=TODAY)
    demo.build(rng=random.Random(f"{seed}:datasharing"), today=TODAY)


def fingerprint() -> dict:
    """What the registry's demo made, without primary keys or the moments of writing."""
    return {
        "agreements": sorted(
            Agreement.objects.values_list("title", "slug", "status", "organisation__slug")
        ),
        "parties": sorted(
            Party.objects.values_list(
                "version__agreement__slug",
                "version__number",
                "version__start_date",
                "version__review_date",
                "organisation__slug",
                "role",
            )
        ),
        "screenings": sorted(
            (screening.agreement.slug, sorted(screening.answers.items()), screening.required)
            for screening in Screening.objects.select_related("agreement")
        ),
        "signatures": sorted(
            Signature.objects.values_list(
                "party__version__agreement__slug",
                "party__version__number",
                "party__organisation__slug",
                "person__email",
                "name",
                "capacity",
                "signed_at",
            )
        ),
    }


@pytest.fixture(scope="module")
def built(module_transaction, frozen_today):
    """The demo built once and undone, then built again and kept: the two fingerprints."""
    with transaction.atomic():
        _build("1")
        first = fingerprint()
        transaction.set_rollback(True)
    _build("1")
    activities_demo.build(rng=random.Random("1:evaluation"), today=TODAY)
    return first, fingerprint()


@pytest.fixture
def london(built):
    return Agreement.objects.get(title=demo.LONDON)


def test_the_demo_is_the_same_for_the_same_seed(db, built):
    first, second = built
    assert first == second
    assert len(first["signatures"]) == 34 + 34 + 3 * 2 + 2


def test_the_london_agreement_is_in_force_for_its_34_signed_parties(db, london):
    assert london.status == Agreement.Status.SIGNED
    version = london.in_force_version
    assert version.number == 2 and london.current_version_id == version.pk
    parties = version.parties.select_related("organisation", "signature__person")
    kinds = sorted(party.organisation.kind for party in parties)
    assert kinds.count("london_borough") == 32
    assert kinds.count("city_corporation") == 1 and kinds.count("police") == 1
    for party in parties:
        person = party.signature.person
        # Each signed by the one who signs for it: a borough's lead, the Met's signatory.
        assert person.organisation_id == party.organisation_id
        assert person.role == "lead" or (person.role == "partner" and person.signs_agreements)
        assert party.signature.capacity == person.job_title
    # Signed again after the review of a year and a half ago; the 2020 signatures are kept.
    first = london.versions.get(number=1)
    signed_2020 = Signature.objects.filter(party__version=first).values_list("signed_at", flat=True)
    assert len(signed_2020) == 34
    assert all(datetime.date(2020, 7, 6) <= day.date() < version.start_date for day in signed_2020)
    again = [party.signature.signed_at.date() for party in parties]
    assert all(TODAY - datetime.timedelta(days=540) <= day < version.start_date for day in again)
    assert version.start_date <= TODAY < version.review_date
    assert records.signed_parties(agreement_id=london.pk, on=TODAY) == 34


def test_the_bilateral_agreements_one_due_for_review_and_one_awaiting_two_signatures(db, built):
    agreements = agreement_selectors.with_status(Agreement.objects.all(), today=TODAY)
    by_title = {agreement.title: agreement for agreement in agreements}
    nhs = Party.objects.filter(organisation__kind="nhs")
    assert nhs.values("organisation").distinct().count() == 3
    due = by_title["Healthy homes referrals: Southwark and Guy's and St Thomas'"]
    assert due.current_status == Agreement.Status.SIGNED
    assert TODAY < due.in_force_version.review_date <= TODAY + datetime.timedelta(days=60)
    waiting = by_title["Frailty and falls prevention: Barnet, Enfield, Haringey and the Royal Free"]
    assert waiting.current_status == Agreement.Status.CONSULTATION
    unsigned = waiting.current_version.parties.filter(signature__isnull=True)
    assert sorted(unsigned.values_list("organisation__short_name", flat=True)) == [
        "Barnet",
        "Royal Free London",
    ]
    # Screened for a DPIA, all but the Lambeth one: the London agreement's answers need one.
    screened = Screening.objects.select_related("agreement")
    assert screened.count() == 4
    assert screened.get(agreement__title=demo.LONDON).required
    assert not screened.get(agreement=due).required
    in_force = [a for a in agreements if a.current_status == Agreement.Status.SIGNED]
    assert len(in_force) == 4
    assert all(a.synthetic for a in agreements)


def test_across_every_agreement_in_force_the_bilateral_ones_avoid_nothing(db, built):
    # The London agreement's 561 pairs, and one pair for each of the three bilateral
    # agreements in force (none of whose NHS trusts is a party to the London agreement):
    # 564 pairs, less the 4 agreements made, is the London agreement's 560.
    covered = records.coverage(on=TODAY)
    assert (covered.organisations, covered.pairs, covered.agreements) == (37, 564, 4)


@pytest.fixture
def activity(built):
    return Activity.objects.get(title="Multi-party data-sharing agreement")


def test_the_evaluation_reproduces_1_4m_from_the_34_signatures(db, activity, london):
    assert activity.quantity_from == Activity.QuantityFrom.AGREEMENT_PARTIES
    assert activity.quantity_agreement == london
    # Not typed: no entered number of parties, only the cost of one agreement.
    assert list(activity.inputs.values_list("name", flat=True)) == ["cost_per_agreement"]
    (parties,) = selectors.drawn_figures(activity)
    assert (parties.key, parties.value) == ("parties", 34)
    scenario = selectors.activity_scenario(activity)
    assert scenario["benefits"][0]["inputs"]["parties"] == 34
    result = appraisal.appraise(scenario)
    # 34 x 33 / 2 = 561 bilateral agreements, less the one that replaced them, at £2,500.
    assert result["pv_benefits"] == pytest.approx(560 * 2_500) == 1_400_000
    appraised = selectors.activity_appraisal(activity=activity)
    assert report.headline(activity, appraised).startswith("Saved a potential £1.4m")


def test_the_activity_page_says_the_parties_came_from_the_agreements_signatures(
    db, activity, client, staff
):
    client.force_login(staff)
    html = unescape(client.get(activity.get_absolute_url()).content.decode())
    rows = html.split("<tbody", 2)[1].split("</tbody>")[0].split("<tr")[1:]
    parties, cost = rows
    assert "Number of parties" in parties and "34 parties" in parties
    assert "From records" in parties and "Entered" not in parties
    assert "the parties that signed “The London data-sharing agreement”" in parties
    assert "Entered" in cost and "£2,500" in cost
    assert (
        "The number of parties came from the platform's records (the signed parties of "
        "“The London data-sharing agreement”" in html
    )
    assert "£1,400,000" in html
