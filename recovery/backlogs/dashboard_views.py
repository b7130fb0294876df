"""The backlog dashboards: an establishment's (its own figures, live), a prison group's and the
nation's (the figures of a release), a metric's page at an establishment, and the comparison of
establishments on one metric; every table also as .xlsx and CSV (`?format=xlsx|csv`). Reads come
from dashboard.py; a page naming something outside the person's scope answers 404."""

import hashlib
from dataclasses import replace

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from recovery.backlogs.dashboard import (
    DEFAULT_SPAN,
    SPANS,
    Dashboard,
    chosen_release,
    data_stamp,
    establishment_dashboard,
    last_complete_period,
    metric_line,
    point,
    span_of,
    unit_dashboard,
)
from recovery.backlogs.models import LrpLine, Metric, Release, ReturnSettings, ReturnValue
from recovery.backlogs.periods import periods_back
from recovery.backlogs.rules import VIEW_BACKLOGS, VIEW_GROUP_BACKLOGS, VIEW_NATIONAL_BACKLOGS
from recovery.core.constants import UnitKind
from recovery.core.scope import matching_scopes, unit_filter
from recovery.core.views import require_permission, scoped_get_or_404
from recovery.core.xlsx import Sheet, csv_response, xlsx_response
from recovery.estate.constants import EstablishmentStatus
from recovery.estate.models import Establishment, OrganisationUnit

SUMMARY_HEADERS = [
    "Area",
    "Metric",
    "Unit",
    "Latest period",
    "Latest figure",
    "Rate a week",
    "Projected clearance",
    "Target",
    "Target from",
    "RAG",
]


def _summary_rows(dashboard: Dashboard):
    for block in dashboard.areas:
        for line in block.lines:
            yield [
                block.label,
                line.metric.name,
                line.unit_label,
                line.latest.period if line.latest else None,
                line.latest_text,
                round(line.rate_per_week, 2) if line.rate_per_week is not None else None,
                line.clearance_text,
                line.target_text,
                line.target_source,
                line.rag_label,
            ]


def _figure_rows(dashboard: Dashboard, reporting: bool):
    for line in dashboard.lines:
        for p in line.points:
            row = [
                line.metric.name,
                line.unit_label,
                p.period,
                p.shown if p.value is None else p.value,
            ]
            if reporting:
                row += [p.reporting, p.expected]
            yield row


def _source_line(dashboard: Dashboard) -> str:
    if dashboard.release is not None:
        return (
            f"Release {dashboard.release.number}, published "
            f"{dashboard.release.published_at:%-d %B %Y}"
        )
    return "Live figures (no release published)"


def _export(request, dashboard: Dashboard, filename: str, *, reporting: bool):
    """The dashboard's tables as .xlsx (a sheet each, and one saying where they come from) or
    one of them as CSV (`table=summary|figures`)."""
    figure_headers = ["Metric", "Unit", "Period starting", "Figure"]
    if reporting:
        figure_headers += ["Establishments reporting", "Establishments expected"]
    summary = Sheet("Summary", SUMMARY_HEADERS, _summary_rows(dashboard))
    figures = Sheet("Figures", figure_headers, _figure_rows(dashboard, reporting))
    about = Sheet(
        "About",
        ["Figures of", "Source", "Periods from", "Periods to"],
        [[dashboard.where, _source_line(dashboard), dashboard.periods[0], dashboard.periods[-1]]],
    )
    if request.GET.get("format") == "csv":
        chosen = figures if request.GET.get("table") == "figures" else summary
        return csv_response(f"{filename}-{chosen.title.lower()}.csv", chosen)
    return xlsx_response(f"{filename}.xlsx", [summary, figures, about])


def _areas_html(dashboard: Dashboard, context: dict) -> str:
    return render_to_string("backlogs/_dashboard_areas.html", {"dashboard": dashboard, **context})


def _page(
    request,
    dashboard: Dashboard,
    *,
    filename: str,
    reporting: bool,
    context: dict,
    areas_html: str | None = None,
):
    if request.GET.get("format") in ("xlsx", "csv"):
        return _export(request, dashboard, filename, reporting=reporting)
    if areas_html is None:
        areas_html = _areas_html(dashboard, {"reporting": reporting, **context})
    return render(
        request,
        "backlogs/dashboard.html",
        {
            "dashboard": dashboard,
            "source": _source_line(dashboard),
            "reporting": reporting,
            "spans": SPANS,
            "span": len(dashboard.periods),
            "areas_html": mark_safe(areas_html),  # rendered from our template  # noqa: S308
            "releases": list(Release.objects.order_by("-number")[:52])
            if not dashboard.live or context.get("unit") is not None
            else [],
            **context,
        },
    )


def _establishment(request, code: str) -> Establishment:
    return scoped_get_or_404(
        request.user, VIEW_BACKLOGS, Establishment.objects.select_related("parent"), code=code
    )


@require_GET
def establishment(request, code: str):
    site = _establishment(request, code)
    dashboard = establishment_dashboard(site, span=span_of(request.GET.get("periods")))
    return _page(
        request,
        dashboard,
        filename=f"backlogs-{site.code}",
        reporting=False,
        context={"establishment": site, "unit": None},
    )


def _release_or_404(request) -> Release | None:
    try:
        return chosen_release(request.GET.get("release"))
    except (Release.DoesNotExist, ValueError) as error:
        raise Http404("No such release") from error


@require_GET
def group(request, code: str):
    unit = scoped_get_or_404(
        request.user,
        VIEW_GROUP_BACKLOGS,
        OrganisationUnit.objects.filter(kind=UnitKind.PRISON_GROUP),
        code=code,
    )
    return _unit_page(request, unit, filename=f"backlogs-{unit.code}")


@require_GET
def national(request):
    nation = scoped_get_or_404(
        request.user,
        VIEW_NATIONAL_BACKLOGS,
        OrganisationUnit.objects.filter(kind=UnitKind.NATION),
        parent__isnull=True,
    )
    return _unit_page(request, nation, filename="backlogs-national")


PAGE_CACHE_SECONDS = 3600


def _unit_page(request, unit, *, filename: str):
    """A group's or the nation's dashboard. Its figures and their charts are the same for
    everyone who may open it, and change only with the data: the dashboard and its rendered
    areas are kept under the stamp of the data (`dashboard.data_stamp`), so a page read again
    adds nothing up and renders only its frame."""
    release = _release_or_404(request)
    span = span_of(request.GET.get("periods"))
    filename += f"-release-{release.number}" if release else ""
    context = {"unit": unit, "release": release}
    if request.GET.get("format") in ("xlsx", "csv"):
        dashboard = unit_dashboard(unit, release=release, span=span)
        return _export(request, dashboard, filename, reporting=True)
    key = (
        "backlogs:dashboard:"
        + hashlib.sha256(
            repr(
                (data_stamp(), timezone.localdate(), unit.pk, release.pk if release else None, span)
            ).encode()
        ).hexdigest()
    )
    kept = cache.get(key)
    if kept is None:
        dashboard = unit_dashboard(unit, release=release, span=span)
        areas_html = _areas_html(dashboard, {"reporting": True, **context})
        kept = (replace(dashboard, areas=[]), areas_html)
        cache.set(key, kept, PAGE_CACHE_SECONDS)
    dashboard, areas_html = kept
    return _page(
        request,
        dashboard,
        filename=filename,
        reporting=True,
        context=context,
        areas_html=areas_html,
    )


@require_GET
def metric(request, code: str, metric_code: str):
    """One metric at an establishment: its chart over up to two years, its figures with how
    many times each was corrected."""
    site = _establishment(request, code)
    chosen = get_object_or_404(Metric, code=metric_code, active=True)
    if not chosen.reported_by(site.establishment_type):
        raise Http404("This establishment does not report that metric")
    span = span_of(request.GET.get("periods") or 52)
    dashboard = establishment_dashboard(site, span=span, metrics=[chosen])
    line = dashboard.lines[0]
    revisions = {
        period: count
        for period, count in _revisions(site, chosen, dashboard.periods[0], dashboard.periods[-1])
    }
    plan = LrpLine.objects.filter(establishment=site, metric=chosen).first()
    if request.GET.get("format") in ("xlsx", "csv"):
        sheet = Sheet(
            chosen.name,
            ["Period starting", line.unit_label.capitalize(), "Revisions"],
            [[p.period, p.value, revisions.get(p.period, 0)] for p in line.points],
        )
        name = f"backlogs-{site.code}-{chosen.code}"
        if request.GET.get("format") == "csv":
            return csv_response(f"{name}.csv", sheet)
        return xlsx_response(f"{name}.xlsx", [sheet])
    return render(
        request,
        "backlogs/metric.html",
        {
            "establishment": site,
            "line": line,
            "plan": plan,
            "rows": [(p, revisions.get(p.period, 0)) for p in reversed(line.points)],
            "spans": SPANS,
            "span": span,
        },
    )


def _revisions(site, chosen, first, last):
    from django.db.models import Count

    return (
        ReturnValue.objects.filter(
            establishment=site, metric=chosen, period_start__gte=first, period_start__lte=last
        )
        .values("period_start")
        .annotate(n=Count("id"))
        .values_list("period_start", "n")
    )


# --- Comparison -------------------------------------------------------------------------------


def own_establishment_ids(user) -> set[int]:
    """Establishments where the person holds a role themselves: their own figures are not
    suppressed to them. Everyone else's small counts are."""
    return {
        s.unit_id
        for s in matching_scopes(user, VIEW_BACKLOGS)
        if s.unit_kind == UnitKind.ESTABLISHMENT
    }


@require_GET
@require_permission(VIEW_BACKLOGS)
def compare(request):
    """Any establishments in the person's scope side by side on one metric."""
    settings = ReturnSettings.current()
    in_scope = list(
        Establishment.objects.filter(
            unit_filter(request.user, VIEW_BACKLOGS), status=EstablishmentStatus.OPEN
        ).order_by("name")
    )
    metrics = list(Metric.objects.filter(active=True).order_by("order", "name"))
    chosen_metric = next((m for m in metrics if m.code == request.GET.get("metric")), None)
    asked = set(request.GET.getlist("establishments"))
    chosen_sites = [s for s in in_scope if s.code in asked]
    span = span_of(request.GET.get("periods"))
    lines, errors = [], {}
    if request.GET and chosen_metric is None:
        errors["metric"] = "Select a metric"
    if request.GET and not chosen_sites:
        errors["establishments"] = "Select at least one establishment"
    if chosen_metric is not None and chosen_sites:
        own = own_establishment_ids(request.user)
        periods = periods_back(last_complete_period(settings), span, settings)
        values = {
            (site_id, period): value
            for site_id, period, value in ReturnValue.objects.filter(
                current=True,
                metric=chosen_metric,
                establishment__in=chosen_sites,
                period_start__gte=periods[0],
                period_start__lte=periods[-1],
            ).values_list("establishment_id", "period_start", "value")
        }
        plans = {
            line.establishment_id: line
            for line in LrpLine.objects.filter(metric=chosen_metric, establishment__in=chosen_sites)
        }
        for site in chosen_sites:
            suppress = site.pk not in own
            points = [
                point(p, values.get((site.pk, p)), chosen_metric, settings, suppress=suppress)
                for p in periods
            ]
            plan = plans.get(site.pk)
            if plan is not None and plan.target_value is not None:
                target, target_date, source = plan.target_value, plan.target_date, "local plan"
            else:
                target, target_date = chosen_metric.national_target, None
                source = "national target" if target is not None else ""
            line = metric_line(
                chosen_metric,
                points,
                settings,
                where=site.name,
                target=target,
                target_date=target_date,
                target_source=source,
            )
            lines.append(line)
    if lines and request.GET.get("format") in ("xlsx", "csv"):
        sheet = Sheet(
            chosen_metric.name,
            ["Period starting", *[line.where for line in lines]],
            [
                [
                    p.period,
                    *[
                        line.points[i].shown
                        if line.points[i].value is None
                        else line.points[i].value
                        for line in lines
                    ],
                ]
                for i, p in enumerate(lines[0].points)
            ],
        )
        name = f"backlogs-compare-{chosen_metric.code}"
        if request.GET.get("format") == "csv":
            return csv_response(f"{name}.csv", sheet)
        return xlsx_response(f"{name}.xlsx", [sheet])
    for line, site in zip(lines, chosen_sites, strict=True):
        line.slug = site.code.lower()
    return render(
        request,
        "backlogs/compare.html",
        {
            "establishments": in_scope,
            "metrics": metrics,
            "chosen_metric": chosen_metric,
            "chosen_codes": {s.code for s in chosen_sites},
            "lines": lines,
            "errors": errors,
            "spans": SPANS,
            "span": span,
            "default_span": DEFAULT_SPAN,
            "rows": [
                (p.period, [line.points[i] for line in lines])
                for i, p in enumerate(lines[0].points)
            ]
            if lines
            else [],
            "threshold": settings.suppression_threshold,
        },
    )
