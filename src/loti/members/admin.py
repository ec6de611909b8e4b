"""The Django admin, for superusers only: the office works in the site's own pages."""

from django.contrib import admin

from loti.members.models import (
    Budget,
    Contribution,
    FeeRate,
    Membership,
    Organisation,
    OrganisationAlias,
    Person,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "gss_code"]
    search_fields = ["name", "short_name", "gss_code"]


@admin.register(OrganisationAlias)
class OrganisationAliasAdmin(admin.ModelAdmin):
    """To look at only: aliases are added on the organisation's page, where their matching
    form is worked out and clashes with other organisations are refused."""

    list_display = ["value", "kind", "organisation", "key"]
    list_filter = ["kind"]
    search_fields = ["value", "key", "organisation__name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "role", "organisation", "is_active"]
    list_filter = ["role", "is_advisory_board", "is_active"]
    search_fields = ["full_name", "email"]
    exclude = ["password", "groups", "user_permissions"]


admin.site.register([Membership, FeeRate, Budget, Contribution])
