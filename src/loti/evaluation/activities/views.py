"""Pages for the evaluation's activities and its report. Everything but published reports is
the office's (Data.EVALUATION)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from loti.core import selectors as core_selectors
from loti.core.access import methods, require
from loti.core.pages import confirm_delete, form_page, save_form
from loti.core.permissions import Action, Data
from loti.evaluation.activities import charts, selectors, services
from loti.evaluation.activities import summary as report
from loti.evaluation.activities.forms import ActivityForm, CostsForm, InputsForm
from loti.evaluation.activities.models import Activity
from loti.evaluation.views import crumbs
from loti.members.financial_year import FinancialYear

# The form's fields held on the activity itself (its projects are a separate relation).
ACTIVITY_FIELDS = [name for name in ActivityForm.base_fields if name != "projects"]


def _activity_crumbs(activity: Activity | None = None) -> list[tuple[str, str]]:
    extra = [("Activities", reverse("evaluation:activity_list"))]
    if activity is not None:
        extra.append((activity.title, activity.get_absolute_url()))
    return crumbs(*extra)


@require(Data.EVALUATION)
@methods("GET")
def activity_list(request):
    return render(
        request,
        "evaluation/activities/activity_list.html",
        {
            "activities": report.value_for_money(selectors.activity_list(user=request.user)),
            "breadcrumbs": crumbs(),
        },
    )


@require(Data.EVALUATION, Action.WRITE)
@methods("GET", "POST")
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
@methods("GET")
def activity_detail(request, slug):
    activity = selectors.activity_for(user=request.user, slug=slug)
    result = selectors.activity_appraisal(activity=activity)
    section = report.activity_section(activity, appraisal=result)
    start = selectors.first_cost_year(activity)
    return render(
        request,
        "evaluation/activities/activity_detail.html",
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
@methods("GET", "POST")
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
@methods("GET", "POST")
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
@methods("GET", "POST")
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
        "evaluation/activities/activity_costs.html",
        {"form": form, "activity": activity, "breadcrumbs": _activity_crumbs(activity)},
    )


@require(Data.EVALUATION, Action.WRITE)
@methods("GET", "POST")
def activity_inputs(request, slug):
    activity = selectors.activity_for(user=request.user, slug=slug)
    form = InputsForm.for_specs(
        selectors.entered_specs(activity),
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
        "evaluation/activities/activity_inputs.html",
        {"form": form, "activity": activity, "breadcrumbs": _activity_crumbs(activity)},
    )
