from django.urls import path

from recovery.public import views

app_name = "public"

urlpatterns = [
    path("status/", views.index, name="index"),
    path("status/<str:code>/", views.establishment, name="establishment"),
    path("public-note/<str:code>/", views.note, name="note"),
]
