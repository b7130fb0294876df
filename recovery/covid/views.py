"""Covid controls pages: an establishment's controls, declaring and ending an outbreak, the
coverage figures and plan review, PPE stock, and the spreadsheet round trip. Reads come from
queries.py, writes go through actions.py; a page naming an establishment outside the person's
scope answers 404."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from recovery.core.edits import edit_versioned
from recovery.core.errors import DomainError, InvalidUpload, StaleEditError
from recovery.core.forms import add_domain_error
from recovery.core.problem_report import problem_context, problem_download
from recovery.core.scope import allows
from recovery.core.views import scoped_get_or_404
from recovery.core.xlsx import xlsx_response
from recovery.covid.actions import (
    controls_of_establishment,
    do_declare_outbreak,
    do_end_outbreak,
    do_import_covid,
    do_set_ppe_stock,
    do_update_controls,
)
from recovery.covid.forms import (
    CONTROLS_ERROR_FIELDS,
    ControlsForm,
    CovidUploadForm,
    DeclareOutbreakForm,
    EndOutbreakForm,
    PpeForm,
)
from recovery.covid.importer import covid_sheets
from recovery.covid.queries import changes_to_controls, controls_of, open_outbreak_of, ppe_lines
from recovery.covid.rules import EDIT_COVID, VIEW_COVID
from recovery.estate.models import Establishment
from recovery.plans.rules import VIEW_PLAN
from recovery.progression.models import StageChange
from recovery.progression.rules import VIEW_PROGRESSION


def _establishment(request, code: str, permission: str) -> Establishment:
    return scoped_get_or_404(
        request.user, permission, Establishment.objects.select_related("parent"), code=code
    )


def _controls_url(establishment: Establishment) -> str:
    return reverse("covid:controls", args=[establishment.code])


def _crumbs(request, establishment: Establishment, *, here: bool = False) -> list:
    crumbs = [("Home", reverse("home"))]
    if allows(request.user, "estate.view_prison_estate", establishment):
        crumbs.append(
            (establishment.name, reverse("estate:establishment", args=[establishment.code]))
        )
    if here:
        crumbs.append(("Covid controls", _controls_url(establishment)))
    return crumbs


def _field_error(form, error: DomainError, fields: dict[str, str] | None = None) -> None:
    """Show an action's refusal against the form field it is about."""
    name = (fields or {}).get(error.field or "", error.field)
    form.add_error(name if name in form.fields else None, error.message)


@require_GET
def controls(request, code: str):
    establishment = _establishment(request, code, VIEW_COVID)
    picture = controls_of(establishment)
    may_edit = allows(request.user, EDIT_COVID, establishment)
    proposal = (
        StageChange.objects.filter(outbreak=picture.open_outbreak).select_related("stage").first()
        if picture.open_outbreak
        else None
    )
    return render(
        request,
        "covid/controls.html",
        {
            "establishment": establishment,
            "picture": picture,
            "may_edit": may_edit,
            "proposal": proposal,
            "may_see_plan": allows(request.user, VIEW_PLAN, establishment),
            "may_see_stages": allows(request.user, VIEW_PROGRESSION, establishment),
            "history": changes_to_controls(establishment),
            "breadcrumbs": _crumbs(request, establishment),
        },
    )


@require_http_methods(["GET", "POST"])
def declare(request, code: str):
    establishment = _establishment(request, code, EDIT_COVID)
    form = DeclareOutbreakForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outbreak = do_declare_outbreak(
                establishment,
                declared_on=data["declared_on"],
                cases_staff=data.get("cases_staff"),
                cases_prisoners=data.get("cases_prisoners"),
                notes=data.get("notes") or "",
                acting_user=request.user,
            )
        except DomainError as error:
            _field_error(
                form,
                error,
                {"declared_on": "declared_day", "cases_staff": "cases_staff"},
            )
        else:
            messages.success(
                request,
                f"An outbreak at {establishment.name} has been declared from "
                f"{outbreak.declared_on:%-d %B %Y}.",
            )
            proposal = StageChange.objects.filter(outbreak=outbreak).select_related("stage")
            if (change := proposal.first()) is not None:
                messages.info(
                    request,
                    f"A move back to stage {change.stage.number} is proposed; the Prison Group "
                    "Director has been told and will confirm or dismiss it.",
                )
            return redirect(_controls_url(establishment))
    return render(
        request,
        "covid/declare.html",
        {
            "establishment": establishment,
            "form": form,
            "open_outbreak": open_outbreak_of(establishment),
            "breadcrumbs": _crumbs(request, establishment, here=True),
        },
    )


@require_http_methods(["GET", "POST"])
def end(request, code: str):
    establishment = _establishment(request, code, EDIT_COVID)
    outbreak = open_outbreak_of(establishment)
    if outbreak is None:
        messages.info(request, f"{establishment.name} has no open outbreak to end.")
        return redirect(_controls_url(establishment))
    form = EndOutbreakForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_end_outbreak(
                outbreak, ended_on=form.cleaned_data["ended_on"], acting_user=request.user
            )
        except DomainError as error:
            _field_error(form, error, {"ended_on": "ended_day", "declared_on": "ended_day"})
        else:
            messages.success(
                request,
                f"The outbreak at {establishment.name} declared on "
                f"{outbreak.declared_on:%-d %B %Y} has been ended.",
            )
            return redirect(_controls_url(establishment))
    return render(
        request,
        "covid/end.html",
        {
            "establishment": establishment,
            "form": form,
            "outbreak": outbreak,
            "breadcrumbs": _crumbs(request, establishment, here=True),
        },
    )


@require_http_methods(["GET", "POST"])
def edit(request, code: str):
    establishment = _establishment(request, code, EDIT_COVID)
    outcome = edit_versioned(
        request,
        controls_of_establishment(establishment),
        form_class=ControlsForm,
        action=do_update_controls,
        show_error=lambda form, error: _field_error(form, error, CONTROLS_ERROR_FIELDS),
    )
    if outcome.saved:
        if outcome.result:
            messages.success(
                request, f"The Covid controls of {establishment.name} have been saved."
            )
        else:
            messages.info(request, "You did not change anything.")
        return redirect(_controls_url(establishment))
    return render(
        request,
        "covid/edit.html",
        {
            "establishment": establishment,
            "form": outcome.form,
            "stale": outcome.stale,
            "breadcrumbs": _crumbs(request, establishment, here=True),
        },
    )


@require_http_methods(["GET", "POST"])
def ppe(request, code: str):
    establishment = _establishment(request, code, EDIT_COVID)
    lines = ppe_lines(establishment)
    stale = None
    if request.method == "POST":
        form = PpeForm(request.POST, lines=lines)
        if form.is_valid():
            try:
                changed = do_set_ppe_stock(
                    establishment,
                    form.counts(),
                    counted_on=form.cleaned_data.get("counted_on"),
                    acting_user=request.user,
                )
            except StaleEditError as error:
                stale = error
                form = _ppe_after_stale(form, ppe_lines(establishment))
            except DomainError as error:
                _field_error(form, error, {"counted_on": "counted_day"})
            else:
                if changed:
                    messages.success(
                        request,
                        f"The PPE stock of {establishment.name} has been saved: "
                        f"{len(changed)} item{'s' if len(changed) != 1 else ''} changed.",
                    )
                else:
                    messages.info(request, "You did not change any PPE stock.")
                return redirect(_controls_url(establishment))
    else:
        form = PpeForm(initial=PpeForm.initial_for(lines), lines=lines)
    return render(
        request,
        "covid/ppe.html",
        {
            "establishment": establishment,
            "form": form,
            "stale": stale,
            "breadcrumbs": _crumbs(request, establishment, here=True),
        },
    )


def _ppe_after_stale(sent: PpeForm, now) -> PpeForm:
    """The form to show after a stale refusal: an item someone else changed shows its current
    stock, need and version; every other item keeps what the person typed (sending the form
    again then writes their figures only where nobody changed them since)."""
    initial = PpeForm.initial_for(now)
    for line in now:
        if sent.cleaned_data.get(f"{line.item}_version") == line.version:
            for part in ("in_stock", "needed"):
                initial[f"{line.item}_{part}"] = sent.cleaned_data.get(f"{line.item}_{part}")
    initial["counted_day"] = sent.cleaned_data.get("counted_day")
    initial["counted_month"] = sent.cleaned_data.get("counted_month")
    initial["counted_year"] = sent.cleaned_data.get("counted_year")
    return PpeForm(initial=initial, lines=now)


@require_http_methods(["GET", "POST"])
def import_covid(request, code: str):
    establishment = _establishment(request, code, EDIT_COVID)
    if (report := problem_download(request)) is not None:
        return report
    if request.GET.get("download") == "template":
        return xlsx_response(
            f"covid-controls-{establishment.code}.xlsx", covid_sheets([establishment])
        )
    form = CovidUploadForm(request.POST or None, request.FILES or None)
    shown = {}
    if request.method == "POST" and form.is_valid():
        try:
            summary = do_import_covid(
                establishment, form.cleaned_data["file"], acting_user=request.user
            )
        except InvalidUpload as error:
            shown = problem_context(request, error)
            form.add_error("file", error.message)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, summary.describe())
            return redirect(_controls_url(establishment))
    return render(
        request,
        "covid/import.html",
        {
            "establishment": establishment,
            "form": form,
            **shown,
            "template_url": reverse("covid:import", args=[establishment.code])
            + "?download=template",
            "upload_hint": "An Excel workbook (.xlsx) no larger than "
            f"{settings.MAX_UPLOAD_BYTES / (1024 * 1024):g} MB",
            "breadcrumbs": _crumbs(request, establishment, here=True),
        },
    )
