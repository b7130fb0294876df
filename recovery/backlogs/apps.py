from django.apps import AppConfig


class BacklogsConfig(AppConfig):
    name = "recovery.backlogs"
    label = "backlogs"
    verbose_name = "Local Recovery Plans and backlogs"

    def ready(self) -> None:
        from recovery.backlogs import rules  # noqa: F401 - registers permissions and pages
        from recovery.core import navigation
        from recovery.core.navigation import NavItem

        # Backlogs: the establishments in scope, each with its plan and returns (backlogs part).
        if not any(item.url_name == "backlogs:index" for item in navigation.NAV):
            navigation.add(NavItem("Backlogs", "backlogs:index", rules.VIEW_BACKLOGS, "/backlogs/"))
