"""Pages for the evaluation's activities and its report. Everything but published reports is
the office's (Data.EVALUATION)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from loti.core import selectors as core_selectors
from loti.core.access import require
from loti.core.pages import confirm_delete, form_page, save_form
from loti.core.permissions import Action, Data
from loti.evaluation import charts, pdf, report, selectors, services
from loti.evaluation.forms import ActivityForm, CostsForm, InputsForm, PublishForm
from loti.evaluation.models import Activity
from loti.members.financial_year import FinancialYear

# The form's fields held on the activity itself (its projects are a separate relation).
ACTIVITY_FIELDS = [name for name in ActivityForm.base_fields if name != "projects"]


def crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Evaluation", reverse("evaluation:home")), *extra]


def _activity_crumbs(activity: Activity | None = None) -> list[tuple[str, str]]:
    extra = [("Activities", reverse("evaluation:activity_list"))]
    if activity is not None:
        extra.append((activity.title, activity.get_absolute_url()))
    return crumbs(*extra)


def _year(request) -> FinancialYear:
    try:
        return FinancialYear.from_slug(request.GET.get("year", ""))
    except ValueError:
        return FinancialYear.containing(timezone.localdate())


@require(Data.EVALUATION)
@require_GET
def home(request):
    activities = selectors.activity_list(user=request.user)
    return render(
        request,
        "evaluation/home.html",
        {
            "activities": report.value_for_money(activities),
            "publications": selectors.publication_list()[:5],
        },
    )


@require(Data.EVALUATION)
@require_GET
def activity_list(request):
    return render(
        request,
        "evaluation/activity_list.html",
        {
            "activities": report.value_for_money(selectors.activity_list(user=request.user)),
            "breadcrumbs": crumbs(),
        },
    )


@require(Data.EVALUATION, Action.WRITE)
@require_http_methods(["GET", "POST"])
def activity_create(request):
    form = ActivityForm(
        request.POST or None,
        initial={"benefit_years": 1, "first_benefit_year": 0, "monte_carlo_draws": 10_000}
        | {"monte_carlo_seed": 2021, "discounting": "green_book", "optimism_bias": "none"},
    )
    saved = save_form(
        request,
        form,
        save=lambda data: services.activity_create(actor=request.user, **data),
        success=lambda activity: f"“{activity.title}” has been added. Now enter its costs.",
        then=lambda activity: reverse("evaluation:activity_costs", args=[activity.slug]),
    )
    return saved or form_page(
        request,
        form,
        title="Add an activity",
        cancel_url=reverse("evaluation:activity_list"),
        breadcrumbs=_activity_crumbs(),
        submit_label="Add activity",
    )


@require(Data.EVALUATION)
@require_GET
def activity_detail(request, slug):
    activity = selectors.activity_for(user=request.user, slug=slug)
    result = selectors.activity_appraisal(activity=activity)
    section = report.activity_section(activity, appraisal=result)
    start = selectors.first_cost_year(activity)
    return render(
        request,
        "evaluation/activity_detail.html",
        {
            "activity": activity,
            "appraisal": result,
            "section": section,
            "headline": section["headline"],
            "start_label": None if start is None else FinancialYear(start),
            "tornado": charts.tornado_chart(
                id="tornado",
                title="How far each input moves NPSV",
                base_npsv=section["npsv"],
                rows=report.tornado_rows(activity, result),
            )
            if result["ready"]
            else None,
            "distribution": charts.npsv_spread_chart(
                id="npsv-spread",
                title="NPSV across the Monte Carlo draws",
                monte_carlo=result["result"]["monte_carlo"],
            )
            if result["ready"] and result["result"]["monte_carlo"]
            else None,
            "yearly": report.yearly_rows(result) if result["ready"] else [],
            "history": core_selectors.audit_history(
                user=request.user,
                objects=[activity, *activity.costs.all(), *activity.inputs.all()],
            ),
            "breadcrumbs": _activity_crumbs(),
        },
    )


@require(Data.EVALUATION, Action.WRITE)
@require_http_methods(["GET", "POST"])
def activity_edit(request, slug):
    activity = selectors.activity_for(user=request.user, slug=slug)
    initial = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    initial["projects"] = list(activity.projects.all())
    form = ActivityForm(request.POST or None, initial=initial)
    saved = save_form(
        request,
        form,
        save=lambda data: services.activity_update(actor=request.user, activity=activity, **data),
        success=lambda _: f"“{activity.title}” has been updated.",
        then=lambda _: activity,
    )
    return saved or form_page(
        request,
        form,
        title=f"Change {activity.title}",
        cancel_url=activity.get_absolute_url(),
        breadcrumbs=_activity_crumbs(activity),
    )


@require(Data.EVALUATION, Action.WRITE)
@require_http_methods(["GET", "POST"])
def activity_delete(request, slug):
    activity = selectors.activity_for(user=request.user, slug=slug)
    return confirm_delete(
        request,
        obj=activity,
        delete=lambda: services.activity_delete(actor=request.user, activity=activity),
        title=f"Delete “{activity.title}” and its costs and inputs?",
        done=f"“{activity.title}” has been deleted.",
        next_url=reverse("evaluation:activity_list"),
        breadcrumbs=_activity_crumbs(activity),
    )


@require(Data.EVALUATION, Action.WRITE)
@require_http_methods(["GET", "POST"])
def activity_costs(request, slug):
    activity = selectors.activity_for(user=request.user, slug=slug)
    form = CostsForm.for_costs(list(activity.costs.all()), request.POST or None)
    saved = save_form(
        request,
        form,
        save=lambda _: services.activity_costs_set(
            actor=request.user, activity=activity, costs=form.costs()
        ),
        success=lambda _: f"The costs of “{activity.title}” have been saved.",
        then=lambda _: (
            reverse("evaluation:activity_inputs", args=[activity.slug])
            if selectors.missing_inputs(activity)
            else activity.get_absolute_url()
        ),
    )
    return saved or render(
        request,
        "evaluation/activity_costs.html",
        {"form": form, "activity": activity, "breadcrumbs": _activity_crumbs(activity)},
    )


@require(Data.EVALUATION, Action.WRITE)
@require_http_methods(["GET", "POST"])
def activity_inputs(request, slug):
    activity = selectors.activity_for(user=request.user, slug=slug)
    form = InputsForm.for_specs(
        selectors.input_specs(activity),
        {item.name: item for item in activity.inputs.all()},
        request.POST or None,
    )
    saved = save_form(
        request,
        form,
        save=lambda _: services.activity_inputs_set(
            actor=request.user, activity=activity, inputs=form.inputs()
        ),
        success=lambda _: f"The inputs of “{activity.title}” have been saved.",
        then=lambda _: activity,
    )
    return saved or render(
        request,
        "evaluation/activity_inputs.html",
        {"form": form, "activity": activity, "breadcrumbs": _activity_crumbs(activity)},
    )


def _report_context(content: dict, **extra) -> dict:
    return {
        "report": content,
        "charts": charts.report_charts(content),
        **extra,
    }


@require(Data.EVALUATION)
@require_GET
def report_draft(request):
    year = _year(request)
    content = report.build(user=request.user, year=year.start_year)
    return render(
        request,
        "evaluation/report.html",
        _report_context(
            content,
            draft=True,
            year=year,
            years=[year.previous(), year, year.next()],
            pdf_url=f"{reverse('evaluation:report_pdf')}?year={year.slug}",
            breadcrumbs=crumbs(),
        ),
    )


def _pdf_response(content: dict, filename: str) -> HttpResponse:
    response = HttpResponse(pdf.render(content), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require(Data.EVALUATION)
@require_GET
def report_pdf(request):
    year = _year(request)
    content = report.build(user=request.user, year=year.start_year)
    return _pdf_response(content, f"evaluation-report-{year.slug}-draft.pdf")


@require(Data.EVALUATION, Action.WRITE)
@require_http_methods(["GET", "POST"])
def report_publish(request):
    year = _year(request)
    form = PublishForm(request.POST or None, initial={"title": f"Evaluation report {year}"})
    saved = save_form(
        request,
        form,
        save=lambda data: services.report_publish(
            actor=request.user,
            title=data["title"],
            financial_year=year.start_year,
            content=report.build(user=request.user, year=year.start_year),
        ),
        success=lambda publication: f"“{publication.title}” has been published.",
        then=lambda publication: publication,
    )
    return saved or form_page(
        request,
        form,
        title=f"Publish the evaluation report for {year}",
        lede=(
            "Anyone will be able to read the published report, including the public. It keeps "
            "today's figures: later changes to activities do not alter it."
        ),
        cancel_url=f"{reverse('evaluation:report_draft')}?year={year.slug}",
        breadcrumbs=crumbs(("Draft report", reverse("evaluation:report_draft"))),
        submit_label="Publish report",
    )


@require_GET
def report_list(request):
    return render(
        request,
        "evaluation/report_list.html",
        {"publications": selectors.publication_list()},
    )


@require_GET
def published_report(request, pk):
    publication = selectors.publication_for(pk=pk)
    return render(
        request,
        "evaluation/report.html",
        _report_context(
            publication.content,
            draft=False,
            publication=publication,
            pdf_url=reverse("evaluation:published_report_pdf", args=[publication.pk]),
            breadcrumbs=[("Evaluation reports", reverse("evaluation:report_list"))],
        ),
    )


@require_GET
def published_report_pdf(request, pk):
    publication = selectors.publication_for(pk=pk)
    return _pdf_response(publication.content, f"evaluation-report-{publication.pk}.pdf")


@require(Data.EVALUATION, Action.WRITE)
@require_http_methods(["GET", "POST"])
def published_report_withdraw(request, pk):
    publication = selectors.publication_for(pk=pk)
    return confirm_delete(
        request,
        obj=publication,
        delete=lambda: services.report_withdraw(actor=request.user, publication=publication),
        title=f"Withdraw “{publication.title}”?",
        done=f"“{publication.title}” has been withdrawn.",
        next_url=reverse("evaluation:report_list"),
        breadcrumbs=[("Evaluation reports", reverse("evaluation:report_list"))],
    )
