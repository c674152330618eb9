from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "papitrack.api"
    verbose_name = "API"
