from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "recovery.frameworks"
    label = "frameworks"
    verbose_name = "Framework library"

    def ready(self) -> None:
        from recovery.core import navigation
        from recovery.core.navigation import NavItem
        from recovery.frameworks import rules  # noqa: F401 - registers permissions and pages

        if not any(item.url_name == "frameworks:library" for item in navigation.NAV):
            navigation.add(
                NavItem(
                    "Frameworks", "frameworks:library", "frameworks.view_library", "/frameworks/"
                )
            )
