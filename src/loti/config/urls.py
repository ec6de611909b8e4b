from django.contrib import admin
from django.urls import include, path

from loti.config.api import api

urlpatterns = [
    path("", include("loti.core.urls")),
    path("accounts/", include("loti.core.auth_urls")),
    path("", include("loti.members.urls")),
    path("", include("loti.techmap.urls")),
    path("", include("loti.portfolio.urls")),
    path("", include("loti.library.urls")),
    path("", include("loti.datasharing.urls")),
    path("", include("loti.evaluation.urls")),
    path("api/", api.urls),
    path("django-admin/", admin.site.urls),
]

handler403 = "loti.core.views.permission_denied"
handler404 = "loti.core.views.page_not_found"
handler500 = "loti.core.views.server_error"
