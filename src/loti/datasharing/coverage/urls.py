"""Routes of this concept (see datasharing/urls.py for their order)."""

from django.urls import path

from loti.datasharing.coverage import views

urlpatterns = [
    path("data-sharing/can-we-share/", views.can_we_share, name="can_we_share"),
    path("data-sharing/coverage/", views.coverage, name="coverage"),
    path("data-sharing/<slug:slug>/coverage/", views.agreement_coverage, name="agreement_coverage"),
]
