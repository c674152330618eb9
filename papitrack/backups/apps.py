from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "papitrack.backups"
    verbose_name = "Sao lưu và khôi phục"
