from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "papitrack.demo"
    verbose_name = "Dữ liệu mẫu"
