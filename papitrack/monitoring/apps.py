from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "papitrack.monitoring"
    verbose_name = "Theo dõi, đánh giá"
