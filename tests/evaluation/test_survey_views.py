"""The survey's pages: building it, inviting, answering through a personal link, results."""

import datetime

import pytest
from django.urls import reverse

from loti.evaluation.models import Answer, Question, Respondent, Survey
from loti.members.models import Tier
from tests import clock
from tests.evaluation.survey_builders import answer, invite, option, questions
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

AFTER = datetime.datetime(2026, 7, 15, 12, tzinfo=datetime.UTC)


def link(respondent):
    return reverse("evaluation:response_form", args=[respondent.token])


def full_answers(survey, *, likert="agree"):
    q_likert, q_multiple, q_single, q_free = questions(survey)
    return {
        f"q{q_likert.pk}": likert,
        f"q{q_multiple.pk}": [option(q_multiple, "Projects"), option(q_multiple, "Training")],
        f"q{q_single.pk}": option(q_single, "Every week"),
        f"q{q_free.pk}": "More joint buying",
    }


def test_staff_create_a_survey_and_add_a_choice_question(client_as):
    client = client_as("staff")
    response = client.post(
        reverse("evaluation:survey_create"),
        {
            "title": "Member survey",
            "opens_on_0": "1",
            "opens_on_1": "6",
            "opens_on_2": "2026",
            "closes_on_0": "30",
            "closes_on_1": "6",
            "closes_on_2": "2026",
        },
    )
    survey = Survey.objects.get(title="Member survey")
    assert response.status_code == 302
    assert response["Location"] == survey.get_absolute_url()
    url = reverse("evaluation:question_create", args=[survey.pk])
    response = client.post(url, {"text": "How often?", "kind": "single", "options": "Often"})
    assert response.status_code == 200
    assert "Enter at least 2 options, one on each line" in response.content.decode()
    response = client.post(
        url, {"text": "How often?", "kind": "single", "options": "Often\nRarely", "required": "on"}
    )
    assert response.status_code == 302
    question = survey.questions.get()
    assert list(question.options.values_list("label", flat=True)) == ["Often", "Rarely"]
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "How often?" in page and "Rarely" in page


def test_an_empty_survey_form_shows_govuk_errors(client_as):
    response = client_as("staff").post(reverse("evaluation:survey_create"), {})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the title of the survey" in page
    assert "Enter the date the survey opens" in page
    assert not Survey.objects.exists()


def test_a_survey_closing_before_it_opens_is_refused_on_the_form(client_as):
    response = client_as("staff").post(
        reverse("evaluation:survey_create"),
        {
            "title": "Backwards",
            "opens_on_0": "30",
            "opens_on_1": "6",
            "opens_on_2": "2026",
            "closes_on_0": "1",
            "closes_on_1": "6",
            "closes_on_2": "2026",
        },
    )
    assert "The closing date must be the same as or after the opening date" in (
        response.content.decode()
    )
    assert not Survey.objects.exists()


def test_the_question_pages_say_when_the_questions_can_no_longer_change(
    client_as, survey, officer_a
):
    (respondent,) = invite(survey, officer_a)
    answer(respondent)
    client = client_as("staff")
    assert "can no longer be changed" in client.get(survey.get_absolute_url()).content.decode()
    likert = survey.questions.first()
    response = client.post(
        reverse("evaluation:question_edit", args=[likert.pk]),
        {"text": "Changed", "kind": "likert", "required": "on"},
    )
    assert "people have already answered the survey" in response.content.decode()
    response = client.post(reverse("evaluation:question_delete", args=[likert.pk]))
    assert response.status_code == 302
    assert Question.objects.filter(pk=likert.pk, text__startswith="LOTI helps").exists()


def test_moving_a_question_down(client_as, survey):
    first = survey.questions.first()
    client_as("staff").post(
        reverse("evaluation:question_move", args=[first.pk]), {"direction": "down"}
    )
    assert list(survey.questions.values_list("pk", flat=True))[1] == first.pk


def test_inviting_leads_and_officers_of_chosen_organisations(
    client_as, survey, borough_a, borough_b, lead_a, officer_a, officer_b, partner, frozen
):
    response = client_as("staff").post(
        reverse("evaluation:respondents_invite", args=[survey.pk]),
        {"organisations": [borough_a.pk, borough_b.pk], "roles": ["lead", "officer"]},
    )
    assert response.status_code == 302
    assert set(survey.respondents.values_list("person__email", flat=True)) == {
        lead_a.email,
        officer_a.email,
        officer_b.email,
    }


def test_inviting_with_nothing_chosen_says_what_to_choose(client_as, survey, lead_a, frozen):
    response = client_as("staff").post(
        reverse("evaluation:respondents_invite", args=[survey.pk]), {}
    )
    page = response.content.decode()
    assert "Select at least one organisation, or every core member" in page
    assert "Select at least one role" in page
    assert not survey.respondents.exists()


def test_inviting_every_core_member_of_this_financial_year(
    client_as, survey, borough_a, borough_b, lead_a, officer_a, officer_b, frozen
):
    # 10 June 2026 is in the financial year 2026-27: Barnet is a core member, Camden not.
    MembershipFactory(organisation=borough_a, year=2026, tier=Tier.CORE)
    MembershipFactory(organisation=borough_b, year=2025, tier=Tier.CORE)
    MembershipFactory(organisation=borough_b, year=2026, tier=Tier.NON_MEMBER, fee_due=0)
    response = client_as("staff").post(
        reverse("evaluation:respondents_invite", args=[survey.pk]),
        {"core_members": "on", "roles": ["lead", "officer"]},
    )
    assert response.status_code == 302
    assert set(survey.respondents.values_list("person__email", flat=True)) == {
        lead_a.email,
        officer_a.email,
    }


def test_sending_shows_the_links_and_emails_them(client_as, survey, lead_a, mailoutbox, frozen):
    (respondent,) = invite(survey, lead_a)
    client = client_as("staff")
    page = client.get(reverse("evaluation:respondents_send", args=[survey.pk])).content.decode()
    assert f"http://testserver{link(respondent)}" in page
    response = client.post(reverse("evaluation:respondents_send", args=[survey.pk]))
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert f"http://testserver{link(respondent)}" in mailoutbox[0].body
    respondent.refresh_from_db()
    assert respondent.invited_at is not None


def test_an_anonymous_visitor_to_a_link_is_asked_to_sign_in_and_brought_back(
    client, survey, officer_a
):
    (respondent,) = invite(survey, officer_a)
    response = client.get(link(respondent))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/sign-in/?next={link(respondent)}"


def test_the_respondent_answers_every_question_on_one_page(client_as, survey, officer_a, frozen):
    (respondent,) = invite(survey, officer_a)
    client = client_as("officer_a")
    page = client.get(link(respondent)).content.decode()
    assert 'type="radio"' in page and 'type="checkbox"' in page and "<textarea" in page
    assert "Don&#x27;t know" in page or "Don't know" in page
    response = client.post(link(respondent), full_answers(survey))
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:response_done", args=[respondent.token])
    respondent.refresh_from_db()
    assert respondent.submitted_at is not None
    assert Answer.objects.filter(respondent=respondent).count() == 4


def test_missing_required_answers_are_shown_and_nothing_is_saved(
    client_as, survey, officer_a, frozen
):
    (respondent,) = invite(survey, officer_a)
    q_likert, _, q_single, _ = questions(survey)
    response = client_as("officer_a").post(link(respondent), {f"q{q_single.pk}": "not-an-option"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select an answer to question 1" in page
    assert "Select at least one answer to question 2" in page
    assert "Select one of the options for question 3" in page
    assert f'href="#id_q{q_likert.pk}_0"' in page
    assert not Answer.objects.exists()
    respondent.refresh_from_db()
    assert respondent.submitted_at is None


def test_the_respondent_comes_back_to_their_answers_and_changes_them(
    client_as, survey, officer_a, frozen
):
    (respondent,) = invite(survey, officer_a)
    answer(respondent, likert="agree", more="More events")
    client = client_as("officer_a")
    page = client.get(link(respondent)).content.decode()
    assert 'value="agree" checked' in page
    assert "More events" in page
    assert "Save changes" in page
    client.post(link(respondent), full_answers(survey, likert="strongly_disagree"))
    q_likert = survey.questions.first()
    assert Answer.objects.get(respondent=respondent, question=q_likert).likert == (
        "strongly_disagree"
    )


def test_after_the_close_the_answers_are_shown_but_cannot_change(client_as, survey, officer_a):
    (respondent,) = invite(survey, officer_a)
    answer(respondent, likert="agree")
    client = client_as("officer_a")
    with clock.frozen(AFTER):
        page = client.get(link(respondent)).content.decode()
        response = client.post(link(respondent), full_answers(survey, likert="disagree"))
    assert "This survey closed on 30 June 2026" in page
    assert "Agree" in page
    assert '<form method="post" novalidate>' not in page
    assert response.status_code == 200
    q_likert = survey.questions.first()
    assert Answer.objects.get(respondent=respondent, question=q_likert).likert == "agree"


def test_a_link_used_by_another_signed_in_person_is_not_found_and_saves_nothing(
    client_as, survey, officer_a, frozen
):
    (respondent,) = invite(survey, officer_a)
    for persona in ("officer_b", "lead_a", "staff"):
        client = client_as(persona)
        assert client.get(link(respondent)).status_code == 404
        assert client.post(link(respondent), full_answers(survey)).status_code == 404
        done = reverse("evaluation:response_done", args=[respondent.token])
        assert client.get(done).status_code == 404
    assert not Answer.objects.exists()
    assert Respondent.objects.get(pk=respondent.pk).submitted_at is None


def test_a_respondent_sees_only_their_own_answers(client_as, survey, officer_a, lead_a, frozen):
    mine, theirs = invite(survey, officer_a, lead_a)
    answer(theirs, more="A secret from the lead")
    answer(mine, more="My own suggestion")
    page = client_as("officer_a").get(link(mine)).content.decode()
    assert "My own suggestion" in page
    assert "A secret from the lead" not in page


def test_results_show_aggregates_without_names(client_as, survey, officer_a, lead_a, frozen):
    a, b = invite(survey, officer_a, lead_a)
    answer(a, likert="agree", more="More joint buying")
    answer(b, likert="dont_know")
    page = client_as("staff").get(reverse("evaluation:survey_results", args=[survey.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "2 of 2 invited answered (100%)" in text
    assert "100% (95% interval 21% to 100%; 1 of n = 1)" in text
    assert "More joint buying" in text
    assert officer_a.full_name not in text and lead_a.full_name not in text
    assert 'data-chart="question-' in text
    assert "Answers to: 1. LOTI helps my organisation collaborate" in text


def test_results_can_be_broken_down_by_organisation(client_as, survey, borough_a, frozen):
    people = [PersonFactory(email=f"p{n}@barnet.example", organisation=borough_a) for n in range(3)]
    for respondent in invite(survey, *people):
        answer(respondent, likert="agree")
    page = client_as("staff").get(
        reverse("evaluation:survey_results", args=[survey.pk]) + "?by=organisation"
    )
    text = page.content.decode()
    assert "Agreement by organisation: question 1" in text
    assert "Barnet" in text
    assert "at least 3 people in it answered" in text
