from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from loti.core import selectors as core_selectors
from loti.core.access import methods, require
from loti.core.pages import confirm_delete, form_page, save_form
from loti.core.permissions import Action, Data, can, is_office, may_change_account
from loti.members import charts, selectors, services
from loti.members.financial_year import FinancialYear
from loti.members.forms import (
    BudgetForm,
    ContributionForm,
    FeeScheduleForm,
    MembershipForm,
    OrganisationAliasForm,
    OrganisationForm,
    PersonForm,
)
from loti.members.models import Contribution, Tier


def _crumbs_organisation(organisation) -> list[tuple[str, str]]:
    return [
        ("Organisations", reverse("members:organisation_list")),
        (organisation.short_name, organisation.get_absolute_url()),
    ]


def _crumbs_finance(year: FinancialYear) -> list[tuple[str, str]]:
    return [
        ("Finance", reverse("members:finance_index")),
        (year.label, reverse("members:finance_year", args=[year])),
    ]


# Organisations ------------------------------------------------------------------------


@methods("GET")
def organisation_list(request):
    year = FinancialYear.containing(timezone.localdate())
    organisations = selectors.organisation_list(user=request.user, year=year.start_year)
    tiers = dict(Tier.choices)
    counts = {label: 0 for label in tiers.values()}
    for organisation in organisations:
        organisation.tier_label = tiers.get(organisation.tier, "")
        if organisation.tier_label:
            counts[organisation.tier_label] += 1
    return render(
        request,
        "members/organisation_list.html",
        {
            "organisations": organisations,
            "year": year,
            "counts": counts,
            "can_write": can(request.user, Data.DIRECTORY, Action.WRITE),
        },
    )


@require(Data.DIRECTORY, Action.WRITE)
@methods("GET", "POST")
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    saved = save_form(
        request,
        form,
        save=lambda data: services.organisation_create(actor=request.user, **data),
        success=lambda organisation: f"{organisation.short_name} has been added.",
        then=lambda organisation: organisation,
    )
    if saved:
        return saved
    return form_page(
        request,
        form,
        title="Add an organisation",
        cancel_url=reverse("members:organisation_list"),
        breadcrumbs=[("Organisations", reverse("members:organisation_list"))],
        submit_label="Add organisation",
    )


@methods("GET")
def organisation_detail(request, slug):
    organisation = selectors.organisation_for(user=request.user, slug=slug)
    finance_visible = can(request.user, Data.FINANCE, Action.READ, organisation.pk)
    memberships = selectors.membership_list(user=request.user, organisation=organisation)
    # The tier of each year is public; what was due and paid is not.
    public_memberships = organisation.memberships.order_by("-year")
    context = {
        "organisation": organisation,
        "finance_visible": finance_visible,
        "memberships": memberships if finance_visible else public_memberships,
        "contributions": selectors.contribution_list(user=request.user, organisation=organisation),
        "people": selectors.people_list(user=request.user).filter(organisation=organisation),
        "aliases": selectors.organisation_aliases(user=request.user, organisation=organisation),
        "history": core_selectors.audit_history(user=request.user, objects=[organisation]),
        "can_write": can(request.user, Data.DIRECTORY, Action.WRITE, organisation.pk),
        "can_write_finance": can(request.user, Data.FINANCE, Action.WRITE, organisation.pk),
        "breadcrumbs": [("Organisations", reverse("members:organisation_list"))],
    }
    return render(request, "members/organisation_detail.html", context)


@require(Data.DIRECTORY, Action.WRITE)
@methods("GET", "POST")
def organisation_edit(request, slug):
    organisation = selectors.organisation_for(user=request.user, slug=slug, action=Action.WRITE)
    initial = {name: getattr(organisation, name) for name in OrganisationForm.base_fields}
    form = OrganisationForm(request.POST or None, initial=initial)
    saved = save_form(
        request,
        form,
        save=lambda data: services.organisation_update(
            actor=request.user, organisation=organisation, **data
        ),
        success=lambda _: f"{organisation.short_name} has been updated.",
        then=lambda _: organisation,
    )
    if saved:
        return saved
    return form_page(
        request,
        form,
        title=f"Change {organisation.short_name}",
        cancel_url=organisation.get_absolute_url(),
        breadcrumbs=_crumbs_organisation(organisation),
    )


@require(Data.DIRECTORY, Action.WRITE)
@methods("GET", "POST")
def organisation_aliases(request, slug):
    organisation = selectors.organisation_for(user=request.user, slug=slug, action=Action.WRITE)
    form = OrganisationAliasForm(request.POST or None)
    saved = save_form(
        request,
        form,
        save=lambda data: services.organisation_alias_add(
            actor=request.user, organisation=organisation, **data
        ),
        success=lambda alias: (
            f"“{alias.value}” has been added to {organisation.short_name}'s "
            f"{'other names' if alias.kind == alias.Kind.NAME else 'identifiers'}."
        ),
        then=lambda _: reverse("members:organisation_aliases", args=[organisation.slug]),
    )
    if saved:
        return saved
    return render(
        request,
        "members/organisation_aliases.html",
        {
            "organisation": organisation,
            "aliases": selectors.organisation_aliases(user=request.user, organisation=organisation),
            "form": form,
            "breadcrumbs": _crumbs_organisation(organisation),
        },
    )


@require(Data.DIRECTORY, Action.WRITE)
@methods("POST")
def organisation_alias_delete(request, slug, pk):
    organisation = selectors.organisation_for(user=request.user, slug=slug, action=Action.WRITE)
    alias = selectors.organisation_alias_for(
        user=request.user, organisation=organisation, pk=pk, action=Action.WRITE
    )
    services.organisation_alias_remove(actor=request.user, alias=alias)
    messages.success(request, f"“{alias.value}” has been removed from {organisation.short_name}.")
    return redirect("members:organisation_aliases", organisation.slug)


# Memberships --------------------------------------------------------------------------


@require(Data.FINANCE, Action.WRITE)
@methods("GET", "POST")
def membership_create(request, slug):
    organisation = selectors.organisation_for(user=request.user, slug=slug)
    year = FinancialYear.containing(timezone.localdate())
    form = MembershipForm(request.POST or None, initial={"year": year.start_year})
    saved = save_form(
        request,
        form,
        save=lambda data: services.membership_create(
            actor=request.user, organisation=organisation, **data
        ),
        success=lambda membership: (
            f"{membership.organisation.short_name} is a "
            f"{membership.get_tier_display().lower()} in {membership.financial_year}."
        ),
        then=lambda membership: membership,
    )
    if saved:
        return saved
    return form_page(
        request,
        form,
        title="Add a membership",
        caption=organisation.short_name,
        cancel_url=organisation.get_absolute_url(),
        breadcrumbs=_crumbs_organisation(organisation),
        submit_label="Add membership",
    )


@login_required
@methods("GET")
def membership_detail(request, pk):
    membership = selectors.membership_for(user=request.user, pk=pk)
    return render(
        request,
        "members/membership_detail.html",
        {
            "membership": membership,
            "history": core_selectors.audit_history(user=request.user, objects=[membership]),
            "can_write": can(request.user, Data.FINANCE, Action.WRITE, membership.organisation_id),
            "breadcrumbs": _crumbs_organisation(membership.organisation),
        },
    )


@login_required
@methods("GET", "POST")
def membership_edit(request, pk):
    membership = selectors.membership_for(user=request.user, pk=pk, action=Action.WRITE)
    form = MembershipForm(
        request.POST or None,
        editing=True,
        initial={
            "tier": membership.tier,
            "fee_due": membership.fee_due,
            "declaration_signed_on": membership.declaration_signed_on,
        },
    )
    saved = save_form(
        request,
        form,
        save=lambda data: services.membership_update(
            actor=request.user, membership=membership, **data
        ),
        success=lambda _: "The membership has been updated.",
        then=lambda _: membership,
    )
    if saved:
        return saved
    return form_page(
        request,
        form,
        title=f"Change membership for {membership.financial_year}",
        caption=membership.organisation.short_name,
        cancel_url=membership.get_absolute_url(),
        breadcrumbs=_crumbs_organisation(membership.organisation),
    )


@login_required
@methods("GET", "POST")
def membership_delete(request, pk):
    membership = selectors.membership_for(user=request.user, pk=pk, action=Action.WRITE)
    return confirm_delete(
        request,
        obj=membership,
        delete=lambda: services.membership_delete(actor=request.user, membership=membership),
        title=(
            f"Delete {membership.organisation.short_name}'s membership "
            f"for {membership.financial_year}?"
        ),
        done=f"The {membership.financial_year} membership has been deleted.",
        next_url=membership.organisation.get_absolute_url(),
        breadcrumbs=_crumbs_organisation(membership.organisation),
    )


# Finance ------------------------------------------------------------------------------


@require(Data.FINANCE, consortium_wide=True)
@methods("GET")
def finance_index(request):
    return redirect("members:finance_year", FinancialYear.containing(timezone.localdate()))


@require(Data.FINANCE, consortium_wide=True)
@methods("GET")
def finance_year(request, year: FinancialYear):
    summary = selectors.finance_summary(user=request.user, year=year.start_year)
    memberships = selectors.membership_list(user=request.user, year=year.start_year)
    tiers = memberships.aggregate(
        **{tier: Count("pk", filter=Q(tier=tier)) for tier in Tier.values}
    )
    context = {
        "year": year,
        "summary": summary,
        "chart": charts.income_chart(summary),
        "memberships": memberships,
        "tier_counts": [(label, tiers[value]) for value, label in Tier.choices if tiers[value]],
        "fees": [
            (label, selectors.fee_schedule(year=year.start_year).get(value))
            for value, label in Tier.choices
        ],
        "to_invoice": services.memberships_to_invoice(year=year.start_year).count(),
        "history": core_selectors.audit_history(
            user=request.user, objects=selectors.budget_and_fees(year=year.start_year)
        ),
        "can_write": can(request.user, Data.FINANCE, Action.WRITE),
        "previous": year.previous(),
        "next": year.next(),
        "breadcrumbs": [("Finance", reverse("members:finance_index"))],
    }
    return render(request, "members/finance_year.html", context)


@require(Data.FINANCE, Action.WRITE)
@methods("GET", "POST")
def fee_schedule_edit(request, year: FinancialYear):
    current = selectors.fee_schedule(year=year.start_year)
    form = FeeScheduleForm(request.POST or None, initial=current)
    saved = save_form(
        request,
        form,
        save=lambda data: services.fee_schedule_set(
            actor=request.user, year=year.start_year, amounts=data
        ),
        success=lambda _: f"The {year} fee schedule has been saved.",
        then=lambda _: reverse("members:finance_year", args=[year]),
    )
    if saved:
        return saved
    return form_page(
        request,
        form,
        title=f"Fee schedule for {year}",
        lede=(
            "The annual fee for each membership tier. New memberships for the year use these "
            "fees unless you enter another."
        ),
        cancel_url=reverse("members:finance_year", args=[year]),
        breadcrumbs=_crumbs_finance(year),
    )


@require(Data.FINANCE, Action.WRITE)
@methods("GET", "POST")
def budget_edit(request, year: FinancialYear):
    budget = selectors.finance_summary(user=request.user, year=year.start_year).budget
    form = BudgetForm(
        request.POST or None,
        initial={"amount": budget.amount, "notes": budget.notes} if budget else None,
    )
    saved = save_form(
        request,
        form,
        save=lambda data: services.budget_set(actor=request.user, year=year.start_year, **data),
        success=lambda _: f"The {year} budget has been saved.",
        then=lambda _: reverse("members:finance_year", args=[year]),
    )
    if saved:
        return saved
    return form_page(
        request,
        form,
        title=f"Budget for {year}",
        cancel_url=reverse("members:finance_year", args=[year]),
        breadcrumbs=_crumbs_finance(year),
    )


@require(Data.FINANCE, Action.WRITE)
@methods("GET", "POST")
def invoices_raise(request, year: FinancialYear):
    pending = services.memberships_to_invoice(year=year.start_year)
    if request.method == "POST":
        progress = services.membership_invoices_start(actor=request.user, year=year.start_year)
        return redirect("core:task_progress", progress.pk)
    return render(
        request,
        "members/invoices_raise.html",
        {"year": year, "pending": pending, "breadcrumbs": _crumbs_finance(year)},
    )


@require(Data.FINANCE, Action.WRITE)
@methods("GET", "POST")
def contribution_create(request, year: FinancialYear):
    form = ContributionForm(request.POST or None, initial={"status": Contribution.Status.INVOICED})
    saved = save_form(
        request,
        form,
        save=lambda data: services.contribution_create(
            actor=request.user, year=year.start_year, **data
        ),
        success=lambda contribution: f"{contribution} has been recorded.",
        then=lambda contribution: contribution,
    )
    if saved:
        return saved
    return form_page(
        request,
        form,
        title=f"Record a contribution for {year}",
        cancel_url=reverse("members:finance_year", args=[year]),
        breadcrumbs=_crumbs_finance(year),
        submit_label="Record contribution",
    )


@login_required
@methods("GET")
def contribution_detail(request, pk):
    contribution = selectors.contribution_for(user=request.user, pk=pk)
    return render(
        request,
        "members/contribution_detail.html",
        {
            "contribution": contribution,
            "history": core_selectors.audit_history(user=request.user, objects=[contribution]),
            "can_write": can(
                request.user, Data.FINANCE, Action.WRITE, contribution.organisation_id
            ),
            "breadcrumbs": _crumbs_organisation(contribution.organisation),
        },
    )


@login_required
@methods("GET", "POST")
def contribution_edit(request, pk):
    contribution = selectors.contribution_for(user=request.user, pk=pk, action=Action.WRITE)
    initial = {name: getattr(contribution, name) for name in ContributionForm.base_fields}
    form = ContributionForm(request.POST or None, initial=initial)
    saved = save_form(
        request,
        form,
        save=lambda data: services.contribution_update(
            actor=request.user, contribution=contribution, **data
        ),
        success=lambda _: "The contribution has been updated.",
        then=lambda _: contribution,
    )
    if saved:
        return saved
    return form_page(
        request,
        form,
        title=f"Change contribution for {FinancialYear(contribution.year)}",
        caption=contribution.organisation.short_name,
        cancel_url=contribution.get_absolute_url(),
        breadcrumbs=_crumbs_organisation(contribution.organisation),
    )


@login_required
@methods("GET", "POST")
def contribution_delete(request, pk):
    contribution = selectors.contribution_for(user=request.user, pk=pk, action=Action.WRITE)
    return confirm_delete(
        request,
        obj=contribution,
        delete=lambda: services.contribution_delete(actor=request.user, contribution=contribution),
        title=f"Delete this contribution from {contribution.organisation.short_name}?",
        done="The contribution has been deleted.",
        next_url=reverse("members:finance_year", args=[FinancialYear(contribution.year)]),
        breadcrumbs=_crumbs_organisation(contribution.organisation),
    )


# People -------------------------------------------------------------------------------


@require(Data.PEOPLE)
@methods("GET")
def people_list(request):
    people = selectors.people_list(user=request.user)
    role = request.GET.get("role")
    if role:
        people = people.filter(role=role)
    return render(request, "members/people_list.html", {"people": people, "role": role})


def _person_fields(person) -> dict:
    return {name: getattr(person, name) for name in PersonForm.base_fields}


@require(Data.PEOPLE, Action.WRITE)
@methods("GET", "POST")
def person_create(request):
    form = PersonForm(request.POST or None)
    saved = save_form(
        request,
        form,
        save=lambda data: services.person_create(actor=request.user, **data),
        success=lambda person: (
            f"{person.full_name} has been added. They can set a password with "
            "“I have forgotten my password” on the sign-in page."
        ),
        then=lambda person: person,
    )
    if saved:
        return saved
    return form_page(
        request,
        form,
        title="Add a person",
        cancel_url=reverse("members:people_list"),
        breadcrumbs=[("People", reverse("members:people_list"))],
        submit_label="Add person",
    )


@login_required
@methods("GET")
def person_detail(request, pk):
    person = selectors.person_for(user=request.user, pk=pk)
    return render(
        request,
        "members/person_detail.html",
        {
            "person": person,
            "is_self": person.pk == request.user.pk,
            "tokens": core_selectors.api_tokens_for(user=request.user, person=person),
            "history": core_selectors.audit_history(user=request.user, objects=[person]),
            "can_write": can(request.user, Data.PEOPLE, Action.WRITE)
            and may_change_account(request.user, person),
            "breadcrumbs": [("People", reverse("members:people_list"))]
            if is_office(request.user)
            else [],
        },
    )


@require(Data.PEOPLE, Action.WRITE)
@methods("GET", "POST")
def person_edit(request, pk):
    person = selectors.person_for(user=request.user, pk=pk, action=Action.WRITE)
    form = PersonForm(request.POST or None, initial=_person_fields(person))
    saved = save_form(
        request,
        form,
        save=lambda data: services.person_update(actor=request.user, person=person, **data),
        success=lambda _: f"{person.full_name}'s details have been updated.",
        then=lambda _: person,
    )
    if saved:
        return saved
    return form_page(
        request,
        form,
        title=f"Change {person.full_name}'s details",
        cancel_url=person.get_absolute_url(),
        breadcrumbs=[
            ("People", reverse("members:people_list")),
            (person.full_name, person.get_absolute_url()),
        ],
    )


@require(Data.PEOPLE, Action.WRITE)
@methods("GET", "POST")
def person_delete(request, pk):
    person = selectors.person_for(user=request.user, pk=pk, action=Action.WRITE)
    return confirm_delete(
        request,
        obj=person,
        delete=lambda: services.person_delete(actor=request.user, person=person),
        title=f"Delete {person.full_name}'s account?",
        done=f"{person.full_name}'s account has been deleted.",
        next_url=reverse("members:people_list"),
        breadcrumbs=[("People", reverse("members:people_list"))],
    )


@methods("GET")
def advisory_board(request):
    return render(request, "members/advisory_board.html", {"board": selectors.advisory_board()})
