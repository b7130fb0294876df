"""The national panel's pages: the queue of assessments awaiting a national decision (and the
moves to be ratified), its sittings, a sitting where several assessments are decided, one
assessment's decision, and a sitting's decision record as a page, a PDF and a spreadsheet.
Reads come from panel_queries.py, writes go through actions.py."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recovery.core.errors import DomainError
from recovery.core.forms import add_domain_error
from recovery.core.scope import allows, failed_rule
from recovery.core.views import require_permission, scoped_get_or_404
from recovery.core.xlsx import xlsx_response
from recovery.progression.actions import (
    do_close_sitting,
    do_decide_assessment,
    do_open_sitting,
    do_ratify_stage_change,
)
from recovery.progression.constants import PANEL_QUEUE_STATUSES, SittingStatus
from recovery.progression.models import PanelSitting, ReadinessAssessment, StageChange
from recovery.progression.panel import AlreadyDecided
from recovery.progression.panel_forms import DecideForm, OpenSittingForm, RatifyForm
from recovery.progression.panel_queries import (
    panel_queue,
    queue_item,
    record_sheets,
    sitting_record,
    sittings,
    to_be_ratified,
)
from recovery.progression.rules import DECIDE, MANAGE_SITTINGS, RATIFY, VIEW_NATIONAL


def _crumbs(*extra) -> list[tuple[str, str]]:
    return [("Panel queue", reverse("progression:panel-queue")), *extra]


def _sitting(request, sitting_id: int, permission: str = MANAGE_SITTINGS) -> PanelSitting:
    return scoped_get_or_404(
        request.user,
        permission,
        PanelSitting.objects.prefetch_related("members"),
        path_field="unit__path",
        pk=sitting_id,
    )


def _decide_form(item, sitting=None) -> DecideForm:
    """A decision form opened on the assessment as it is now (its version), with ids of its
    own so that several can sit on one page."""
    assessment = item.assessment
    return DecideForm(
        initial={"version": assessment.version, "sitting": sitting.pk if sitting else ""},
        auto_id=f"a{assessment.pk}-%s",
    )


@require_GET
@require_permission(MANAGE_SITTINGS)
def queue(request):
    return render(
        request,
        "progression/panel/queue.html",
        {
            "items": panel_queue(request.user),
            "changes": list(to_be_ratified(request.user)),
            "open_sittings": list(PanelSitting.objects.filter(status=SittingStatus.OPEN)),
            "breadcrumbs": [("Panel queue", "")],
        },
    )


@require_GET
@require_permission(MANAGE_SITTINGS)
def sitting_list(request):
    return render(
        request,
        "progression/panel/sittings.html",
        {"sittings": sittings(), "breadcrumbs": _crumbs(("Sittings", ""))},
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE_SITTINGS)
def sitting_new(request):
    if request.method == "POST":
        form = OpenSittingForm(request.POST)
        if form.is_valid():
            try:
                sitting = do_open_sitting(
                    sits_on=form.cleaned_data["sits_on"],
                    members=form.cleaned_data["member_people"],
                    title=form.cleaned_data["title"],
                    acting_user=request.user,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, f"{sitting} is open.")
                return redirect("progression:panel-sitting", sitting.pk)
    else:
        form = OpenSittingForm(initial={"members": [str(request.user.pk)]})
    return render(
        request,
        "progression/panel/sitting_new.html",
        {
            "form": form,
            "breadcrumbs": _crumbs(
                ("Sittings", reverse("progression:panel-sittings")), ("Open a sitting", "")
            ),
        },
    )


@require_GET
def sitting(request, sitting_id: int):
    current = _sitting(request, sitting_id)
    is_open = current.status == SittingStatus.OPEN
    items = panel_queue(request.user) if is_open else []
    for item in items:
        item.form = _decide_form(item, current)
        item.may_decide = failed_rule(request.user, DECIDE, item.assessment) is None
    changes = list(to_be_ratified(request.user)) if is_open else []
    for change in changes:
        change.form = RatifyForm(initial={"change": change.pk}, auto_id=f"c{change.pk}-%s")
    return render(
        request,
        "progression/panel/sitting.html",
        {
            "sitting": current,
            "record": sitting_record(current),
            "items": items,
            "changes": changes,
            "is_open": is_open,
            "breadcrumbs": _crumbs(
                ("Sittings", reverse("progression:panel-sittings")), (str(current), "")
            ),
        },
    )


@require_POST
def sitting_close(request, sitting_id: int):
    current = _sitting(request, sitting_id)
    try:
        do_close_sitting(current, acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{current} is closed. Its decision record is below.")
    return redirect("progression:panel-sitting", current.pk)


@require_POST
def ratify(request, sitting_id: int):
    current = _sitting(request, sitting_id)
    form = RatifyForm(request.POST)
    back = redirect("progression:panel-sitting", current.pk)
    if not form.is_valid():
        messages.error(request, "Choose a move to ratify.")
        return back
    change = scoped_get_or_404(
        request.user,
        RATIFY,
        StageChange.objects.select_related("establishment", "stage"),
        path_field="establishment__path",
        pk=form.cleaned_data["change"],
    )
    if current.status != SittingStatus.OPEN:
        messages.error(request, f"{current} is closed: moves are ratified in an open sitting.")
        return back
    try:
        do_ratify_stage_change(
            change, note=form.cleaned_data["note"], acting_user=request.user, sitting=current
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{change.establishment.name}'s move to stage {change.stage.number} is ratified.",
        )
    return back


@require_http_methods(["GET", "POST"])
def decide(request, assessment_id: int):
    assessment = scoped_get_or_404(
        request.user,
        DECIDE,
        ReadinessAssessment.objects.select_related(
            "establishment", "plan", "from_stage", "to_stage", "sitting"
        ),
        path_field="establishment__path",
        pk=assessment_id,
    )
    item = queue_item(assessment)
    if request.method == "POST":
        form = DecideForm(request.POST)
        if form.is_valid():
            try:
                decided = do_decide_assessment(
                    assessment, acting_user=request.user, **form.decision_kwargs()
                )
            except AlreadyDecided as error:
                # Shown with the assessment as it is now; sent again, the form decides on that.
                assessment.refresh_from_db()
                item = queue_item(assessment)
                form = DecideForm({**request.POST.dict(), "version": assessment.version})
                form.is_valid()
                add_domain_error(form, error)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _decided_message(decided))
                return _after_decision(decided)
    else:
        form = DecideForm(
            initial={
                "version": assessment.version,
                "sitting": request.GET.get("sitting", ""),
            }
        )
    refusal = failed_rule(request.user, DECIDE, assessment)
    waiting = assessment.status in PANEL_QUEUE_STATUSES
    return render(
        request,
        "progression/panel/decide.html",
        {
            "assessment": assessment,
            "item": item,
            "form": form,
            "waiting": waiting,
            "refusal": refusal.message if refusal else "",
            "breadcrumbs": _crumbs((assessment.establishment.name, "")),
        },
    )


def _decided_message(assessment: ReadinessAssessment) -> str:
    site = assessment.establishment.name
    if assessment.commencement_date:
        return (
            f"{site}: commencement of stage {assessment.to_stage.number} approved from "
            f"{assessment.commencement_date:%-d %B %Y} (number {assessment.panel_order})."
        )
    return f"{site}: {assessment.get_status_display().lower()}."


def _after_decision(assessment: ReadinessAssessment) -> HttpResponseRedirect:
    if assessment.sitting_id:
        return redirect("progression:panel-sitting", assessment.sitting_id)
    return redirect("progression:panel-queue")


# --- The decision record ----------------------------------------------------------------------


def _record_context(request, sitting_id: int) -> dict:
    current = _sitting(request, sitting_id, VIEW_NATIONAL)
    return {
        "sitting": current,
        "record": sitting_record(current),
        "generated_at": timezone.now(),
    }


def _record_filename(sitting: PanelSitting, extension: str) -> str:
    return f"panel-sitting-{sitting.sits_on:%Y-%m-%d}-{sitting.pk}.{extension}"


@require_GET
def record(request, sitting_id: int):
    context = _record_context(request, sitting_id)
    if allows(request.user, MANAGE_SITTINGS):
        context["breadcrumbs"] = _crumbs(
            ("Sittings", reverse("progression:panel-sittings")),
            (str(context["sitting"]), reverse("progression:panel-sitting", args=[sitting_id])),
            ("Decision record", ""),
        )
    return render(request, "progression/panel/record.html", context)


@require_GET
def record_pdf(request, sitting_id: int):
    context = _record_context(request, sitting_id)
    from recovery.core.pdf import pdf_response  # WeasyPrint loads only when a PDF is made

    return pdf_response(
        request,
        "progression/panel/record_pdf.html",
        context,
        _record_filename(context["sitting"], "pdf"),
    )


@require_GET
def record_xlsx(request, sitting_id: int):
    context = _record_context(request, sitting_id)
    return xlsx_response(
        _record_filename(context["sitting"], "xlsx"), record_sheets(context["record"])
    )
