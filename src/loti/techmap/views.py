from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from loti.core import proposals
from loti.core import selectors as core_selectors
from loti.core.access import check_office, methods, require
from loti.core.money import money
from loti.core.pages import (
    confirm_delete,
    form_page,
    paginate,
    pagination,
    save_form,
    url_for_id,
)
from loti.core.permissions import Action, Data, can, is_office
from loti.members import selectors as member_selectors
from loti.techmap import charts, selectors, services
from loti.techmap.forms import (
    ContractForm,
    InterestForm,
    OpportunityFilterForm,
    ProductForm,
    SkillsForm,
    SystemForm,
    VendorForm,
    VendorMergeForm,
)
from loti.techmap.models import SkillArea, Vendor

OPPORTUNITIES_PER_PAGE = 10
PROPOSAL_CONTRACTS_LISTED = 20  # a prefilled proposal names this many contracts, then counts
PRODUCT_USERS_SHOWN = 25
# Rows a page shows of any list an import can make long (systems, contracts, products,
# suppliers): a page reads these from the database, however many there are.
LIST_PAGE_SIZE = 50
VENDOR_CHART_PRODUCTS = 25  # a supplier's chart shows its most used products


def _today() -> datetime.date:
    return timezone.localdate()


def _bounded_int(value: str | None, *, default: int, low: int, high: int) -> int:
    try:
        number = int(value) if value else default
    except ValueError:
        return default
    return min(max(number, low), high)


def _pages(request, lists: dict[str, object]) -> dict[str, dict]:
    """For a page with several lists, each a page at a time: for each name in `lists` (also
    its `?<name>_page=` parameter), the page of its items and what the pagination needs,
    keeping the other lists' pages on its links."""
    numbers = {name: request.GET.get(f"{name}_page") for name in lists}
    pages = {
        name: paginate(items, numbers[name], per_page=LIST_PAGE_SIZE)
        for name, items in lists.items()
    }
    return {
        name: pagination(
            page,
            query=urlencode(
                {
                    f"{other}_page": pages[other].number
                    for other in lists
                    if other != name and pages[other].number > 1
                }
            ),
            param=f"{name}_page",
        )
        | {"label": f"Pages of {name}"}
        for name, page in pages.items()
    }


def crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Technology map", reverse("techmap:map")), *extra]


def _estate_crumbs(organisation) -> list[tuple[str, str]]:
    return crumbs(
        (organisation.short_name, reverse("techmap:organisation_estate", args=[organisation.slug]))
    )


def _organisation(request, slug, action=Action.READ):
    organisation = member_selectors.organisation_for(user=request.user, slug=slug)
    if action == Action.WRITE and not can(
        request.user, Data.TECHMAP, Action.WRITE, organisation.pk
    ):
        raise PermissionDenied
    return organisation


@methods("GET")
def technology_map(request):
    function = request.GET.get("function") or None
    page = selectors.technology_map(
        user=request.user, page=request.GET.get("page"), function=function
    )
    return render(
        request,
        "techmap/map.html",
        {
            "map": page,
            **pagination(page.page, query=urlencode({"function": function}) if function else ""),
            # A product's page is this plus its slug: one reverse() rather than one per cell.
            "products_url": reverse("techmap:product_list"),
            "chart": charts.coverage_chart(page.coverage(), organisations=len(page.page)),
            "functions": selectors.service_areas()
            .values_list("function__slug", "function__name")
            .distinct(),
            "function": function or "",
            "synthetic": selectors.estate_is_synthetic(),
            "can_import_notices": is_office(request.user),
        },
    )


@methods("GET")
def organisation_estate(request, slug):
    organisation = _organisation(request, slug)
    estate = selectors.organisation_estate(user=request.user, organisation=organisation)
    pages = _pages(request, estate)
    return render(
        request,
        "techmap/organisation_estate.html",
        {
            "organisation": organisation,
            "systems": pages["systems"],
            "contracts": pages["contracts"],
            "chart": charts.ends_by_year_chart(
                estate["contracts"].order_by().values_list("ends_on", flat=True),
                id="estate-ends",
                subject=f"{organisation.short_name}'s",
            ),
            # Only when the visitor may read some shown system's satisfaction (as annotated).
            "satisfaction_column": any(system.notes_seen for system in pages["systems"]["page"]),
            "can_write": can(request.user, Data.TECHMAP, Action.WRITE, organisation.pk),
            "breadcrumbs": crumbs(),
        },
    )


@require(Data.TECHMAP, Action.WRITE)
@methods("GET", "POST")
def system_create(request, slug):
    organisation = _organisation(request, slug, Action.WRITE)
    form = SystemForm(request.POST or None)
    saved = save_form(
        request,
        form,
        save=lambda data: services.system_create(
            actor=request.user, organisation=organisation, **data
        ),
        success=lambda system: (
            f"{system.product.name} has been added to {organisation.short_name}'s systems."
        ),
        then=lambda system: system,
    )
    return saved or form_page(
        request,
        form,
        title="Add a system",
        caption=organisation.short_name,
        cancel_url=reverse("techmap:organisation_estate", args=[slug]),
        breadcrumbs=_estate_crumbs(organisation),
        submit_label="Add system",
    )


@methods("GET")
def system_detail(request, pk):
    system = selectors.system_for(user=request.user, pk=pk)
    page = paginate(
        selectors.system_contracts(user=request.user, system=system).order_by("ends_on", "pk"),
        request.GET.get("page"),
        per_page=LIST_PAGE_SIZE,
    )
    return render(
        request,
        "techmap/system_detail.html",
        {
            "system": system,
            "contracts": page,
            **pagination(page),
            "can_write": can(request.user, Data.TECHMAP, Action.WRITE, system.organisation_id),
            "history": core_selectors.audit_history(user=request.user, objects=[system]),
            "breadcrumbs": _estate_crumbs(system.organisation),
        },
    )


@require(Data.TECHMAP, Action.WRITE)
@methods("GET", "POST")
def system_edit(request, pk):
    system = selectors.system_for(user=request.user, pk=pk, action=Action.WRITE)
    initial = {
        name: getattr(system, name) for name in SystemForm.base_fields if name != "service_areas"
    }
    initial["service_areas"] = list(system.service_areas.all())
    form = SystemForm(request.POST or None, initial=initial)
    saved = save_form(
        request,
        form,
        save=lambda data: services.system_update(actor=request.user, system=system, **data),
        success=lambda _: f"{system.product.name} has been updated.",
        then=lambda _: system,
    )
    return saved or form_page(
        request,
        form,
        title=f"Change {system.product.name}",
        caption=system.organisation.short_name,
        cancel_url=system.get_absolute_url(),
        breadcrumbs=_estate_crumbs(system.organisation),
    )


@require(Data.TECHMAP, Action.WRITE)
@methods("GET", "POST")
def system_delete(request, pk):
    system = selectors.system_for(user=request.user, pk=pk, action=Action.WRITE)
    return confirm_delete(
        request,
        obj=system,
        delete=lambda: services.system_delete(actor=request.user, system=system),
        title=f"Remove {system.product.name} from {system.organisation.short_name}'s systems?",
        done=f"{system.product.name} has been removed.",
        next_url=reverse("techmap:organisation_estate", args=[system.organisation.slug]),
        breadcrumbs=_estate_crumbs(system.organisation),
    )


@require(Data.TECHMAP, Action.WRITE)
@methods("GET", "POST")
def contract_create(request, slug):
    organisation = _organisation(request, slug, Action.WRITE)
    form = ContractForm(request.POST or None, organisation=organisation)
    saved = save_form(
        request,
        form,
        save=lambda data: services.contract_create(
            actor=request.user, organisation=organisation, **data
        ),
        success=lambda contract: f"The contract “{contract.title}” has been added.",
        then=lambda contract: contract,
    )
    return saved or form_page(
        request,
        form,
        title="Add a contract",
        caption=organisation.short_name,
        cancel_url=reverse("techmap:organisation_estate", args=[slug]),
        breadcrumbs=_estate_crumbs(organisation),
        submit_label="Add contract",
    )


@methods("GET")
def contract_detail(request, pk):
    contract = selectors.contract_for(user=request.user, pk=pk)
    award, conflicts = selectors.contract_notice(contract)
    return render(
        request,
        "techmap/contract_detail.html",
        {
            "contract": contract,
            "award": award,
            "conflicts": conflicts,
            "can_write": can(request.user, Data.TECHMAP, Action.WRITE, contract.organisation_id),
            "history": core_selectors.audit_history(user=request.user, objects=[contract]),
            "breadcrumbs": _estate_crumbs(contract.organisation),
        },
    )


@require(Data.TECHMAP, Action.WRITE)
@methods("GET", "POST")
def contract_edit(request, pk):
    contract = selectors.contract_for(user=request.user, pk=pk, action=Action.WRITE)
    initial = {name: getattr(contract, name) for name in ContractForm.base_fields}
    form = ContractForm(request.POST or None, initial=initial, organisation=contract.organisation)
    saved = save_form(
        request,
        form,
        save=lambda data: services.contract_update(actor=request.user, contract=contract, **data),
        success=lambda _: f"The contract “{contract.title}” has been updated.",
        then=lambda _: contract,
    )
    return saved or form_page(
        request,
        form,
        title="Change contract",
        caption=contract.organisation.short_name,
        cancel_url=contract.get_absolute_url(),
        breadcrumbs=_estate_crumbs(contract.organisation),
    )


@require(Data.TECHMAP, Action.WRITE)
@methods("GET", "POST")
def contract_delete(request, pk):
    contract = selectors.contract_for(user=request.user, pk=pk, action=Action.WRITE)
    return confirm_delete(
        request,
        obj=contract,
        delete=lambda: services.contract_delete(actor=request.user, contract=contract),
        title=f"Delete the contract “{contract.title}”?",
        done="The contract has been deleted.",
        next_url=reverse("techmap:organisation_estate", args=[contract.organisation.slug]),
        breadcrumbs=_estate_crumbs(contract.organisation),
    )


@methods("GET")
def product_list(request):
    query = request.GET.get("q", "").strip()[:100]
    page = paginate(selectors.catalogue(query=query), request.GET.get("page"), per_page=50)
    return render(
        request,
        "techmap/product_list.html",
        {
            **pagination(page, query=urlencode({"q": query}) if query else ""),
            "search": query,
            "can_add": can(request.user, Data.TECHMAP, Action.WRITE),
            "breadcrumbs": crumbs(),
        },
    )


@methods("GET")
def product_detail(request, slug):
    product = selectors.product_for(slug=slug)
    usage = selectors.product_usage(
        product=product, page=request.GET.get("page"), per_page=PRODUCT_USERS_SHOWN
    )
    system_url = url_for_id("techmap:system_detail")
    return render(
        request,
        "techmap/product_detail.html",
        {
            "product": product,
            **pagination(usage.page),
            "users": [(system_url(user.system_id), user) for user in usage.page],
            "chart": charts.ends_by_year_chart(
                usage.contract_ends,
                id="product-ends",
                subject=f"{product.name}",
            ),
            "breadcrumbs": crumbs(("Products", reverse("techmap:product_list"))),
        },
    )


@require(Data.TECHMAP, Action.WRITE)
@methods("GET", "POST")
def product_create(request):
    form = ProductForm(request.POST or None)
    saved = save_form(
        request,
        form,
        save=lambda data: services.product_create(actor=request.user, **data),
        success=lambda product: f"{product.name} has been added to the catalogue.",
        then=lambda product: product,
    )
    return saved or form_page(
        request,
        form,
        title="Add a product to the catalogue",
        cancel_url=reverse("techmap:product_list"),
        breadcrumbs=crumbs(("Products", reverse("techmap:product_list"))),
        submit_label="Add product",
    )


@methods("GET")
def vendor_list(request):
    page = paginate(
        Vendor.objects.order_by("name"), request.GET.get("page"), per_page=LIST_PAGE_SIZE
    )
    return render(
        request,
        "techmap/vendor_list.html",
        {
            "vendors": page,
            **pagination(page),
            "can_add": can(request.user, Data.TECHMAP, Action.WRITE),
            "breadcrumbs": crumbs(),
        },
    )


@methods("GET")
def vendor_detail(request, slug):
    vendor = selectors.vendor_for(slug=slug)
    usage = selectors.vendor_usage(user=request.user, vendor=vendor)
    return render(
        request,
        "techmap/vendor_detail.html",
        {
            "vendor": vendor,
            **_pages(request, usage),
            "chart": charts.organisations_per_product_chart(
                list(
                    usage["products"].values_list("name", "organisations")[:VENDOR_CHART_PRODUCTS]
                ),
                vendor=vendor.name,
            ),
            "is_office": is_office(request.user),
            "history": core_selectors.audit_history(user=request.user, objects=[vendor]),
            "breadcrumbs": crumbs(("Suppliers", reverse("techmap:vendor_list"))),
        },
    )


@require(Data.TECHMAP, Action.WRITE)
@methods("GET", "POST")
def vendor_create(request):
    form = VendorForm(request.POST or None)
    saved = save_form(
        request,
        form,
        save=lambda data: services.vendor_create(actor=request.user, **data),
        success=lambda vendor: f"{vendor.name} has been added.",
        then=lambda vendor: vendor,
    )
    return saved or form_page(
        request,
        form,
        title="Add a supplier",
        cancel_url=reverse("techmap:vendor_list"),
        breadcrumbs=crumbs(("Suppliers", reverse("techmap:vendor_list"))),
        submit_label="Add supplier",
    )


@require(Data.TECHMAP, Action.WRITE)
@methods("GET", "POST")
def vendor_edit(request, slug):
    check_office(request.user)
    vendor = selectors.vendor_for(slug=slug)
    initial = {
        "name": vendor.name,
        "companies_house_number": vendor.companies_house_number,
        "is_sme": {True: "yes", False: "no"}.get(vendor.is_sme, ""),
    }
    form = VendorForm(request.POST or None, initial=initial)
    saved = save_form(
        request,
        form,
        save=lambda data: services.vendor_update(actor=request.user, vendor=vendor, **data),
        success=lambda _: f"{vendor.name} has been updated.",
        then=lambda _: vendor,
    )
    return saved or form_page(
        request,
        form,
        title=f"Change {vendor.name}",
        cancel_url=vendor.get_absolute_url(),
        breadcrumbs=crumbs(("Suppliers", reverse("techmap:vendor_list"))),
    )


@require(Data.TECHMAP, Action.WRITE)
@methods("GET", "POST")
def vendor_merge(request, slug):
    check_office(request.user)
    vendor = selectors.vendor_for(slug=slug)
    form = VendorMergeForm(
        request.POST or None, keep=vendor, candidates=Vendor.objects.order_by("name")
    )
    saved = save_form(
        request,
        form,
        save=lambda data: services.vendor_merge(
            actor=request.user, keep=vendor, duplicates=data["duplicates"]
        ),
        success=lambda _: f"The suppliers have been merged into {vendor.name}.",
        then=lambda _: vendor,
    )
    return saved or form_page(
        request,
        form,
        title=f"Merge duplicate suppliers into {vendor.name}",
        cancel_url=vendor.get_absolute_url(),
        breadcrumbs=crumbs(
            ("Suppliers", reverse("techmap:vendor_list")), (vendor.name, vendor.get_absolute_url())
        ),
        submit_label="Merge suppliers",
    )


@methods("GET")
def expiry(request):
    today = _today()
    area = request.GET.get("area") or None
    if area and not selectors.service_areas().filter(slug=area).exists():
        raise Http404
    contracts = selectors.expiring_contracts(user=request.user, today=today, months=36, area=area)
    page = paginate(contracts, request.GET.get("page"), per_page=50)
    return render(
        request,
        "techmap/expiry.html",
        {
            "contracts": page,
            **pagination(page, query=urlencode({"area": area}) if area else ""),
            "chart": charts.expiry_chart(selectors.expiry_by_quarter(contracts), today=today),
            "areas": selectors.service_areas(),
            "area": area or "",
            "today": today,
            "breadcrumbs": crumbs(),
        },
    )


@methods("GET")
def market(request):
    area = request.GET.get("area") or None
    if area and not selectors.service_areas().filter(slug=area).exists():
        raise Http404
    overview = selectors.market_overview(user=request.user, area=area)
    areas = {a.slug: a for a in selectors.service_areas()}
    return render(
        request,
        "techmap/market.html",
        {
            **overview,
            "top_chart": charts.suppliers_chart(overview["top"], by=overview["by"]),
            "products_chart": charts.products_per_area_chart(selectors.products_per_area()),
            "hhi_rows": [
                (areas[slug], result)
                for slug, result in sorted(overview["hhi"].items(), key=lambda i: -i[1].hhi)
                if slug in areas
            ],
            "areas": areas.values(),
            "area": area or "",
            "breadcrumbs": crumbs(),
        },
    )


OPPORTUNITY_WINDOW = 12  # months between the first and last end date of a window
OPPORTUNITY_HORIZON = 36  # months ahead


def _opportunity_settings(form: OpportunityFilterForm) -> tuple[int, int]:
    chosen = form.choices()
    return chosen.get("window", OPPORTUNITY_WINDOW), chosen.get("horizon", OPPORTUNITY_HORIZON)


def _opportunity_form(request) -> OpportunityFilterForm:
    organisation_id = getattr(request.user, "organisation_id", None)
    data = request.GET.copy()
    for name, default in (("window", OPPORTUNITY_WINDOW), ("horizon", OPPORTUNITY_HORIZON)):
        if not data.get(name):
            data[name] = str(default)
    return OpportunityFilterForm(
        data,
        areas=selectors.service_areas().order_by("name"),
        mine=organisation_id is not None,
        values=selectors.values_complete(request.user),
    )


def _may_mark_interest(user) -> bool:
    return user.organisation_id is not None and can(
        user, Data.TECHMAP, Action.WRITE, user.organisation_id
    )


@require(Data.CONTRACT_DETAILS)
@methods("GET")
def opportunities(request):
    form = _opportunity_form(request)
    window, horizon = _opportunity_settings(form)
    chosen = form.choices()
    area = chosen.get("area")
    found = selectors.opportunities(
        user=request.user,
        today=_today(),
        window_months=window,
        horizon_months=horizon,
        area=area,
    )
    shown = selectors.opportunities_filtered(
        found,
        organisation_id=request.user.organisation_id if chosen.get("mine") else None,
        supplier=chosen.get("supplier", ""),
        min_value=chosen.get("min_value"),
    )
    page = paginate(shown, request.GET.get("page"), per_page=OPPORTUNITIES_PER_PAGE)
    page.object_list = selectors.with_interest(user=request.user, opportunities=page.object_list)
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    settings_query = urlencode(
        {
            k: v
            for k, v in (("window", window), ("horizon", horizon))
            if v != {"window": OPPORTUNITY_WINDOW, "horizon": OPPORTUNITY_HORIZON}[k]
        }
    )
    return render(
        request,
        "techmap/opportunities.html",
        {
            "form": form,
            "page": page,
            "items": [
                (item, selectors.opportunity_url(item.opportunity, settings_query)) for item in page
            ],
            **pagination(page, query=query),
            "total": len(found),
            "shown": len(shown),
            "filtered": any(key in chosen for key in ("mine", "supplier", "min_value", "area")),
            "window": window,
            "horizon": horizon,
            "show_values": selectors.values_complete(request.user),
            "own_organisation": request.user.organisation_id,
            "breadcrumbs": crumbs(),
        },
    )


def _proposal_prefill(opportunity, *, user) -> dict[str, object]:
    """A proposal's starting text from an opportunity: the service, the organisations and
    their contracts (not their values, which a proposal may come to publish)."""
    names = ", ".join(name for _, name in opportunity.organisations)
    contracts = list(selectors.opportunity_contracts(user=user, opportunity=opportunity))
    listed = "; ".join(
        f"{c.organisation.short_name}: {c.title} with {c.vendor.name}, ending {c.ends_on:%B %Y}"
        for c in contracts[:PROPOSAL_CONTRACTS_LISTED]
    )
    more = len(contracts) - PROPOSAL_CONTRACTS_LISTED
    if more > 0:
        listed += f"; and {more} more"
    categories = ", ".join(f"{name} ({count})" for name, count in opportunity.categories)
    problem = (
        f"{opportunity.organisation_count} organisations ({names}) each buy technology "
        f"for {opportunity.group_name} on their own. Their "
        f"{opportunity.contract_count} contracts end between "
        f"{opportunity.window_starts_on:%B %Y} and {opportunity.window_ends_on:%B %Y}, "
        f"so they could be bought together. Product categories: {categories}. "
        f"Contracts: {listed}."
    )
    own = getattr(user, "organisation_id", None)
    return {
        "title": f"Buying together: {opportunity.group_name}",
        "problem": problem,
        "outcome": (
            f"One joint procurement for {opportunity.group_name}, shaped by the "
            "organisations above, that each can join as its contract ends."
        ),
        "supporters": [str(pk) for pk, _ in opportunity.organisations if pk != own],
    }


@require(Data.CONTRACT_DETAILS)
@methods("GET")
def opportunity_detail(request, area, starts):
    try:
        starts_on = datetime.date.fromisoformat(starts)
    except ValueError:
        raise Http404 from None
    form = _opportunity_form(request)
    window, horizon = _opportunity_settings(form)
    found = selectors.opportunities(
        user=request.user, today=_today(), window_months=window, horizon_months=horizon, area=area
    )
    opportunity = selectors.opportunity_for(found, area=area, starts_on=starts_on)
    if opportunity is None:
        raise Http404
    query = urlencode([(k, v) for k, v in request.GET.items() if k in {"window", "horizon"}])
    if opportunity.window_starts_on != starts_on:
        # The window this link named has been merged into a larger opportunity.
        return redirect(selectors.opportunity_url(opportunity, query))
    [item] = selectors.with_interest(user=request.user, opportunities=[opportunity])
    show_values = selectors.values_complete(request.user)
    contracts = list(selectors.opportunity_contracts(user=request.user, opportunity=opportunity))
    chart = charts.opportunity_timeline_chart(
        [
            charts.ContractSpan(
                organisation=c.organisation.short_name,
                title=c.title,
                supplier=c.vendor.name,
                starts_on=c.starts_on,
                ends_on=c.ends_on,
                annual_value=money(c.seen_annual_value)
                if c.seen_annual_value is not None
                else "Not known",
            )
            for c in contracts
        ],
        window=(opportunity.window_starts_on, opportunity.window_ends_on),
        today=_today(),
        show_values=show_values,
    )
    may_propose = can(request.user, Data.CALLS, Action.WRITE)
    start = (
        proposals.proposal_start(
            user=request.user,
            today=_today(),
            prefill=_proposal_prefill(opportunity, user=request.user),
        )
        if may_propose
        else None
    )
    own = request.user.organisation_id
    return render(
        request,
        "techmap/opportunity_detail.html",
        {
            "item": item,
            "o": opportunity,
            "chart": chart,
            "show_values": show_values,
            "others_interested": [
                name
                for name in item.interested
                if name != getattr(request.user.organisation, "short_name", None)
            ],
            "involved": own is not None and own in opportunity.organisation_ids,
            "can_mark": _may_mark_interest(request.user),
            "start": start,
            "window": window,
            "horizon": horizon,
            "breadcrumbs": crumbs(
                ("Opportunities", reverse("techmap:opportunities") + (f"?{query}" if query else ""))
            ),
        },
    )


@require(Data.CONTRACT_DETAILS)
@methods("POST")
def opportunity_interest(request):
    form = InterestForm(request.POST)
    organisation = request.user.organisation
    if organisation is None or not _may_mark_interest(request.user):
        raise PermissionDenied
    if not form.is_valid():
        messages.error(
            request, "That opportunity could not be found. Refresh the page and try again."
        )
        return redirect("techmap:opportunities")
    services.opportunity_interest_set(
        actor=request.user, organisation=organisation, **form.cleaned_data
    )
    messages.success(
        request,
        "Your interest has been recorded: the office will be in touch."
        if form.cleaned_data["interested"]
        else "Your interest has been withdrawn.",
    )
    data = form.cleaned_data
    return redirect(
        "techmap:opportunity_detail", data["group_slug"], data["window_starts_on"].isoformat()
    )


@require(Data.CONTRACT_DETAILS)
@methods("GET")
def skills(request):
    return render(
        request,
        "techmap/skills.html",
        {**selectors.skills_matrix(user=request.user), "breadcrumbs": crumbs()},
    )


@require(Data.TECHMAP, Action.WRITE)
@methods("GET", "POST")
def skills_edit(request, slug):
    organisation = _organisation(request, slug, Action.WRITE)
    areas = list(SkillArea.objects.all())
    current = selectors.skill_levels_of(organisation=organisation)
    form = SkillsForm.for_areas(
        areas, request.POST or None, initial={f"skill_{a.pk}": current.get(a.pk) for a in areas}
    )
    saved = save_form(
        request,
        form,
        save=lambda data: services.skill_levels_set(
            actor=request.user,
            organisation=organisation,
            levels={a: data[f"skill_{a.pk}"] for a in areas},
        ),
        success=lambda _: f"{organisation.short_name}'s skills have been saved.",
        then=lambda _: reverse("techmap:skills"),
    )
    return saved or form_page(
        request,
        form,
        title="Digital and data skills",
        caption=organisation.short_name,
        lede=(
            "For each area, how strong is the organisation? "
            "1 is starting out, 5 is able to teach others."
        ),
        cancel_url=reverse("techmap:skills"),
        breadcrumbs=crumbs(("Skills", reverse("techmap:skills"))),
    )
