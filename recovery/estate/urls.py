from django.urls import path

from recovery.estate import import_views, views

app_name = "estate"

urlpatterns = [
    path("", views.nation, name="nation"),
    path("establishments/", views.establishments, name="establishments"),
    path("groups/<str:code>/", views.group, name="group"),
    path("establishments/<str:code>/", views.establishment, name="establishment"),
    path("establishments/<str:code>/edit/", views.establishment_edit, name="establishment-edit"),
    path("units/<str:code>/history/", views.unit_history, name="unit-history"),
    path("probation/", views.probation, name="probation"),
    path("probation/regions/<str:code>/", views.region, name="region"),
    path("probation/pdus/<str:code>/", views.pdu, name="pdu"),
    path("probation/offices/<str:code>/", views.office, name="office"),
    path("probation/offices/<str:code>/edit/", views.office_edit, name="office-edit"),
    path("import/", import_views.import_estate, name="import"),
]
