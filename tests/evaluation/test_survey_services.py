"""Building a survey, inviting people, answering it and reading its results."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from loti.core.models import AuditEntry
from loti.core.permissions import Role
from loti.evaluation.models import Answer, Question, Respondent, Survey
from loti.evaluation.surveys import selectors as survey_selectors
from loti.evaluation.surveys import services as survey_services
from tests import clock
from tests.evaluation.survey_builders import (
    AFTER,
    CLOSES,
    DURING,
    OPENS,
    answer,
    invite,
    make_survey,
    option,
    questions,
)
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_a_survey_must_close_on_or_after_it_opens():
    with pytest.raises(ValidationError) as error:
        survey_services.survey_create(
            actor=None, title="Backwards", opens_on=CLOSES, closes_on=OPENS
        )
    assert error.value.message_dict["closes_on"] == [
        "The closing date must be the same as or after the opening date"
    ]


def test_a_surveys_state_follows_its_dates(survey):
    assert survey.state_on(OPENS - datetime.timedelta(days=1)) == Survey.State.NOT_OPEN
    assert survey.state_on(OPENS) == Survey.State.OPEN
    assert survey.state_on(CLOSES) == Survey.State.OPEN
    assert survey.state_on(CLOSES + datetime.timedelta(days=1)) == Survey.State.CLOSED


def test_a_choice_question_needs_two_options_and_keeps_them_in_order(survey):
    with pytest.raises(ValidationError) as error:
        survey_services.question_create(
            actor=None, survey=survey, text="Pick", kind=Question.Kind.SINGLE, options=["Only"]
        )
    assert error.value.message_dict["options"] == ["Enter at least 2 options, one on each line"]
    question = survey_services.question_create(
        actor=None, survey=survey, text="Pick", kind=Question.Kind.SINGLE, options=["B", "A", " "]
    )
    assert list(question.options.values_list("label", flat=True)) == ["B", "A"]
    assert question.order == 5


def test_editing_a_questions_options_keeps_the_options_still_there(survey):
    _, multiple, _, _ = questions(survey)
    kept = multiple.options.get(label="Projects").pk
    survey_services.question_update(
        actor=None, question=multiple, options=["Peer networks", "Projects"], text="Which?"
    )
    multiple.refresh_from_db()
    assert multiple.text == "Which?"
    assert list(multiple.options.values_list("pk", "label")) == [
        (multiple.options.get(label="Peer networks").pk, "Peer networks"),
        (kept, "Projects"),
    ]


def test_questions_can_be_moved_up_and_down(survey):
    likert, multiple, single, free = questions(survey)
    survey_services.question_move(actor=None, question=single, up=True)
    assert list(survey.questions.all()) == [likert, single, multiple, free]
    survey_services.question_move(actor=None, question=likert, up=True)  # already first
    survey_services.question_move(actor=None, question=likert, up=False)
    assert list(survey.questions.all()) == [single, likert, multiple, free]


def test_questions_cannot_change_once_someone_has_answered(survey, officer_a):
    (respondent,) = invite(survey, officer_a)
    answer(respondent)
    likert, *_ = questions(survey)
    message = "The questions cannot be changed because people have already answered the survey"
    with pytest.raises(ValidationError, match=message):
        survey_services.question_update(actor=None, question=likert, text="Changed")
    with pytest.raises(ValidationError, match=message):
        survey_services.question_delete(actor=None, question=likert)
    with pytest.raises(ValidationError, match=message):
        survey_services.question_move(actor=None, question=likert, up=False)
    with pytest.raises(ValidationError, match=message):
        survey_services.question_create(
            actor=None, survey=survey, text="New", kind=Question.Kind.LIKERT
        )
    likert.refresh_from_db()
    assert likert.text.startswith("LOTI helps")


def test_once_answered_the_closing_date_may_move_but_not_the_opening_date(survey, officer_a):
    (respondent,) = invite(survey, officer_a)
    answer(respondent)
    with pytest.raises(ValidationError) as error:
        survey_services.survey_update(
            actor=None, survey=survey, opens_on=DURING + datetime.timedelta(days=1)
        )
    assert error.value.message_dict["opens_on"] == [
        "The opening date cannot change because people have already answered"
    ]
    later = CLOSES + datetime.timedelta(days=14)
    survey_services.survey_update(actor=None, survey=survey, closes_on=later, opens_on=OPENS)
    survey.refresh_from_db()
    assert (survey.opens_on, survey.closes_on) == (OPENS, later)


def test_inviting_makes_one_personal_link_per_person_and_skips_those_invited(
    survey, staff, lead_a, officer_a
):
    created = survey_services.respondents_invite(
        actor=staff, survey=survey, people=[lead_a, officer_a], today=OPENS
    )
    again = survey_services.respondents_invite(
        actor=staff, survey=survey, people=[officer_a], today=OPENS
    )
    assert (created, again) == (2, 0)
    respondent = survey.respondents.get(person=lead_a)
    assert respondent.organisation == lead_a.organisation
    assert respondent.role == Role.LEAD
    tokens = set(survey.respondents.values_list("token", flat=True))
    assert len(tokens) == 2
    assert all(len(token) >= 43 for token in tokens)
    assert AuditEntry.objects.filter(object_repr=str(respondent), actor=staff).exists()


def test_the_database_refuses_a_second_link_for_the_same_person(survey, officer_a):
    (respondent,) = invite(survey, officer_a)
    duplicate = Respondent(survey=survey, person=officer_a, role=officer_a.role)
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    assert respondent.pk


def test_nobody_is_invited_to_a_closed_survey(survey, officer_a):
    with pytest.raises(ValidationError, match="The survey closed on 30 June 2026"):
        survey_services.respondents_invite(
            actor=None, survey=survey, people=[officer_a], today=AFTER
        )


def test_sending_emails_each_person_their_link_once(survey, staff, lead_a, officer_a, mailoutbox):
    invite(survey, lead_a, officer_a)
    with clock.frozen(datetime.datetime(2026, 6, 2, 9, tzinfo=datetime.UTC)):
        sent = survey_services.invitations_send(
            actor=staff,
            survey=survey,
            link_for=lambda r: f"https://loti.example{r.response_url()}",
            today=OPENS,
        )
    assert sent == 2
    assert sorted(m.to[0] for m in mailoutbox) == sorted([lead_a.email, officer_a.email])
    to_lead = next(m for m in mailoutbox if m.to == [lead_a.email])
    token = survey.respondents.get(person=lead_a).token
    assert f"https://loti.example/evaluation/surveys/respond/{token}/" in to_lead.body
    assert to_lead.subject == "Please answer: Member value survey 2026"
    assert survey.respondents.filter(invited_at__isnull=True).count() == 0
    again = survey_services.invitations_send(
        actor=staff, survey=survey, link_for=lambda r: "x", today=OPENS
    )
    assert again == 0
    assert len(mailoutbox) == 2


def test_answers_are_saved_and_can_be_changed_until_the_close(survey, officer_a):
    (respondent,) = invite(survey, officer_a)
    answer(respondent, likert="agree", activities=("Projects", "Training"), more="More events")
    first = Respondent.objects.get(pk=respondent.pk)
    assert first.submitted_at is not None
    answer(respondent, likert="disagree", activities=("Training",), day=CLOSES)
    likert, multiple, _, free = questions(survey)
    assert Answer.objects.filter(respondent=respondent).count() == 3
    assert Answer.objects.get(respondent=respondent, question=likert).likert == "disagree"
    chosen = Answer.objects.get(respondent=respondent, question=multiple).options
    assert list(chosen.values_list("label", flat=True)) == ["Training"]
    # The optional free-text answer was cleared, so it is no longer stored.
    assert not Answer.objects.filter(respondent=respondent, question=free).exists()
    respondent.refresh_from_db()
    assert respondent.submitted_at == first.submitted_at
    assert respondent.updated_at >= first.updated_at


@pytest.mark.parametrize(
    ("day", "message"),
    [(OPENS - datetime.timedelta(days=1), "The survey opens on 1 June 2026"), (AFTER, "closed")],
)
def test_answers_are_refused_outside_the_open_dates(survey, officer_a, day, message):
    (respondent,) = invite(survey, officer_a)
    with pytest.raises(ValidationError, match=message):
        answer(respondent, day=day)
    assert not Answer.objects.exists()


def test_a_required_question_must_be_answered_and_nothing_is_saved_otherwise(survey, officer_a):
    (respondent,) = invite(survey, officer_a)
    likert, multiple, _, _ = questions(survey)
    with pytest.raises(ValidationError, match="Answer “How often"):
        survey_services.response_submit(
            respondent=respondent,
            answers={likert.pk: "agree", multiple.pk: [option(multiple, "Projects")]},
            today=DURING,
        )
    assert not Answer.objects.exists()
    respondent.refresh_from_db()
    assert respondent.submitted_at is None


def test_an_option_of_another_question_is_refused(survey, officer_a):
    (respondent,) = invite(survey, officer_a)
    likert, multiple, single, _ = questions(survey)
    with pytest.raises(ValidationError, match="Choose from the options given"):
        survey_services.response_submit(
            respondent=respondent,
            answers={
                likert.pk: "agree",
                multiple.pk: [option(single, "Rarely")],
                single.pk: option(single, "Rarely"),
            },
            today=DURING,
        )
    assert not Answer.objects.exists()


def _answered(survey, answers):
    """One person per answer, in their own organisation unless given."""
    for number, (likert, organisation) in enumerate(answers):
        person = PersonFactory(
            email=f"answer{number}@example.gov.uk",
            role=Role.OFFICER if number % 2 else Role.LEAD,
            organisation=organisation or OrganisationFactory(),
        )
        (respondent,) = invite(survey, person)
        answer(respondent, likert=likert, activities=("Projects",) if number % 2 else ("Training",))


def test_report_findings_give_the_share_agreeing_with_its_interval(survey):
    values = ["strongly_agree"] * 3 + ["agree"] * 5 + ["disagree", "strongly_disagree"]
    _answered(survey, [(v, None) for v in [*values, "dont_know", "dont_know"]])
    (finding,) = survey_selectors.report_findings(survey=survey)
    assert finding.question.startswith("LOTI helps")
    assert (finding.n, finding.agree) == (10, 8)
    assert finding.agree_share == pytest.approx(0.8)
    assert (round(finding.low, 3), round(finding.high, 3)) == (0.490, 0.943)
    assert finding.net_agreement == pytest.approx(0.6)


def test_report_findings_leave_out_people_who_have_not_answered(survey, officer_a):
    invite(survey, officer_a)
    (finding,) = survey_selectors.report_findings(survey=survey)
    assert (finding.n, finding.agree, finding.low, finding.high) == (0, 0, 0.0, 1.0)


def test_the_latest_closed_survey_is_the_one_closed_most_recently():
    assert survey_selectors.latest_closed_survey(today=AFTER) is None
    older = make_survey(
        title="2024", opens_on=datetime.date(2024, 6, 1), closes_on=datetime.date(2024, 6, 30)
    )
    newer = make_survey(
        title="2025", opens_on=datetime.date(2025, 6, 1), closes_on=datetime.date(2025, 6, 30)
    )
    make_survey(title="Open now")
    assert survey_selectors.latest_closed_survey(today=DURING) == newer
    assert survey_selectors.latest_closed_survey(today=datetime.date(2025, 1, 1)) == older
    with clock.frozen(datetime.datetime(2025, 7, 1, 12, tzinfo=datetime.UTC)):
        assert survey_selectors.latest_closed_survey() == newer


def test_results_count_each_kind_of_question(survey, staff, borough_a):
    _answered(
        survey,
        [
            ("agree", borough_a),
            ("strongly_agree", borough_a),
            ("disagree", None),
            ("neither", None),
        ],
    )
    results = survey_selectors.survey_results(user=staff, survey=survey)
    assert (results.invited, results.submitted, results.response_rate) == (4, 4, 1.0)
    likert, multiple, single, free = results.questions
    assert likert.likert.counts["agree"] == 1
    assert (likert.likert.n, likert.likert.agree) == (4, 2)
    assert [(c.label, c.count, c.share) for c in multiple.choices] == [
        ("Peer networks", 0, 0.0),
        ("Projects", 2, 0.5),
        ("Training", 2, 0.5),
    ]
    assert [(c.label, c.count) for c in single.choices] == [
        ("Every week", 0),
        ("Every month", 4),
        ("Rarely", 0),
    ]
    assert free.answered == 0
    assert likert.breakdown is None


def test_free_text_answers_are_listed_alphabetically_without_names(
    survey, staff, officer_a, lead_a
):
    first, second = invite(survey, officer_a, lead_a)
    answer(first, more="Workshops on AI")
    answer(second, more="Buying together")
    results = survey_selectors.survey_results(user=staff, survey=survey)
    assert results.questions[3].texts == ["Buying together", "Workshops on AI"]


def test_a_breakdown_hides_groups_with_fewer_than_three_answers(survey, staff, borough_a):
    _answered(
        survey,
        [("agree", borough_a), ("agree", borough_a), ("disagree", borough_a), ("agree", None)],
    )
    results = survey_selectors.survey_results(user=staff, survey=survey, by="organisation")
    breakdown = results.questions[0].breakdown
    assert [(g.label, g.summary.n, g.summary.agree) for g in breakdown.groups] == [("Barnet", 3, 2)]
    assert breakdown.suppressed == 1
    by_role = survey_selectors.survey_results(user=staff, survey=survey, by="role")
    groups = by_role.questions[0].breakdown
    # Two leads and two officers: neither group is big enough to show.
    assert (groups.groups, groups.suppressed) == ([], 2)


def test_an_unknown_breakdown_is_ignored(survey, staff):
    results = survey_selectors.survey_results(user=staff, survey=survey, by="person")
    assert results.by is None


def test_results_are_the_offices_only(survey, officer_a):
    with pytest.raises(PermissionDenied):
        survey_selectors.survey_results(user=officer_a, survey=survey)


def test_the_change_history_links_an_invitation_to_the_offices_page_not_the_personal_link(
    survey, staff, lead_a, client_as
):
    from django.urls import reverse

    (respondent,) = invite(survey, lead_a)
    assert AuditEntry.objects.filter(object_id=str(respondent.pk)).exists()
    page = client_as("staff").get(reverse("core:audit_log")).content.decode()
    assert f'href="{reverse("evaluation:respondents_send", args=[survey.pk])}"' in page
    # The personal link works only for its person: the office would follow it to a 404.
    assert respondent.token not in page
    assert respondent.response_url() == f"/evaluation/surveys/respond/{respondent.token}/"
