from django.apps import AppConfig


class ProgressionConfig(AppConfig):
    name = "recovery.progression"
    label = "progression"
    verbose_name = "Readiness and stage progression"

    def ready(self) -> None:
        from recovery.core import navigation
        from recovery.core.constants import UnitKind
        from recovery.core.navigation import NavItem
        from recovery.progression import rules  # noqa: F401 - registers permissions and pages

        # The national panel: its queue, sittings and decisions.
        if not any(item.url_name == "progression:panel-queue" for item in navigation.NAV):
            navigation.add(
                NavItem(
                    "Panel", "progression:panel-queue", rules.MANAGE_SITTINGS, "/progression/panel/"
                )
            )

        # The national stage picture, for those who hold it at the nation.
        if not any(item.url_name == "progression:national" for item in navigation.NAV):
            navigation.add(
                NavItem(
                    "Stages",
                    "progression:national",
                    rules.VIEW_NATIONAL,
                    "/progression/national/",
                    held_at=frozenset({UnitKind.NATION}),
                )
            )
