"""The "can we share?" question and the coverage matrix, overall and per agreement. Agreements
in force are on the public register, so everyone may ask and read who shares with whom; the
data items come only to those who read an agreement's details (selectors)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

from loti.core.access import methods
from loti.core.pages import pagination
from loti.datasharing.agreements.selectors import agreement_for
from loti.datasharing.agreements.views import crumbs
from loti.datasharing.coverage import selectors
from loti.datasharing.coverage.charts import MOST_CHARTED, coverage_chart
from loti.datasharing.coverage.forms import QuestionForm

# Organisations per page of the table of who may share with whom.
PER_PAGE = 40


def agreement_url(slug: str) -> str:
    return reverse("datasharing:agreement_detail", args=[slug])


@methods("GET")
def can_we_share(request):
    form = QuestionForm(request.GET or None)
    answer = None
    if form.is_bound and form.is_valid():
        answer = selectors.can_we_share(user=request.user, **form.cleaned_data)
        for found in (*answer.covering, *answer.nearest):
            found.url = agreement_url(found.agreement.slug)
    return render(
        request,
        "datasharing/coverage/can_we_share.html",
        {"form": form, "answer": answer, "breadcrumbs": crumbs()},
    )


def _matrix_page(request, matrix: selectors.Matrix, *, title: str) -> dict[str, Any]:
    organisations = matrix.ordered
    cells = matrix.cells()
    chart = None
    if cells and len(organisations) <= MOST_CHARTED:
        chart = coverage_chart(
            id="coverage-chart",
            title=title,
            organisations=[o.name for o in organisations],
            cells=[(a.name, b.name, count) for a, b, count in cells],
        )
    sharing = [o for o in organisations if matrix.coverage.partners(o.id)]
    page = Paginator(sharing, PER_PAGE).get_page(request.GET.get("page"))
    # One row for each organisation and each set of agreements it shares under, naming
    # the organisations it may share with under them: the London agreement's 33 partners
    # of a borough are one row, not 33.
    pairs: list[dict[str, Any]] = []
    for pair in matrix.pairs_of(list(page.object_list)):
        under = [(named.name, agreement_url(named.slug)) for named in pair.agreements]
        row = next(
            (
                row
                for row in pairs
                if row["a"] == pair.a
                and row["agreements"] == under
                and row["categories"] == pair.categories
            ),
            None,
        )
        if row is None:
            row = {"a": pair.a, "with": [], "agreements": under, "categories": pair.categories}
            pairs.append(row)
        row["with"].append(pair.b)
    return {
        "matrix": matrix,
        "chart": chart,
        "pairs": pairs,
        "sharing": len(sharing),
        **pagination(page),
    }


@methods("GET")
def coverage(request):
    matrix = selectors.coverage_matrix(user=request.user)
    context = _matrix_page(request, matrix, title="Who may share with whom")
    return render(
        request,
        "datasharing/coverage/coverage.html",
        {**context, "title": "Who may share with whom", "breadcrumbs": crumbs()},
    )


@methods("GET")
def agreement_coverage(request, slug):
    agreement = agreement_for(request.user, slug)
    matrix = selectors.coverage_matrix(user=request.user, agreement=agreement)
    title = f"Who may share with whom under {agreement.title}"
    context = _matrix_page(request, matrix, title=title)
    return render(
        request,
        "datasharing/coverage/coverage.html",
        {
            **context,
            "title": title,
            "agreement": agreement,
            "not_sharing": selectors.not_sharing(agreement=agreement, matrix=matrix),
            "breadcrumbs": crumbs((agreement.title, agreement_url(agreement.slug))),
        },
    )
