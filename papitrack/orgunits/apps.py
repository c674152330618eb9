from django.apps import AppConfig


class OrgUnitsConfig(AppConfig):
    name = "papitrack.orgunits"
    verbose_name = "Đơn vị"
