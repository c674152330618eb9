from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "papitrack.plans"
    verbose_name = "Kế hoạch"
