from django.urls import path

from recovery.probation import views

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
]
