"""Survey pages; included into the "web" namespace by papitrack/web/urls.py."""

from django.urls import path

from papitrack.web import views_surveys

urlpatterns = [
    path("surveys/", views_surveys.survey_list, name="survey_list"),
    path("surveys/import/", views_surveys.survey_import, name="survey_import"),
    path("surveys/<int:survey_id>/", views_surveys.survey_detail, name="survey_detail"),
    path(
        "surveys/questionnaires/<str:version>/codebook.csv",
        views_surveys.survey_codebook,
        name="survey_codebook",
    ),
    path(
        "surveys/questionnaires/<str:version>/template.csv",
        views_surveys.survey_template,
        name="survey_template",
    ),
]
