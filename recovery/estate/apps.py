from django.apps import AppConfig


class EstateConfig(AppConfig):
    name = "recovery.estate"
    label = "estate"
    verbose_name = "Estate"
