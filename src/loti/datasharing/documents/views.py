"""An agreement's documents: its readable page, its PDF and its JSON export, each rendering
the same content (`content.agreement_content`) for the person asking, and the templates a new
agreement can start from."""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja.responses import NinjaJSONEncoder

from loti.core.access import methods, require
from loti.core.permissions import Action, Data
from loti.datasharing.agreements import selectors
from loti.datasharing.agreements.views import crumbs
from loti.datasharing.documents import content, pdf, schemas, templates


def _version_asked(request) -> int | None:
    """The version number in `?version=`, if one is asked for: anything but a number names
    no version, so is a 404."""
    raw = request.GET.get("version")
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        raise Http404("No such version")
    return int(raw)


def _document(request, slug: str) -> content.Document:
    agreement = selectors.agreement_for(request.user, slug)
    document = content.document(
        user=request.user, agreement=agreement, number=_version_asked(request)
    )
    if document is None:
        raise Http404("No such version")
    return document


def _query(document: content.Document) -> str:
    number = document.version["number"]
    return "" if number == document.content["register_version"] else f"?version={number}"


@methods("GET")
def agreement_document(request, slug):
    document = _document(request, slug)
    query = _query(document)
    return render(
        request,
        "datasharing/documents/agreement_document.html",
        {
            "document": document,
            "agreement": document.content,
            "withheld": content.WITHHELD,
            "pdf_url": reverse("datasharing:agreement_pdf", args=[slug]) + query,
            "json_url": reverse("datasharing:agreement_json", args=[slug]) + query,
            "breadcrumbs": crumbs((document.title, document.content["url"])),
        },
    )


@methods("GET")
def agreement_pdf(request, slug):
    document = _document(request, slug)
    page = reverse("datasharing:agreement_document", args=[slug]) + _query(document)
    response = HttpResponse(
        pdf.render(document, web_url=request.build_absolute_uri(page)),
        content_type="application/pdf",
    )
    name = f"{slug}-version-{document.version['number']}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@methods("GET")
def agreement_json(request, slug):
    """The agreement as the API's agreement detail gives it, to keep or send on, encoded as
    the API encodes it."""
    agreement = selectors.agreement_for(request.user, slug)
    exported = schemas.AgreementDetailOut.model_validate(
        content.agreement_content(user=request.user, agreement=agreement)
    ).model_dump()
    response = HttpResponse(
        json.dumps(exported, indent=2, ensure_ascii=False, cls=NinjaJSONEncoder),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'inline; filename="{slug}.json"'
    return response


@require(Data.AGREEMENTS, Action.WRITE)
@methods("GET")
def agreement_templates(request):
    """The templates a new agreement can start from, for those who may draft one."""
    return render(
        request,
        "datasharing/documents/agreement_templates.html",
        {
            "choices": templates.template_choices(user=request.user),
            "create_url": reverse("datasharing:agreement_create"),
            "breadcrumbs": crumbs(),
        },
    )
