from django.urls import path

from recovery.progression import stage_views

app_name = "progression"

urlpatterns = [
    # Readiness assessments and the sign-off chain
    # Panel sittings and the panel queue
    # Stage history, progress reviews and ratification
    # The national and group stage views
    # Stage history, progress reviews and ratification: kept last, as "<code>/" would also
    # match a fixed one-word path above it.
    path("<str:code>/", stage_views.establishment_stages, name="stages"),
    path("<str:code>/record-stage/", stage_views.record_stage, name="stage-record"),
    path("<str:code>/confirm-move/", stage_views.confirm_move, name="stage-confirm"),
    path("<str:code>/dismiss-move/", stage_views.dismiss_move, name="stage-dismiss"),
    path("<str:code>/ratify/", stage_views.ratify, name="stage-ratify"),
    path("<str:code>/progress/report/", stage_views.report_progress, name="progress-report"),
    path("<str:code>/progress/forward/", stage_views.forward_progress, name="progress-forward"),
    path("<str:code>/progress/decide/", stage_views.decide_progress, name="progress-decide"),
]
