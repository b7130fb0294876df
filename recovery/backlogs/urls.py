from django.urls import path

from recovery.backlogs import (
    views,  # noqa: F401 - each part adds its views below
    views_releases,
)

app_name = "backlogs"

urlpatterns: list = [
    # The catalogue, settings, Local Recovery Plans and returns
    # Dashboards and comparisons
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
]
