from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "papitrack.audit"
    verbose_name = "Nhật ký thay đổi"
