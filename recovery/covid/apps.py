from django.apps import AppConfig


class CovidConfig(AppConfig):
    name = "recovery.covid"
    label = "covid"
    verbose_name = "Covid controls"

    def ready(self) -> None:
        from recovery.covid import rules  # noqa: F401 - registers permissions and pages
