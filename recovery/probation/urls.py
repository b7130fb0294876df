from django.urls import path

from recovery.probation import caseload_views, staffing_views, views

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
