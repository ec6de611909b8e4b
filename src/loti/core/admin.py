from django.contrib import admin
from django.db import transaction

from loti.core import audit
from loti.core.models import AuditEntry


class AuditedModelAdmin(admin.ModelAdmin):
    """Records each add, change and deletion made in the Django admin in the change history
    (loti.core.audit), as the site's own pages do. The admin site applies it to every
    registration (loti.core.admin_site)."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if change:
                stored = type(obj)._default_manager.get(pk=obj.pk)
                before = audit.snapshot(stored)
                obj.save()
                audit.record(
                    actor=request.user, action=AuditEntry.Action.UPDATE, obj=obj, before=before
                )
            else:
                obj.save()
                audit.record(actor=request.user, action=AuditEntry.Action.CREATE, obj=obj)

    def delete_model(self, request, obj):
        before = audit.snapshot(obj)
        object_id = obj.pk
        with transaction.atomic():
            obj.delete()
            audit.record(
                actor=request.user,
                action=AuditEntry.Action.DELETE,
                obj=obj,
                before=before,
                object_id=object_id,
            )

    def delete_queryset(self, request, queryset):
        # "Delete selected" would otherwise delete in bulk, unrecorded.
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(AuditedModelAdmin):
    list_display = ["at", "actor_name", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
