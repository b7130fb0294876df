from django.urls import path

from recovery.decisions import views

app_name = "decisions"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.log, name="log"),
    path("<str:code>/new/", views.draft_new, name="draft-new"),
    path("<str:code>/log.pdf", views.export_pdf, name="export-pdf"),
    path("<str:code>/log.xlsx", views.export_xlsx, name="export-xlsx"),
    path("<str:code>/drafts/<int:draft_id>/", views.draft, name="draft"),
    path("<str:code>/drafts/<int:draft_id>/record/", views.draft_record, name="draft-record"),
    path("<str:code>/drafts/<int:draft_id>/delete/", views.draft_delete, name="draft-delete"),
    path("<str:code>/<int:sequence>/", views.entry, name="entry"),
    path("<str:code>/<int:sequence>/supersede/", views.supersede, name="supersede"),
]
