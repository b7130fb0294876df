from django.urls import path  # noqa: F401

from recovery.progression import national_views

app_name = "progression"

urlpatterns = [
    # Readiness assessments and the sign-off chain
    # Panel sittings and the panel queue
    # Stage history, progress reviews and ratification
    # The national and group stage views
    path("national/", national_views.national, name="national"),
    path("group/<str:code>/", national_views.group, name="group"),
]
