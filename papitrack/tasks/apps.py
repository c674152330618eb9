from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "papitrack.tasks"
    verbose_name = "Nhiệm vụ"
