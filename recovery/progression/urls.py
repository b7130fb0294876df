from django.urls import path  # noqa: F401

app_name = "progression"

urlpatterns = [
    # Readiness assessments and the sign-off chain
    # Panel sittings and the panel queue
    # Stage history, progress reviews and ratification
    # The national and group stage views
]
