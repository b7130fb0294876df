from django.urls import path

from recovery.frameworks import views

app_name = "frameworks"

urlpatterns = [
    path("", views.library, name="library"),
    path("upload/", views.upload, name="upload"),
    path("stages/", views.stages, name="stages"),
    path("stages/<int:number>/edit/", views.stage_edit, name="stage-edit"),
    path("elements/", views.elements, name="elements"),
    path("elements/new/", views.element_new, name="element-new"),
    path("edms/<int:number>/", views.edm, name="edm"),
    path("edms/<int:number>/versions/<str:version>/", views.version, name="version"),
    path("edms/<int:number>/versions/<str:version>/changes/", views.diff, name="diff"),
    path("edms/<int:number>/versions/<str:version>/export/", views.export, name="export"),
    path("edms/<int:number>/versions/<str:version>/publish/", views.publish, name="publish"),
    path("edms/<int:number>/versions/<str:version>/withdraw/", views.withdraw, name="withdraw"),
]
