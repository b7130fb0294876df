from django.urls import path

from recovery.progression import assessment_views, national_views, panel_views, stage_views

app_name = "progression"

urlpatterns = [
    # Readiness assessments and the sign-off chain
    path(
        "assessments/<int:assessment_id>/",
        assessment_views.assessment,
        name="assessment",
    ),
    path(
        "assessments/<int:assessment_id>/edit/",
        assessment_views.assessment_edit,
        name="assessment-edit",
    ),
    path(
        "assessments/<int:assessment_id>/submit/",
        assessment_views.assessment_submit,
        name="assessment-submit",
    ),
    path(
        "assessments/<int:assessment_id>/consult/",
        assessment_views.assessment_consult,
        name="assessment-consult",
    ),
    path(
        "assessments/<int:assessment_id>/endorse/",
        assessment_views.assessment_endorse,
        name="assessment-endorse",
    ),
    path(
        "assessments/<int:assessment_id>/return/",
        assessment_views.assessment_return,
        name="assessment-return",
    ),
    path(
        "assessments/<int:assessment_id>/withdraw/",
        assessment_views.assessment_withdraw,
        name="assessment-withdraw",
    ),
    path("<str:code>/assessments/", assessment_views.assessments, name="assessments"),
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
    # The national and group stage views
    path("national/", national_views.national, name="national"),
    path("group/<str:code>/", national_views.group, name="group"),
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
