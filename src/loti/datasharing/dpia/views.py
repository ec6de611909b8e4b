"""An agreement's DPIA screening and DPIA pages. Both are operational details: whoever may not
read those (`reads_details`), the public among them, is told the pages are not there; whoever
reads but may not change the agreement (`may_write`) reads them and is refused a change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from loti.core import selectors as core_selectors
from loti.core.access import methods, require
from loti.core.pages import apply_errors, posted, save_form
from loti.core.permissions import Action, Data, can
from loti.datasharing.agreements.selectors import agreement_for, reads_details
from loti.datasharing.agreements.services import may_write
from loti.datasharing.dpia import matrix, screening, selectors, services
from loti.datasharing.dpia.forms import DpiaForm, RiskFormSet, ScreeningForm

RISKS_PREFIX = "risks"


def _agreement(request, slug, *, write: bool = False):
    """The agreement if the visitor reads its details (else 404) and, for a change, may
    change it (else 403)."""
    agreement = agreement_for(request.user, slug)
    if not reads_details(request.user, agreement):
        raise Http404
    if write and not may_write(request.user, agreement):
        raise PermissionDenied
    return agreement


def _crumbs(agreement, *extra):
    try:
        agreement_url = agreement.get_absolute_url()
    except NoReverseMatch:
        # The agreement's own page is not part of this build: the crumb goes.
        return list(extra)
    return [(agreement.title, agreement_url), *extra]


def _refuse_non_writers(request):
    """As `require(Data.AGREEMENTS, Action.WRITE)` does, for a page whose GET reads and
    whose POST writes: an anonymous visitor is sent to sign in, a reader refused."""
    if can(request.user, Data.AGREEMENTS, Action.WRITE):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


@methods("GET", "POST")
def screening_page(request, slug):
    if request.method == "POST" and (refused := _refuse_non_writers(request)):
        return refused
    agreement = _agreement(request, slug, write=request.method == "POST")
    found = selectors.screening_of(agreement)
    form = ScreeningForm(posted(request), answers=found.answers if found else None)
    url = reverse("datasharing:screening", args=[agreement.slug])
    saved = save_form(
        request,
        form,
        save=lambda data: services.screening_record(
            actor=request.user, agreement=agreement, answers=form.answers()
        ),
        success=lambda result: (
            "The screening has been saved: "
            + screening.summary(
                required=result.required,
                recommended=not result.required and bool(result.reasons),
            )
        ),
        then=lambda _: url,
    )
    if saved:
        return saved
    return render(
        request,
        "datasharing/dpia/screening.html",
        {
            "agreement": agreement,
            "form": form,
            "summary": selectors.screening_summary(request.user, agreement),
            "may_write": may_write(request.user, agreement) and request.user.is_authenticated,
            "history": core_selectors.audit_history(
                user=request.user, objects=[found] if found else []
            ),
            "breadcrumbs": _crumbs(agreement),
        },
    )


@methods("GET")
def dpia_page(request, slug):
    agreement = _agreement(request, slug)
    dpia = selectors.dpia_of(agreement)
    risks = list(dpia.risks.all()) if dpia else []
    return render(
        request,
        "datasharing/dpia/dpia.html",
        {
            "agreement": agreement,
            "dpia": dpia,
            "risks": risks,
            "matrix": matrix.table(risks),
            "severities": matrix.SEVERITIES,
            "summary": selectors.screening_summary(request.user, agreement),
            "may_write": may_write(request.user, agreement) and request.user.is_authenticated,
            "history": core_selectors.audit_history(
                user=request.user, objects=[dpia, *risks] if dpia else []
            ),
            "breadcrumbs": _crumbs(agreement),
        },
    )


def _initial(dpia):
    if dpia is None:
        return {}, [{}]
    fields = {name: getattr(dpia, name) for name in services.DPIA_FIELDS}
    risks = [
        {"id": risk.pk} | {name: getattr(risk, name) for name in services.RISK_FIELDS}
        for risk in dpia.risks.all()
    ]
    return fields, risks or [{}]


def _with_another_risk(data):
    """The posted form, with room for one more risk: "Add another risk" without JavaScript."""
    data = data.copy()
    key = f"{RISKS_PREFIX}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except ValueError:
        total = 0
    data[key] = str(min(total + 1, RiskFormSet.max_num))
    return data


def _save(request, agreement, form, risk_forms):
    """Save through the service; on its errors, show each on its field (a risk's on that
    risk's form). Returns the DPIA, or None."""
    if not (form.is_valid() and risk_forms.is_valid()):
        return None
    sent = [
        risk_form
        for risk_form in risk_forms
        if not risk_form.cleaned_data.get("remove") and not risk_form.is_blank()
    ]
    try:
        return services.dpia_save(
            actor=request.user,
            agreement=agreement,
            fields=form.dpia(),
            risks=[risk_form.risk() for risk_form in sent],
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            apply_errors(form, error)
            return None
        for name, errors in error.error_dict.items():
            number, _, field = name.removeprefix(f"{RISKS_PREFIX}-").partition("-")
            if name.startswith(f"{RISKS_PREFIX}-") and number.isdigit() and field:
                sent[int(number)].add_error(field, errors)
            else:
                form.add_error(name if name in form.fields else None, errors)
        return None


def _error_links(form, risk_forms):
    links = form.error_links()
    links += [("#risks", str(error)) for error in risk_forms.non_form_errors()]
    for risk_form in risk_forms:
        links += risk_form.error_links()
    return links


@require(Data.AGREEMENTS, Action.WRITE)
@methods("GET", "POST")
def dpia_edit(request, slug):
    agreement = _agreement(request, slug, write=True)
    dpia = selectors.dpia_of(agreement)
    initial, initial_risks = _initial(dpia)
    adding = request.method == "POST" and "add_risk" in request.POST
    data = _with_another_risk(request.POST) if adding else posted(request)
    form = DpiaForm(data, initial=initial)
    risk_forms = RiskFormSet(data, initial=initial_risks, prefix=RISKS_PREFIX)
    if request.method == "POST" and not adding:
        saved = _save(request, agreement, form, risk_forms)
        if saved is not None:
            messages.success(request, f"The DPIA of “{agreement.title}” has been saved.")
            return redirect(reverse("datasharing:dpia", args=[agreement.slug]))
    return render(
        request,
        "datasharing/dpia/dpia_edit.html",
        {
            "agreement": agreement,
            "form": form,
            "risk_forms": risk_forms,
            "error_links": _error_links(form, risk_forms) if request.method == "POST" else [],
            "adding": adding,
            "matrix": matrix.table(),
            "severities": matrix.SEVERITIES,
            "title": "Change the DPIA" if dpia else "Record the DPIA",
            "cancel_url": reverse("datasharing:dpia", args=[agreement.slug]),
            "breadcrumbs": _crumbs(
                agreement, ("DPIA", reverse("datasharing:dpia", args=[agreement.slug]))
            ),
        },
    )
