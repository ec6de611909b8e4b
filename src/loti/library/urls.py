from django.urls import path

from loti.library import views

app_name = "library"

urlpatterns = [
    path("library/", views.resources, name="resources"),
    path("library/<int:pk>/", views.resource_detail, name="resource_detail"),
]
