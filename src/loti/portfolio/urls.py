from django.urls import path

from loti.portfolio import ballot_views, project_views, views

app_name = "portfolio"

urlpatterns = [
    # Rounds, proposals, assessment, voting and selection (views.py).
    path("portfolio/workstreams/", views.workstreams, name="workstreams"),
    path("portfolio/workstreams/new/", views.workstream_create, name="workstream_create"),
    path("portfolio/workstreams/<slug:slug>/edit/", views.workstream_edit, name="workstream_edit"),
    path("portfolio/rounds/", views.rounds, name="rounds"),
    path("portfolio/rounds/new/", views.round_create, name="round_create"),
    path("portfolio/rounds/<slug:slug>/", views.round_detail, name="round_detail"),
    path("portfolio/rounds/<slug:slug>/edit/", views.round_edit, name="round_edit"),
    path("portfolio/rounds/<slug:slug>/propose/", views.proposal_create, name="proposal_create"),
    path("portfolio/rounds/<slug:slug>/ballot/", ballot_views.ballot, name="ballot"),
    path(
        "portfolio/rounds/<slug:slug>/selection/",
        ballot_views.selection_run,
        name="selection_run",
    ),
    path("portfolio/rounds/<slug:slug>/results/", ballot_views.results, name="results"),
    path(
        "portfolio/rounds/<slug:slug>/results/publish/",
        ballot_views.publish,
        name="results_publish",
    ),
    path(
        "portfolio/rounds/<slug:slug>/results/<int:pk>/override/",
        ballot_views.override,
        name="results_override",
    ),
    path("portfolio/proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
    path("portfolio/proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("portfolio/proposals/<int:pk>/assess/", views.proposal_assess, name="proposal_assess"),
    path("portfolio/similar/", views.similar, name="similar"),
    # Projects, cycles, updates and the public portfolio (project_views.py).
    path("portfolio/projects/", project_views.projects, name="projects"),
    path("portfolio/projects/new/", project_views.project_create, name="project_create"),
    path("portfolio/projects/<slug:slug>/", project_views.project_detail, name="project_detail"),
    path(
        "portfolio/projects/<slug:slug>/phase/", project_views.project_phase, name="project_phase"
    ),
    path(
        "portfolio/projects/<slug:slug>/cycles/<int:number>/review/",
        project_views.cycle_review,
        name="cycle_review",
    ),
    path(
        "portfolio/projects/<slug:slug>/cycles/<int:number>/goal/",
        project_views.cycle_goal,
        name="cycle_goal",
    ),
    path(
        "portfolio/projects/<slug:slug>/updates/new/",
        project_views.update_create,
        name="update_create",
    ),
    path(
        "portfolio/projects/<slug:slug>/updates/<int:pk>/delete/",
        project_views.update_delete,
        name="update_delete",
    ),
    path(
        "portfolio/projects/<slug:slug>/resources/new/",
        project_views.resource_create,
        name="resource_create",
    ),
    path(
        "portfolio/projects/<slug:slug>/resources/<int:pk>/delete/",
        project_views.resource_delete,
        name="resource_delete",
    ),
    path("portfolio/proposals/<int:pk>/start/", project_views.project_start, name="project_start"),
    path("portfolio/timeline/", project_views.portfolio_timeline, name="timeline"),
    path("portfolio/quarterly/", project_views.portfolio_quarterly, name="quarterly"),
]
