from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "papitrack.accounts"
    verbose_name = "Tài khoản"
