"""Pages for moving an estate in and out as spreadsheets: the template, the upload, the
import's preview and commit, and the export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from loti.core import imports
from loti.core.access import get_for_user, methods, require
from loti.core.forms import GovukForm
from loti.core.permissions import Action, Data, can
from loti.core.spreadsheets import CONTENT_TYPES, write_csv, write_xlsx
from loti.core.text import join_words
from loti.members import selectors as member_selectors
from loti.techmap import estate_import as estate
from loti.techmap.forms import SpreadsheetUploadForm

if TYPE_CHECKING:
    from loti.members.models import Organisation

GUIDANCE_HEADERS = ["Column", "What to enter", "Required"]


def _format(request) -> str:
    kind = request.GET.get("format", "csv")
    if kind not in CONTENT_TYPES:
        raise Http404("Choose CSV or XLSX")
    return kind


def _download(content: bytes, kind: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@methods("GET")
def estate_template(request):
    """An empty spreadsheet in the import's columns; the XLSX one explains each column."""
    kind = _format(request)
    if kind == "csv":
        content = write_csv(estate.HEADERS, [])
    else:
        content = write_xlsx(
            estate.HEADERS,
            [],
            sheet_title="Systems and contracts",
            extra_sheets=[("Guidance", GUIDANCE_HEADERS, estate.guidance_rows())],
        )
    return _download(content, kind, "technology-map-template")


@methods("GET")
def estate_export(request):
    """Every system and contract the visitor may see, in the import's columns."""
    kind = _format(request)
    organisation = None
    if request.GET.get("organisation"):
        organisation = get_object_or_404(
            member_selectors.organisations(), slug=request.GET["organisation"]
        )
    rows = estate.export_rows(user=request.user, organisation=organisation)
    if kind == "csv":
        content = write_csv(estate.HEADERS, rows)
    else:
        content = write_xlsx(estate.HEADERS, rows, sheet_title="Systems and contracts")
    scope = organisation.slug if organisation else "all"
    response = _download(content, kind, f"technology-map-{scope}-{timezone.localdate():%Y-%m-%d}")
    # It may hold members-only figures: no shared cache may keep it.
    patch_cache_control(response, private=True, no_store=True)
    return response


@require(Data.TECHMAP, Action.WRITE)
@methods("GET", "POST")
def estate_import(request, slug):
    organisation = get_for_user(
        member_selectors.organisations(),
        request.user,
        Data.TECHMAP,
        action=Action.WRITE,
        owner="pk",
        slug=slug,
    )
    posted = request.method == "POST"
    form = SpreadsheetUploadForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = imports.import_batch_create(
            kind=estate.KIND,
            requested_by=request.user,
            filename=upload.name,
            content=upload.read(),
            organisation_id=organisation.pk,
            scope_label=organisation.short_name,
        )
        return redirect("techmap:import_detail", pk=batch.pk)
    return render(
        request,
        "techmap/estate_import/import_upload.html",
        {
            "organisation": organisation,
            "form": form,
            "recent": imports.import_batches_for(
                user=request.user, kind=estate.KIND, organisation_id=organisation.pk
            )[:5],
            "breadcrumbs": _crumbs(organisation),
        },
    )


class DecisionForm(GovukForm):
    """One question per vendor name that could be one of several known vendors."""

    def __init__(self, decisions: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        self.decisions = decisions
        # The questions depend on the preview, so this form's fields are its instance's own.
        self.base_fields: dict[str, forms.Field] = {}
        for index, decision in enumerate(decisions):
            name = decision["name"]
            choices = [(str(s["vendor_id"]), s["name"]) for s in decision["suggestions"]]
            choices.append((estate.NEW_VENDOR, f"None of these: add a new vendor called “{name}”"))
            self.base_fields[f"vendor_{index}"] = forms.ChoiceField(
                label=f"Which vendor is “{name}”?",
                help_text=_rows_text(decision),
                choices=choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select which vendor “{name}” is",
                    "invalid_choice": f"Select which vendor “{name}” is",
                },
            )
        super().__init__(*args, **kwargs)

    def answers(self) -> dict[str, str]:
        return {
            decision["key"]: self.cleaned_data[f"vendor_{index}"]
            for index, decision in enumerate(self.decisions)
        }


def _rows_text(decision: dict[str, Any]) -> str:
    rows = [str(row) for row in decision["rows"]]
    more = decision["row_count"] - len(rows)
    listed = join_words(rows)
    text = f"On row{'s' if decision['row_count'] != 1 else ''} {listed}"
    if more > 0:
        text += f" and {more} more"
    return text


@login_required
@methods("GET", "POST")
def import_detail(request, pk):
    batch = imports.import_batch_for_user(user=request.user, pk=pk)
    if batch.kind != estate.KIND:
        raise Http404
    preview = batch.preview or {}
    decisions = preview.get("decisions", []) if batch.state == batch.State.PREVIEWED else []
    action = request.POST.get("action") if request.method == "POST" else None
    form = DecisionForm(decisions, request.POST if action == "decide" else None)
    if action == "decide" and form.is_valid():
        try:
            imports.import_batch_decide(batch=batch, decisions=form.answers())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("techmap:import_detail", pk=batch.pk)
    if action == "commit":
        try:
            imports.import_batch_commit(batch=batch)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("techmap:import_detail", pk=batch.pk)
    organisation = (
        member_selectors.organisations(ids=[batch.organisation_id]).first()
        if batch.organisation_id
        else None
    )
    problems = [
        {**problem, "label": estate.LABELS.get(problem["column"], problem["column"])}
        for problem in preview.get("problems", [])
    ]
    return render(
        request,
        "techmap/estate_import/import_detail.html",
        {
            "batch": batch,
            "preview": preview,
            "problems": problems,
            "more_problems": preview.get("problem_count", 0) - len(problems),
            "form": form,
            "organisation": organisation,
            "can_commit": batch.state == batch.State.PREVIEWED and preview.get("ready"),
            "can_see_estate": organisation is not None
            and can(request.user, Data.TECHMAP, Action.READ, organisation.pk),
            "breadcrumbs": _crumbs(organisation) if organisation else [],
        },
    )


def _crumbs(organisation: Organisation) -> list[tuple[str, str]]:
    return [
        ("Technology map", reverse("techmap:map")),
        (
            organisation.short_name,
            reverse("techmap:organisation_estate", args=[organisation.slug]),
        ),
    ]
