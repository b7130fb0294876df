from django.urls import path  # noqa: F401

from recovery.progression import assessment_views

app_name = "progression"

urlpatterns = [
    # Readiness assessments and the sign-off chain
    path(
        "assessments/<int:assessment_id>/",
        assessment_views.assessment,
        name="assessment",
    ),
    path(
        "assessments/<int:assessment_id>/edit/",
        assessment_views.assessment_edit,
        name="assessment-edit",
    ),
    path(
        "assessments/<int:assessment_id>/submit/",
        assessment_views.assessment_submit,
        name="assessment-submit",
    ),
    path(
        "assessments/<int:assessment_id>/consult/",
        assessment_views.assessment_consult,
        name="assessment-consult",
    ),
    path(
        "assessments/<int:assessment_id>/endorse/",
        assessment_views.assessment_endorse,
        name="assessment-endorse",
    ),
    path(
        "assessments/<int:assessment_id>/return/",
        assessment_views.assessment_return,
        name="assessment-return",
    ),
    path(
        "assessments/<int:assessment_id>/withdraw/",
        assessment_views.assessment_withdraw,
        name="assessment-withdraw",
    ),
    path("<str:code>/assessments/", assessment_views.assessments, name="assessments"),
    # Panel sittings and the panel queue
    # Stage history, progress reviews and ratification
    # The national and group stage views
]
