from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "papitrack.reports"
    verbose_name = "Báo cáo định kỳ"
