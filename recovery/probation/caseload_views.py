"""Caseload and allocation pages: the PDUs' caseload figures, a PDU's caseload, its import, the
allocation of its next wave (preview, then confirm), a wave and its review; the probation
centre's national import and national allocation, run as background jobs, and a job's progress
page (refreshing without JavaScript while it runs). Reads from caseload_queries.py, writes
through the actions; a PDU, wave or job outside the person's scope answers 404."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recovery.core.constants import UnitKind
from recovery.core.errors import DomainError, InvalidUpload
from recovery.core.forms import add_domain_error
from recovery.core.jobs import label_of, run_job
from recovery.core.models import Job
from recovery.core.problem_report import problem_context, problem_download
from recovery.core.scope import allows
from recovery.core.uploads import read_upload_bytes
from recovery.core.views import require_permission, scoped_get_or_404
from recovery.core.xlsx import xlsx_response
from recovery.estate.models import OrganisationUnit
from recovery.probation import caseload_queries as queries
from recovery.probation import jobs
from recovery.probation.caseload import template_sheets
from recovery.probation.caseload_actions import (
    awaiting_review,
    do_allocate_wave,
    do_complete_review_tasks,
    do_import_caseload,
    do_review_wave,
    nothing_to_move,
    preview_wave,
)
from recovery.probation.caseload_constants import CATEGORY_SHORT, ContactMode
from recovery.probation.caseload_forms import CaseloadUploadForm, ReviewForm, WaveForm
from recovery.probation.caseload_models import AllocationWave
from recovery.probation.caseload_rules import (
    ALLOCATE_WAVE,
    IMPORT_CASELOAD,
    NATIONAL_CASELOAD,
    VIEW_CASELOAD,
)
from recovery.probation.queries import pdu_weekly_capacity

ACCEPT = ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JOB_KINDS = (jobs.import_national_caseload.job_kind, jobs.allocate_national.job_kind)


def _upload_hint() -> str:
    return (
        "An Excel workbook (.xlsx) or a CSV file (UTF-8) no larger than "
        f"{settings.MAX_UPLOAD_BYTES / (1024 * 1024):g} MB"
    )


def _pdu(request, code: str, permission: str) -> OrganisationUnit:
    return scoped_get_or_404(
        request.user,
        permission,
        OrganisationUnit.objects.filter(kind=UnitKind.PDU).select_related("parent"),
        code=code,
    )


def _wave(request, wave_id: int, permission: str) -> AllocationWave:
    return scoped_get_or_404(
        request.user,
        permission,
        AllocationWave.objects.select_related("pdu", "pdu__parent"),
        path_field="pdu__path",
        pk=wave_id,
    )


def _crumbs(request, pdu=None) -> list[tuple[str, str]]:
    crumbs = [("Home", reverse("home")), ("Caseloads", reverse("probation:caseloads"))]
    if pdu is not None:
        crumbs.append((f"{pdu.name}: caseload", reverse("probation:caseload", args=[pdu.code])))
    return crumbs


def _categories(plan) -> list[dict]:
    moved = plan.by_category()
    return [
        {"label": CATEGORY_SHORT[int(c)], **counts, "total": sum(counts.values())}
        for c, counts in moved.items()
    ]


@require_GET
@require_permission(VIEW_CASELOAD)
def caseloads(request):
    return render(
        request,
        "probation/caseloads.html",
        {
            "rows": queries.caseload_rows(request.user),
            "national": allows(request.user, NATIONAL_CASELOAD),
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


@require_GET
def caseload(request, code: str):
    pdu = _pdu(request, code, VIEW_CASELOAD)
    return render(
        request,
        "probation/caseload.html",
        {
            "pdu": pdu,
            "picture": queries.caseload_picture(pdu),
            "modes": [m.label for m in ContactMode],
            "weekly": pdu_weekly_capacity(pdu),
            "may_import": allows(request.user, IMPORT_CASELOAD, pdu),
            "may_allocate": allows(request.user, ALLOCATE_WAVE, pdu),
            "breadcrumbs": _crumbs(request),
        },
    )


@require_http_methods(["GET", "POST"])
def caseload_import(request, code: str):
    pdu = _pdu(request, code, IMPORT_CASELOAD)
    if (report := problem_download(request)) is not None:
        return report
    if request.GET.get("download") == "template":
        return xlsx_response(f"caseload-{pdu.code}.xlsx", template_sheets(pdu))
    form = CaseloadUploadForm(request.POST or None, request.FILES or None)
    shown = {}
    if request.method == "POST" and form.is_valid():
        try:
            summary = do_import_caseload(pdu, form.cleaned_data["file"], acting_user=request.user)
        except InvalidUpload as error:
            shown = problem_context(request, error)
            form.add_error("file", error.message)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, summary.describe())
            return redirect("probation:caseload", pdu.code)
    return render(
        request,
        "probation/caseload_import.html",
        {
            "pdu": pdu,
            "form": form,
            **shown,
            "accept": ACCEPT,
            "template_url": reverse("probation:caseload-import", args=[pdu.code])
            + "?download=template",
            "upload_hint": _upload_hint(),
            "breadcrumbs": _crumbs(request, pdu),
        },
    )


@require_http_methods(["GET", "POST"])
def allocation(request, code: str):
    pdu = _pdu(request, code, ALLOCATE_WAVE)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = WaveForm(data)
    limit = None
    if data is not None and form.is_valid():
        limit = form.cleaned_data["limit"]
    if request.method == "POST" and form.is_valid():
        try:
            wave = do_allocate_wave(pdu, limit=limit, acting_user=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"Wave {wave.number}: {wave.moved:,} cases move to face-to-face supervision. "
                f"Review it on or after {wave.review_due_on:%-d %B %Y}.",
            )
            return redirect("probation:wave", wave.pk)
    waiting = awaiting_review(pdu)
    plan = preview_wave(pdu, limit=limit)
    return render(
        request,
        "probation/caseload_allocate.html",
        {
            "pdu": pdu,
            "form": form,
            "plan": plan,
            "categories": _categories(plan),
            "waiting": waiting,
            "blocked": nothing_to_move(plan) if not plan.moves else "",
            "breadcrumbs": _crumbs(request, pdu),
        },
    )


@require_GET
def wave(request, wave_id: int):
    found = _wave(request, wave_id, VIEW_CASELOAD)
    return render(
        request,
        "probation/caseload_wave.html",
        {
            "wave": found,
            **queries.wave_detail(found),
            "categories": [
                {"label": CATEGORY_SHORT[int(c)], **counts, "total": sum(counts.values())}
                for c, counts in sorted(found.moved_by_category.items())
            ],
            "may_review": allows(request.user, ALLOCATE_WAVE, found),
            "breadcrumbs": _crumbs(request, found.pdu),
        },
    )


@require_http_methods(["GET", "POST"])
def wave_review(request, wave_id: int):
    found = _wave(request, wave_id, ALLOCATE_WAVE)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_review_wave(found, notes=form.cleaned_data["notes"], acting_user=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, f"Wave {found.number} has been reviewed: the next wave may be made."
            )
            return redirect("probation:caseload", found.pdu.code)
    return render(
        request,
        "probation/caseload_review.html",
        {"wave": found, "form": form, "breadcrumbs": _crumbs(request, found.pdu)},
    )


@require_POST
def wave_tasks(request, wave_id: int):
    found = _wave(request, wave_id, ALLOCATE_WAVE)
    try:
        done = do_complete_review_tasks(found, acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{done:,} plan reviews recorded as done.")
    return redirect("probation:wave", found.pk)


def _nation() -> OrganisationUnit:
    return OrganisationUnit.objects.get(kind=UnitKind.NATION)


@require_http_methods(["GET", "POST"])
@require_permission(NATIONAL_CASELOAD)
def caseload_national_import(request):
    if request.GET.get("download") == "template":
        return xlsx_response("caseload-national.xlsx", template_sheets())
    form = CaseloadUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = read_upload_bytes(upload)
        except InvalidUpload as error:
            form.add_error("file", error.problems[0].reason)
        else:
            started = run_job(
                jobs.import_national_caseload,
                acting_user=request.user,
                unit=_nation(),
                payload=data,
                file_name=upload.name or "",
            )
            return redirect("probation:job", started.pk)
    return render(
        request,
        "probation/caseload_national_import.html",
        {
            "form": form,
            "accept": ACCEPT,
            "template_url": reverse("probation:caseload-national-import") + "?download=template",
            "upload_hint": _upload_hint(),
            "breadcrumbs": _crumbs(request),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(NATIONAL_CASELOAD)
def allocation_national(request):
    if request.method == "POST":
        started = run_job(jobs.allocate_national, acting_user=request.user, unit=_nation())
        return redirect("probation:job", started.pk)
    rows = queries.caseload_rows(request.user)
    return render(
        request,
        "probation/caseload_national_allocate.html",
        {
            "pdus": len(rows),
            "awaiting": sum(1 for r in rows if r.awaiting_review),
            "cases": sum(r.cases for r in rows),
            "breadcrumbs": _crumbs(request),
        },
    )


@require_GET
def job(request, job_id: int):
    found = scoped_get_or_404(
        request.user,
        VIEW_CASELOAD,
        Job.objects.filter(kind__in=JOB_KINDS).select_related("unit"),
        path_field="unit__path",
        pk=job_id,
    )
    return render(
        request,
        "probation/caseload_job.html",
        {
            "job": found,
            "label": label_of(found.kind),
            "refresh": not found.finished,
            "breadcrumbs": _crumbs(request),
        },
    )
