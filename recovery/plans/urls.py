from django.urls import path

from recovery.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("national/", views.national, name="national"),
    path("groups/<str:code>/", views.group, name="group"),
    path("<str:code>/", views.plan, name="plan"),
    path("<str:code>/start/", views.start, name="start"),
    path("<str:code>/answer/", views.response, name="response"),
    path("<str:code>/evidence/add/", views.evidence_add, name="evidence-add"),
    path("<str:code>/evidence/remove/", views.evidence_remove, name="evidence-remove"),
    path("<str:code>/evidence/", views.evidence_download, name="evidence-download"),
    path("<str:code>/export/", views.export, name="export"),
    path("<str:code>/report.pdf", views.report, name="report"),
    path("<str:code>/import/", views.import_plan, name="import"),
]
