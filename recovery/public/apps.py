from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "recovery.public"
    label = "public"
    verbose_name = "Public status page"

    def ready(self) -> None:
        from recovery.public import rules  # noqa: F401 - registers permissions and pages
