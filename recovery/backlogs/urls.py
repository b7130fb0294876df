from recovery.backlogs import views  # noqa: F401 - each part adds its views below

app_name = "backlogs"

urlpatterns: list = [
    # The catalogue, settings, Local Recovery Plans and returns
    # Dashboards and comparisons
    # (dashboard_urls.py; imported here so this part needs no line outside its section)
    *__import__("recovery.backlogs.dashboard_urls", fromlist=["urlpatterns"]).urlpatterns,
    # Data calls, releases and feeds
]
