"""Pages for building an EDM draft in the service (framework authors only): start a new EDM or a
new version of a published one, change a draft's details, add, change and remove its areas and
baselines. Every page works without JavaScript and every write goes through an action in
drafts.py. A published or withdrawn version is never offered for change: its pages send the
author back to it with a message, and a form sent anyway is refused by the action.

Pages that name an area or a baseline take its id as a query parameter (?area=, ?baseline=)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from recovery.core.edits import edit_versioned
from recovery.core.errors import DomainError, StaleEditError
from recovery.core.views import require_permission
from recovery.frameworks import queries
from recovery.frameworks.actions import (
    InvalidDraft,
    do_add_baseline,
    do_add_edm_area,
    do_remove_baseline,
    do_remove_edm_area,
    do_start_edm_draft,
    do_start_edm_version,
    do_update_baseline,
    do_update_edm_area,
    do_update_edm_draft,
)
from recovery.frameworks.constants import EdmStatus
from recovery.frameworks.forms import (
    AreaForm,
    BaselineForm,
    DraftDetailsForm,
    NewDraftForm,
    NewVersionForm,
    RemoveForm,
)
from recovery.frameworks.models import EdmArea, EdmVersion

AUTHOR = queries.AUTHOR


def _version_url(found: EdmVersion, anchor: str = "") -> str:
    url = reverse("frameworks:version", args=[found.edm.number, found.version_number])
    return f"{url}#{anchor}" if anchor else url


def _crumbs(found: EdmVersion | None = None) -> list[tuple[str, str]]:
    crumbs = [("Home", reverse("home")), ("Frameworks", reverse("frameworks:library"))]
    if found is not None:
        number = found.edm.number
        crumbs += [
            (f"EDM {number}", reverse("frameworks:edm", args=[number])),
            (f"Version {found.version_number}", _version_url(found)),
        ]
    return crumbs


def _draft(request, number: int, version: str) -> tuple[EdmVersion, HttpResponse | None]:
    """The version the URL names, and, unless it is a draft, the page that refuses to change
    it, saying why and what to do instead (a form sent anyway changes nothing)."""
    found = queries.get_version(request.user, number, version, with_content=False)
    if found.is_draft:
        return found, None
    refusal = render(
        request,
        "frameworks/not_a_draft.html",
        {"v": found, "breadcrumbs": _crumbs(found)},
    )
    return found, refusal


@dataclass
class _Outcome:
    done: bool
    result: Any = None
    stale: StaleEditError | None = None


def _show_refusal(form: forms.Form, error: DomainError) -> None:
    """A refusal lands on the form, against the field it is about (the form's
    `field_for_key` names the field for each key of the EDM file)."""
    errors = error.errors if isinstance(error, InvalidDraft) else [(error.field, error.message)]
    for key, message in errors:
        name = form.field_for_key.get(key) if key else None
        form.add_error(name if name in form.fields else None, message)


def _attempt(form: forms.Form, write: Callable[[], Any]) -> _Outcome:
    """Run an action that adds to a draft or removes from it; a refusal lands on the form.
    (Changing what is there goes through the one door for edits, `_edit_part`.)"""
    try:
        return _Outcome(True, write())
    except StaleEditError as error:
        return _Outcome(False, stale=error)
    except DomainError as error:
        _show_refusal(form, error)
        return _Outcome(False)


def _lock_of(found: EdmVersion) -> int:
    return EdmVersion.objects.values_list("version", flat=True).get(pk=found.pk)


def _edit_part(request, found: EdmVersion, obj, *, form_class, save, form_kwargs=None):
    """Change the draft's details, or one of its areas or baselines, through the one door for
    edits (recovery.core.edits): locked by the draft's version; after a stale refusal only what
    the person changed is kept. Returns the outcome and the lock version the page carries."""
    outcome = edit_versioned(
        request,
        obj,
        form_class=form_class,
        save=save,
        form_kwargs=form_kwargs,
        lock=None if obj is found else lambda: _lock_of(found),
        show_error=_show_refusal,
    )
    return outcome, outcome.form["version"].value()


def _lock_after(outcome: _Outcome, shown: Any, found: EdmVersion) -> Any:
    """The lock version the page carries next: after a stale refusal, the current one, so that
    sending the form again (having seen what changed) saves it over the newer draft."""
    if outcome.stale is not None:
        return _lock_of(found)
    return shown


def _saved_or_unchanged(request, changed: dict, what: str) -> None:
    if changed:
        messages.success(request, f"{what} has been saved.")
    else:
        messages.info(request, f"You did not change {what[:1].lower()}{what[1:]}.")


# --- Starting a draft -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_permission(AUTHOR)
def draft_new(request):
    form = NewDraftForm(request.POST or None, elements=queries.elements(), stages=queries.stages())
    if request.method == "POST" and form.is_valid():
        outcome = _attempt(
            form, lambda: do_start_edm_draft(form.details(), acting_user=request.user)
        )
        if outcome.done:
            started = outcome.result
            messages.success(
                request,
                f"EDM {started.edm.number} version {started.version_number} has been started "
                "as a draft. Add its areas and baselines.",
            )
            return redirect(_version_url(started))
    return render(
        request,
        "frameworks/draft_details.html",
        {"form": form, "new": True, "breadcrumbs": _crumbs()},
    )


@require_http_methods(["GET", "POST"])
@require_permission(AUTHOR)
def version_new(request, number: int, version: str):
    source = queries.get_version(request.user, number, version, with_content=False)
    if source.status != EdmStatus.PUBLISHED:
        messages.error(
            request,
            f"EDM {number} version {source.version_number} is "
            f"{source.get_status_display().lower()}; only a published version can be the start "
            "of a new version.",
        )
        return redirect(_version_url(source))
    form = NewVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = _attempt(
            form,
            lambda: do_start_edm_version(
                source, version_number=form.cleaned_data["edm_version"], acting_user=request.user
            ),
        )
        if outcome.done:
            started = outcome.result
            messages.success(
                request,
                f"EDM {number} version {started.version_number} has been started as a draft, "
                f"copied from version {source.version_number}.",
            )
            return redirect(_version_url(started))
    return render(
        request,
        "frameworks/version_new.html",
        {"v": source, "form": form, "breadcrumbs": _crumbs(source)},
    )


# --- The draft's details ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_permission(AUTHOR)
def draft_details(request, number: int, version: str):
    found, refused = _draft(request, number, version)
    if refused:
        return refused
    choices = {"elements": queries.elements(), "stages": queries.stages()}
    outcome, lock = _edit_part(
        request,
        found,
        found,
        form_class=DraftDetailsForm,
        form_kwargs=choices,
        save=lambda form: do_update_edm_draft(
            found,
            expected_version=form.cleaned_data["version"],
            changes=form.details(),
            acting_user=request.user,
        ),
    )
    if outcome.saved:
        _saved_or_unchanged(request, outcome.result, "The details of the draft")
        return redirect(_version_url(found))
    return render(
        request,
        "frameworks/draft_details.html",
        {
            "v": found,
            "form": outcome.form,
            "lock": lock,
            "stale": outcome.stale,
            "breadcrumbs": _crumbs(found),
        },
    )


# --- Areas ------------------------------------------------------------------------------------


def _area_page(request, number: int, version: str, *, existing: bool):
    found, refused = _draft(request, number, version)
    if refused:
        return refused
    area = queries.area_of(found, request.GET.get("area")) if existing else None
    if area is not None:
        edited, lock = _edit_part(
            request,
            found,
            area,
            form_class=AreaForm,
            save=lambda form: do_update_edm_area(
                area,
                expected_version=form.cleaned_data["version"],
                number=form.cleaned_data["number"],
                title=form.cleaned_data["title"],
                acting_user=request.user,
            ),
        )
        if edited.saved:
            number = edited.form.cleaned_data["number"]
            _saved_or_unchanged(request, edited.result, f"Area {number}")
            return redirect(_version_url(found, f"area-{area.pk}"))
        form, stale = edited.form, edited.stale
    elif request.method == "POST":
        form = AreaForm(request.POST)
        lock, stale = request.POST.get("version", ""), None
        if form.is_valid():
            data = form.cleaned_data
            outcome = _attempt(
                form,
                lambda: do_add_edm_area(
                    found,
                    expected_version=data["version"],
                    number=data["number"],
                    title=data["title"],
                    acting_user=request.user,
                ),
            )
            if outcome.done:
                added = outcome.result
                messages.success(request, f"Area {added.number} has been added.")
                return redirect(_version_url(found, f"area-{added.pk}"))
            lock, stale = _lock_after(outcome, lock, found), outcome.stale
    else:
        form = AreaForm(initial={"version": found.version})
        lock, stale = found.version, None
    return render(
        request,
        "frameworks/area_form.html",
        {
            "v": found,
            "area": area,
            "form": form,
            "lock": lock,
            "stale": stale,
            "breadcrumbs": _crumbs(found),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(AUTHOR)
def area_new(request, number: int, version: str):
    return _area_page(request, number, version, existing=False)


@require_http_methods(["GET", "POST"])
@require_permission(AUTHOR)
def area_edit(request, number: int, version: str):
    return _area_page(request, number, version, existing=True)


def _remove_page(request, found, *, remove, done_message: str, done_url: str, page: dict):
    """Confirm, then remove one part of a draft (an area or a baseline) through `remove`,
    refusing a stale confirmation like any other edit of the draft."""
    form = RemoveForm(request.POST or None)
    outcome = _Outcome(False)
    lock = found.version
    if request.method == "POST":
        lock = request.POST.get("version", "")
        expected = int(lock) if lock.isdigit() else 0
        outcome = _attempt(
            form, lambda: remove(expected_version=expected, acting_user=request.user)
        )
        if outcome.done:
            messages.success(request, done_message)
            return redirect(done_url)
        lock = _lock_after(outcome, lock, found)
    return render(
        request,
        "frameworks/remove.html",
        {
            "v": found,
            "form": form,
            "lock": lock,
            "stale": outcome.stale,
            "breadcrumbs": _crumbs(found),
            **page,
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(AUTHOR)
def area_remove(request, number: int, version: str):
    found, refused = _draft(request, number, version)
    if refused:
        return refused
    area = queries.area_of(found, request.GET.get("area"))
    return _remove_page(
        request,
        found,
        remove=lambda **kwargs: do_remove_edm_area(area, **kwargs),
        done_message=f"Area {area.number} and its baselines have been removed.",
        done_url=_version_url(found),
        page={
            "heading": f"Remove area {area.number}. {area.title}?",
            "warning": (
                f"Its {area.baselines.count()} baselines will be removed with it."
                if area.baselines.exists()
                else "It has no baselines."
            ),
            "button": f"Remove area {area.number}",
        },
    )


# --- Baselines --------------------------------------------------------------------------------


def _baseline_page(request, number: int, version: str, *, existing: bool):
    found, refused = _draft(request, number, version)
    if refused:
        return refused
    baseline = queries.baseline_of(found, request.GET.get("baseline")) if existing else None
    areas = queries.areas_of(found)
    if not areas:
        messages.error(request, "Add an area before you add baselines: each belongs to one.")
        return redirect(_version_url(found))

    def area_chosen(form) -> EdmArea:
        return next(a for a in areas if str(a.pk) == form.cleaned_data["area"])

    if baseline is not None:
        edited, lock = _edit_part(
            request,
            found,
            baseline,
            form_class=BaselineForm,
            form_kwargs={"areas": areas},
            save=lambda form: do_update_baseline(
                baseline,
                expected_version=form.cleaned_data["version"],
                area=area_chosen(form),
                changes=form.baseline(),
                acting_user=request.user,
            ),
        )
        if edited.saved:
            form = edited.form
            _saved_or_unchanged(request, edited.result, f"Baseline {form.cleaned_data['number']}")
            return redirect(_version_url(found, f"area-{area_chosen(form).pk}"))
        form, stale = edited.form, edited.stale
    elif request.method == "POST":
        form = BaselineForm(request.POST, areas=areas)
        lock, stale = request.POST.get("version", ""), None
        if form.is_valid():
            data = form.cleaned_data
            outcome = _attempt(
                form,
                lambda: do_add_baseline(
                    found,
                    expected_version=data["version"],
                    area=area_chosen(form),
                    baseline=form.baseline(),
                    acting_user=request.user,
                ),
            )
            if outcome.done:
                messages.success(request, f"Baseline {data['number']} has been added.")
                return redirect(_version_url(found, f"area-{area_chosen(form).pk}"))
            lock, stale = _lock_after(outcome, lock, found), outcome.stale
    else:
        chosen = request.GET.get("area", "")
        initial = {
            "version": found.version,
            "area": chosen if any(str(a.pk) == chosen for a in areas) else "",
        }
        form = BaselineForm(initial=initial, areas=areas)
        lock, stale = found.version, None
    return render(
        request,
        "frameworks/baseline_form.html",
        {
            "v": found,
            "baseline": baseline,
            "form": form,
            "lock": lock,
            "stale": stale,
            "breadcrumbs": _crumbs(found),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(AUTHOR)
def baseline_new(request, number: int, version: str):
    return _baseline_page(request, number, version, existing=False)


@require_http_methods(["GET", "POST"])
@require_permission(AUTHOR)
def baseline_edit(request, number: int, version: str):
    return _baseline_page(request, number, version, existing=True)


@require_http_methods(["GET", "POST"])
@require_permission(AUTHOR)
def baseline_remove(request, number: int, version: str):
    found, refused = _draft(request, number, version)
    if refused:
        return refused
    baseline = queries.baseline_of(found, request.GET.get("baseline"))
    return _remove_page(
        request,
        found,
        remove=lambda **kwargs: do_remove_baseline(baseline, **kwargs),
        done_message=f"Baseline {baseline.number} has been removed.",
        done_url=_version_url(found, f"area-{baseline.area_id}"),
        page={
            "heading": f"Remove baseline {baseline.number}?",
            "quote": baseline.text,
            "button": f"Remove baseline {baseline.number}",
        },
    )
