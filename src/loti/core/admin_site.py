"""The Django admin's site: it signs people in through the site's own, throttled sign-in
page, and every change made in it goes into the change history like any other.

Named in INSTALLED_APPS in place of `django.contrib.admin`, so this module is imported while
the apps load: what needs models is imported where it is used.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        from loti.core import auth

        return auth.admin_sign_in(request)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model is registered with the audited admin, whichever ModelAdmin its app
        gives, so no registration can leave its edits out of the change history."""
        from loti.core.admin import AuditedModelAdmin

        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedModelAdmin):
            admin_class = type(admin_class.__name__, (AuditedModelAdmin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)


class AdminConfig(DjangoAdminConfig):
    default_site = "loti.core.admin_site.AdminSite"
