"""The Django admin, for superusers only: the office works in the site's own pages."""

from django.contrib import admin

from loti.evaluation.activities.models import Activity, ActivityCost, ActivityInput
from loti.evaluation.report.models import ReportPublication


class ActivityCostInline(admin.TabularInline):
    model = ActivityCost
    extra = 0


class ActivityInputInline(admin.TabularInline):
    model = ActivityInput
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "benefit_model", "discounting", "optimism_bias", "updated_at"]
    list_filter = ["benefit_model"]
    search_fields = ["title"]
    filter_horizontal = ["projects"]
    inlines = [ActivityCostInline, ActivityInputInline]


@admin.register(ReportPublication)
class ReportPublicationAdmin(admin.ModelAdmin):
    """To look at only: a published report is a record of what was published."""

    list_display = ["title", "financial_year", "published_at", "published_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
