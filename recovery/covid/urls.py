from django.urls import path

from recovery.covid import views

app_name = "covid"

urlpatterns = [
    path("<str:code>/", views.controls, name="controls"),
    path("<str:code>/declare/", views.declare, name="declare"),
    path("<str:code>/end/", views.end, name="end"),
    path("<str:code>/controls/", views.edit, name="edit"),
    path("<str:code>/ppe/", views.ppe, name="ppe"),
    path("<str:code>/import/", views.import_covid, name="import"),
]
