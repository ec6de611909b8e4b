from django.urls import path

from loti.portfolio.calls import ballot_views, views
from loti.portfolio.projects import views as project_views
from loti.portfolio.workstreams import views as workstream_views

app_name = "portfolio"

urlpatterns = [
    # Workstreams (workstreams/views.py).
    path("portfolio/workstreams/", workstream_views.workstreams, name="workstreams"),
    path(
        "portfolio/workstreams/new/", workstream_views.workstream_create, name="workstream_create"
    ),
    path(
        "portfolio/workstreams/<slug:slug>/edit/",
        workstream_views.workstream_edit,
        name="workstream_edit",
    ),
    # Calls for ideas: proposals, assessment, voting and the selection (calls/views.py and
    # calls/ballot_views.py). Their addresses keep the word "rounds", so links stay good.
    path("portfolio/rounds/", views.calls, name="calls"),
    path("portfolio/rounds/new/", views.call_create, name="call_create"),
    path("portfolio/rounds/<slug:slug>/", views.call_detail, name="call_detail"),
    path("portfolio/rounds/<slug:slug>/edit/", views.call_edit, name="call_edit"),
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
    path("portfolio/proposals/<int:pk>/support/", views.proposal_support, name="proposal_support"),
    path("portfolio/similar/", views.similar, name="similar"),
    # Projects, cycles, weeknotes and the public portfolio (projects/views.py).
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
        project_views.weeknote_create,
        name="weeknote_create",
    ),
    path(
        "portfolio/projects/<slug:slug>/updates/<int:pk>/delete/",
        project_views.weeknote_delete,
        name="weeknote_delete",
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
