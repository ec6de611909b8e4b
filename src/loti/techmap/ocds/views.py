"""Pages for published contract notices: staff importing them, the public reading members'
open technology tenders, and people settling an imported contract's conflicts."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from loti.core.access import check_office, methods, require
from loti.core.pages import paginate, pagination
from loti.core.permissions import Action, Data
from loti.members import selectors as member_selectors
from loti.techmap import charts, selectors, services
from loti.techmap.forms import ConflictForm, OcdsUploadForm
from loti.techmap.models import Contract, OcdsImport
from loti.techmap.views import crumbs

TENDERS_PER_PAGE = 50
RECENT_IMPORTS = 10


@require(Data.TECHMAP, Action.WRITE)
@methods("GET", "POST")
def ocds_imports(request):
    check_office(request.user)
    posted = request.method == "POST"
    form = OcdsUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        started = services.ocds_import_start(
            actor=request.user, filename=upload.name, content=upload.read()
        )
        return redirect(started)
    return render(
        request,
        "techmap/ocds/ocds_imports.html",
        {
            "form": form,
            "recent": OcdsImport.objects.select_related("requested_by", "progress")[
                :RECENT_IMPORTS
            ],
            "breadcrumbs": crumbs(),
        },
    )


@require(Data.TECHMAP, Action.WRITE)
@methods("GET")
def ocds_import_detail(request, pk):
    check_office(request.user)
    upload = get_object_or_404(OcdsImport.objects.select_related("progress"), pk=pk)
    return render(
        request,
        "techmap/ocds/ocds_import_detail.html",
        {
            "upload": upload,
            "report": upload.report,
            "breadcrumbs": crumbs(("Published notices", reverse("techmap:ocds_imports"))),
        },
    )


@methods("GET")
def tenders(request):
    now = timezone.now()
    areas = {area.slug: area for area in selectors.service_areas()}
    area = areas.get(request.GET.get("area") or "")
    organisation = None
    if request.GET.get("buyer"):
        organisation = member_selectors.organisations().filter(slug=request.GET["buyer"]).first()
    if (request.GET.get("area") and area is None) or (
        request.GET.get("buyer") and not organisation
    ):
        raise Http404("No such service or buyer")
    found = selectors.open_tenders(now=now, area=area, organisation=organisation)
    page = paginate(
        found.prefetch_related("service_areas"), request.GET.get("page"), per_page=TENDERS_PER_PAGE
    )
    query = {key: value for key, value in (("area", area), ("buyer", organisation)) if value}
    return render(
        request,
        "techmap/ocds/tenders.html",
        {
            **pagination(page, query=urlencode({k: v.slug for k, v in query.items()})),
            "chart": charts.tenders_by_area_chart(selectors.open_tenders_by_area(now=now)),
            "areas": areas.values(),
            "area": area,
            "buyers": selectors.tender_buyers(now=now),
            "buyer": organisation,
            "breadcrumbs": crumbs(),
        },
    )


@methods("GET")
def tender_detail(request, pk):
    tender = selectors.tender_for(pk=pk)
    return render(
        request,
        "techmap/ocds/tender_detail.html",
        {"tender": tender, "breadcrumbs": crumbs(("Open tenders", reverse("techmap:tenders")))},
    )


@require(Data.TECHMAP, Action.WRITE)
@methods("POST")
def contract_conflict(request, pk):
    contract = selectors.contract_for(user=request.user, pk=pk, action=Action.WRITE)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether to use the notice's value or keep yours")
        return redirect(contract)
    take = form.cleaned_data["choice"] == "take"
    try:
        services.contract_conflict_settle(
            actor=request.user, contract=contract, field=form.cleaned_data["field"], take=take
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(contract)
    label = str(Contract._meta.get_field(form.cleaned_data["field"]).verbose_name).lower()
    messages.success(
        request,
        f"The {label} is now the published notice's."
        if take
        else f"Your {label} is kept; the notice's is set aside.",
    )
    return redirect(contract)
