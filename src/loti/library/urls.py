from django.urls import path

from loti.library import views

app_name = "library"

urlpatterns = [
    path("library/", views.resources, name="resources"),
    path("library/new/", views.resource_create, name="resource_create"),
    path("library/<int:pk>/", views.resource_detail, name="resource_detail"),
    path("library/<int:pk>/change/", views.resource_edit, name="resource_edit"),
    path("library/<int:pk>/publish/", views.resource_publish, name="resource_publish"),
    path("library/<int:pk>/versions/new/", views.version_create, name="version_create"),
    path(
        "library/<int:pk>/versions/<int:version_pk>/download/",
        views.version_download,
        name="version_download",
    ),
    path("library/<int:pk>/reuse/", views.reuse_record, name="reuse_record"),
    path("library/<int:pk>/reuse/withdraw/", views.reuse_withdraw, name="reuse_withdraw"),
]
