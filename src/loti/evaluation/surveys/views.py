"""Pages of the member survey.

The office builds surveys, invites people and reads the results. A respondent answers
through their personal link, signed in as themselves.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from loti.core import selectors as core_selectors
from loti.core.access import methods
from loti.core.pages import apply_errors, confirm_delete, form_page, posted, save_form
from loti.evaluation.surveys import charts as survey_charts
from loti.evaluation.surveys import selectors as survey_selectors
from loti.evaluation.surveys import services as survey_services
from loti.evaluation.surveys import stats as survey_stats
from loti.evaluation.surveys.forms import (
    InviteForm,
    QuestionForm,
    ResponseForm,
    SurveyForm,
)
from loti.evaluation.surveys.models import Survey
from loti.evaluation.views import READ, WRITE, crumbs
from loti.members import selectors as member_selectors
from loti.members.financial_year import FinancialYear


def _survey_crumbs(survey: Survey) -> list[tuple[str, str]]:
    return crumbs(
        ("Surveys", reverse("evaluation:survey_list")), (survey.title, survey.get_absolute_url())
    )


@READ
@methods("GET")
def survey_list(request):
    return render(
        request,
        "evaluation/surveys/survey_list.html",
        {
            "surveys": survey_selectors.survey_list(user=request.user),
            "breadcrumbs": crumbs(),
        },
    )


@WRITE
@methods("GET", "POST")
def survey_create(request):
    form = SurveyForm(posted(request))
    saved = save_form(
        request,
        form,
        save=lambda data: survey_services.survey_create(actor=request.user, **data),
        success=lambda survey: f"The survey “{survey.title}” has been created. Add its questions.",
        then=lambda survey: survey,
    )
    return saved or form_page(
        request,
        form,
        title="Create a survey",
        cancel_url=reverse("evaluation:survey_list"),
        breadcrumbs=crumbs(("Surveys", reverse("evaluation:survey_list"))),
        submit_label="Create survey",
    )


@READ
@methods("GET")
def survey_detail(request, pk):
    survey = survey_selectors.survey_for(user=request.user, pk=pk)
    respondents = survey_selectors.respondents(user=request.user, survey=survey)
    return render(
        request,
        "evaluation/surveys/survey_detail.html",
        {
            "survey": survey,
            "questions": survey_selectors.questions(survey=survey),
            "locked": survey_selectors.questions_locked(survey=survey),
            "invited": respondents.count(),
            "submitted": respondents.filter(submitted_at__isnull=False).count(),
            "unsent": respondents.filter(invited_at__isnull=True).count(),
            "synthetic": survey.synthetic,
            "history": core_selectors.audit_history(user=request.user, objects=[survey]),
            "breadcrumbs": crumbs(("Surveys", reverse("evaluation:survey_list"))),
        },
    )


@WRITE
@methods("GET", "POST")
def survey_edit(request, pk):
    survey = survey_selectors.survey_for(user=request.user, pk=pk)
    form = SurveyForm(
        posted(request),
        initial={name: getattr(survey, name) for name in SurveyForm.base_fields},
    )
    saved = save_form(
        request,
        form,
        save=lambda data: survey_services.survey_update(actor=request.user, survey=survey, **data),
        success=lambda _: f"The survey “{survey.title}” has been updated.",
        then=lambda _: survey,
    )
    return saved or form_page(
        request,
        form,
        title="Change the survey",
        caption=survey.title,
        cancel_url=survey.get_absolute_url(),
        breadcrumbs=_survey_crumbs(survey),
    )


@WRITE
@methods("GET", "POST")
def survey_delete(request, pk):
    survey = survey_selectors.survey_for(user=request.user, pk=pk)
    if request.method == "GET" and survey_selectors.survey_answered(survey=survey):
        return render(
            request,
            "evaluation/surveys/survey_cannot_delete.html",
            {
                "survey": survey,
                "reason": survey_services.SURVEY_ANSWERED,
                "breadcrumbs": _survey_crumbs(survey),
            },
        )
    return confirm_delete(
        request,
        obj=survey,
        delete=lambda: survey_services.survey_delete(actor=request.user, survey=survey),
        title=f"Delete “{survey.title}” with its questions and invitations?",
        done=f"The survey “{survey.title}” has been deleted.",
        next_url=reverse("evaluation:survey_list"),
        breadcrumbs=_survey_crumbs(survey),
    )


def _question_page(request, form, *, survey, title, submit_label):
    return form_page(
        request,
        form,
        title=title,
        caption=survey.title,
        cancel_url=survey.get_absolute_url(),
        breadcrumbs=_survey_crumbs(survey),
        submit_label=submit_label,
    )


@WRITE
@methods("GET", "POST")
def question_create(request, pk):
    survey = survey_selectors.survey_for(user=request.user, pk=pk)
    form = QuestionForm(posted(request))
    saved = save_form(
        request,
        form,
        save=lambda data: survey_services.question_create(
            actor=request.user, survey=survey, **data
        ),
        success=lambda question: f"The question “{question.text}” has been added.",
        then=lambda _: survey,
    )
    return saved or _question_page(
        request, form, survey=survey, title="Add a question", submit_label="Add question"
    )


@WRITE
@methods("GET", "POST")
def question_edit(request, pk):
    question = survey_selectors.question_for(user=request.user, pk=pk)
    initial = {name: getattr(question, name) for name in ("text", "help_text", "kind", "required")}
    initial["options"] = "\n".join(option.label for option in question.options.all())
    form = QuestionForm(posted(request), initial=initial)
    saved = save_form(
        request,
        form,
        save=lambda data: survey_services.question_update(
            actor=request.user, question=question, **data
        ),
        success=lambda _: f"The question “{question.text}” has been updated.",
        then=lambda _: question.survey,
    )
    return saved or _question_page(
        request, form, survey=question.survey, title="Change the question", submit_label="Save"
    )


@WRITE
@methods("GET", "POST")
def question_delete(request, pk):
    question = survey_selectors.question_for(user=request.user, pk=pk)
    return confirm_delete(
        request,
        obj=question,
        delete=lambda: survey_services.question_delete(actor=request.user, question=question),
        title=f"Delete the question “{question.text}”?",
        done="The question has been deleted.",
        next_url=question.survey.get_absolute_url(),
        breadcrumbs=_survey_crumbs(question.survey),
    )


@WRITE
@methods("POST")
def question_move(request, pk):
    question = survey_selectors.question_for(user=request.user, pk=pk)
    try:
        survey_services.question_move(
            actor=request.user, question=question, up=request.POST.get("direction") == "up"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(question.survey)


@WRITE
@methods("GET", "POST")
def respondents_invite(request, pk):
    survey = survey_selectors.survey_for(user=request.user, pk=pk)
    organisations = (
        member_selectors.organisation_list(user=request.user)
        .filter(
            people__role__in=[role for role, _ in InviteForm.base_fields["roles"].choices],
            people__is_active=True,
        )
        .distinct()
    )
    form = InviteForm(posted(request), organisations=organisations)
    saved = save_form(
        request,
        form,
        save=lambda data: survey_services.respondents_invite(
            actor=request.user,
            survey=survey,
            people=survey_selectors.invitable_people(
                user=request.user,
                organisations=data["organisations"],
                roles=data["roles"],
                core_members_year=(
                    FinancialYear.containing(timezone.localdate()).start_year
                    if data["core_members"]
                    else None
                ),
            ),
        ),
        success=lambda count: (
            f"{count} {'person has' if count == 1 else 'people have'} been "
            "invited. Send them their links."
        ),
        then=lambda _: reverse("evaluation:respondents_send", args=[survey.pk]),
    )
    return saved or form_page(
        request,
        form,
        title="Invite people",
        caption=survey.title,
        lede="Each person invited gets a personal link to answer the survey.",
        cancel_url=survey.get_absolute_url(),
        breadcrumbs=_survey_crumbs(survey),
        submit_label="Invite",
    )


@WRITE
@methods("GET", "POST")
def respondents_send(request, pk):
    survey = survey_selectors.survey_for(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            sent = survey_services.invitations_send(
                actor=request.user,
                survey=survey,
                link_for=lambda respondent: request.build_absolute_uri(respondent.response_url()),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{sent} invitation{'' if sent == 1 else 's'} sent by email.")
        return redirect("evaluation:respondents_send", pk=survey.pk)
    respondents = survey_selectors.respondents(user=request.user, survey=survey)
    return render(
        request,
        "evaluation/surveys/survey_respondents.html",
        {
            "survey": survey,
            "respondents": [(r, request.build_absolute_uri(r.response_url())) for r in respondents],
            "unsent": sum(1 for r in respondents if r.invited_at is None),
            "breadcrumbs": _survey_crumbs(survey),
        },
    )


@WRITE
@methods("POST")
def respondent_withdraw(request, pk):
    respondent = survey_selectors.invitation_for(user=request.user, pk=pk)
    try:
        survey_services.respondent_withdraw(actor=request.user, respondent=respondent)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"The invitation of {respondent.person} has been withdrawn. "
            "Their personal link no longer works.",
        )
    return redirect("evaluation:respondents_send", pk=respondent.survey_id)


@READ
@methods("GET")
def survey_results(request, pk):
    survey = survey_selectors.survey_for(user=request.user, pk=pk)
    results = survey_selectors.survey_results(
        user=request.user, survey=survey, by=request.GET.get("by")
    )
    charts = {}
    for result in results.questions:
        chart_id = f"question-{result.question.pk}"
        title = f"{result.number}. {result.question.text}"
        if result.likert is not None:
            charts[result.question.pk] = survey_charts.likert_chart(
                id=chart_id, title=title, summary=result.likert
            )
        elif result.choices:
            charts[result.question.pk] = survey_charts.choice_chart(
                id=chart_id, title=title, choices=result.choices, base=result.answered
            )
    return render(
        request,
        "evaluation/surveys/survey_results.html",
        {
            "survey": survey,
            "results": results,
            "response_rate": survey_stats.percent(results.response_rate),
            "charts": charts,
            "questions": [(r, charts.get(r.question.pk)) for r in results.questions],
            "breakdowns": survey_selectors.BREAKDOWNS,
            "min_group": survey_selectors.MIN_GROUP,
            "synthetic": survey.synthetic,
            "breadcrumbs": _survey_crumbs(survey),
        },
    )


@methods("GET", "POST")
def response_form(request, token):
    """A respondent's own answers. Anonymous visitors sign in first and come back; anyone
    signed in as someone else gets a 404 (see `survey_selectors.respondent_for`)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    respondent = survey_selectors.respondent_for(user=request.user, token=token)
    survey = respondent.survey
    state = survey.state
    context = {
        "survey": survey,
        "respondent": respondent,
        "state": state,
        "synthetic": survey.synthetic,
    }
    if state != Survey.State.OPEN:
        # Before it opens there is nothing to answer; after it closes, answers are shown
        # as given, to read but not change.
        if request.method == "POST":
            messages.error(request, "The survey is not open: your answers were not saved.")
        context["answers"] = survey_selectors.answer_summary(respondent=respondent)
        return render(request, "evaluation/surveys/response_form.html", context)
    form = ResponseForm(
        posted(request),
        questions=list(survey_selectors.questions(survey=survey)),
        answers=survey_selectors.answers_of(respondent=respondent),
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey_services.response_submit(respondent=respondent, answers=form.answers())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("evaluation:response_done", token=token)
    return render(request, "evaluation/surveys/response_form.html", {**context, "form": form})


@methods("GET")
def response_done(request, token):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    respondent = survey_selectors.respondent_for(user=request.user, token=token)
    return render(
        request,
        "evaluation/surveys/response_done.html",
        {"survey": respondent.survey, "respondent": respondent},
    )
