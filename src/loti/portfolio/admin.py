"""The Django admin, for superusers only: the office works in the site's own pages.

Ballots are not registered: not even a superuser reads a ballot through the admin. Calls,
proposals and the selection are to look at only, since their rules (dates, criteria fixed
once voting starts, overrides with reasons) live in the services.
"""

from django.contrib import admin

from loti.portfolio.calls.models import Assessment, Call, Criterion, Proposal, SelectionResult
from loti.portfolio.workstreams.models import Workstream


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Workstream)
class WorkstreamAdmin(admin.ModelAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Call)
class RoundAdmin(ReadOnly):
    list_display = ["title", "proposals_open_on", "voting_closes_on", "results_published_at"]
    inlines = [CriterionInline]


@admin.register(Proposal)
class ProposalAdmin(ReadOnly):
    list_display = ["title", "call", "organisation", "estimated_cost", "chunks"]
    list_filter = ["call", "type", "workstream"]
    search_fields = ["title", "problem", "outcome"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnly):
    list_display = ["proposal", "criterion", "score"]
    list_filter = ["proposal__call"]


@admin.register(SelectionResult)
class SelectionResultAdmin(ReadOnly):
    list_display = ["proposal", "call", "combined", "selected", "override"]
    list_filter = ["call", "selected"]
