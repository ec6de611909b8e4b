"""Who may share what with whom, worked out by hand (tests/datasharing/coverage_world.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loti.datasharing.coverage import selectors
from loti.datasharing.models import Category
from tests.datasharing.coverage_world import build_coverage_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(module_transaction):
    return build_coverage_world()


@pytest.fixture
def world(db, built):
    return built


def counts_by_name(matrix):
    return {(a.name, b.name): n for a, b, n in matrix.cells()}


def test_the_overall_matrix_is_the_hand_computed_one(world):
    matrix = selectors.coverage_matrix(user=world["officer_a"])
    assert [o.name for o in matrix.ordered] == ["Barnet", "Camden", "Hackney", "Met Police"]
    expected = {
        ("Barnet", "Camden"): 1,
        ("Barnet", "Met Police"): 1,
        ("Barnet", "Hackney"): 1,
        ("Camden", "Met Police"): 2,
        ("Camden", "Hackney"): 1,
        ("Hackney", "Met Police"): 1,
    }
    both_ways = expected | {(b, a): n for (a, b), n in expected.items()}
    assert counts_by_name(matrix) == both_ways
    assert matrix.pair_count() == 6


def test_a_withdrawn_party_an_unsigned_version_and_an_expired_agreement_share_nothing(world):
    matrix = selectors.coverage_matrix(user=None)
    # Islington withdrew from admissions, and the old placements have ended.
    assert "Islington" not in [o.name for o in matrix.ordered]
    titles = {named.name for named in matrix.agreement_names.values()}
    assert titles == {"London safeguarding", "Youth offending", "School admissions"}
    # Housing needs awaits Barnet's signature: it adds nothing to Barnet and Camden.
    assert counts_by_name(matrix)[("Barnet", "Camden")] == 1


def test_each_pair_names_its_agreements_and_categories(world):
    matrix = selectors.coverage_matrix(user=None)
    camden = next(o for o in matrix.ordered if o.name == "Camden")
    pairs = {pair.b.name: pair for pair in matrix.pairs_of([camden])}
    assert set(pairs) == {"Barnet", "Hackney", "Met Police"}
    met = pairs["Met Police"]
    assert [a.name for a in met.agreements] == ["London safeguarding", "Youth offending"]
    assert met.categories == [
        "Personal data",
        "Special category data",
        "Criminal offence data",
    ]
    assert pairs["Hackney"].categories == ["Personal data", "Criminal offence data"]


def test_one_agreement_s_matrix_is_its_parties_sharing_under_it(world):
    matrix = selectors.coverage_matrix(user=None, agreement=world["youth"])
    assert [o.name for o in matrix.ordered] == ["Camden", "Hackney", "Met Police"]
    assert set(counts_by_name(matrix).values()) == {1}
    assert matrix.pair_count() == 3
    none = selectors.coverage_matrix(user=None, agreement=world["consultation"])
    assert none.ordered == [] and none.pair_count() == 0


def test_the_matrix_takes_a_fixed_number_of_queries(world):
    with CaptureQueriesContext(connection) as cold:
        selectors.coverage_matrix(user=world["partner"])
    with CaptureQueriesContext(connection) as kept:
        selectors.coverage_matrix(user=world["officer_a"])
    # The registry's state, who shares and the categories, then the names; once kept, the
    # state and the names.
    assert (len(cold), len(kept)) == (5, 3)


def ask(world, a, b, category, purpose="", user="officer_b"):
    return selectors.can_we_share(
        user=world[user] if user else None,
        a=world[a],
        b=world[b],
        category=category,
        purpose=purpose,
    )


def test_an_agreement_in_force_covers_the_question_with_its_clauses(world):
    answer = ask(world, "borough_a", "borough_b", Category.SPECIAL)
    assert [c.agreement.title for c in answer.covering] == ["London safeguarding"]
    clause = answer.covering[0]
    assert [item.name for item in clause.items] == ["Care needs"]
    assert clause.party_a.organisation == world["borough_a"]
    assert clause.party_b.get_role_display() == "Joint controller"
    assert clause.version.number == 1
    assert answer.nearest == []


def test_the_purpose_ranks_the_agreements_that_cover_it(world):
    youth = ask(world, "borough_b", "police", Category.PERSONAL, "youth reoffending cases")
    assert [c.agreement.title for c in youth.covering] == [
        "Youth offending",
        "London safeguarding",
    ]
    assert youth.covering[0].score > youth.covering[1].score == 0
    care = ask(world, "borough_b", "police", Category.PERSONAL, "social care placements")
    assert care.covering[0].agreement.title == "London safeguarding"


def test_the_data_items_are_for_those_who_read_details(world):
    public = ask(world, "borough_a", "borough_b", Category.SPECIAL, user=None)
    assert public.covering[0].items is None
    # The Met's partner reads the details of agreements the Met is party to.
    partner = ask(world, "borough_b", "police", Category.CRIMINAL, user="partner")
    assert [item.name for item in partner.covering[0].items] == ["Offending history"]
    partner_elsewhere = ask(world, "borough_a", "hackney", Category.PERSONAL, user="partner")
    assert partner_elsewhere.covering[0].items is None


def test_no_agreement_for_the_category_names_the_nearest_and_what_they_lack(world):
    answer = ask(world, "borough_a", "borough_b", Category.CRIMINAL)
    assert answer.covering == [] and answer.total == 0
    nearest = {near.agreement.title: near.missing for near in answer.nearest}
    assert nearest == {
        "London safeguarding": "It covers Barnet and Camden, but not criminal offence data.",
        "Youth offending": "Barnet is not a party to it.",
    }


def test_a_withdrawn_party_and_an_ended_agreement_are_said_to_be_so(world):
    answer = ask(world, "borough_a", "islington", Category.PERSONAL)
    assert answer.covering == []
    nearest = {near.agreement.title: near.missing for near in answer.nearest}
    assert nearest["School admissions"] == "Islington withdrew from it on 1 May 2025."
    assert nearest["Old placements"] == "It ended on 30 June 2025."


def test_an_agreement_awaiting_a_signature_is_near(world):
    answer = ask(world, "borough_b", "borough_a", Category.PSEUDONYMISED)
    assert answer.covering == []
    assert answer.nearest[0].missing.startswith("It covers Camden and Barnet")
    special = ask(world, "borough_a", "borough_b", Category.SPECIAL, user="staff")
    assert [c.agreement.title for c in special.covering] == ["London safeguarding"]
    awaiting = ask(world, "borough_a", "borough_b", Category.PERSONAL, user="staff")
    assert [c.agreement.title for c in awaiting.covering] == ["London safeguarding"]
