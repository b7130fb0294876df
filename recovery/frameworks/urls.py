from django.urls import path

from recovery.frameworks import draft_views, views

app_name = "frameworks"

VERSION = "edms/<int:number>/versions/<str:version>/"

urlpatterns = [
    path("", views.library, name="library"),
    path("upload/", views.upload, name="upload"),
    path("stages/", views.stages, name="stages"),
    path("stages/<int:number>/edit/", views.stage_edit, name="stage-edit"),
    path("elements/", views.elements, name="elements"),
    path("elements/new/", views.element_new, name="element-new"),
    path("edms/new/", draft_views.draft_new, name="draft-new"),
    path("edms/<int:number>/", views.edm, name="edm"),
    path(VERSION, views.version, name="version"),
    path(VERSION + "changes/", views.diff, name="diff"),
    path(VERSION + "export/", views.export, name="export"),
    path(VERSION + "publish/", views.publish, name="publish"),
    path(VERSION + "withdraw/", views.withdraw, name="withdraw"),
    # Building a draft (draft_views.py); an area or baseline is named by ?area= or ?baseline=.
    path(VERSION + "new-version/", draft_views.version_new, name="version-new"),
    path(VERSION + "details/", draft_views.draft_details, name="draft-details"),
    path(VERSION + "areas/new/", draft_views.area_new, name="area-new"),
    path(VERSION + "areas/change/", draft_views.area_edit, name="area-edit"),
    path(VERSION + "areas/remove/", draft_views.area_remove, name="area-remove"),
    path(VERSION + "baselines/new/", draft_views.baseline_new, name="baseline-new"),
    path(VERSION + "baselines/change/", draft_views.baseline_edit, name="baseline-edit"),
    path(VERSION + "baselines/remove/", draft_views.baseline_remove, name="baseline-remove"),
]
