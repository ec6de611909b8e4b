"""The Django admin's site: it signs people in through the site's own, throttled sign-in
page.

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


class AdminConfig(DjangoAdminConfig):
    default_site = "loti.core.admin_site.AdminSite"
