from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "papitrack.surveys"
    verbose_name = "Khảo sát tự đánh giá"
