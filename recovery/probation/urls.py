from django.urls import path

from recovery.probation import (
    caseload_views,
    ministers_views,
    staffing_views,
    views,
    workstream_views,
)

app_name = "probation"

urlpatterns = [
    # Steps and governance
    path("", views.steps, name="steps"),
    path("gateway/", views.gateway, name="gateway"),
    path("settings/", views.probation_settings, name="settings"),
    path("government-steps/<int:number>/", views.government_step, name="government-step"),
    path("regions/<str:code>/", views.region, name="region"),
    path("regions/<str:code>/ask/", views.request_new, name="request-new"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("requests/<int:request_id>/decide/", views.request_decide, name="request-decide"),
    # Office capacity and risk assessments
    path("pdus/<str:code>/", views.pdu, name="pdu"),
    path("offices/<str:code>/", views.office, name="office"),
    path("offices/<str:code>/capacity/", views.office_capacity, name="office-capacity"),
    path("offices/<str:code>/risk-assessment/", views.office_risk, name="office-risk"),
    path(
        "offices/<str:code>/individual-risk-assessment/",
        views.individual_risk,
        name="individual-risk",
    ),
    # Case prioritisation and allocation (caseload)
    path("caseloads/", caseload_views.caseloads, name="caseloads"),
    path("pdus/<str:code>/caseload/", caseload_views.caseload, name="caseload"),
    path(
        "pdus/<str:code>/caseload/import/", caseload_views.caseload_import, name="caseload-import"
    ),
    path("pdus/<str:code>/caseload/allocate/", caseload_views.allocation, name="allocation"),
    path("waves/<int:wave_id>/", caseload_views.wave, name="wave"),
    path("waves/<int:wave_id>/review/", caseload_views.wave_review, name="wave-review"),
    path("waves/<int:wave_id>/tasks/", caseload_views.wave_tasks, name="wave-tasks"),
    path(
        "caseloads/import/",
        caseload_views.caseload_national_import,
        name="caseload-national-import",
    ),
    path("caseloads/allocate/", caseload_views.allocation_national, name="allocation-national"),
    path("jobs/<int:job_id>/", caseload_views.job, name="job"),
    # The fortnightly report to ministers
    path("reports/", ministers_views.reports, name="reports"),
    path("reports/generate/", ministers_views.report_generate, name="report-generate"),
    path("reports/<int:report_id>/", ministers_views.report, name="report"),
    path("reports/<int:report_id>/report.pdf", ministers_views.report_pdf, name="report-pdf"),
    path("reports/<int:report_id>/report.xlsx", ministers_views.report_xlsx, name="report-xlsx"),
    # The Recovery Programme Board and its 15 workstreams
    path("workstreams/", workstream_views.workstreams, name="workstreams"),
    path("workstreams/<int:workstream_number>/", workstream_views.workstream, name="workstream"),
    path(
        "workstreams/<int:workstream_number>/lead/",
        workstream_views.workstream_lead,
        name="workstream-lead",
    ),
    path(
        "workstreams/<int:workstream_number>/update/",
        workstream_views.workstream_update,
        name="workstream-update",
    ),
    path(
        "workstreams/<int:workstream_number>/milestones/new/",
        workstream_views.milestone_new,
        name="workstream-milestone-new",
    ),
    path(
        "workstreams/<int:workstream_number>/milestones/<int:milestone_id>/",
        workstream_views.milestone,
        name="workstream-milestone",
    ),
    path(
        "workstreams/<int:workstream_number>/milestones/<int:milestone_id>/done/",
        workstream_views.milestone_done,
        name="workstream-milestone-done",
    ),
    path(
        "workstreams/<int:workstream_number>/issues/new/",
        workstream_views.issue_new,
        name="workstream-issue-new",
    ),
    path(
        "workstreams/<int:workstream_number>/issues/<int:issue_id>/",
        workstream_views.issue,
        name="workstream-issue",
    ),
    path(
        "workstreams/<int:workstream_number>/issues/<int:issue_id>/close/",
        workstream_views.issue_close,
        name="workstream-issue-close",
    ),
    # The staffing hierarchy (staffing)
    path("staffing/", staffing_views.national_staffing, name="staffing-national"),
    path(
        "regions/<str:code>/staffing/",
        staffing_views.region_staffing,
        name="staffing-region",
    ),
    path("pdus/<str:code>/staffing/", staffing_views.pdu_staffing, name="staffing"),
    path(
        "pdus/<str:code>/staffing/<str:week_start>/",
        staffing_views.staffing_week,
        name="staffing-week",
    ),
]
