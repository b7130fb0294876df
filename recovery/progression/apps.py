from django.apps import AppConfig


class ProgressionConfig(AppConfig):
    name = "recovery.progression"
    label = "progression"
    verbose_name = "Readiness and stage progression"

    def ready(self) -> None:
        from recovery.progression import rules  # noqa: F401 - registers permissions and pages
