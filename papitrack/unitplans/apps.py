from django.apps import AppConfig


class UnitPlansConfig(AppConfig):
    name = "papitrack.unitplans"
    verbose_name = "Kế hoạch của đơn vị"
