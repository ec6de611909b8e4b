"""Pages of the interviews: notes recorded by the office, passages tagged with themes, and
the themes counted across interviews."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from loti.core import selectors as core_selectors
from loti.core.pages import confirm_delete, form_page, save_form
from loti.evaluation import survey_charts, survey_selectors, survey_services
from loti.evaluation.survey_demo import SYNTHETIC_NOTICE
from loti.evaluation.survey_forms import InterviewForm, PassageForm, ThemeForm
from loti.evaluation.survey_views import READ, WRITE, crumbs, posted
from loti.members import selectors as member_selectors


def _interview_crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return crumbs(("Interviews", reverse("evaluation:interview_list")), *extra)


@READ
@require_GET
def interview_list(request):
    return render(
        request,
        "evaluation/interview_list.html",
        {
            "interviews": survey_selectors.interview_list(user=request.user),
            "breadcrumbs": crumbs(),
        },
    )


def _interview_form(request, **kwargs):
    return InterviewForm(
        posted(request),
        organisations=member_selectors.organisation_list(user=request.user),
        **kwargs,
    )


@WRITE
@require_http_methods(["GET", "POST"])
def interview_create(request):
    form = _interview_form(request)
    saved = save_form(
        request,
        form,
        save=lambda data: survey_services.interview_create(actor=request.user, **data),
        success=lambda _: "The interview has been recorded. Tag its passages with themes.",
        then=lambda interview: interview,
    )
    return saved or form_page(
        request,
        form,
        title="Record an interview",
        cancel_url=reverse("evaluation:interview_list"),
        breadcrumbs=_interview_crumbs(),
        submit_label="Save interview",
    )


@READ
@require_GET
def interview_detail(request, pk):
    interview = survey_selectors.interview_for(user=request.user, pk=pk)
    return render(
        request,
        "evaluation/interview_detail.html",
        {
            "interview": interview,
            "passages": survey_selectors.passages_of(interview=interview),
            "notice": SYNTHETIC_NOTICE if interview.synthetic else None,
            "history": core_selectors.audit_history(user=request.user, objects=[interview]),
            "breadcrumbs": _interview_crumbs(),
        },
    )


@WRITE
@require_http_methods(["GET", "POST"])
def interview_edit(request, pk):
    interview = survey_selectors.interview_for(user=request.user, pk=pk)
    form = _interview_form(
        request,
        initial={name: getattr(interview, name) for name in InterviewForm.base_fields},
    )
    saved = save_form(
        request,
        form,
        save=lambda data: survey_services.interview_update(
            actor=request.user, interview=interview, **data
        ),
        success=lambda _: "The interview has been updated.",
        then=lambda _: interview,
    )
    return saved or form_page(
        request,
        form,
        title="Change the interview",
        caption=str(interview),
        cancel_url=interview.get_absolute_url(),
        breadcrumbs=_interview_crumbs(),
    )


@WRITE
@require_http_methods(["GET", "POST"])
def interview_delete(request, pk):
    interview = survey_selectors.interview_for(user=request.user, pk=pk)
    return confirm_delete(
        request,
        obj=interview,
        delete=lambda: survey_services.interview_delete(actor=request.user, interview=interview),
        title=f"Delete the {str(interview)[0].lower()}{str(interview)[1:]}?",
        done="The interview and its passages have been deleted.",
        next_url=reverse("evaluation:interview_list"),
        breadcrumbs=_interview_crumbs(),
    )


def _passage_form(request, **kwargs):
    return PassageForm(
        posted(request), themes=survey_selectors.theme_list(user=request.user), **kwargs
    )


@WRITE
@require_http_methods(["GET", "POST"])
def passage_create(request, pk):
    interview = survey_selectors.interview_for(user=request.user, pk=pk)
    form = _passage_form(request)
    saved = save_form(
        request,
        form,
        save=lambda data: survey_services.passage_create(
            actor=request.user, interview=interview, **data
        ),
        success=lambda _: "The passage has been added.",
        then=lambda _: interview,
    )
    return saved or form_page(
        request,
        form,
        title="Add a passage",
        caption=str(interview),
        lede="Copy a passage of the notes and tag it with the themes it speaks to.",
        cancel_url=interview.get_absolute_url(),
        breadcrumbs=_interview_crumbs((str(interview), interview.get_absolute_url())),
        submit_label="Add passage",
    )


@WRITE
@require_http_methods(["GET", "POST"])
def passage_edit(request, pk):
    passage = survey_selectors.passage_for(user=request.user, pk=pk)
    interview = passage.interview
    form = _passage_form(
        request, initial={"excerpt": passage.excerpt, "themes": list(passage.themes.all())}
    )
    saved = save_form(
        request,
        form,
        save=lambda data: survey_services.passage_update(
            actor=request.user, passage=passage, **data
        ),
        success=lambda _: "The passage has been updated.",
        then=lambda _: interview,
    )
    return saved or form_page(
        request,
        form,
        title="Change the passage",
        caption=str(interview),
        cancel_url=interview.get_absolute_url(),
        breadcrumbs=_interview_crumbs((str(interview), interview.get_absolute_url())),
    )


@WRITE
@require_http_methods(["GET", "POST"])
def passage_delete(request, pk):
    passage = survey_selectors.passage_for(user=request.user, pk=pk)
    return confirm_delete(
        request,
        obj=passage,
        delete=lambda: survey_services.passage_delete(actor=request.user, passage=passage),
        title="Delete the passage?",
        done="The passage has been deleted.",
        next_url=passage.interview.get_absolute_url(),
        breadcrumbs=_interview_crumbs(
            (str(passage.interview), passage.interview.get_absolute_url())
        ),
    )


@READ
@require_GET
def theme_list(request):
    themes = list(survey_selectors.theme_list(user=request.user))
    return render(
        request,
        "evaluation/theme_list.html",
        {
            "themes": themes,
            "chart": survey_charts.themes_chart(themes) if themes else None,
            "interviews": survey_selectors.interview_list(user=request.user).count(),
            "notice": SYNTHETIC_NOTICE if survey_selectors.has_synthetic_interviews() else None,
            "breadcrumbs": crumbs(),
        },
    )


@WRITE
@require_http_methods(["GET", "POST"])
def theme_create(request):
    form = ThemeForm(posted(request))
    saved = save_form(
        request,
        form,
        save=lambda data: survey_services.theme_create(actor=request.user, **data),
        success=lambda theme: f"The theme “{theme.name}” has been added.",
        then=lambda _: reverse("evaluation:theme_list"),
    )
    return saved or form_page(
        request,
        form,
        title="Add a theme",
        cancel_url=reverse("evaluation:theme_list"),
        breadcrumbs=crumbs(("Themes", reverse("evaluation:theme_list"))),
        submit_label="Add theme",
    )


@READ
@require_GET
def theme_detail(request, slug):
    theme = survey_selectors.theme_for(user=request.user, slug=slug)
    return render(
        request,
        "evaluation/theme_detail.html",
        {
            "theme": theme,
            "passages": survey_selectors.theme_passages(theme=theme),
            "notice": SYNTHETIC_NOTICE if survey_selectors.has_synthetic_interviews() else None,
            "breadcrumbs": crumbs(("Themes", reverse("evaluation:theme_list"))),
        },
    )


@WRITE
@require_http_methods(["GET", "POST"])
def theme_edit(request, slug):
    theme = survey_selectors.theme_for(user=request.user, slug=slug)
    form = ThemeForm(
        posted(request), initial={"name": theme.name, "description": theme.description}
    )
    saved = save_form(
        request,
        form,
        save=lambda data: survey_services.theme_update(actor=request.user, theme=theme, **data),
        success=lambda _: f"The theme “{theme.name}” has been updated.",
        then=lambda _: theme,
    )
    return saved or form_page(
        request,
        form,
        title="Change the theme",
        caption=theme.name,
        cancel_url=theme.get_absolute_url(),
        breadcrumbs=crumbs(("Themes", reverse("evaluation:theme_list"))),
    )
