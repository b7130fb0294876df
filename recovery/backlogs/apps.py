from django.apps import AppConfig


class BacklogsConfig(AppConfig):
    name = "recovery.backlogs"
    label = "backlogs"
    verbose_name = "Local Recovery Plans and backlogs"

    def ready(self) -> None:
        from recovery.backlogs import rules  # noqa: F401 - registers permissions and pages
