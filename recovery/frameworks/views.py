"""Pages of the framework library: the EDM list, each EDM's versions, a version's areas and
baselines, what a version changed, upload, publish and withdraw; the stage ladder and the regime
element catalogue. Every page works without JavaScript; every write goes through an action."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recovery.audit.queries import object_history
from recovery.core.edits import edit_versioned
from recovery.core.errors import DomainError
from recovery.core.forms import add_domain_error
from recovery.core.views import require_permission
from recovery.frameworks import queries
from recovery.frameworks.actions import (
    do_add_regime_element,
    do_load_edm,
    do_publish_edm_version,
    do_update_stage,
    do_withdraw_edm_version,
)
from recovery.frameworks.constants import AUTONOMY_MEANINGS, WEIGHTING_MEANINGS, EdmStatus
from recovery.frameworks.diff import diff_versions
from recovery.frameworks.edm_file import InvalidEdmFile, document_to_data, to_yaml
from recovery.frameworks.forms import EdmUploadForm, RegimeElementForm, StageForm
from recovery.frameworks.models import Stage
from recovery.frameworks.rules import EDM_WORKFLOW

VIEW = queries.VIEW
AUTHOR = queries.AUTHOR
STATUS_TAG = {
    EdmStatus.DRAFT: "govuk-tag--grey",
    EdmStatus.PUBLISHED: "govuk-tag--green",
    EdmStatus.WITHDRAWN: "govuk-tag--red",
}


def _library_crumbs() -> list[tuple[str, str]]:
    return [("Home", reverse("home")), ("Frameworks", reverse("frameworks:library"))]


def _version_url(number: int, version: str, name: str = "frameworks:version") -> str:
    return reverse(name, args=[number, version])


def export_filename(version) -> str:
    return f"edm-{version.edm.number}-{slugify(version.title)}-{version.version_number}.yaml"


# --- The library ------------------------------------------------------------------------------


@require_GET
@require_permission(VIEW)
def library(request):
    return render(
        request,
        "frameworks/library.html",
        {
            "rows": queries.library(request.user),
            "can_author": queries.can_author(request.user),
            "status_tag": STATUS_TAG,
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


@require_GET
@require_permission(VIEW)
def edm(request, number: int):
    versions = queries.versions_of(request.user, number)
    shown = next((v for v in reversed(versions) if v.status == EdmStatus.PUBLISHED), versions[-1])
    return render(
        request,
        "frameworks/edm.html",
        {
            "number": number,
            "shown": shown,
            "versions": list(reversed(versions)),
            "status_tag": STATUS_TAG,
            "can_author": queries.can_author(request.user),
            "breadcrumbs": _library_crumbs(),
        },
    )


@require_GET
@require_permission(VIEW)
def version(request, number: int, version: str):
    found = queries.get_version(request.user, number, version)
    previous = queries.previous_published(found)
    can_author = queries.can_author(request.user)
    newer = queries.newer_published(found) if found.status == EdmStatus.PUBLISHED else None
    shown_status, shown_label = queries.shown_status(found, newer)
    return render(
        request,
        "frameworks/version.html",
        {
            "v": found,
            "areas": found.areas.all(),
            "previous": previous,
            "newer": newer,
            "shown_status": shown_status,
            "shown_label": shown_label,
            "applies_to": queries.applies_to_labels(found.applies_to),
            "status_tag": STATUS_TAG,
            "can_author": can_author,
            # A draft's author changes it here, part by part (draft_views.py).
            "editable": can_author and found.is_draft,
            "draft_problems": queries.draft_problems(found) if can_author else [],
            "history": object_history(found),
            "weighting_meanings": WEIGHTING_MEANINGS,
            "autonomy_meanings": AUTONOMY_MEANINGS,
            "breadcrumbs": [
                *_library_crumbs(),
                (f"EDM {number}", reverse("frameworks:edm", args=[number])),
            ],
        },
    )


@require_GET
@require_permission(VIEW)
def diff(request, number: int, version: str):
    found = queries.get_version(request.user, number, version)
    previous = queries.previous_published(found)
    return render(
        request,
        "frameworks/diff.html",
        {
            "v": found,
            "previous": previous,
            "diff": diff_versions(previous, found),
            "breadcrumbs": [
                *_library_crumbs(),
                (f"EDM {number}", reverse("frameworks:edm", args=[number])),
                (f"Version {found.version_number}", _version_url(number, found.version_number)),
            ],
        },
    )


@require_GET
@require_permission(VIEW)
def export(request, number: int, version: str):
    found = queries.get_version(request.user, number, version)
    text = to_yaml(document_to_data(queries.document_of(found)))
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(found)}"'
    return response


# --- Writing EDMs -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_permission(AUTHOR)
def upload(request):
    problems, total = [], 0
    if request.method == "POST":
        form = EdmUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = do_load_edm(form.cleaned_data["file"], acting_user=request.user)
            except InvalidEdmFile as error:
                problems, total = error.problems, error.total
                form.add_error("file", error.message)
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                loaded = result.edm_version
                if result.outcome == "unchanged":
                    messages.info(request, result.message)
                else:
                    messages.success(request, result.message)
                return redirect(_version_url(loaded.edm.number, loaded.version_number))
    else:
        form = EdmUploadForm()
    return render(
        request,
        "frameworks/upload.html",
        {
            "form": form,
            "upload_problems": problems,
            "problem_total": total,
            "breadcrumbs": _library_crumbs(),
        },
    )


def _transition(request, number: int, version: str, action, done: str):
    found = queries.get_version(request.user, number, version, with_content=False)
    try:
        result = action(found, acting_user=request.user)
    except InvalidEdmFile:
        messages.error(
            request,
            f"EDM {number} version {found.version_number} cannot be published yet. "
            "See what it still needs below.",
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        text = f"EDM {number} version {found.version_number} {done}"
        if result is not None:
            text = f"{text}. {result.summary}"
            # What publishing set off elsewhere, such as how many plans moved to this version.
            consequences = getattr(result, "consequences", ())
            if consequences:
                text = f"{text}. {' '.join(consequences)}"
        messages.success(request, text)
    return redirect(_version_url(number, found.version_number))


@require_POST
@require_permission(AUTHOR)
def publish(request, number: int, version: str):
    return _transition(request, number, version, do_publish_edm_version, "published")


@require_http_methods(["GET", "POST"])
@require_permission(AUTHOR)
def withdraw(request, number: int, version: str):
    """Withdrawing national guidance: first a page that says what answers the version (the
    plans of the establishments in the author's scope, and how many more), then the withdrawal.
    Those plans then say the version was withdrawn."""
    if request.method == "POST":
        return _transition(request, number, version, do_withdraw_edm_version, "withdrawn")
    found = queries.get_version(request.user, number, version, with_content=False)
    try:
        EDM_WORKFLOW.check(found, "withdraw")
    except DomainError as refused:
        messages.error(request, refused.message)
        return redirect(_version_url(number, found.version_number))
    return render(
        request,
        "frameworks/withdraw.html",
        {
            "v": found,
            "uses": queries.uses_of(found, request.user),
            "newer": queries.newer_published(found),
            "breadcrumbs": [
                *_library_crumbs(),
                (f"EDM {number}", reverse("frameworks:edm", args=[number])),
                (f"Version {found.version_number}", _version_url(number, found.version_number)),
            ],
        },
    )


# --- Stage ladder and regime elements ---------------------------------------------------------


@require_GET
@require_permission(VIEW)
def stages(request):
    return render(
        request,
        "frameworks/stages.html",
        {
            "stages": queries.stages(),
            "can_author": queries.can_author(request.user),
            "breadcrumbs": _library_crumbs(),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(AUTHOR)
def stage_edit(request, number: int):
    stage = Stage.objects.filter(number=number).first()
    if stage is None:
        raise Http404
    outcome = edit_versioned(request, stage, form_class=StageForm, action=do_update_stage)
    if outcome.saved:
        if outcome.result:
            messages.success(request, f"Stage {number} has been saved.")
        else:
            messages.info(request, f"You did not change stage {number}.")
        return redirect("frameworks:stages")
    return render(
        request,
        "frameworks/stage_edit.html",
        {
            "stage": stage,
            "form": outcome.form,
            "stale": outcome.stale,
            "breadcrumbs": [*_library_crumbs(), ("Stage ladder", reverse("frameworks:stages"))],
        },
    )


@require_GET
@require_permission(VIEW)
def elements(request):
    return render(
        request,
        "frameworks/elements.html",
        {
            "elements": queries.elements(),
            "can_author": queries.can_author(request.user),
            "breadcrumbs": _library_crumbs(),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(AUTHOR)
def element_new(request):
    form = RegimeElementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            element = do_add_regime_element(
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                acting_user=request.user,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{element.name} has been added to the regime elements.")
            return redirect("frameworks:elements")
    return render(
        request,
        "frameworks/element_new.html",
        {
            "form": form,
            "breadcrumbs": [
                *_library_crumbs(),
                ("Regime elements", reverse("frameworks:elements")),
            ],
        },
    )
