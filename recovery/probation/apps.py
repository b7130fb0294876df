from django.apps import AppConfig


class ProbationConfig(AppConfig):
    name = "recovery.probation"
    label = "probation"
    verbose_name = "Probation recovery"

    def ready(self) -> None:
        from recovery.core import navigation
        from recovery.probation import rules

        navigation.add(
            navigation.NavItem("Probation", "probation:steps", rules.VIEW_STEPS, "/probation/"),
            before="accounts:people",
        )
