from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "papitrack.notifications"
    verbose_name = "Thông báo và nhắc hạn"
