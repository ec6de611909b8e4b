from django.urls import path, register_converter

from loti.members import views
from loti.members.financial_year import FinancialYear


class FinancialYearConverter:
    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> FinancialYear:
        return FinancialYear.from_slug(value)

    def to_url(self, value: FinancialYear | int | str) -> str:
        if isinstance(value, str):
            return FinancialYear.from_slug(value).slug
        return (value if isinstance(value, FinancialYear) else FinancialYear(value)).slug


register_converter(FinancialYearConverter, "fy")

app_name = "members"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<slug:slug>/aliases/",
        views.organisation_aliases,
        name="organisation_aliases",
    ),
    path(
        "organisations/<slug:slug>/aliases/<int:pk>/delete/",
        views.organisation_alias_delete,
        name="organisation_alias_delete",
    ),
    path(
        "organisations/<slug:slug>/memberships/new/",
        views.membership_create,
        name="membership_create",
    ),
    path("memberships/<int:pk>/", views.membership_detail, name="membership_detail"),
    path("memberships/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("memberships/<int:pk>/delete/", views.membership_delete, name="membership_delete"),
    path("finance/", views.finance_index, name="finance_index"),
    path("finance/<fy:year>/", views.finance_year, name="finance_year"),
    path("finance/<fy:year>/fees/", views.fee_schedule_edit, name="fee_schedule_edit"),
    path("finance/<fy:year>/budget/", views.budget_edit, name="budget_edit"),
    path("finance/<fy:year>/invoices/", views.invoices_raise, name="invoices_raise"),
    path(
        "finance/<fy:year>/contributions/new/",
        views.contribution_create,
        name="contribution_create",
    ),
    path("contributions/<int:pk>/", views.contribution_detail, name="contribution_detail"),
    path("contributions/<int:pk>/edit/", views.contribution_edit, name="contribution_edit"),
    path("contributions/<int:pk>/delete/", views.contribution_delete, name="contribution_delete"),
    path("people/", views.people_list, name="people_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/delete/", views.person_delete, name="person_delete"),
    path("advisory-board/", views.advisory_board, name="advisory_board"),
]
