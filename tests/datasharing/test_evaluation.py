"""The evaluation counts what the registry saves from its records: one agreement's signed
parties (n of them replace n(n-1)/2 bilateral agreements), or every agreement in force, where
a pair of organisations sharing under several agreements is counted once and each agreement
covering a pair is one made instead."""

import datetime
import itertools
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from loti.core.permissions import Role
from loti.datasharing import evaluation as records
from loti.datasharing.agreements import services as agreement_services
from loti.datasharing.models import Category
from loti.evaluation import appraisal
from loti.evaluation.activities import selectors, services
from loti.evaluation.activities import summary as report
from loti.evaluation.models import Activity
from tests import clock
from tests.factories import OrganisationFactory, PersonFactory

TODAY = datetime.date(2026, 11, 22)
frozen = clock.frozen_fixture(TODAY, autouse=False)
# The financial year 2025/26: its agreements are counted on its last day.
YEAR = 2025
YEAR_END = datetime.date(2026, 3, 31)


# Counting pairs, by hand and against every pair listed.


def test_one_group_of_n_holds_n_n_minus_1_over_2_pairs():
    assert records.pairs_covered([]) == 0
    assert records.pairs_covered([[7]]) == 0
    assert records.pairs_covered([[1, 2]]) == 1
    assert records.pairs_covered([[1, 2, 3]]) == 3
    assert records.pairs_covered([range(34)]) == 561


def test_a_pair_in_several_groups_is_counted_once():
    # {1,2,3,4}: 6 pairs; {3,4,5}: 3 pairs, of which {3,4} is already counted; {1,2}: already
    # counted; {6,7}: 1 new. 6 + 2 + 0 + 1 = 9.
    assert records.pairs_covered([[1, 2, 3, 4], [3, 4, 5], [2, 1], [6, 7]]) == 9
    # The same organisation listed twice in a group is one member.
    assert records.pairs_covered([[1, 1, 2]]) == 1
    assert records.pairs_covered([[1, 2], [1, 2], [2, 1]]) == 1


@given(st.lists(st.lists(st.integers(0, 20), max_size=8), max_size=6))
def test_pairs_covered_is_the_number_of_distinct_pairs(groups):
    pairs = {frozenset(pair) for group in groups for pair in itertools.combinations(set(group), 2)}
    assert records.pairs_covered(groups) == len(pairs)


def test_the_engine_counts_pairs_less_the_agreements_made_instead():
    scenario = {
        "title": "Every agreement in force",
        "start_year": 2025,
        "discounting": {"schedule": "green_book"},
        "costs": [{"year": 0, "amount": 10_000}],
        "benefits": [
            {
                "model": "avoided_pairs",
                "first_year": 0,
                "last_year": 0,
                "inputs": {"pairs": 562, "agreements": 2, "cost_per_agreement": 2_500},
            }
        ],
    }
    result = appraisal.appraise(scenario)
    assert result["pv_benefits"] == 560 * 2_500
    assert any("2 agreements instead of a bilateral" in line for line in result["assumptions"])
    del scenario["benefits"][0]["inputs"]["agreements"]
    assert any("agreements" in error for error in appraisal.validate(scenario))


# The registry's records, through the services.


CONTENT = {
    "purpose": "To prevent homelessness",
    "benefits": "Households helped sooner",
    "article6": "e",
    "data_subjects": "Households at risk of homelessness",
    "transfer_method": "Secure file transfer",
    "frequency": "monthly",
    "security": "Access by role, with multi-factor authentication",
    "retention": "Six years after the last contact",
    "deletion": "Deleted from every system within 90 days",
    "rights": "Each party answers the requests made to it",
    "privacy_information": "Each party's privacy notice names the sharing",
    "breach_reporting": "Within 24 hours to the other parties",
}


def organisations(count):
    found = []
    for n in range(count):
        organisation = OrganisationFactory(name=f"London Borough of Test {n}")
        PersonFactory(organisation=organisation, role=Role.LEAD, job_title="Director of Digital")
        found.append(organisation)
    return found


def agreement(parties, *, title, signed=None, start=datetime.date(2025, 5, 1)):
    """An agreement between `parties`, signed by the leads of `signed` (by default all)."""
    made = agreement_services.agreement_create(
        actor=None,
        organisation=None,
        title=title,
        version=CONTENT
        | {"start_date": start, "review_date": start + datetime.timedelta(days=3 * 365)},
        data_items=[{"name": "Name", "category": Category.PERSONAL}],
        parties=[{"organisation": o, "role": "controller"} for o in parties],
    )
    agreement_services.agreement_open(actor=None, agreement=made)
    for organisation in parties if signed is None else signed:
        agreement_services.agreement_sign(
            actor=organisation.people.get(role=Role.LEAD),
            agreement=made,
            version_number=1,
            capacity="Director of Digital",
        )
    made.refresh_from_db()
    return made


def activity(title="Data-sharing agreements", **fields):
    made = services.activity_create(
        actor=None,
        title=title,
        **{
            "benefit_model": "avoided_duplication",
            "baseline_structure": "bilateral",
            "replacement_structure": "multi_party",
            "quantity_year": YEAR,
        }
        | fields,
    )
    services.activity_costs_set(
        actor=None,
        activity=made,
        costs=[{"financial_year": YEAR, "staff_time": Decimal(1_000), "external_spend": 0}],
    )
    services.activity_inputs_set(
        actor=None,
        activity=made,
        inputs={
            "cost_per_agreement": {
                "value": Decimal(1_000),
                "source": "Five days of a lawyer's time",
                "confidence": "medium",
            }
        },
    )
    return made


def test_one_agreements_signed_parties_on_the_years_last_day(frozen, db):
    orgs = organisations(5)
    shared = agreement(orgs, title="Homelessness prevention")
    drawn = activity(quantity_from="agreement_parties", quantity_agreement=shared)
    (parties,) = selectors.drawn_figures(drawn)
    assert (parties.key, parties.value, parties.unit) == ("parties", 5, "parties")
    assert "the parties that signed “Homelessness prevention”" in parties.source
    assert "31 March 2026" in parties.source
    # 5 parties: 10 bilateral agreements, less the one that replaces them, at £1,000.
    assert selectors.activity_appraisal(activity=drawn)["result"]["pv_benefits"] == 9_000
    # A party that withdrew before the year's end no longer counts; 4: 6 - 1 agreements.
    party = shared.in_force_version.parties.get(organisation=orgs[0])
    agreement_services.party_withdraw(
        actor=None, party=party, on=datetime.date(2026, 1, 10), reason="Service ended"
    )
    assert selectors.drawn_figures(drawn)[0].value == 4
    assert selectors.activity_appraisal(activity=drawn)["result"]["pv_benefits"] == 5_000


def test_an_agreement_not_in_force_that_year_gives_no_parties_and_says_so(frozen, db):
    orgs = organisations(3)
    waiting = agreement(orgs, title="Awaiting signatures", signed=orgs[:2])
    later = agreement(orgs, title="Starts later", start=datetime.date(2026, 6, 1))
    for shared in (waiting, later):
        drawn = activity(
            title=shared.title, quantity_from="agreement_parties", quantity_agreement=shared
        )
        assert selectors.drawn_figures(drawn)[0].value == 0
        appraised = selectors.activity_appraisal(activity=drawn)
        assert not appraised["ready"]
        assert appraised["problems"] == [
            f"Fewer than two parties shared under “{shared.title}” in the financial year of "
            "the records: select another agreement or year"
        ]


def test_every_agreement_in_force_counts_each_pair_once(frozen, db):
    a, b, c, d, e, f = organisations(6)
    agreement([a, b, c, d], title="North London")  # 6 pairs
    agreement([c, d, e], title="Three boroughs")  # 3 pairs, {c, d} already counted
    agreement([a, b], title="Two boroughs")  # its pair already counted: nothing new
    agreement([e, f], title="Awaiting one", signed=[e])  # not in force
    covered = records.coverage(on=YEAR_END)
    assert (covered.organisations, covered.pairs, covered.agreements) == (5, 8, 3)
    drawn = activity(quantity_from="agreements_in_force")
    pairs, agreements = selectors.drawn_figures(drawn)
    assert (pairs.key, pairs.value, agreements.key, agreements.value) == (
        "pairs",
        8,
        "agreements",
        3,
    )
    scenario = selectors.activity_scenario(drawn)
    assert scenario["benefits"][0]["model"] == "avoided_pairs"
    assert "baseline" not in scenario["benefits"][0]
    # Without the registry, 8 bilateral agreements; with it, 3 were made: 5 avoided.
    result = selectors.activity_appraisal(activity=drawn)["result"]
    assert result["pv_benefits"] == 5 * 1_000
    assert report.headline(drawn, {"ready": True, "result": result}).startswith(
        "Saved a potential £5,000"
    )


def test_the_page_says_both_counts_came_from_the_registrys_records(frozen, db, client, staff):
    agreement(organisations(4), title="North London")
    drawn = activity(quantity_from="agreements_in_force")
    client.force_login(staff)
    html = unescape(client.get(drawn.get_absolute_url()).content.decode())
    rows = html.split("<tbody", 2)[1].split("</tbody>")[0].split("<tr")[1:]
    pairs, agreements, cost = rows
    assert "Pairs of organisations sharing" in pairs and "6 pairs" in pairs
    assert "From records" in pairs and "each pair counted once" in pairs
    assert "Agreements made instead" in agreements and "1 agreement" in agreements
    assert "From records" in agreements
    assert "Entered" in cost and "From records" not in cost
    assert "The pairs of organisations sharing and agreements made instead both came" in html
    assert "a pair sharing under several agreements is counted once" in html
    # 6 pairs less 1 agreement, at £1,000.
    assert "£5,000" in html


def test_records_must_suit_the_benefit_model_and_arrangement(frozen, db):
    with pytest.raises(ValidationError, match="Select the agreement whose signed parties"):
        activity(quantity_from="agreement_parties")
    with pytest.raises(ValidationError, match="or enter the number of parties"):
        activity(quantity_from="library_reuses")
    with pytest.raises(ValidationError, match="Select bilateral agreements without"):
        activity(quantity_from="agreements_in_force", baseline_structure="hub_and_spoke")
    with pytest.raises(ValidationError, match="agreements' records give the number of parties"):
        activity(
            benefit_model="market_rate",
            baseline_structure="",
            replacement_structure="",
            quantity_from="agreements_in_force",
        )


def test_the_activity_form_takes_an_agreement_and_forgets_it_for_other_records(
    frozen, db, client, staff
):
    shared = agreement(organisations(3), title="Homelessness prevention")
    client.force_login(staff)
    form = {
        "title": "Data-sharing agreements",
        "benefit_model": "avoided_duplication",
        "baseline_structure": "bilateral",
        "replacement_structure": "multi_party",
        "first_benefit_year": "0",
        "benefit_years": "1",
        "discounting": "green_book",
        "optimism_bias": "none",
        "monte_carlo_draws": "10000",
        "monte_carlo_seed": "2021",
        "quantity_from": "agreement_parties",
        "quantity_year": str(YEAR),
    }
    url = reverse("evaluation:activity_create")
    page = client.get(url).content.decode()
    assert "Homelessness prevention" in page
    missing = client.post(url, form).content.decode()
    assert "Select the agreement whose signed parties are counted" in missing
    assert client.post(url, {**form, "quantity_agreement": str(shared.pk)}).status_code == 302
    saved = Activity.objects.get()
    assert saved.quantity_agreement == shared
    edit = reverse("evaluation:activity_edit", args=[saved.slug])
    changed = {**form, "quantity_from": "agreements_in_force", "quantity_agreement": shared.pk}
    assert client.post(edit, changed).status_code == 302
    saved.refresh_from_db()
    assert (saved.quantity_from, saved.quantity_agreement) == ("agreements_in_force", None)
