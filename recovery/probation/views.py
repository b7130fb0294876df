"""Probation recovery pages: the national steps table, gateway decisions, regions' requests and
their decisions; each PDU's offices, their capacity and risk assessments. Reads come from
queries.py, writes go through actions.py; a page naming a unit or request outside the person's
scope answers 404."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from recovery.core.constants import UnitKind
from recovery.core.edits import edit_versioned
from recovery.core.errors import DomainError
from recovery.core.scope import allows
from recovery.core.views import require_permission, scoped_get_or_404
from recovery.estate.models import OrganisationUnit, ProbationOffice
from recovery.probation import queries
from recovery.probation.actions import (
    capacity_of_office,
    do_ask_step_change,
    do_decide_step_request,
    do_open_probation_step,
    do_record_individual_risk_assessment,
    do_record_office_risk_assessment,
    do_update_government_step,
    do_update_office_capacity,
    do_update_probation_settings,
    settings_row,
)
from recovery.probation.constants import NOTICE_DAYS, RequestKind, RequestStatus
from recovery.probation.forms import (
    AskForm,
    CapacityForm,
    DecideForm,
    GatewayForm,
    GovernmentStepForm,
    IndividualRiskForm,
    OfficeRiskForm,
    SettingsForm,
)
from recovery.probation.ministers_rules import VIEW_MINISTERS_REPORTS
from recovery.probation.models import StepRequest
from recovery.probation.rules import (
    DECIDE_STEP_REQUEST,
    OPEN_STEP,
    RECORD_CAPACITY,
    REQUEST_STEP_CHANGE,
    SETTINGS,
    STEP_REQUEST_WORKFLOW,
    VIEW_CAPACITY,
    VIEW_STEPS,
)

# A domain error's field -> the form field it is shown against.
DATE_FIELDS = {
    "decided_on": "decided_day",
    "staff_told_on": "staff_told_day",
    "takes_effect_on": "takes_effect_day",
    "assessed_on": "assessed_day",
    "completed_on": "completed_day",
    "starts_on": "starts_day",
    "checks": "distancing",
}


def _show(form, error: DomainError) -> None:
    name = DATE_FIELDS.get(error.field or "", error.field)
    form.add_error(name if name in form.fields else None, error.message)


def _home() -> tuple[str, str]:
    return ("Home", reverse("home"))


def _steps_crumb() -> tuple[str, str]:
    return ("Probation steps", reverse("probation:steps"))


def _region(request, code: str, permission: str) -> OrganisationUnit:
    return scoped_get_or_404(
        request.user,
        permission,
        OrganisationUnit.objects.filter(kind=UnitKind.PROBATION_REGION),
        code=code,
    )


def _request(request, request_id: int, permission: str) -> StepRequest:
    return scoped_get_or_404(
        request.user,
        permission,
        StepRequest.objects.select_related("unit", "unit__parent"),
        path_field="unit__path",
        pk=request_id,
    )


def _office(request, code: str, permission: str) -> ProbationOffice:
    return scoped_get_or_404(
        request.user, permission, ProbationOffice.objects.select_related("parent"), code=code
    )


def _region_of(unit) -> OrganisationUnit:
    return unit if unit.kind == UnitKind.PROBATION_REGION else unit.parent


# --- Steps and governance ---------------------------------------------------------------------


@require_GET
@require_permission(VIEW_STEPS)
def steps(request):
    picture = queries.steps_table(request.user)
    return render(
        request,
        "probation/steps.html",
        {
            "picture": picture,
            "may_open": allows(request.user, OPEN_STEP),
            "may_decide": allows(request.user, DECIDE_STEP_REQUEST),
            "may_set": allows(request.user, SETTINGS),
            "may_read_reports": allows(request.user, VIEW_MINISTERS_REPORTS),
            "notice_days": NOTICE_DAYS,
            "breadcrumbs": [_home()],
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(OPEN_STEP)
def gateway(request):
    form = GatewayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = do_open_probation_step(
                data["step"],
                decided_on=data["decided_on"],
                reasons=data["reasons"],
                staff_told_on=data["staff_told_on"],
                takes_effect_on=data["takes_effect_on"],
                exceptional=data.get("exceptional", False),
                exceptional_reason=data.get("exceptional_reason") or "",
                acting_user=request.user,
            )
        except DomainError as error:
            _show(form, error)
        else:
            messages.success(
                request,
                f"Probation step {decision.step.number} is open nationally from "
                f"{decision.takes_effect_on:%-d %B %Y}.",
            )
            return redirect("probation:steps")
    picture = queries.steps_table(request.user)
    return render(
        request,
        "probation/gateway.html",
        {
            "form": form,
            "picture": picture,
            "notice_days": NOTICE_DAYS,
            "breadcrumbs": [_home(), _steps_crumb()],
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(SETTINGS)
def probation_settings(request):
    outcome = edit_versioned(
        request,
        settings_row(),
        form_class=SettingsForm,
        action=do_update_probation_settings,
        show_error=_show,
    )
    if outcome.saved:
        if outcome.result:
            messages.success(request, "The probation settings have been saved.")
        else:
            messages.info(request, "You did not change anything.")
        return redirect("probation:steps")
    return render(
        request,
        "probation/settings.html",
        {
            "form": outcome.form,
            "stale": outcome.stale,
            "breadcrumbs": [_home(), _steps_crumb()],
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(OPEN_STEP)
def government_step(request, number: int):
    from django.shortcuts import get_object_or_404

    from recovery.probation.models import GovernmentStep

    step = get_object_or_404(GovernmentStep, number=number)
    outcome = edit_versioned(
        request,
        step,
        form_class=GovernmentStepForm,
        action=do_update_government_step,
        show_error=_show,
    )
    if outcome.saved:
        if outcome.result:
            messages.success(request, f"Government step {number} has been saved.")
        else:
            messages.info(request, "You did not change anything.")
        return redirect(reverse("probation:steps") + "#government-steps")
    return render(
        request,
        "probation/government_step.html",
        {
            "step": step,
            "form": outcome.form,
            "stale": outcome.stale,
            "breadcrumbs": [_home(), _steps_crumb()],
        },
    )


@require_GET
def region(request, code: str):
    unit = _region(request, code, VIEW_STEPS)
    pdus = list(queries.visible_pdus(request.user).filter(parent=unit).select_related("parent"))
    timeline = queries.timeline_of(unit)
    today = queries.today()
    return render(
        request,
        "probation/region.html",
        {
            "region": unit,
            "step": timeline.step_on(today),
            "since": timeline.since(today),
            "pdus": queries.pdu_rows(pdus, today),
            "requests": queries.requests_of_region(unit),
            "may_ask": allows(request.user, REQUEST_STEP_CHANGE, unit),
            "breadcrumbs": [_home(), _steps_crumb()],
        },
    )


@require_http_methods(["GET", "POST"])
def request_new(request, code: str):
    unit = _region(request, code, REQUEST_STEP_CHANGE)
    pdus = OrganisationUnit.objects.filter(parent=unit, kind=UnitKind.PDU).order_by("name")
    units = [unit, *pdus]
    form = AskForm(request.POST or None, units=units, initial={"unit": unit.code})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = next(u for u in units if u.code == data["unit"])
        try:
            made = do_ask_step_change(
                target, kind=data["kind"], reasons=data["reasons"], acting_user=request.user
            )
        except DomainError as error:
            _show(form, error)
        else:
            messages.success(
                request,
                f"Your request for {target.name} to {made.kind_short.lower()} has been sent to "
                "the Probation Business Recovery Programme.",
            )
            return redirect("probation:request", made.pk)
    rows = {r.code: r for r in queries.pdu_rows(units[1:])}
    return render(
        request,
        "probation/request_new.html",
        {
            "region": unit,
            "form": form,
            "step": queries.effective_step(unit),
            "pdu_rows": [rows[u.code] for u in units[1:]],
            "breadcrumbs": [
                _home(),
                _steps_crumb(),
                (unit.name, reverse("probation:region", args=[unit.code])),
            ],
        },
    )


def _request_context(request, step_request: StepRequest) -> dict:
    region_unit = _region_of(step_request.unit)
    crumbs = [_home(), _steps_crumb()]
    if allows(request.user, VIEW_STEPS, region_unit):
        crumbs.append((region_unit.name, reverse("probation:region", args=[region_unit.code])))
    return {
        "step_request": step_request,
        "step_now": queries.effective_step(step_request.unit),
        "breadcrumbs": crumbs,
    }


@require_GET
def request_detail(request, request_id: int):
    step_request = _request(request, request_id, VIEW_STEPS)
    return render(
        request,
        "probation/request.html",
        {
            **_request_context(request, step_request),
            "may_decide": bool(STEP_REQUEST_WORKFLOW.available(request.user, step_request)),
        },
    )


@require_http_methods(["GET", "POST"])
def request_decide(request, request_id: int):
    step_request = _request(request, request_id, DECIDE_STEP_REQUEST)
    if step_request.status != RequestStatus.REQUESTED:
        messages.info(
            request, f"This request has already been {step_request.get_status_display().lower()}."
        )
        return redirect("probation:request", step_request.pk)
    form = DecideForm(request.POST or None, initial={"version": step_request.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agree = data["decision"] == "agree"
        try:
            decided = do_decide_step_request(
                step_request,
                agree=agree,
                reasons=data["reasons"],
                takes_effect_on=data.get("takes_effect_on"),
                staff_told_on=data.get("staff_told_on"),
                exceptional=data.get("exceptional", False),
                exceptional_reason=data.get("exceptional_reason") or "",
                expected_version=data["version"],
                acting_user=request.user,
            )
        except DomainError as error:
            _show(form, error)
        else:
            messages.success(
                request,
                f"The request for {decided.unit.name} has been "
                f"{decided.get_status_display().lower()}.",
            )
            return redirect("probation:request", decided.pk)
    return render(
        request,
        "probation/request_decide.html",
        {
            **_request_context(request, step_request),
            "form": form,
            "is_relaxation": step_request.kind == RequestKind.MOVE_FORWARD,
            "notice_days": NOTICE_DAYS,
        },
    )


# --- Offices ----------------------------------------------------------------------------------


def _pdu_crumbs(request, pdu) -> list:
    crumbs = [_home(), _steps_crumb()]
    if allows(request.user, VIEW_STEPS, pdu.parent):
        crumbs.append((pdu.parent.name, reverse("probation:region", args=[pdu.parent.code])))
    return crumbs


@require_GET
def pdu(request, code: str):
    unit = scoped_get_or_404(
        request.user,
        VIEW_CAPACITY,
        OrganisationUnit.objects.filter(kind=UnitKind.PDU).select_related("parent"),
        code=code,
    )
    today = queries.today()
    pictures = queries.office_pictures(queries.offices_of(unit), today)
    timeline = queries.timeline_of(unit)
    return render(
        request,
        "probation/pdu.html",
        {
            "pdu": unit,
            "step": timeline.step_on(today),
            "since": timeline.since(today),
            "offices": pictures,
            "weekly": sum(p.week.total for p in pictures if p.counts),
            "may_record": allows(request.user, RECORD_CAPACITY, pictures[0].office)
            if pictures
            else False,
            "valid_days": queries.ProbationSettings.current().risk_assessment_valid_days,
            "breadcrumbs": _pdu_crumbs(request, unit),
        },
    )


def _office_crumbs(request, office) -> list:
    pdu_unit = office.parent
    return [
        *_pdu_crumbs(request, pdu_unit),
        (pdu_unit.name, reverse("probation:pdu", args=[pdu_unit.code])),
    ]


@require_GET
def office(request, code: str):
    unit = _office(request, code, VIEW_CAPACITY)
    picture = queries.office_pictures([unit])[0]
    return render(
        request,
        "probation/office.html",
        {
            "office": unit,
            "picture": picture,
            "may_record": allows(request.user, RECORD_CAPACITY, unit),
            "valid_days": queries.ProbationSettings.current().risk_assessment_valid_days,
            "breadcrumbs": _office_crumbs(request, unit),
        },
    )


def _office_url(unit) -> str:
    return reverse("probation:office", args=[unit.code])


@require_http_methods(["GET", "POST"])
def office_capacity(request, code: str):
    unit = _office(request, code, RECORD_CAPACITY)
    outcome = edit_versioned(
        request,
        capacity_of_office(unit),
        form_class=CapacityForm,
        action=do_update_office_capacity,
        show_error=_show,
    )
    if outcome.saved:
        picture = queries.office_pictures([unit])[0]
        messages.success(
            request,
            f"The capacity of {unit.name} has been saved: {picture.week.total:,} face-to-face "
            "appointments a week.",
        )
        return redirect(_office_url(unit))
    return render(
        request,
        "probation/office_capacity.html",
        {
            "office": unit,
            "form": outcome.form,
            "stale": outcome.stale,
            "breadcrumbs": [*_office_crumbs(request, unit), (unit.name, _office_url(unit))],
        },
    )


@require_http_methods(["GET", "POST"])
def office_risk(request, code: str):
    unit = _office(request, code, RECORD_CAPACITY)
    form = OfficeRiskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_record_office_risk_assessment(
                unit,
                assessed_on=data["assessed_on"],
                checks={f.name: data.get(f.name, False) for f in form.check_fields()},
                outcome=data["outcome"],
                notes=data.get("notes") or "",
                acting_user=request.user,
            )
        except DomainError as error:
            _show(form, error)
        else:
            messages.success(request, f"The risk assessment of {unit.name} has been recorded.")
            return redirect(_office_url(unit))
    return render(
        request,
        "probation/office_risk.html",
        {
            "office": unit,
            "form": form,
            "breadcrumbs": [*_office_crumbs(request, unit), (unit.name, _office_url(unit))],
        },
    )


@require_http_methods(["GET", "POST"])
def individual_risk(request, code: str):
    unit = _office(request, code, RECORD_CAPACITY)
    form = IndividualRiskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_record_individual_risk_assessment(
                unit,
                completed_on=data["completed_on"],
                outcome=data["outcome"],
                acting_user=request.user,
            )
        except DomainError as error:
            _show(form, error)
        else:
            messages.success(
                request, f"An individual risk assessment at {unit.name} has been recorded."
            )
            return redirect(_office_url(unit))
    return render(
        request,
        "probation/individual_risk.html",
        {
            "office": unit,
            "form": form,
            "breadcrumbs": [*_office_crumbs(request, unit), (unit.name, _office_url(unit))],
        },
    )
