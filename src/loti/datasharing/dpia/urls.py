"""Routes of this concept (see datasharing/urls.py for their order)."""

from django.urls import path

from loti.datasharing.dpia import views

urlpatterns = [
    path("data-sharing/<slug:slug>/screening/", views.screening_page, name="screening"),
    path("data-sharing/<slug:slug>/dpia/", views.dpia_page, name="dpia"),
    path("data-sharing/<slug:slug>/dpia/edit/", views.dpia_edit, name="dpia_edit"),
]
