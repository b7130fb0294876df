from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "recovery.decisions"
    label = "decisions"
    verbose_name = "Defensible decision log"

    def ready(self) -> None:
        from recovery.core import navigation
        from recovery.core.navigation import NavItem
        from recovery.decisions import rules  # noqa: F401 - registers permissions and pages

        # The decision logs a person may read: their establishment's, their group's, or all.
        if not any(item.url_name == "decisions:index" for item in navigation.NAV):
            navigation.add(
                NavItem("Decision log", "decisions:index", rules.VIEW_DECISIONS, "/decisions/"),
                before="audit:trail",
            )
