"""The register of data-sharing agreements and an agreement's pages. Who reads what is the
selectors' (`agreements_seen_by`, `reads_details`); who writes and signs, the services'."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from loti.core.access import methods, require
from loti.core.pages import apply_errors, form_page, paginate, pagination, posted, save_form
from loti.core.permissions import Action, Data, is_office
from loti.datasharing.agreements import selectors, services
from loti.datasharing.agreements.forms import (
    VERSION_FIELDS,
    AgreementForm,
    AgreementWithdrawForm,
    PartyWithdrawForm,
    RegisterFilterForm,
    SignForm,
    data_items_formset,
)
from loti.datasharing.documents import templates
from loti.datasharing.dpia import selectors as dpia_selectors
from loti.datasharing.models import Agreement, Party, Signature

PER_PAGE = 25
FORM = "datasharing/agreements/agreement_form.html"
Status = Agreement.Status

# The colour of each status's tag (its words always say it too).
TAG = {
    Status.DRAFT: "govuk-tag--grey",
    Status.CONSULTATION: "govuk-tag--blue",
    Status.SIGNED: "govuk-tag--green",
    Status.REVIEW_DUE: "govuk-tag--yellow",
    Status.EXPIRED: "govuk-tag--red",
    Status.WITHDRAWN: "govuk-tag--grey",
}


def crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Data sharing", reverse("datasharing:agreements")), *extra]


def _status(agreement: Agreement) -> dict[str, str]:
    status = Status(getattr(agreement, "current_status", agreement.status))
    return {"value": status.value, "label": status.label, "tag": TAG[status]}


def _sign_in_first(request):
    """A write open to signatories as well as writers: the anonymous are asked to sign in."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


@methods("GET")
def agreements(request):
    user = request.user
    seen = selectors.agreements_seen_by(user)
    statuses = [(s.value, s.label) for s in Status if s != Status.DRAFT or services.may_write(user)]
    filters = RegisterFilterForm(request.GET or None, statuses=statuses)
    chosen: dict[str, Any] = {}
    if filters.is_bound and filters.is_valid():
        chosen = {k: v for k, v in filters.cleaned_data.items() if v}
    if "status" in chosen:
        seen = seen.filter(current_status=chosen["status"])
    if "organisation" in chosen:
        versions = Party.objects.filter(organisation=chosen["organisation"]).values("version_id")
        seen = seen.filter(Q(current_version__in=versions) | Q(in_force_version__in=versions))
    seen = seen.select_related("current_version", "in_force_version").annotate(
        current_parties=Count("current_version__parties", distinct=True),
        in_force_parties=Count("in_force_version__parties", distinct=True),
    )
    page = paginate(seen.order_by("title", "pk"), request.GET.get("page"), per_page=PER_PAGE)
    rows = [
        {
            "agreement": agreement,
            "status": _status(agreement),
            "version": selectors.register_version(agreement),
            "parties": (
                agreement.in_force_parties
                if agreement.in_force_version_id
                else agreement.current_parties
            ),
        }
        for agreement in page
    ]
    query = urlencode({k: request.GET[k] for k in ("status", "organisation") if request.GET.get(k)})
    return render(
        request,
        "datasharing/agreements/agreement_list.html",
        {
            "rows": rows,
            "filters": filters,
            "filtered": bool(chosen),
            "count": page.paginator.count,
            "can_draft": services.may_write(user) and user.is_authenticated,
            **pagination(page, query=query),
        },
    )


def _signatures(version) -> list[Party]:
    return list(
        version.parties.select_related("organisation", "signature", "withdrawn_by").order_by(
            "organisation__short_name"
        )
    )


@methods("GET")
def agreement_detail(request, slug):
    user = request.user
    agreement = selectors.agreement_for(user, slug)
    version = selectors.register_version(agreement)
    details = selectors.reads_details(user, agreement)
    versions = list(
        agreement.versions.order_by("-number").prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.select_related("organisation", "signature").order_by(
                    "organisation__short_name"
                ),
            )
        )
    )
    parties = _signatures(version)
    for party in parties:
        party.may_withdraw = services.may_withdraw_party(user, party)
    current = agreement.current_version
    awaiting = (
        current
        if agreement.in_force_version_id and current.pk != agreement.in_force_version_id
        else None
    )
    writable = services.may_write(user, agreement) and agreement.status != Status.WITHDRAWN
    return render(
        request,
        "datasharing/agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "status": _status(agreement),
            "version": version,
            "parties": parties,
            "details": details,
            "data_items": list(version.data_items.all()) if details else [],
            "versions": versions,
            "awaiting": awaiting,
            "signing_party": services.signing_party(user, agreement),
            "can_write": writable,
            "can_open": writable and agreement.status == Status.DRAFT,
            "screening": dpia_selectors.screening_summary(user, agreement),
            "breadcrumbs": crumbs(),
        },
    )


@methods("GET")
def version_detail(request, slug, number):
    user = request.user
    agreement = selectors.agreement_for(user, slug)
    version = get_object_or_404(agreement.versions, number=number)
    details = selectors.reads_details(user, agreement)
    return render(
        request,
        "datasharing/agreements/version_detail.html",
        {
            "agreement": agreement,
            "status": _status(agreement),
            "version": version,
            "parties": _signatures(version),
            "details": details,
            "data_items": list(version.data_items.all()) if details else [],
            "is_current": version.pk == agreement.current_version_id,
            "is_in_force": version.pk == agreement.in_force_version_id,
            "breadcrumbs": crumbs((agreement.title, agreement.get_absolute_url())),
        },
    )


def _save_agreement(request, form, formset, save):
    """Validate the form and its data items and save them through `save`; None (and the
    errors on the form) when anything is wrong, so nothing is saved."""
    if request.method != "POST" or request.POST.get("action") in ("add_item", "roles"):
        return None
    valid = form.is_valid()
    formset_valid = formset.is_valid()
    if not (valid and formset_valid):
        return None
    items = [item for item in (f.item() for f in formset.forms) if item is not None]
    try:
        return save(items)
    except ValidationError as error:
        _apply_agreement_errors(form, formset, error)
        return None


def _apply_agreement_errors(form, formset, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        errors = dict(error.error_dict)
        if "parties" in errors:
            form.add_error("organisations", errors.pop("parties"))
        if "data_items" in errors:
            formset.service_errors = [m for e in errors.pop("data_items") for m in e.messages]
        if errors:
            apply_errors(form, ValidationError(errors))
    else:
        apply_errors(form, error)


def _form_page(request, form, formset, **context):
    errors = list(form.error_links())
    service_errors = getattr(formset, "service_errors", [])
    item_errors = [str(e) for f in formset.forms for field in f.errors.values() for e in field]
    errors += [("#data-items", message) for message in [*item_errors, *service_errors]]
    return render(
        request,
        FORM,
        {
            "form": form,
            "formset": formset,
            "errors": errors,
            "item_errors": [*item_errors, *service_errors],
            **context,
        },
    )


@require(Data.AGREEMENTS, Action.WRITE)
@methods("GET", "POST")
def agreement_create(request):
    user = request.user
    if not services.may_write(user):
        raise PermissionDenied
    # A member drafts for their own organisation, which is one of the parties.
    own = None if is_office(user) else user.organisation
    initial = {"organisations": [own] if own else []}
    # Started from a template (`?template=`, kept in the address the form posts to).
    key = request.GET.get("template", "")
    template = templates.initial_for(user=user, key=key) if key else None
    if key and template is None:
        raise Http404("No such template")
    if template is not None:
        initial |= {"title": template["title"], **template["version"]}
    form = AgreementForm(posted(request), initial=initial)
    formset = data_items_formset(
        posted(request),
        items=template["data_items"] if template else None,
        add=request.POST.get("action") == "add_item",
    )
    agreement = _save_agreement(
        request,
        form,
        formset,
        lambda data_items: services.agreement_create(
            actor=user,
            organisation=own,
            title=form.cleaned_data["title"],
            version=form.version(),
            data_items=data_items,
            parties=form.parties(),
            template=template["template"] if template else None,
        ),
    )
    if agreement is not None:
        messages.success(request, f"“{agreement.title}” has been saved as a draft.")
        return redirect(agreement)
    return _form_page(
        request,
        form,
        formset,
        title="Draft a data-sharing agreement",
        template=template,
        submit_label="Save draft",
        cancel_url=reverse("datasharing:agreements"),
        breadcrumbs=crumbs(),
    )


def _writable(request, slug) -> Agreement:
    agreement = selectors.agreement_for(request.user, slug)
    if not services.may_write(request.user, agreement):
        raise PermissionDenied
    return agreement


@require(Data.AGREEMENTS, Action.WRITE)
@methods("GET", "POST")
def agreement_edit(request, slug):
    agreement = _writable(request, slug)
    current = agreement.current_version
    parties = list(current.parties.select_related("organisation"))
    roles = [party.role for party in parties]
    common = max(set(roles), key=roles.count) if roles else ""
    changing_signed = Signature.objects.filter(party__version=current).exists()
    initial = {
        "title": agreement.title,
        **{name: getattr(current, name) for name in VERSION_FIELDS},
        "organisations": [party.organisation for party in parties],
        "role": common,
    }
    overrides = {p.organisation_id: p.role for p in parties if p.role != common}
    form = AgreementForm(
        posted(request), initial=initial, changing_signed=changing_signed, overrides=overrides
    )
    formset = data_items_formset(
        posted(request),
        items=[
            {"name": i.name, "category": i.category, "description": i.description}
            for i in current.data_items.all()
        ],
        add=request.POST.get("action") == "add_item",
    )
    version = _save_agreement(
        request,
        form,
        formset,
        lambda data_items: services.agreement_update(
            actor=request.user,
            agreement=agreement,
            title=form.cleaned_data["title"],
            version=form.version(),
            data_items=data_items,
            parties=form.parties(),
            change_summary=form.cleaned_data.get("change_summary", ""),
        ),
    )
    if version is not None:
        messages.success(
            request,
            f"Version {version.number} of “{agreement.title}” now awaits every party's signature."
            if changing_signed
            else f"“{agreement.title}” has been updated.",
        )
        return redirect(agreement)
    return _form_page(
        request,
        form,
        formset,
        title=f"Change {agreement.title}",
        submit_label="Save changes",
        lede=(
            f"Someone has signed version {current.number}: your changes make version "
            f"{current.number + 1}, which every party signs again."
            if changing_signed
            else ""
        ),
        cancel_url=agreement.get_absolute_url(),
        breadcrumbs=crumbs((agreement.title, agreement.get_absolute_url())),
    )


@require(Data.AGREEMENTS, Action.WRITE)
@methods("GET", "POST")
def agreement_consult(request, slug):
    agreement = _writable(request, slug)
    if request.method == "POST":
        try:
            services.agreement_open(actor=request.user, agreement=agreement)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"“{agreement.title}” is open for its parties to sign.")
        return redirect(agreement)
    return render(
        request,
        "datasharing/agreements/confirm_consult.html",
        {
            "agreement": agreement,
            "parties": _signatures(agreement.current_version),
            "breadcrumbs": crumbs((agreement.title, agreement.get_absolute_url())),
        },
    )


@methods("GET", "POST")
def agreement_sign(request, slug):
    asked = _sign_in_first(request)
    if asked:
        return asked
    agreement = selectors.agreement_for(request.user, slug)
    party = services.signing_party(request.user, agreement)
    if party is None:
        raise PermissionDenied
    form = SignForm(
        posted(request),
        initial={"version_number": party.version.number, "capacity": request.user.job_title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_sign(
                actor=request.user,
                agreement=agreement,
                version_number=form.cleaned_data["version_number"],
                capacity=form.cleaned_data["capacity"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"You have signed version {party.version.number} of “{agreement.title}” "
                f"for {party.organisation}.",
            )
            return redirect(agreement)
    return render(
        request,
        "datasharing/agreements/sign.html",
        {
            "agreement": agreement,
            "party": party,
            "version": party.version,
            "form": form,
            "breadcrumbs": crumbs((agreement.title, agreement.get_absolute_url())),
        },
    )


@methods("GET", "POST")
def party_withdraw(request, slug, pk):
    asked = _sign_in_first(request)
    if asked:
        return asked
    agreement = selectors.agreement_for(request.user, slug)
    party = get_object_or_404(
        Party.objects.select_related("organisation", "version__agreement"),
        pk=pk,
        version__agreement=agreement,
    )
    if party.version_id not in (agreement.current_version_id, agreement.in_force_version_id):
        raise Http404
    if not services.may_withdraw_party(request.user, party):
        raise PermissionDenied
    form = PartyWithdrawForm(posted(request))
    saved = save_form(
        request,
        form,
        save=lambda data: services.party_withdraw(
            actor=request.user, party=party, on=data["on"], reason=data["reason"]
        ),
        success=lambda _: f"{party.organisation} has withdrawn from the agreement.",
        then=lambda _: agreement,
    )
    return saved or form_page(
        request,
        form,
        title=f"Withdraw {party.organisation} from the agreement",
        caption=agreement.title,
        lede="The other parties go on sharing under the agreement.",
        submit_label="Withdraw",
        destructive=True,
        cancel_url=agreement.get_absolute_url(),
        breadcrumbs=crumbs((agreement.title, agreement.get_absolute_url())),
    )


@require(Data.AGREEMENTS, Action.WRITE)
@methods("GET", "POST")
def agreement_withdraw(request, slug):
    agreement = _writable(request, slug)
    form = AgreementWithdrawForm(posted(request))
    saved = save_form(
        request,
        form,
        save=lambda data: services.agreement_withdraw(
            actor=request.user,
            agreement=agreement,
            on=data["withdrawn_on"],
            reason=data["withdrawal_reason"],
        ),
        success=lambda _: f"“{agreement.title}” has been withdrawn.",
        then=lambda _: agreement,
    )
    return saved or form_page(
        request,
        form,
        title=f"Withdraw {agreement.title}",
        lede="The agreement ends for every party. Its versions and signatures are kept.",
        submit_label="Withdraw the agreement",
        destructive=True,
        cancel_url=agreement.get_absolute_url(),
        breadcrumbs=crumbs((agreement.title, agreement.get_absolute_url())),
    )
