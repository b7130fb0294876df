from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "recovery.plans"
    label = "plans"
    verbose_name = "Regime Recovery Plans"

    def ready(self) -> None:
        from recovery.core import navigation
        from recovery.core.navigation import NavItem
        from recovery.frameworks.actions import register_publish_handler
        from recovery.frameworks.queries import register_version_use
        from recovery.plans import rules  # noqa: F401 - registers permissions and pages
        from recovery.plans.actions import add_edm_on_publish, move_plans_on_publish
        from recovery.plans.queries import plans_on_version

        # Publishing a new version of an EDM moves every plan that answers an older one; the
        # first version of a new EDM joins every existing plan it applies to.
        register_publish_handler(move_plans_on_publish)
        register_publish_handler(add_edm_on_publish)
        # Withdrawing a version first shows the plans that answer it.
        register_version_use(plans_on_version)

        if not any(item.url_name == "plans:index" for item in navigation.NAV):
            navigation.add(NavItem("Recovery plans", "plans:index", "plans.view_plan", "/plans/"))
