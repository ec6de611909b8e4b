"""Pages of the evaluation report: the office's draft (as a page and a PDF), publishing it,
and the published reports, which everyone reads."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from loti.core.access import methods, require
from loti.core.pages import confirm_delete, form_page, save_form
from loti.core.permissions import Action, Data
from loti.evaluation.report import charts, pdf, selectors, services
from loti.evaluation.report import content as report
from loti.evaluation.report.forms import PublishForm
from loti.evaluation.views import crumbs, year_asked


def _report_context(content: dict, **extra) -> dict:
    return {
        "report": content,
        "charts": charts.report_charts(content),
        **extra,
    }


@require(Data.EVALUATION)
@methods("GET")
def report_draft(request):
    year = year_asked(request)
    content = report.build(user=request.user, year=year.start_year)
    return render(
        request,
        "evaluation/report/report.html",
        _report_context(
            content,
            draft=True,
            year=year,
            years=[year.previous(), year, year.next()],
            pdf_url=f"{reverse('evaluation:report_pdf')}?year={year.slug}",
            breadcrumbs=crumbs(),
        ),
    )


def _pdf_response(request, content: dict, filename: str, *, page: str) -> HttpResponse:
    document = pdf.render(content, web_url=request.build_absolute_uri(page))
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require(Data.EVALUATION)
@methods("GET")
def report_pdf(request):
    year = year_asked(request)
    content = report.build(user=request.user, year=year.start_year)
    return _pdf_response(
        request,
        content,
        f"evaluation-report-{year.slug}-draft.pdf",
        page=f"{reverse('evaluation:report_draft')}?year={year.slug}",
    )


@require(Data.EVALUATION, Action.WRITE)
@methods("GET", "POST")
def report_publish(request):
    year = year_asked(request)
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


@methods("GET")
def report_list(request):
    return render(
        request,
        "evaluation/report/report_list.html",
        {"publications": selectors.publication_list()},
    )


@methods("GET")
def published_report(request, pk):
    publication = selectors.publication_for(pk=pk)
    return render(
        request,
        "evaluation/report/report.html",
        _report_context(
            publication.content,
            draft=False,
            publication=publication,
            pdf_url=reverse("evaluation:published_report_pdf", args=[publication.pk]),
            breadcrumbs=[("Evaluation reports", reverse("evaluation:report_list"))],
        ),
    )


@methods("GET")
def published_report_pdf(request, pk):
    publication = selectors.publication_for(pk=pk)
    return _pdf_response(
        request,
        publication.content,
        f"evaluation-report-{publication.pk}.pdf",
        page=publication.get_absolute_url(),
    )


@require(Data.EVALUATION, Action.WRITE)
@methods("GET", "POST")
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
