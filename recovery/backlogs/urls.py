from recovery.backlogs import views  # noqa: F401 - each part adds its views below

app_name = "backlogs"

urlpatterns: list = [
    # The catalogue, settings, Local Recovery Plans and returns
    # Dashboards and comparisons
    # Data calls, releases and feeds
]
