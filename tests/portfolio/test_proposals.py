import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from loti.core.models import AuditEntry
from loti.portfolio.calls import selectors, services
from loti.portfolio.models import Assessment, Proposal
from tests import clock
from tests.portfolio.call_helpers import make_call, make_proposal, make_workstream

TODAY = clock.TODAY

pytestmark = pytest.mark.django_db


frozen_today = clock.frozen_fixture()


@pytest.fixture
def open_call(db):
    make_workstream()
    return make_call(today=TODAY, stage="proposing", title="Call for ideas 2027")


def _posted(workstream, **overrides):
    return {
        "title": "Shared digital inclusion hub",
        "problem": "Residents without internet access cannot reach council services online.",
        "outcome": "A hub every borough can refer residents to for devices and skills.",
        "type": "adoption",
        "workstream": str(workstream.pk),
        "estimated_cost": "£45,000",
        "chunks": "3",
        "ethical_considerations": "Referrals carry personal data; consent is recorded.",
        **overrides,
    }


def test_an_officer_proposes_an_idea_for_their_own_organisation(
    client_as, open_call, officer_a, borough_a, borough_b
):
    workstream = make_workstream()
    response = client_as("officer_a").post(
        reverse("portfolio:proposal_create", args=[open_call.slug]),
        _posted(workstream, supporters=[str(borough_b.pk)]),
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.organisation == borough_a
    assert proposal.proposer == officer_a
    assert list(proposal.supporters.all()) == [borough_b]
    assert str(proposal.estimated_cost) == "45000.00"
    assert AuditEntry.objects.filter(object_repr=proposal.title, actor=officer_a).exists()


def test_an_officer_cannot_propose_for_another_organisation(open_call, officer_a, borough_b):
    with pytest.raises(PermissionDenied):
        make_proposal(call=open_call, organisation=borough_b, actor=officer_a)


def test_staff_choose_the_proposing_organisation(client_as, open_call, borough_b):
    response = client_as("staff").post(
        reverse("portfolio:proposal_create", args=[open_call.slug]),
        _posted(make_workstream(), organisation=str(borough_b.pk)),
    )
    assert response.status_code == 302
    assert Proposal.objects.get().organisation == borough_b


def test_the_proposing_organisation_cannot_also_support_it(client_as, open_call, borough_a):
    response = client_as("officer_a").post(
        reverse("portfolio:proposal_create", args=[open_call.slug]),
        _posted(make_workstream(), organisation="", supporters=[str(borough_a.pk)]),
    )
    assert response.status_code == 200
    assert "Select organisations from the list" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_proposal_needs_its_title_and_a_whole_number_of_chunks(client_as, open_call):
    response = client_as("officer_a").post(
        reverse("portfolio:proposal_create", args=[open_call.slug]),
        _posted(make_workstream(), title="", chunks="two"),
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the title of the idea" in page
    assert "The number of six-week chunks must be a whole number" in page
    assert not Proposal.objects.exists()


def test_proposals_are_refused_outside_the_proposal_window(client_as, borough_a):
    make_workstream()
    later = make_call(today=TODAY, stage="upcoming")
    with pytest.raises(ValidationError, match="proposals open on"):
        services.proposal_create(
            actor=None,
            call=later,
            organisation=borough_a,
            today=TODAY,
            title="Too early",
            problem="p",
            outcome="o",
            type="capability",
            workstream=make_workstream(),
            estimated_cost=1000,
            chunks=1,
        )
    response = client_as("officer_a").get(
        reverse("portfolio:proposal_create", args=[later.slug]), follow=True
    )
    assert "is not open for proposals" in response.content.decode()


def test_checking_for_similar_work_lists_it_and_saves_nothing(client_as, open_call, borough_b):
    earlier = make_call(today=TODAY, stage="closed", title="Call for ideas 2026")
    make_proposal(
        call=earlier,
        organisation=borough_b,
        title="Digital inclusion device lending",
        problem="Residents without internet access or devices cannot use online services.",
        outcome="Devices lent to residents through libraries",
    )
    make_proposal(
        call=earlier,
        organisation=borough_b,
        title="Parking permit data standard",
        problem="Every borough stores parking permits differently.",
        outcome="One schema for permits",
    )
    response = client_as("officer_a").post(
        reverse("portfolio:proposal_create", args=[open_call.slug]),
        {
            "action": "similar",
            "title": "Digital inclusion hub",
            "problem": "Residents without internet access miss online services",
            "outcome": "",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Similar work" in page
    assert "Digital inclusion device lending" in page
    assert "Parking permit data standard" not in page
    # What was typed is shown again, without error messages: nothing was judged or saved.
    assert 'value="Digital inclusion hub"' in page
    assert "There is a problem" not in page
    assert Proposal.objects.count() == 2


def test_the_similar_work_list_follows_the_typing_for_the_forms_script(
    client_as, open_call, borough_b
):
    own = make_proposal(call=open_call, organisation=borough_b, title="Digital inclusion hub")
    other = make_proposal(
        call=open_call, organisation=borough_b, title="Digital inclusion device lending"
    )
    client = client_as("officer_a")
    url = reverse("portfolio:similar")
    page = client.get(url, {"text": "digital inclusion for residents", "exclude": own.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert other.get_absolute_url() in html
    assert own.get_absolute_url() not in html
    assert "<html" not in html  # a fragment for the page, not a page
    empty = client.get(url, {"text": "", "exclude": "not a number"}).content.decode()
    assert "No similar resources, proposals or projects were found." in empty


def test_similar_work_includes_projects(open_call, borough_a, officer_a):
    from loti.portfolio.models import Project

    project = Project.objects.create(
        title="Temporary accommodation data standard",
        slug="ta-standard",
        introduction="A common data standard for temporary accommodation placements.",
        lead_organisation=borough_a,
        type="innovation",
        workstream=make_workstream(),
        budget=50000,
        started_on=TODAY,
    )
    found = selectors.similar_work(
        user=officer_a, text="Common data standard for temporary accommodation"
    )
    assert found[0]["title"] == project.title
    assert found[0]["kind"] == "Project"
    assert found[0]["url"] == project.get_absolute_url()


def test_a_proposal_is_changed_by_its_own_organisation_while_proposals_are_open(
    client_as, open_call, borough_a
):
    proposal = make_proposal(call=open_call, organisation=borough_a)
    url = reverse("portfolio:proposal_edit", args=[proposal.pk])
    assert client_as("officer_b").get(url).status_code == 403
    response = client_as("lead_a").post(
        url, _posted(make_workstream(), title="Shared digital inclusion service", chunks="4")
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.chunks) == ("Shared digital inclusion service", 4)


def test_members_cannot_change_a_proposal_once_proposals_close(open_call, borough_a, officer_a):
    proposal = make_proposal(call=open_call, organisation=borough_a)
    after = open_call.proposals_close_on + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="proposals closed on"):
        services.proposal_update(actor=officer_a, proposal=proposal, today=after, title="Late")


def test_staff_score_every_criterion_with_a_reason_and_see_the_weighted_score(
    client_as, open_call, borough_a
):
    proposal = make_proposal(call=open_call, organisation=borough_a)
    relevance, benefit = open_call.criteria.all()  # weights 2 and 1
    client = client_as("staff")
    url = reverse("portfolio:proposal_assess", args=[proposal.pk])
    response = client.post(
        url,
        {
            f"score_{relevance.pk}": "5",
            f"rationale_{relevance.pk}": "Squarely in data collaboration.",
            f"score_{benefit.pk}": "2",
            f"rationale_{benefit.pk}": "",
        },
    )
    assert "Enter the reason for the score for clear benefit to London" in response.content.decode()
    assert not Assessment.objects.exists()
    client.post(
        url,
        {
            f"score_{relevance.pk}": "5",
            f"rationale_{relevance.pk}": "Squarely in data collaboration.",
            f"score_{benefit.pk}": "2",
            f"rationale_{benefit.pk}": "Benefits two boroughs only.",
        },
    )
    assert Assessment.objects.filter(proposal=proposal).count() == 2
    # (5 * 2 + 2 * 1) / 3 = 4.00
    page = client_as("officer_b").get(proposal.get_absolute_url()).content.decode()
    assert "<strong>4.00</strong> out of 5" in page
    assert "Benefits two boroughs only." in page


def test_criteria_scores_are_the_weight_normalised_mean_of_the_assessments(
    open_call, borough_a, borough_b, staff
):
    scored = make_proposal(call=open_call, organisation=borough_a)
    half = make_proposal(call=open_call, organisation=borough_b, title="Half scored")
    unscored = make_proposal(call=open_call, organisation=borough_b, title="Not scored")
    relevance, benefit = open_call.criteria.all()
    services.assessment_set(
        actor=staff, proposal=scored, scores={relevance: (3, "Fair"), benefit: (4, "Good")}
    )
    services.assessment_set(actor=staff, proposal=half, scores={benefit: (1, "Weak")})
    assert selectors.criteria_scores(open_call) == {
        scored.pk: pytest.approx((3 * 2 + 4 * 1) / 3),
        half.pk: 1.0,
        unscored.pk: None,
    }


def test_one_assessment_per_proposal_and_criterion_and_a_new_score_replaces_the_old(
    open_call, borough_a, staff
):
    proposal = make_proposal(call=open_call, organisation=borough_a)
    relevance, _ = open_call.criteria.all()
    services.assessment_set(actor=staff, proposal=proposal, scores={relevance: (2, "First")})
    services.assessment_set(actor=staff, proposal=proposal, scores={relevance: (4, "Second")})
    assessment = Assessment.objects.get()
    assert (assessment.score, assessment.rationale) == (4, "Second")


def test_only_the_office_assesses(open_call, borough_a, lead_a):
    proposal = make_proposal(call=open_call, organisation=borough_a)
    relevance, _ = open_call.criteria.all()
    with pytest.raises(PermissionDenied):
        services.assessment_set(actor=lead_a, proposal=proposal, scores={relevance: (5, "Mine")})


def test_a_new_proposal_can_start_from_values_in_its_address(
    client_as, frozen_today, open_call, borough_b
):
    # Another page (an opportunity to buy together) opens the form with its text filled in;
    # the form still checks everything when it is submitted.
    url = reverse("portfolio:proposal_create", args=[open_call.slug])
    query = f"?title=Buying+together&problem=Four+boroughs&supporters={borough_b.pk}&supporters=x"
    form = client_as("officer_a").get(url + query).context["form"]
    assert form["title"].value() == "Buying together"
    assert form["problem"].value() == "Four boroughs"
    assert form["outcome"].value() in (None, "")
    assert [int(pk) for pk in form["supporters"].value()] == [borough_b.pk]
    long = client_as("officer_a").get(url + "?title=" + "x" * 500).context["form"]
    assert len(long["title"].value()) == 200
    # What is not an id is left out, never an error: a superscript two is a digit to Python,
    # and a number past the database's integers would fail a query.
    odd = client_as("officer_a").get(url + "?supporters=%C2%B2&supporters=" + "9" * 30)
    assert odd.status_code == 200
    assert odd.context["form"]["supporters"].value() in (None, [])


def test_where_a_proposal_can_be_started_from_another_page(db, personas):
    from loti.core.proposals import proposal_start

    upcoming = make_call(today=TODAY, stage="upcoming", title="Spring ideas")
    none_open = proposal_start(user=personas["officer_a"], today=TODAY, prefill={"title": "T"})
    assert not none_open.url
    assert none_open.reason == (
        "No call for ideas is open for proposals now. Spring ideas opens for proposals on "
        f"{upcoming.proposals_open_on.day} {upcoming.proposals_open_on:%B %Y}."
    )
    call = make_call(today=TODAY, stage="proposing", title="Open ideas")
    start = proposal_start(user=personas["officer_a"], today=TODAY, prefill={"title": "T"})
    assert start.url == reverse("portfolio:proposal_create", args=[call.slug]) + "?title=T"
    assert start.call_title == "Open ideas"
    partner = proposal_start(user=personas["partner"], today=TODAY, prefill={})
    assert not partner.url and "may propose" in partner.reason
