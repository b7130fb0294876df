"""The dashboards' URLs, included from urls.py (its "Dashboards and comparisons" section). An
establishment's pages sit at /backlogs/<CODE>/: the converter takes only an establishment code
(capitals, digits and hyphens), so the other parts' lower-case paths (national/, releases/,
data-calls/...) never reach them."""

from django.urls import path, register_converter

from recovery.backlogs import dashboard_views


class EstablishmentCode:
    regex = r"[A-Z0-9][A-Z0-9-]{0,19}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(EstablishmentCode, "establishment_code")

urlpatterns = [
    path("national/", dashboard_views.national, name="national-dashboard"),
    path("groups/<str:code>/", dashboard_views.group, name="group-dashboard"),
    path("compare/", dashboard_views.compare, name="compare"),
    path("<establishment_code:code>/", dashboard_views.establishment, name="dashboard"),
    path(
        "<establishment_code:code>/metrics/<slug:metric_code>/",
        dashboard_views.metric,
        name="metric",
    ),
]
