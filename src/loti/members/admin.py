"""The Django admin, for superusers only: the office works in the site's own pages."""

from django.contrib import admin

from loti.members.models import Budget, Contribution, FeeRate, Membership, Organisation, Person


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "gss_code"]
    search_fields = ["name", "short_name", "gss_code"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "email", "role", "organisation", "is_active"]
    list_filter = ["role", "is_advisory_board", "is_active"]
    search_fields = ["full_name", "email"]
    exclude = ["password", "groups", "user_permissions"]


admin.site.register([Membership, FeeRate, Budget, Contribution])
