"""Permission matrix for the survey and the interviews: the office's, except a respondent's
personal link, which only the person it was made for may use (anyone else signed in gets a
404; an anonymous visitor is asked to sign in)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from loti.evaluation.interviews import services as interview_services
from loti.evaluation.models import Answer, Question
from loti.evaluation.surveys import services
from tests.permission_matrix import Row, case_id, cases, check, expect, posted
from tests.personas import PERSONAS, build_personas

OFFICE_ONLY = expect(anonymous=302, staff=200, others=403)
# A successful POST redirects; everyone else is refused.
OFFICE_POST = expect(anonymous=302, staff=302, others=403)
# The personal link of officer_a.
OWN_LINK = expect(anonymous=302, officer_a=200, others=404)


def url(name, *args):
    return lambda o: reverse(name, args=[o.get(a, a) for a in args])


MATRIX = [
    Row("evaluation:survey_list", "GET", url("evaluation:survey_list"), OFFICE_ONLY),
    Row("evaluation:survey_create", "GET", url("evaluation:survey_create"), OFFICE_ONLY),
    Row(
        "evaluation:survey_create",
        "POST",
        url("evaluation:survey_create"),
        OFFICE_POST,
        data={
            "title": "Member survey",
            "opens_on_0": "1",
            "opens_on_1": "6",
            "opens_on_2": "2027",
            "closes_on_0": "30",
            "closes_on_1": "6",
            "closes_on_2": "2027",
        },
    ),
    Row("evaluation:survey_detail", "GET", url("evaluation:survey_detail", "survey"), OFFICE_ONLY),
    Row("evaluation:survey_edit", "GET", url("evaluation:survey_edit", "survey"), OFFICE_ONLY),
    Row("evaluation:survey_delete", "GET", url("evaluation:survey_delete", "survey"), OFFICE_ONLY),
    # Nobody has answered the survey, so it can be deleted.
    Row("evaluation:survey_delete", "POST", url("evaluation:survey_delete", "survey"), OFFICE_POST),
    Row(
        "evaluation:question_create",
        "GET",
        url("evaluation:question_create", "survey"),
        OFFICE_ONLY,
    ),
    Row(
        "evaluation:question_create",
        "POST",
        url("evaluation:question_create", "survey"),
        OFFICE_POST,
        data={"text": "Anything else?", "kind": "free_text"},
    ),
    Row(
        "evaluation:question_edit", "GET", url("evaluation:question_edit", "question"), OFFICE_ONLY
    ),
    Row(
        "evaluation:question_delete",
        "GET",
        url("evaluation:question_delete", "question"),
        OFFICE_ONLY,
    ),
    Row(
        "evaluation:question_delete",
        "POST",
        url("evaluation:question_delete", "question"),
        OFFICE_POST,
    ),
    Row(
        "evaluation:question_move",
        "POST",
        url("evaluation:question_move", "question"),
        OFFICE_POST,
        data={"direction": "down"},
    ),
    Row(
        "evaluation:question_move",
        "GET",
        url("evaluation:question_move", "question"),
        expect(anonymous=302, staff=405, others=403),
    ),
    Row(
        "evaluation:respondents_invite",
        "GET",
        url("evaluation:respondents_invite", "survey"),
        OFFICE_ONLY,
    ),
    Row(
        "evaluation:respondents_send",
        "GET",
        url("evaluation:respondents_send", "survey"),
        OFFICE_ONLY,
    ),
    Row(
        "evaluation:respondents_send",
        "POST",
        url("evaluation:respondents_send", "survey"),
        OFFICE_POST,
    ),
    Row(
        "evaluation:respondent_withdraw",
        "POST",
        url("evaluation:respondent_withdraw", "respondent"),
        OFFICE_POST,
    ),
    Row(
        "evaluation:respondent_withdraw",
        "GET",
        url("evaluation:respondent_withdraw", "respondent"),
        expect(anonymous=302, staff=405, others=403),
    ),
    Row(
        "evaluation:survey_results", "GET", url("evaluation:survey_results", "survey"), OFFICE_ONLY
    ),
    Row(
        "evaluation:survey_results",
        "GET",
        lambda o: reverse("evaluation:survey_results", args=[o["survey"]]) + "?by=role",
        OFFICE_ONLY,
    ),
    Row("evaluation:response_form", "GET", url("evaluation:response_form", "token"), OWN_LINK),
    # The survey's one question is optional, so an empty answer sheet is saved.
    Row(
        "evaluation:response_form",
        "POST",
        url("evaluation:response_form", "token"),
        expect(anonymous=302, officer_a=302, others=404),
    ),
    Row("evaluation:response_done", "GET", url("evaluation:response_done", "token"), OWN_LINK),
    Row("evaluation:interview_list", "GET", url("evaluation:interview_list"), OFFICE_ONLY),
    Row("evaluation:interview_create", "GET", url("evaluation:interview_create"), OFFICE_ONLY),
    Row(
        "evaluation:interview_detail",
        "GET",
        url("evaluation:interview_detail", "interview"),
        OFFICE_ONLY,
    ),
    Row(
        "evaluation:interview_edit",
        "GET",
        url("evaluation:interview_edit", "interview"),
        OFFICE_ONLY,
    ),
    Row(
        "evaluation:interview_delete",
        "GET",
        url("evaluation:interview_delete", "interview"),
        OFFICE_ONLY,
    ),
    Row(
        "evaluation:interview_delete",
        "POST",
        url("evaluation:interview_delete", "interview"),
        OFFICE_POST,
    ),
    Row(
        "evaluation:passage_create",
        "GET",
        url("evaluation:passage_create", "interview"),
        OFFICE_ONLY,
    ),
    Row(
        "evaluation:passage_create",
        "POST",
        url("evaluation:passage_create", "interview"),
        OFFICE_POST,
        data={"excerpt": "We reuse specifications.", "new_themes": "Procurement collaboration"},
    ),
    Row("evaluation:passage_edit", "GET", url("evaluation:passage_edit", "passage"), OFFICE_ONLY),
    Row(
        "evaluation:passage_delete",
        "GET",
        url("evaluation:passage_delete", "passage"),
        OFFICE_ONLY,
    ),
    Row("evaluation:theme_list", "GET", url("evaluation:theme_list"), OFFICE_ONLY),
    Row("evaluation:theme_create", "GET", url("evaluation:theme_create"), OFFICE_ONLY),
    Row(
        "evaluation:theme_create",
        "POST",
        url("evaluation:theme_create"),
        OFFICE_POST,
        data={"name": "Skills and recruitment"},
    ),
    Row("evaluation:theme_detail", "GET", url("evaluation:theme_detail", "theme"), OFFICE_ONLY),
    Row("evaluation:theme_edit", "GET", url("evaluation:theme_edit", "theme"), OFFICE_ONLY),
]


MATRIX += [
    posted(MATRIX, route)
    for route in (
        "evaluation:survey_edit",
        "evaluation:question_edit",
        "evaluation:respondents_invite",
        "evaluation:interview_create",
        "evaluation:interview_edit",
        "evaluation:passage_edit",
        "evaluation:theme_edit",
    )
]
MATRIX += [
    # Removing a passage needs no form: back to its interview.
    posted(MATRIX, "evaluation:passage_delete", expect(anonymous=302, staff=302, others=403)),
]


@pytest.fixture(scope="module")
def objects(module_transaction):
    built = build_personas()
    personas = {name: built[name] for name in PERSONAS}
    officer_a, staff = built["officer_a"], built["staff"]
    today = timezone.localdate()
    survey = services.survey_create(
        actor=staff,
        title="Member value survey",
        opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=30),
    )
    question = services.question_create(
        actor=staff,
        survey=survey,
        text="What should LOTI do more of?",
        kind=Question.Kind.FREE_TEXT,
        required=False,
    )
    services.question_create(
        actor=staff,
        survey=survey,
        text="Which activities have you taken part in?",
        kind=Question.Kind.MULTIPLE,
        required=False,
        options=["Projects", "Training"],
    )
    services.respondents_invite(actor=staff, survey=survey, people=[officer_a])
    interview = interview_services.interview_create(
        actor=staff,
        held_on=datetime.date(2025, 9, 8),
        interviewee="Head of Digital at a member borough",
        notes="We reuse specifications.",
    )
    theme = interview_services.theme_create(actor=staff, name="Data sharing")
    passage = interview_services.passage_create(
        actor=staff, interview=interview, excerpt="We reuse specifications.", themes=[theme]
    )
    return {
        "personas": personas,
        "survey": survey.pk,
        "question": question.pk,
        "token": survey.respondents.get().token,
        "respondent": survey.respondents.get().pk,
        "interview": interview.pk,
        "passage": passage.pk,
        "theme": theme.slug,
    }


@pytest.mark.parametrize(("row", "persona"), cases(MATRIX), ids=case_id)
def test_permission_matrix(db, client, objects, row, persona):
    check(client, objects, row, persona)


def test_a_forwarded_link_saves_nothing_for_someone_else(db, client, objects):
    client.force_login(objects["personas"]["officer_b"])
    url = reverse("evaluation:response_form", args=[objects["token"]])
    question = objects["question"]
    response = client.post(url, {f"q{question}": "Someone else's view"})
    assert response.status_code == 404
    assert not Answer.objects.exists()
    client.force_login(objects["personas"]["officer_a"])
    response = client.post(url, {f"q{question}": "My own view"})
    assert response.status_code == 302
    assert Answer.objects.get().text == "My own view"
