from django.urls import path

from loti.core import search_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("sections/<slug:slug>/", views.section, name="section"),
    path("healthz", views.healthz, name="healthz"),
    path("tasks/<uuid:pk>/", views.task_progress, name="task_progress"),
    path("api-tokens/new/", views.api_token_create, name="api_token_create"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("history/", views.audit_log, name="audit_log"),
    path("search/", search_views.search_results, name="search"),
]
