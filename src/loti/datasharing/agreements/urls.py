"""Routes of this concept (see datasharing/urls.py for their order): the register, then an
agreement's own addresses under its slug."""

from django.urls import path

from loti.datasharing.agreements import views

urlpatterns = [
    path("data-sharing/", views.agreements, name="agreements"),
    path("data-sharing/new/", views.agreement_create, name="agreement_create"),
    path("data-sharing/<slug:slug>/", views.agreement_detail, name="agreement_detail"),
    path(
        "data-sharing/<slug:slug>/versions/<int:number>/",
        views.version_detail,
        name="version_detail",
    ),
    path("data-sharing/<slug:slug>/edit/", views.agreement_edit, name="agreement_edit"),
    path("data-sharing/<slug:slug>/consult/", views.agreement_consult, name="agreement_consult"),
    path("data-sharing/<slug:slug>/sign/", views.agreement_sign, name="agreement_sign"),
    path(
        "data-sharing/<slug:slug>/parties/<int:pk>/withdraw/",
        views.party_withdraw,
        name="party_withdraw",
    ),
    path("data-sharing/<slug:slug>/withdraw/", views.agreement_withdraw, name="agreement_withdraw"),
]
