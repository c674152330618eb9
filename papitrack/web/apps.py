from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "papitrack.web"
    verbose_name = "Giao diện web"
