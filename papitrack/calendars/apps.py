from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "papitrack.calendars"
    verbose_name = "Lịch làm việc và kỳ báo cáo"
