from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "recovery.accounts"
    label = "accounts"
    verbose_name = "People and access"
