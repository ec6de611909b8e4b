from django.urls import path

from loti.evaluation import views
from loti.evaluation.activities import views as activity_views
from loti.evaluation.interviews import views as interview_views
from loti.evaluation.report import views as report_views
from loti.evaluation.surveys import views as survey_views

app_name = "evaluation"

urlpatterns = [
    # The evaluation's home (views.py), activities and their appraisals (activities/views.py)
    # and the report (report/views.py).
    path("evaluation/", views.home, name="home"),
    path("evaluation/activities/", activity_views.activity_list, name="activity_list"),
    path("evaluation/activities/new/", activity_views.activity_create, name="activity_create"),
    path(
        "evaluation/activities/<slug:slug>/", activity_views.activity_detail, name="activity_detail"
    ),
    path(
        "evaluation/activities/<slug:slug>/edit/",
        activity_views.activity_edit,
        name="activity_edit",
    ),
    path(
        "evaluation/activities/<slug:slug>/delete/",
        activity_views.activity_delete,
        name="activity_delete",
    ),
    path(
        "evaluation/activities/<slug:slug>/costs/",
        activity_views.activity_costs,
        name="activity_costs",
    ),
    path(
        "evaluation/activities/<slug:slug>/inputs/",
        activity_views.activity_inputs,
        name="activity_inputs",
    ),
    path("evaluation/report/", report_views.report_draft, name="report_draft"),
    path("evaluation/report.pdf", report_views.report_pdf, name="report_pdf"),
    path("evaluation/report/publish/", report_views.report_publish, name="report_publish"),
    path("evaluation/reports/", report_views.report_list, name="report_list"),
    path("evaluation/reports/<int:pk>/", report_views.published_report, name="published_report"),
    path(
        "evaluation/reports/<int:pk>.pdf",
        report_views.published_report_pdf,
        name="published_report_pdf",
    ),
    path(
        "evaluation/reports/<int:pk>/withdraw/",
        report_views.published_report_withdraw,
        name="published_report_withdraw",
    ),
    # Surveys (surveys/views.py).
    path("evaluation/surveys/", survey_views.survey_list, name="survey_list"),
    path("evaluation/surveys/new/", survey_views.survey_create, name="survey_create"),
    path("evaluation/surveys/<int:pk>/", survey_views.survey_detail, name="survey_detail"),
    path("evaluation/surveys/<int:pk>/edit/", survey_views.survey_edit, name="survey_edit"),
    path("evaluation/surveys/<int:pk>/delete/", survey_views.survey_delete, name="survey_delete"),
    path(
        "evaluation/surveys/<int:pk>/questions/new/",
        survey_views.question_create,
        name="question_create",
    ),
    path(
        "evaluation/surveys/<int:pk>/invite/",
        survey_views.respondents_invite,
        name="respondents_invite",
    ),
    path(
        "evaluation/surveys/<int:pk>/respondents/",
        survey_views.respondents_send,
        name="respondents_send",
    ),
    path(
        "evaluation/surveys/respondents/<int:pk>/withdraw/",
        survey_views.respondent_withdraw,
        name="respondent_withdraw",
    ),
    path(
        "evaluation/surveys/<int:pk>/results/", survey_views.survey_results, name="survey_results"
    ),
    path(
        "evaluation/surveys/questions/<int:pk>/edit/",
        survey_views.question_edit,
        name="question_edit",
    ),
    path(
        "evaluation/surveys/questions/<int:pk>/delete/",
        survey_views.question_delete,
        name="question_delete",
    ),
    path(
        "evaluation/surveys/questions/<int:pk>/move/",
        survey_views.question_move,
        name="question_move",
    ),
    path(
        "evaluation/surveys/respond/<str:token>/",
        survey_views.response_form,
        name="response_form",
    ),
    path(
        "evaluation/surveys/respond/<str:token>/done/",
        survey_views.response_done,
        name="response_done",
    ),
    path("evaluation/interviews/", interview_views.interview_list, name="interview_list"),
    path("evaluation/interviews/new/", interview_views.interview_create, name="interview_create"),
    path(
        "evaluation/interviews/<int:pk>/", interview_views.interview_detail, name="interview_detail"
    ),
    path(
        "evaluation/interviews/<int:pk>/edit/",
        interview_views.interview_edit,
        name="interview_edit",
    ),
    path(
        "evaluation/interviews/<int:pk>/delete/",
        interview_views.interview_delete,
        name="interview_delete",
    ),
    path(
        "evaluation/interviews/<int:pk>/passages/new/",
        interview_views.passage_create,
        name="passage_create",
    ),
    path(
        "evaluation/interviews/passages/<int:pk>/edit/",
        interview_views.passage_edit,
        name="passage_edit",
    ),
    path(
        "evaluation/interviews/passages/<int:pk>/delete/",
        interview_views.passage_delete,
        name="passage_delete",
    ),
    path("evaluation/themes/", interview_views.theme_list, name="theme_list"),
    path("evaluation/themes/new/", interview_views.theme_create, name="theme_create"),
    path("evaluation/themes/<slug:slug>/", interview_views.theme_detail, name="theme_detail"),
    path("evaluation/themes/<slug:slug>/edit/", interview_views.theme_edit, name="theme_edit"),
]
