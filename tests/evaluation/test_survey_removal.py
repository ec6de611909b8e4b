"""Removing a survey nobody has answered, and withdrawing an invitation nobody has answered
through: answers given are evidence for published reports, so they are never removed."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from loti.core.models import AuditEntry
from loti.evaluation.models import Answer, Option, Question, Respondent, Survey
from loti.evaluation.surveys import services as survey_services
from tests.evaluation.survey_builders import answer, invite, option, questions

pytestmark = pytest.mark.django_db


def deletions(model, ids):
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE,
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in ids],
    )


def withdraw_forms(page):
    """The respondents whose Withdraw button the page shows, by their id."""
    return {
        int(pk)
        for pk in re.findall(r'action="/evaluation/surveys/respondents/(\d+)/withdraw/"', page)
    }


def test_the_survey_page_links_to_deleting_it(client_as, survey):
    page = client_as("staff").get(survey.get_absolute_url()).content.decode()
    assert f'href="{reverse("evaluation:survey_delete", args=[survey.pk])}"' in page


def test_deleting_an_unanswered_survey_removes_its_questions_and_invitations_with_history(
    client_as, survey, staff, officer_a, lead_a
):
    invited = invite(survey, officer_a, lead_a)
    question_ids = list(survey.questions.values_list("pk", flat=True))
    option_ids = list(Option.objects.filter(question__survey=survey).values_list("pk", flat=True))
    assert (len(question_ids), len(option_ids)) == (4, 6)
    url = reverse("evaluation:survey_delete", args=[survey.pk])
    client = client_as("staff")

    page = client.get(url).content.decode()
    assert "Delete “Member value survey 2026” with its questions and invitations?" in page
    assert "Yes, delete it" in page

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:survey_list")
    assert not Survey.objects.filter(pk=survey.pk).exists()
    assert not Question.objects.filter(pk__in=question_ids).exists()
    assert not Option.objects.filter(pk__in=option_ids).exists()
    assert not Respondent.objects.filter(pk__in=[r.pk for r in invited]).exists()
    assert deletions(Survey, [survey.pk]).get().actor == staff
    assert deletions(Question, question_ids).count() == 4
    assert deletions(Option, option_ids).count() == 6
    assert deletions(Respondent, [r.pk for r in invited]).count() == 2
    listing = client.get(response["Location"]).content.decode()
    assert "The survey “Member value survey 2026” has been deleted." in listing


def test_a_survey_someone_has_answered_cannot_be_deleted(client_as, survey, officer_a, lead_a):
    respondent, _ = invite(survey, officer_a, lead_a)
    answer(respondent)
    url = reverse("evaluation:survey_delete", args=[survey.pk])
    client = client_as("staff")

    page = client.get(url).content.decode()
    assert "You cannot delete “Member value survey 2026”" in page
    assert "cannot be deleted because people have answered it" in page
    assert "Yes, delete it" not in page

    response = client.post(url, follow=True)
    assert response.redirect_chain == [(survey.get_absolute_url(), 302)]
    assert "cannot be deleted because people have answered it" in response.content.decode()
    assert Survey.objects.filter(pk=survey.pk).exists()
    assert survey.questions.count() == 4
    assert survey.respondents.count() == 2
    # Three of the four questions: the optional free text was left empty.
    assert Answer.objects.filter(respondent=respondent).count() == 3
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).exists()


def test_an_answer_alone_keeps_the_survey_even_before_it_is_submitted(survey, officer_a):
    (respondent,) = invite(survey, officer_a)
    Answer.objects.create(respondent=respondent, question=questions(survey)[3], text="More")
    with pytest.raises(ValidationError, match="people have answered it"):
        survey_services.survey_delete(actor=None, survey=survey)
    assert Survey.objects.filter(pk=survey.pk).exists()


def test_a_survey_is_deleted_all_or_nothing(survey, officer_a, monkeypatch):
    invite(survey, officer_a)
    real_delete = survey_services.audit.delete

    def failing_on_the_survey(*, actor, obj):
        if isinstance(obj, Survey):
            raise ValidationError("The database refused")
        real_delete(actor=actor, obj=obj)

    monkeypatch.setattr(survey_services.audit, "delete", failing_on_the_survey)
    with pytest.raises(ValidationError):
        survey_services.survey_delete(actor=None, survey=survey)
    assert survey.questions.count() == 4
    assert Option.objects.filter(question__survey=survey).count() == 6
    assert survey.respondents.count() == 1
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).exists()


def test_withdrawing_an_invitation_makes_that_persons_link_a_404(
    client_as, survey, staff, officer_a, lead_a, frozen
):
    withdrawn, kept = invite(survey, officer_a, lead_a)
    link = reverse("evaluation:response_form", args=[withdrawn.token])
    assert client_as("officer_a").get(link).status_code == 200
    client = client_as("staff")
    respondents_page = reverse("evaluation:respondents_send", args=[survey.pk])
    page = client.get(respondents_page).content.decode()
    assert withdraw_forms(page) == {withdrawn.pk, kept.pk}
    assert "csrfmiddlewaretoken" in page

    response = client.post(
        reverse("evaluation:respondent_withdraw", args=[withdrawn.pk]), follow=True
    )
    assert response.redirect_chain == [(respondents_page, 302)]
    assert (
        "The invitation of Ola Officer has been withdrawn. Their personal link no longer works."
        in response.content.decode()
    )
    assert list(survey.respondents.all()) == [kept]
    assert deletions(Respondent, [withdrawn.pk]).get().actor == staff
    assert client_as("officer_a").get(link).status_code == 404


def test_someone_who_has_answered_cannot_be_withdrawn(client_as, survey, officer_a, lead_a, frozen):
    answered, waiting = invite(survey, officer_a, lead_a)
    answer(answered)
    client = client_as("staff")
    respondents_page = reverse("evaluation:respondents_send", args=[survey.pk])
    assert withdraw_forms(client.get(respondents_page).content.decode()) == {waiting.pk}

    response = client.post(
        reverse("evaluation:respondent_withdraw", args=[answered.pk]), follow=True
    )
    assert response.redirect_chain == [(respondents_page, 302)]
    assert (
        "Ola Officer cannot be withdrawn because they have answered the survey"
        in response.content.decode()
    )
    assert survey.respondents.count() == 2
    assert Answer.objects.filter(respondent=answered).count() == 3
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).exists()
    link = reverse("evaluation:response_form", args=[answered.token])
    assert client_as("officer_a").get(link).status_code == 200


def test_answers_sent_as_the_invitation_is_withdrawn_are_refused_with_a_reason(
    client_as, survey, staff, officer_a, frozen, monkeypatch
):
    (respondent,) = invite(survey, officer_a)
    likert, multiple, single, _free = questions(survey)
    link = reverse("evaluation:response_form", args=[respondent.token])
    client = client_as("officer_a")
    assert client.get(link).status_code == 200
    # The office withdraws the invitation after the page has found the respondent and
    # before the answers are saved.
    found = survey_services.response_submit

    def withdrawn_first(*, respondent, answers):
        survey_services.respondent_withdraw(actor=staff, respondent=respondent)
        return found(respondent=respondent, answers=answers)

    monkeypatch.setattr(survey_services, "response_submit", withdrawn_first)
    response = client.post(
        link,
        {
            f"q{likert.pk}": "agree",
            f"q{multiple.pk}": [option(multiple, "Peer networks")],
            f"q{single.pk}": option(single, "Every month"),
        },
    )

    assert response.status_code == 200
    assert "This invitation has been withdrawn: your answers were not saved" in (
        response.content.decode()
    )
    assert not Answer.objects.exists() and not survey.respondents.exists()
    assert client.get(link).status_code == 404


def test_the_history_of_an_invitation_never_holds_its_link(survey, staff, officer_a, frozen):
    (respondent,) = invite(survey, officer_a)
    survey_services.respondent_withdraw(actor=staff, respondent=respondent)

    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Respondent),
        object_id=str(respondent.pk),
    )
    assert sorted(entries.values_list("action", flat=True)) == ["create", "delete"]
    for entry in entries:
        assert entry.changes and respondent.token not in str(entry.changes)
