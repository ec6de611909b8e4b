from django.urls import path

from loti.techmap import views
from loti.techmap.estate_import import views as import_views
from loti.techmap.ocds import views as ocds_views

app_name = "techmap"

urlpatterns = [
    path("techmap/", views.technology_map, name="map"),
    path(
        "techmap/organisations/<slug:slug>/", views.organisation_estate, name="organisation_estate"
    ),
    path(
        "techmap/organisations/<slug:slug>/systems/new/", views.system_create, name="system_create"
    ),
    path(
        "techmap/organisations/<slug:slug>/contracts/new/",
        views.contract_create,
        name="contract_create",
    ),
    path("techmap/organisations/<slug:slug>/skills/", views.skills_edit, name="skills_edit"),
    path(
        "techmap/organisations/<slug:slug>/import/",
        import_views.estate_import,
        name="estate_import",
    ),
    path("techmap/systems/<int:pk>/", views.system_detail, name="system_detail"),
    path("techmap/systems/<int:pk>/edit/", views.system_edit, name="system_edit"),
    path("techmap/systems/<int:pk>/delete/", views.system_delete, name="system_delete"),
    path("techmap/contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("techmap/contracts/<int:pk>/edit/", views.contract_edit, name="contract_edit"),
    path("techmap/contracts/<int:pk>/delete/", views.contract_delete, name="contract_delete"),
    path(
        "techmap/contracts/<int:pk>/conflicts/",
        ocds_views.contract_conflict,
        name="contract_conflict",
    ),
    path("techmap/tenders/", ocds_views.tenders, name="tenders"),
    path("techmap/tenders/<int:pk>/", ocds_views.tender_detail, name="tender_detail"),
    path("techmap/notices/", ocds_views.ocds_imports, name="ocds_imports"),
    path("techmap/notices/<int:pk>/", ocds_views.ocds_import_detail, name="ocds_import_detail"),
    path("techmap/products/", views.product_list, name="product_list"),
    path("techmap/products/new/", views.product_create, name="product_create"),
    path("techmap/products/<slug:slug>/", views.product_detail, name="product_detail"),
    path("techmap/suppliers/", views.vendor_list, name="vendor_list"),
    path("techmap/suppliers/new/", views.vendor_create, name="vendor_create"),
    path("techmap/suppliers/<slug:slug>/", views.vendor_detail, name="vendor_detail"),
    path("techmap/suppliers/<slug:slug>/edit/", views.vendor_edit, name="vendor_edit"),
    path("techmap/suppliers/<slug:slug>/merge/", views.vendor_merge, name="vendor_merge"),
    path("techmap/expiry/", views.expiry, name="expiry"),
    path("techmap/market/", views.market, name="market"),
    path("techmap/opportunities/", views.opportunities, name="opportunities"),
    path(
        "techmap/opportunities/<slug:area>/<str:starts>/",
        views.opportunity_detail,
        name="opportunity_detail",
    ),
    path(
        "techmap/opportunities/interest/", views.opportunity_interest, name="opportunity_interest"
    ),
    path("techmap/skills/", views.skills, name="skills"),
    path("techmap/template/", import_views.estate_template, name="estate_template"),
    path("techmap/imports/<uuid:pk>/", import_views.import_detail, name="import_detail"),
    path("techmap/export/", import_views.estate_export, name="estate_export"),
]
