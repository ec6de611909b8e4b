"""Pages of the interviews: notes recorded by the office, passages tagged with themes, and
the themes counted across interviews."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from loti.core import selectors as core_selectors
from loti.core.access import methods
from loti.core.pages import confirm_delete, form_page, posted, save_form
from loti.evaluation.interviews import charts, selectors, services
from loti.evaluation.interviews.forms import InterviewForm, PassageForm, ThemeForm
from loti.evaluation.views import READ, WRITE, crumbs
from loti.members import selectors as member_selectors


def _interview_crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return crumbs(("Interviews", reverse("evaluation:interview_list")), *extra)


@READ
@methods("GET")
def interview_list(request):
    return render(
        request,
        "evaluation/interviews/interview_list.html",
        {
            "interviews": selectors.interview_list(user=request.user),
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
@methods("GET", "POST")
def interview_create(request):
    form = _interview_form(request)
    saved = save_form(
        request,
        form,
        save=lambda data: services.interview_create(actor=request.user, **data),
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
@methods("GET")
def interview_detail(request, pk):
    interview = selectors.interview_for(user=request.user, pk=pk)
    return render(
        request,
        "evaluation/interviews/interview_detail.html",
        {
            "interview": interview,
            "passages": selectors.passages_of(interview=interview),
            "synthetic": interview.synthetic,
            "history": core_selectors.audit_history(user=request.user, objects=[interview]),
            "breadcrumbs": _interview_crumbs(),
        },
    )


@WRITE
@methods("GET", "POST")
def interview_edit(request, pk):
    interview = selectors.interview_for(user=request.user, pk=pk)
    form = _interview_form(
        request,
        initial={name: getattr(interview, name) for name in InterviewForm.base_fields},
    )
    saved = save_form(
        request,
        form,
        save=lambda data: services.interview_update(
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
@methods("GET", "POST")
def interview_delete(request, pk):
    interview = selectors.interview_for(user=request.user, pk=pk)
    return confirm_delete(
        request,
        obj=interview,
        delete=lambda: services.interview_delete(actor=request.user, interview=interview),
        title=f"Delete the {str(interview)[0].lower()}{str(interview)[1:]}?",
        done="The interview and its passages have been deleted.",
        next_url=reverse("evaluation:interview_list"),
        breadcrumbs=_interview_crumbs(),
    )


def _passage_form(request, **kwargs):
    return PassageForm(posted(request), themes=selectors.theme_list(user=request.user), **kwargs)


@WRITE
@methods("GET", "POST")
def passage_create(request, pk):
    interview = selectors.interview_for(user=request.user, pk=pk)
    form = _passage_form(request)
    saved = save_form(
        request,
        form,
        save=lambda data: services.passage_create(actor=request.user, interview=interview, **data),
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
@methods("GET", "POST")
def passage_edit(request, pk):
    passage = selectors.passage_for(user=request.user, pk=pk)
    interview = passage.interview
    form = _passage_form(
        request, initial={"excerpt": passage.excerpt, "themes": list(passage.themes.all())}
    )
    saved = save_form(
        request,
        form,
        save=lambda data: services.passage_update(actor=request.user, passage=passage, **data),
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
@methods("GET", "POST")
def passage_delete(request, pk):
    passage = selectors.passage_for(user=request.user, pk=pk)
    return confirm_delete(
        request,
        obj=passage,
        delete=lambda: services.passage_delete(actor=request.user, passage=passage),
        title="Delete the passage?",
        done="The passage has been deleted.",
        next_url=passage.interview.get_absolute_url(),
        breadcrumbs=_interview_crumbs(
            (str(passage.interview), passage.interview.get_absolute_url())
        ),
    )


@READ
@methods("GET")
def theme_list(request):
    themes = list(selectors.theme_list(user=request.user))
    return render(
        request,
        "evaluation/interviews/theme_list.html",
        {
            "themes": themes,
            "chart": charts.themes_chart(themes) if themes else None,
            "interviews": selectors.interview_list(user=request.user).count(),
            "synthetic": selectors.has_synthetic_interviews(),
            "breadcrumbs": crumbs(),
        },
    )


@WRITE
@methods("GET", "POST")
def theme_create(request):
    form = ThemeForm(posted(request))
    saved = save_form(
        request,
        form,
        save=lambda data: services.theme_create(actor=request.user, **data),
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
@methods("GET")
def theme_detail(request, slug):
    theme = selectors.theme_for(user=request.user, slug=slug)
    return render(
        request,
        "evaluation/interviews/theme_detail.html",
        {
            "theme": theme,
            "passages": selectors.theme_passages(theme=theme),
            "synthetic": selectors.has_synthetic_interviews(),
            "breadcrumbs": crumbs(("Themes", reverse("evaluation:theme_list"))),
        },
    )


@WRITE
@methods("GET", "POST")
def theme_edit(request, slug):
    theme = selectors.theme_for(user=request.user, slug=slug)
    form = ThemeForm(
        posted(request), initial={"name": theme.name, "description": theme.description}
    )
    saved = save_form(
        request,
        form,
        save=lambda data: services.theme_update(actor=request.user, theme=theme, **data),
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
