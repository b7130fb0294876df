from django.urls import path  # noqa: F401

from recovery.progression import panel_views

app_name = "progression"

urlpatterns = [
    # Readiness assessments and the sign-off chain
    # Panel sittings and the panel queue
    path("panel/", panel_views.queue, name="panel-queue"),
    path("panel/sittings/", panel_views.sitting_list, name="panel-sittings"),
    path("panel/sittings/new/", panel_views.sitting_new, name="panel-sitting-new"),
    path("panel/sittings/<int:sitting_id>/", panel_views.sitting, name="panel-sitting"),
    path(
        "panel/sittings/<int:sitting_id>/close/",
        panel_views.sitting_close,
        name="panel-sitting-close",
    ),
    path("panel/sittings/<int:sitting_id>/ratify/", panel_views.ratify, name="panel-ratify"),
    path("panel/sittings/<int:sitting_id>/record/", panel_views.record, name="panel-record"),
    path(
        "panel/sittings/<int:sitting_id>/record.pdf",
        panel_views.record_pdf,
        name="panel-record-pdf",
    ),
    path(
        "panel/sittings/<int:sitting_id>/record.xlsx",
        panel_views.record_xlsx,
        name="panel-record-xlsx",
    ),
    path(
        "panel/assessments/<int:assessment_id>/decide/",
        panel_views.decide,
        name="panel-decide",
    ),
    # Stage history, progress reviews and ratification
    # The national and group stage views
]
