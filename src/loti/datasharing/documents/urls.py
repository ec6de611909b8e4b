"""Routes of this concept (see datasharing/urls.py for their order)."""

from django.urls import path

from loti.datasharing.documents import views

urlpatterns = [
    path("data-sharing/new/templates/", views.agreement_templates, name="agreement_templates"),
    path(
        "data-sharing/<slug:slug>/document/",
        views.agreement_document,
        name="agreement_document",
    ),
    path("data-sharing/<slug:slug>/agreement.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("data-sharing/<slug:slug>/agreement.json", views.agreement_json, name="agreement_json"),
]
