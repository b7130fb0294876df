"""The staffing hierarchy's pages: a PDU's weeks with the hours each rung covered, the form of
one week (its head's), and the hours by rung of a region and of the country for a week. Reads
from staffing_queries.py, writes through staffing_actions.py; a page naming a unit outside the
person's scope answers 404, the national page 403."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from recovery.core.constants import UnitKind
from recovery.core.edits import edit_versioned
from recovery.core.errors import DomainError
from recovery.core.scope import allows
from recovery.core.views import require_permission, scoped_get_or_404
from recovery.estate.models import OrganisationUnit
from recovery.probation import staffing_queries as queries
from recovery.probation.rules import VIEW_CAPACITY, VIEW_STEPS
from recovery.probation.staffing import cover
from recovery.probation.staffing_actions import (
    check_week_start,
    do_record_staffing_week,
    staffing_week_of,
)
from recovery.probation.staffing_constants import RUNGS
from recovery.probation.staffing_forms import StaffingWeekForm
from recovery.probation.staffing_rules import (
    RECORD_STAFFING,
    VIEW_NATIONAL_STAFFING,
    VIEW_STAFFING,
)


def _home() -> tuple[str, str]:
    return ("Home", reverse("home"))


def _pdu(request, code: str, permission: str) -> OrganisationUnit:
    return scoped_get_or_404(
        request.user,
        permission,
        OrganisationUnit.objects.filter(kind=UnitKind.PDU).select_related("parent"),
        code=code,
    )


def _pdu_crumbs(request, pdu) -> list:
    crumbs = [_home()]
    if allows(request.user, VIEW_STAFFING, pdu.parent):
        region_url = reverse("probation:staffing-region", args=[pdu.parent.code])
        crumbs.append((f"{pdu.parent.name}: staffing", region_url))
    if allows(request.user, VIEW_CAPACITY, pdu):
        crumbs.append((pdu.name, reverse("probation:pdu", args=[pdu.code])))
    return crumbs


@require_GET
def pdu_staffing(request, code: str):
    unit = _pdu(request, code, VIEW_STAFFING)
    return render(
        request,
        "probation/staffing_pdu.html",
        {
            "pdu": unit,
            "picture": queries.pdu_staffing(unit),
            "rungs": RUNGS,
            "may_record": allows(request.user, RECORD_STAFFING, unit),
            "breadcrumbs": _pdu_crumbs(request, unit),
        },
    )


def _week(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise Http404("No such week") from error


@require_http_methods(["GET", "POST"])
def staffing_week(request, code: str, week_start: str):
    unit = _pdu(request, code, RECORD_STAFFING)
    week = _week(week_start)
    staffing_url = reverse("probation:staffing", args=[unit.code])
    crumbs = [
        *_pdu_crumbs(request, unit),
        (f"{unit.name}: staffing", staffing_url),
    ]
    try:
        check_week_start(week)
    except DomainError as error:
        monday = week - datetime.timedelta(days=week.weekday())
        return render(
            request,
            "probation/staffing_week_refused.html",
            {
                "pdu": unit,
                "week": week,
                "message": error.message,
                "monday": monday if week.weekday() else None,
                "breadcrumbs": crumbs,
            },
        )
    record = staffing_week_of(unit, week)
    was_new = record.pk is None
    outcome = edit_versioned(
        request, record, form_class=StaffingWeekForm, action=do_record_staffing_week
    )
    if outcome.saved:
        if outcome.result or was_new:
            result = cover(record.hours_needed, record.available())
            short = f", {result.gap:,} short" if result.gap else ", no gap"
            messages.success(
                request,
                f"The staffing of {unit.name} for the week starting {week:%-d %B %Y} has been "
                f"saved: {result.covered:,} of {record.hours_needed:,} hours covered{short}.",
            )
        else:
            messages.info(request, "You did not change anything.")
        return redirect(f"{staffing_url}#week-{week.isoformat()}")
    current = None if record.pk is None else cover(record.hours_needed, record.available())
    return render(
        request,
        "probation/staffing_week.html",
        {
            "pdu": unit,
            "week": week,
            "record": record,
            "current": current,
            "rung_rows": [(r, getattr(record, r.field), current.taken[r.key]) for r in RUNGS]
            if current
            else [],
            "form": outcome.form,
            "stale": outcome.stale,
            "breadcrumbs": crumbs,
        },
    )


def _picture_context(request, picture) -> dict:
    return {
        "picture": picture,
        "rungs": RUNGS,
        "week_start": picture.week_start,
        "this_week": queries.monday_of(queries.today()),
    }


@require_GET
def region_staffing(request, code: str):
    region = scoped_get_or_404(
        request.user,
        VIEW_STAFFING,
        OrganisationUnit.objects.filter(kind=UnitKind.PROBATION_REGION),
        code=code,
    )
    picture = queries.region_staffing(
        request.user, region, queries.week_asked(request.GET.get("week"))
    )
    crumbs = [_home()]
    if allows(request.user, VIEW_NATIONAL_STAFFING, region.parent):
        crumbs.append(("National staffing", reverse("probation:staffing-national")))
    elif allows(request.user, VIEW_STEPS, region):
        crumbs.append((region.name, reverse("probation:region", args=[region.code])))
    return render(
        request,
        "probation/staffing_region.html",
        {**_picture_context(request, picture), "region": region, "breadcrumbs": crumbs},
    )


@require_GET
@require_permission(VIEW_NATIONAL_STAFFING)
def national_staffing(request):
    # Held for the whole country: a viewer held at one region reads the region's page.
    nation = OrganisationUnit.objects.filter(kind=UnitKind.NATION).first()
    if nation is None or not allows(request.user, VIEW_NATIONAL_STAFFING, nation):
        raise PermissionDenied
    picture = queries.national_staffing(queries.week_asked(request.GET.get("week")))
    return render(
        request,
        "probation/staffing_national.html",
        {**_picture_context(request, picture), "breadcrumbs": [_home()]},
    )
