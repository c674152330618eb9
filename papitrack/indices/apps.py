from django.apps import AppConfig


class IndicesConfig(AppConfig):
    name = "papitrack.indices"
    verbose_name = "Chỉ số"
