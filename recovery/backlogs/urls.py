from django.urls import path

from recovery.backlogs import views_releases
from recovery.backlogs import views_returns as returns
from recovery.backlogs.dashboard_urls import urlpatterns as dashboard_urlpatterns

app_name = "backlogs"

urlpatterns: list = [
    # Data calls, releases and feeds
    # (Fixed words: these must come before any "<str:code>/" pattern, or it takes them.)
    path("releases/", views_releases.releases, name="releases"),
    path("releases/latest/", views_releases.release_latest, name="release-latest"),
    path("releases/<int:release_number>/", views_releases.release, name="release"),
    path("feed.atom", views_releases.feed, name="feed"),
    path("feeds/", views_releases.feeds, name="feeds"),
    path("data-calls/", views_releases.data_calls, name="data-calls"),
    path("data-calls/new/", views_releases.data_call_new, name="data-call-new"),
    path("data-calls/<int:call_id>/", views_releases.data_call, name="data-call"),
    path(
        "data-calls/<int:call_id>/remind/",
        views_releases.data_call_remind,
        name="data-call-remind",
    ),
    path("data-calls/<int:call_id>/close/", views_releases.data_call_close, name="data-call-close"),
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
    # Dashboards and comparisons (dashboard_urls.py)
    *dashboard_urlpatterns,
]
