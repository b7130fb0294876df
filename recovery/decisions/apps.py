from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "recovery.decisions"
    label = "decisions"
    verbose_name = "Defensible decision log"
