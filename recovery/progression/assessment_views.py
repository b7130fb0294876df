"""Readiness assessment pages: an establishment's assessments (and starting one), one
assessment with its prerequisites, attestations, route and snapshots, the edit page of what the
establishment attests, and one form page per step of the route. Reads come from
assessment_queries.py; every write goes through assessments.py."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from recovery.core.edits import edit_versioned
from recovery.core.errors import DomainError
from recovery.core.forms import add_domain_error
from recovery.core.scope import allows
from recovery.core.views import scoped_get_or_404
from recovery.estate.models import Establishment
from recovery.progression import assessment_queries as q
from recovery.progression import assessments as service
from recovery.progression.assessment_forms import (
    AttestationsForm,
    ConsultForm,
    EndorseForm,
    ReturnForm,
    SubmitForm,
    WithdrawForm,
)
from recovery.progression.models import ReadinessAssessment
from recovery.progression.rules import ASSESSMENT_WORKFLOW, PREPARE, VIEW_PROGRESSION

TEMPLATES = "progression/assessments"


def _establishment(request, code: str, permission: str) -> Establishment:
    return scoped_get_or_404(
        request.user, permission, Establishment.objects.select_related("parent"), code=code
    )


def _assessment(request, assessment_id: int, permission: str) -> ReadinessAssessment:
    return scoped_get_or_404(
        request.user,
        permission,
        ReadinessAssessment.objects.select_related(
            "establishment", "plan__stage", "from_stage", "to_stage", "submitted_by"
        ),
        path_field="establishment__path",
        pk=assessment_id,
    )


def _crumbs(establishment, *extra):
    return [
        (establishment.name, reverse("progression:assessments", args=[establishment.code])),
        *extra,
    ]


# --- The establishment's assessments ----------------------------------------------------------


def _render_list(request, establishment, *, error: str = "", status: int = 200):
    return render(
        request,
        f"{TEMPLATES}/list.html",
        {
            "establishment": establishment,
            "rows": q.assessments_of(establishment),
            "start": q.what_starting_needs(establishment)
            if allows(request.user, PREPARE, establishment)
            else None,
            "extra_errors": [(error, "#start")] if error else [],
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def assessments(request, code: str):
    """The establishment's readiness assessments; its editors and Governor start one here."""
    if request.method != "POST":
        return _render_list(request, _establishment(request, code, VIEW_PROGRESSION))
    establishment = _establishment(request, code, PREPARE)
    try:
        assessment = service.do_start_assessment(establishment, acting_user=request.user)
    except DomainError as error:
        return _render_list(request, establishment, error=error.message)
    messages.success(
        request,
        f"The readiness assessment to move to stage {assessment.to_stage.number} has been "
        "started. Fill in what you attest, then the Governor submits it.",
    )
    return redirect("progression:assessment", assessment_id=assessment.pk)


# --- One assessment ---------------------------------------------------------------------------


@require_GET
def assessment(request, assessment_id: int):
    found = _assessment(request, assessment_id, VIEW_PROGRESSION)
    page = q.assessment_page(found, request.user)
    return render(
        request,
        f"{TEMPLATES}/assessment.html",
        {
            "assessment": found,
            "establishment": found.establishment,
            "page": page,
            "breadcrumbs": _crumbs(found.establishment),
        },
    )


@require_http_methods(["GET", "POST"])
def assessment_edit(request, assessment_id: int):
    """What the establishment attests, while the assessment is a draft or returned."""
    found = _assessment(request, assessment_id, PREPARE)
    editable = found.status in service.EDITABLE_FIELDS
    outcome = None
    if editable:
        outcome = edit_versioned(
            request, found, form_class=AttestationsForm, action=service.do_update_assessment
        )
        if outcome.saved:
            if outcome.result:
                messages.success(request, "Your changes to the assessment have been saved.")
            else:
                messages.info(request, "You did not change anything.")
            return redirect("progression:assessment", assessment_id=found.pk)
    return render(
        request,
        f"{TEMPLATES}/edit.html",
        {
            "assessment": found,
            "establishment": found.establishment,
            "form": outcome.form if outcome else None,
            "stale": outcome.stale if outcome else None,
            "refusal": "" if editable else q.not_editable_message(found),
            "assessment_url": reverse("progression:assessment", args=[found.pk]),
            "breadcrumbs": _crumbs(
                found.establishment,
                ("Readiness assessment", reverse("progression:assessment", args=[found.pk])),
            ),
        },
    )


# --- The steps of the route -------------------------------------------------------------------

STEP_PAGES = {
    "submit": (SubmitForm, service.do_submit_assessment, "Submit the readiness assessment"),
    "consult": (ConsultForm, service.do_record_consultation, "Record the union's consultation"),
    "endorse": (EndorseForm, service.do_endorse_assessment, "Endorse the readiness assessment"),
    "return": (ReturnForm, service.do_return_assessment, "Return the assessment"),
    "withdraw": (WithdrawForm, service.do_withdraw_assessment, "Withdraw the assessment"),
}


def _step_page(request, assessment_id: int, name: str):
    """One step's form: out of the person's scope or role, 404; a step they may not take now
    (its state, or segregation of duties), the reason, and nothing changes; a form opened on an
    older version of the assessment, refused."""
    transition = ASSESSMENT_WORKFLOW[name]
    found = _assessment(request, assessment_id, transition.permission)
    form_class, action, title = STEP_PAGES[name]
    refusal = ""
    try:
        ASSESSMENT_WORKFLOW.require(request.user, found, name)
    except DomainError as error:
        refusal = error.message
    form = form_class(initial={"version": found.version})
    if request.method == "POST" and not refusal:
        form = form_class(request.POST)
        if form.is_valid():
            try:
                action(
                    found,
                    expected_version=form.cleaned_data["version"],
                    acting_user=request.user,
                    **form.arguments(),
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, q.done_message(name, found))
                return redirect("progression:assessment", assessment_id=found.pk)
    elif request.method == "POST" and "Nothing was changed" not in refusal:
        refusal = f"{refusal} Nothing was changed."
    return render(
        request,
        f"{TEMPLATES}/step.html",
        {
            "assessment": found,
            "establishment": found.establishment,
            "name": name,
            "title": title,
            "transition": transition,
            "form": None if refusal else form,
            "refusal": refusal,
            "prerequisites": q.prerequisites_now(found) if name == "submit" else None,
            "route": q.route_of(found),
            "assessment_url": reverse("progression:assessment", args=[found.pk]),
            "breadcrumbs": _crumbs(
                found.establishment,
                ("Readiness assessment", reverse("progression:assessment", args=[found.pk])),
            ),
        },
        status=409 if refusal and request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def assessment_submit(request, assessment_id: int):
    return _step_page(request, assessment_id, "submit")


@require_http_methods(["GET", "POST"])
def assessment_consult(request, assessment_id: int):
    return _step_page(request, assessment_id, "consult")


@require_http_methods(["GET", "POST"])
def assessment_endorse(request, assessment_id: int):
    return _step_page(request, assessment_id, "endorse")


@require_http_methods(["GET", "POST"])
def assessment_return(request, assessment_id: int):
    return _step_page(request, assessment_id, "return")


@require_http_methods(["GET", "POST"])
def assessment_withdraw(request, assessment_id: int):
    return _step_page(request, assessment_id, "withdraw")
