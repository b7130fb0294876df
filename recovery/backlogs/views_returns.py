"""Pages of the catalogue and settings (the centre), and of an establishment's Local Recovery
Plan and returns: the index of establishments in scope, the plan and its lines, the periods with
their status, the return form of a period, the upload and its template, and the history of one
figure. Reads come from queries.py, writes go through actions.py; a page naming an
establishment outside the person's scope answers 404."""

import datetime

from django.conf import settings as django_settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from recovery.backlogs import queries
from recovery.backlogs.actions import (
    ReturnRefused,
    do_enter_return,
    do_import_returns,
    do_retire_metric,
    do_save_lrp_line,
    do_save_metric,
    do_save_return_settings,
    period_problem,
    settings_row,
)
from recovery.backlogs.constants import MetricUnit
from recovery.backlogs.forms import (
    LrpLineForm,
    MetricForm,
    ReturnForm,
    ReturnSettingsForm,
    ReturnsUploadForm,
)
from recovery.backlogs.importer import template_sheets
from recovery.backlogs.models import Metric, ReturnSettings
from recovery.backlogs.rules import (
    EDIT_LRP,
    EDIT_RETURNS,
    MANAGE_CATALOGUE,
    VIEW_BACKLOGS,
)
from recovery.core.edits import edit_versioned
from recovery.core.errors import DomainError, InvalidUpload, StaleEditError
from recovery.core.forms import add_domain_error
from recovery.core.problem_report import problem_context, problem_download
from recovery.core.scope import allows
from recovery.core.views import require_permission, scoped_get_or_404
from recovery.core.xlsx import xlsx_response
from recovery.estate.models import Establishment


def _establishment(request, code: str, permission: str) -> Establishment:
    return scoped_get_or_404(
        request.user, permission, Establishment.objects.select_related("parent"), code=code
    )


def _crumbs(request, establishment: Establishment | None = None, *extra) -> list:
    crumbs = [("Home", reverse("home")), ("Backlogs", reverse("backlogs:index"))]
    if establishment is not None:
        crumbs.append((establishment.name, reverse("backlogs:returns", args=[establishment.code])))
    crumbs.extend(extra)
    return crumbs


def _catalogue_crumbs(request) -> list:
    return _crumbs(request, None, ("Metric catalogue", reverse("backlogs:catalogue")))


def _period(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise Http404("There is no such period") from error


# --- Index --------------------------------------------------------------------------------------


@require_GET
@require_permission(VIEW_BACKLOGS)
def index(request):
    establishments = queries.establishments_in_scope(request.user)
    return render(
        request,
        "backlogs/index.html",
        {
            "establishments": establishments,
            "may_manage": allows(request.user, MANAGE_CATALOGUE),
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


# --- The catalogue and the settings (the centre) ------------------------------------------------


@require_GET
@require_permission(MANAGE_CATALOGUE)
def catalogue(request):
    return render(
        request,
        "backlogs/catalogue.html",
        {"areas": queries.catalogue(), "breadcrumbs": _crumbs(request)},
    )


def _metric_page(request, metric: Metric, *, new: bool):
    outcome = edit_versioned(
        request,
        metric,
        form_class=MetricForm,
        action=do_save_metric,
        form_kwargs={"metric": metric},
    )
    if outcome.saved:
        if outcome.result or new:
            messages.success(request, f"The metric {metric.name} has been saved.")
        else:
            messages.info(request, "You did not change anything.")
        return redirect(reverse("backlogs:catalogue") + f"#{metric.area}")
    return render(
        request,
        "backlogs/catalogue_metric.html",
        {
            "metric": metric,
            "new": new,
            "form": outcome.form,
            "stale": outcome.stale,
            "breadcrumbs": _crumbs(
                request, None, ("Metric catalogue", reverse("backlogs:catalogue"))
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE_CATALOGUE)
def metric_new(request):
    return _metric_page(request, Metric(), new=True)


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE_CATALOGUE)
def metric_edit(request, metric_code: str):
    metric = get_object_or_404(Metric, code=metric_code)
    return _metric_page(request, metric, new=False)


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE_CATALOGUE)
def metric_retire(request, metric_code: str):
    metric = get_object_or_404(Metric, code=metric_code)
    stale = None
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            do_retire_metric(
                metric,
                expected_version=version,
                retire=metric.active,
                acting_user=request.user,
            )
        except StaleEditError as error:
            stale = error
            metric.refresh_from_db()
        else:
            messages.success(
                request,
                f"The metric {metric.name} has been "
                f"{'retired' if metric.active else 'brought back'}.",
            )
            return redirect(reverse("backlogs:catalogue") + f"#{metric.area}")
    return render(
        request,
        "backlogs/catalogue_retire.html",
        {
            "metric": metric,
            "stale": stale,
            "breadcrumbs": _crumbs(
                request, None, ("Metric catalogue", reverse("backlogs:catalogue"))
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@require_permission(MANAGE_CATALOGUE)
def return_settings(request):
    current = settings_row()
    outcome = edit_versioned(
        request, current, form_class=ReturnSettingsForm, action=do_save_return_settings
    )
    if outcome.saved:
        if outcome.result:
            messages.success(request, "The return settings have been saved.")
        else:
            messages.info(request, "You did not change anything.")
        return redirect("backlogs:settings")
    return render(
        request,
        "backlogs/settings.html",
        {
            "form": outcome.form,
            "stale": outcome.stale,
            "first_period_start": current.first_period_start,
            "breadcrumbs": _crumbs(request),
        },
    )


# --- The Local Recovery Plan --------------------------------------------------------------------


@require_GET
def plan(request, code: str):
    establishment = _establishment(request, code, VIEW_BACKLOGS)
    lines = queries.plan_lines(establishment)
    return render(
        request,
        "backlogs/lrp.html",
        {
            "establishment": establishment,
            "areas": _grouped(lines),
            "may_edit": allows(request.user, EDIT_LRP, establishment),
            "breadcrumbs": _crumbs(request, establishment),
        },
    )


def _grouped(lines):
    areas = queries.by_area([line.metric for line in lines])
    by_metric = {line.metric.pk: line for line in lines}
    for area in areas:
        area.metrics = [by_metric[m.pk] for m in area.metrics]
    return areas


@require_http_methods(["GET", "POST"])
def plan_line(request, code: str, metric_code: str):
    establishment = _establishment(request, code, EDIT_LRP)
    metric = get_object_or_404(Metric, code=metric_code, active=True)
    if not metric.reported_by(establishment.establishment_type):
        raise Http404(f"{establishment.name} does not report this metric")
    line = queries.lrp_line_of(establishment, metric)
    people = list(queries.people_who_may_own(establishment))
    outcome = edit_versioned(
        request,
        line,
        form_class=LrpLineForm,
        action=do_save_lrp_line,
        form_kwargs={"people": people},
        show_error=_lrp_error,
    )
    if outcome.saved:
        if outcome.result:
            messages.success(request, f"The plan's line for {metric.name} has been saved.")
        else:
            messages.info(request, "You did not change anything.")
        return redirect(reverse("backlogs:plan", args=[establishment.code]) + f"#{metric.code}")
    return render(
        request,
        "backlogs/lrp_line.html",
        {
            "establishment": establishment,
            "metric": metric,
            "unit": MetricUnit(metric.unit).label,
            "form": outcome.form,
            "stale": outcome.stale,
            "breadcrumbs": _crumbs(
                request,
                establishment,
                ("Local Recovery Plan", reverse("backlogs:plan", args=[establishment.code])),
            ),
        },
    )


LRP_ERROR_FIELDS = {"baseline_on": "baseline_day", "target_date": "target_day"}


def _lrp_error(form, error: DomainError) -> None:
    name = LRP_ERROR_FIELDS.get(error.field or "", error.field)
    form.add_error(name if name in form.fields else None, error.message)


# --- Returns ------------------------------------------------------------------------------------


@require_GET
def returns(request, code: str):
    establishment = _establishment(request, code, VIEW_BACKLOGS)
    show_all = request.GET.get("all") == "1"
    periods = queries.return_statuses(establishment, count=520 if show_all else 26)
    counts = {status: 0 for status in queries.STATUS_LABELS}
    for row in periods:
        counts[row.status] += 1
    return render(
        request,
        "backlogs/returns.html",
        {
            "establishment": establishment,
            "periods": periods,
            "counts": [(queries.STATUS_LABELS[s], n) for s, n in counts.items()],
            "show_all": show_all,
            "may_edit": allows(request.user, EDIT_RETURNS, establishment),
            "breadcrumbs": _crumbs(request),
        },
    )


@require_http_methods(["GET", "POST"])
def return_form(request, code: str, period_start: str):
    establishment = _establishment(request, code, EDIT_RETURNS)
    start = _period(period_start)
    settings = ReturnSettings.current()
    if period_problem(start, settings, today=queries.today()):
        raise Http404("There is no return for this period")
    page = queries.return_page(establishment, start)
    stale = None
    if request.method == "POST":
        form = ReturnForm(request.POST, lines=page.lines)
        if form.is_valid():
            try:
                write = do_enter_return(
                    establishment,
                    start,
                    form.values(),
                    expected_version=form.cleaned_data["version"],
                    acting_user=request.user,
                )
            except StaleEditError as error:
                stale = error
                page = queries.return_page(establishment, start)
                form = form.after_stale(page)
            except ReturnRefused as error:
                for problem in error.problems:
                    form.add_error(
                        problem.field if problem.field in form.fields else None, problem.message
                    )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                if write.added or write.corrected:
                    messages.success(
                        request,
                        f"The return for the week from {start:%-d %B %Y} has been saved: "
                        f"{write.added} figure{'s' if write.added != 1 else ''} sent, "
                        f"{write.corrected} corrected.",
                    )
                else:
                    messages.info(request, "You did not change any figure.")
                return redirect("backlogs:returns", code=establishment.code)
    else:
        form = ReturnForm.opened_on(page)
    rows = []
    for area in page.areas:
        rows.append((area, [(line, form[f"m{line.metric.pk}"]) for line in area.metrics]))
    return render(
        request,
        "backlogs/return.html",
        {
            "establishment": establishment,
            "page": page,
            "form": form,
            "areas": rows,
            "stale": stale,
            "status_label": queries.STATUS_LABELS[page.status],
            "breadcrumbs": _crumbs(request, establishment),
        },
    )


@require_GET
def figure_history(request, code: str, period_start: str, metric_code: str):
    establishment = _establishment(request, code, VIEW_BACKLOGS)
    start = _period(period_start)
    metric = get_object_or_404(Metric, code=metric_code)
    revisions = queries.figure_history(establishment, metric, start)
    return render(
        request,
        "backlogs/history.html",
        {
            "establishment": establishment,
            "metric": metric,
            "period_start": start,
            "revisions": revisions,
            "breadcrumbs": _crumbs(
                request,
                establishment,
                (
                    f"Week from {start:%-d %B %Y}",
                    reverse("backlogs:return", args=[establishment.code, start.isoformat()]),
                ),
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def upload(request, code: str):
    establishment = _establishment(request, code, EDIT_RETURNS)
    if (report := problem_download(request)) is not None:
        return report
    if request.GET.get("download") == "template":
        return xlsx_response(f"returns-{establishment.code}.xlsx", template_sheets(establishment))
    form = ReturnsUploadForm(request.POST or None, request.FILES or None)
    shown = {}
    if request.method == "POST" and form.is_valid():
        try:
            summary = do_import_returns(
                establishment, form.cleaned_data["file"], acting_user=request.user
            )
        except InvalidUpload as error:
            shown = problem_context(request, error)
            form.add_error("file", error.message)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, summary.describe())
            return redirect("backlogs:returns", code=establishment.code)
    return render(
        request,
        "backlogs/upload.html",
        {
            "establishment": establishment,
            "form": form,
            **shown,
            "template_url": reverse("backlogs:returns-upload", args=[establishment.code])
            + "?download=template",
            "upload_hint": "An Excel workbook (.xlsx) no larger than "
            f"{django_settings.MAX_UPLOAD_BYTES / (1024 * 1024):g} MB",
            "breadcrumbs": _crumbs(request, establishment),
        },
    )
