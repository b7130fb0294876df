from django.urls import path

from recovery.backlogs import views  # noqa: F401 - each part adds its views below
from recovery.backlogs import views_returns as returns

app_name = "backlogs"

urlpatterns: list = [
    # The catalogue, settings, Local Recovery Plans and returns
    path("", returns.index, name="index"),
    path("catalogue/", returns.catalogue, name="catalogue"),
    path("catalogue/new/", returns.metric_new, name="metric-new"),
    path("catalogue/<slug:metric_code>/", returns.metric_edit, name="metric-edit"),
    path("catalogue/<slug:metric_code>/retire/", returns.metric_retire, name="metric-retire"),
    path("settings/", returns.return_settings, name="settings"),
    path("<str:code>/plan/", returns.plan, name="plan"),
    path("<str:code>/plan/<slug:metric_code>/", returns.plan_line, name="plan-line"),
    path("<str:code>/returns/", returns.returns, name="returns"),
    path("<str:code>/returns/upload/", returns.upload, name="returns-upload"),
    path("<str:code>/returns/<str:period_start>/", returns.return_form, name="return"),
    path(
        "<str:code>/returns/<str:period_start>/<slug:metric_code>/",
        returns.figure_history,
        name="figure-history",
    ),
    # Dashboards and comparisons
    # (dashboard_urls.py; imported here so this part needs no line outside its section)
    *__import__("recovery.backlogs.dashboard_urls", fromlist=["urlpatterns"]).urlpatterns,
    # Data calls, releases and feeds
]
