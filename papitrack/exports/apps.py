from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "papitrack.exports"
    verbose_name = "Văn bản, bảng tính và trao đổi dữ liệu"
