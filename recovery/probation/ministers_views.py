"""The fortnightly report to ministers: every report (and the button that generates this
fortnight's), one report as a page with accessible tables, its PDF and its .xlsx. Every report
is national; a reader held at a region reads the national figures and their own region's rows.
Reads from recovery.probation.ministers, the one write through ministers_actions."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from recovery.core.constants import UnitKind
from recovery.core.errors import DomainError
from recovery.core.scope import allows, is_system, matching_scopes
from recovery.core.views import require_permission
from recovery.core.xlsx import xlsx_response
from recovery.probation.ministers import (
    ReportReading,
    demand,
    fortnight_of,
    readable_region_codes,
)
from recovery.probation.ministers_actions import do_generate_report, report_of_fortnight
from recovery.probation.ministers_exports import report_sheets
from recovery.probation.ministers_models import MinistersReport
from recovery.probation.ministers_rules import GENERATE_MINISTERS_REPORT, VIEW_MINISTERS_REPORTS

READER_UNIT_KINDS = {UnitKind.NATION, UnitKind.PROBATION_REGION}


def _reader(view):
    """403 unless the person reads reports at the nation or a probation region (a viewer held
    at a prison group holds the role, but no probation scope)."""

    @wraps(view)
    @require_permission(VIEW_MINISTERS_REPORTS)
    def wrapped(request, *args, **kwargs):
        scopes = matching_scopes(request.user, VIEW_MINISTERS_REPORTS)
        if not is_system(request.user) and not any(
            s.unit_kind in READER_UNIT_KINDS for s in scopes
        ):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _crumbs(*extra) -> list[tuple[str, str]]:
    return [
        ("Home", reverse("home")),
        ("Reports to ministers", reverse("probation:reports")),
        *extra,
    ]


def _reading(request, report: MinistersReport) -> ReportReading:
    return ReportReading.of(
        report.snapshot, readable_region_codes(request.user, VIEW_MINISTERS_REPORTS)
    )


@require_GET
@_reader
def reports(request):
    today = timezone.localdate()
    starts, ends = fortnight_of(today)
    rows = []
    for report in MinistersReport.objects.order_by("-fortnight_starts_on"):
        national = report.snapshot["national"]
        rows.append(
            {
                "report": report,
                "ends_on": fortnight_of(report.fortnight_starts_on)[1],
                "step": national["step"],
                "capacity": national["capacity"],
                "demand": demand(national),
            }
        )
    return render(
        request,
        "probation/ministers_reports.html",
        {
            "rows": rows,
            "current": report_of_fortnight(today),
            "starts_on": starts,
            "ends_on": ends,
            "may_generate": allows(request.user, GENERATE_MINISTERS_REPORT),
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


def _context(request, report: MinistersReport) -> dict:
    return {
        "report": report,
        "reading": _reading(request, report),
        "generated_at": timezone.localtime(report.generated_at),
    }


@require_GET
@_reader
def report(request, report_id: int):
    found = get_object_or_404(MinistersReport, pk=report_id)
    return render(
        request,
        "probation/ministers_report.html",
        {**_context(request, found), "breadcrumbs": _crumbs()},
    )


@require_GET
@_reader
def report_pdf(request, report_id: int):
    found = get_object_or_404(MinistersReport, pk=report_id)
    from recovery.core.pdf import pdf_response  # WeasyPrint loads only when a PDF is made

    return pdf_response(
        request,
        "probation/ministers_report_pdf.html",
        _context(request, found),
        f"report-to-ministers-{found.fortnight_starts_on.isoformat()}.pdf",
    )


@require_GET
@_reader
def report_xlsx(request, report_id: int):
    found = get_object_or_404(MinistersReport, pk=report_id)
    return xlsx_response(
        f"report-to-ministers-{found.fortnight_starts_on.isoformat()}.xlsx",
        report_sheets(found, _reading(request, found)),
    )


@require_POST
@require_permission(GENERATE_MINISTERS_REPORT)
def report_generate(request):
    try:
        made = do_generate_report(acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("probation:reports")
    messages.success(request, f"{made} generated.")
    return redirect("probation:report", made.pk)
