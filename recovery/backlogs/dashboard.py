"""What the backlog dashboards show: for each metric, its figures over the periods shown, the
running (latest) value, the weekly rate over the trend window, the projected clearance date (or
"not clearing") and the RAG against its target, grouped by backlog area with the areas at red
first.

- An **establishment's** dashboard reads its own current values live, not suppressed; the target
  is its Local Recovery Plan line's (and date), else the metric's national target.
- A **group's** and the **nation's** dashboards read the figures of a release (see
  `release_figures`), against the national target; outside one establishment, small counts are
  suppressed (`suppressed`).

Reads only: a fixed number of queries whatever the number of metrics, periods or
establishments."""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from recovery.backlogs.aggregates import NATION, Figure, aggregate
from recovery.backlogs.constants import BacklogArea, Direction, MetricUnit, Rag
from recovery.backlogs.figures import Projection, projection, rag, trend
from recovery.backlogs.models import LrpLine, Metric, Release, ReturnSettings, ReturnValue
from recovery.backlogs.periods import period_start_of, periods_back, previous_period
from recovery.backlogs.queries import metrics_reported_by
from recovery.backlogs.releases import figures_as_at, is_suppressed
from recovery.core.constants import UnitKind
from recovery.estate.constants import EstablishmentStatus
from recovery.estate.models import Establishment, OrganisationUnit

SPANS = (13, 26, 52, 104)  # periods a dashboard can show
DEFAULT_SPAN = 26
RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.NONE: 3}
AREA_ORDER = {value: index for index, value in enumerate(BacklogArea.values)}
COUNTED_UNITS = {MetricUnit.PEOPLE, MetricUnit.CASES}


@dataclass(frozen=True)
class Point:
    """One period's figure as shown: `value` None when nobody reported (or it is suppressed,
    then `shown` says "fewer than N")."""

    period: datetime.date
    value: Decimal | None
    shown: str
    reporting: int | None = None
    expected: int | None = None
    suppressed: bool = False


@dataclass
class MetricLine:
    metric: Metric
    points: list[Point]
    latest: Point | None
    rate_per_week: float | None
    rate_points: int
    projection: Projection
    target: Decimal | None
    target_date: datetime.date | None
    target_source: str  # "local plan", "national target" or ""
    rag: str
    where: str  # the establishment, group or nation, for the chart's words
    window: int
    slug: str = ""  # tells apart lines of the same metric on one page (the comparison)

    @property
    def key(self) -> str:
        return f"metric-{self.metric.code}" + (f"-{self.slug}" if self.slug else "")

    @property
    def unit_label(self) -> str:
        return MetricUnit(self.metric.unit).label

    @property
    def rag_label(self) -> str:
        return Rag(self.rag).label

    @property
    def rate_text(self) -> str:
        if self.rate_per_week is None:
            return "Not enough figures"
        rate = round(self.rate_per_week, 1)
        if rate == 0:
            return "Flat"
        word = "Rising" if rate > 0 else "Falling"
        return f"{word} by {number_text(abs(rate))} {self.unit_label} a week"

    @property
    def clearance_text(self) -> str:
        if self.latest is None or self.latest.value is None:
            return "No figure"
        if self.target is None and self.metric.direction == Direction.HIGHER:
            return "No target"
        if self.projection.cleared:
            return "At or better than target" if self.target is not None else "Cleared"
        if self.projection.clears_on is None:
            return "Not clearing"
        return f"{self.projection.clears_on:%-d %B %Y}"

    @property
    def latest_text(self) -> str:
        return self.latest.shown if self.latest else "No figure"

    @property
    def target_text(self) -> str:
        if self.target is None:
            return "None set"
        text = f"{number_text(self.target)} {self.unit_label}".replace(" %", "%")
        if self.target_date:
            text += f" by {self.target_date:%-d %B %Y}"
        return text

    @property
    def description(self) -> str:
        """The trend in words, for the chart's <desc>."""
        if self.latest is None:
            return f"No figures of {self.metric.name} for {self.where} in these periods."
        words = [
            f"Latest figure {self.latest.shown} {self.unit_label} in the period from "
            f"{self.latest.period:%-d %B %Y}".replace(" % ", "% ")
        ]
        if self.rate_per_week is not None:
            words.append(
                f"{self.rate_text.lower()} over the last {self.rate_points} periods"
                if self.rate_text != "Flat"
                else f"flat over the last {self.rate_points} periods"
            )
        words.append(f"target {self.target_text.lower()}")
        clearance = self.clearance_text
        if clearance[0].isdigit():
            words.append(f"projected to clear by {clearance}")
        else:
            words.append(clearance.lower())
        words.append(f"RAG {self.rag_label.lower()}")
        return "; ".join(words) + ". The same figures are in the table below."


@dataclass
class AreaBlock:
    area: str
    lines: list[MetricLine]

    @property
    def label(self) -> str:
        return BacklogArea(self.area).label

    @property
    def worst(self) -> str:
        return min((line.rag for line in self.lines), key=RAG_ORDER.get, default=Rag.NONE)


@dataclass
class Dashboard:
    title: str
    where: str
    periods: list[datetime.date]
    areas: list[AreaBlock]
    settings: ReturnSettings
    release: Release | None = None
    live: bool = True
    suppressed_outside: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def lines(self) -> list[MetricLine]:
        return [line for block in self.areas for line in block.lines]

    @property
    def latest_period(self) -> datetime.date | None:
        return self.periods[-1] if self.periods else None


def number_text(value) -> str:
    """12, 12.5, 1,234.25: no trailing zeros, thousands separated."""
    if value is None:
        return "–"
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():,f}"


def last_complete_period(settings: ReturnSettings, today: datetime.date | None = None):
    """The latest period that has ended: the one whose returns are in or due."""
    return previous_period(period_start_of(today or timezone.localdate(), settings), settings)


def span_of(value) -> int:
    try:
        span = int(value)
    except (TypeError, ValueError):
        return DEFAULT_SPAN
    return span if span in SPANS else DEFAULT_SPAN


# --- Suppression ------------------------------------------------------------------------------


def suppressed(value: Decimal | None, metric: Metric, settings: ReturnSettings) -> bool:
    """Outside the establishment, a count of people or cases from 1 to threshold - 1 could
    identify someone: it is shown as "fewer than <threshold>". The releases module's rule is
    used when it is there (one rule for releases, exports and these pages)."""
    return is_suppressed(value, metric, settings)


def point(
    period: datetime.date,
    value: Decimal | None,
    metric: Metric,
    settings: ReturnSettings,
    *,
    suppress: bool,
    reporting: int | None = None,
    expected: int | None = None,
    already_suppressed: bool = False,
) -> Point:
    if already_suppressed or (suppress and suppressed(value, metric, settings)):
        return Point(
            period,
            None,
            f"fewer than {settings.suppression_threshold}",
            reporting,
            expected,
            True,
        )
    shown = "No figure" if value is None else number_text(value)
    return Point(period, value, shown, reporting, expected)


# --- Lines and dashboards ---------------------------------------------------------------------


def metric_line(
    metric: Metric,
    points: list[Point],
    settings: ReturnSettings,
    *,
    where: str,
    target: Decimal | None,
    target_date: datetime.date | None,
    target_source: str,
    true_values: dict[datetime.date, Decimal] | None = None,
) -> MetricLine:
    """A metric's line: the rate over the trend window, the projection and the RAG, from
    `true_values` (an establishment's own values, which may reach back before the periods
    shown) or else from the figures shown, so that a suppressed count cannot be worked back
    from the rate."""
    values = true_values or {p.period: p.value for p in points if p.value is not None}
    series = sorted((day, value) for day, value in values.items() if value is not None)
    shown = [p for p in points if p.value is not None or p.suppressed]
    latest = shown[-1] if shown else None
    found = trend(series[-settings.trend_window :], settings.trend_window)
    last = series[-1] if series else None
    goal = target
    if goal is None and metric.direction == Direction.HIGHER:
        outlook = Projection(False, None)
    else:
        outlook = projection(last, found.rate_per_week, goal, metric.direction)
    status = rag(
        last[1] if last else None,
        outlook,
        target,
        target_date,
        metric.direction,
        amber_weeks=metric.amber_weeks,
        amber_percent=metric.amber_percent,
    )
    return MetricLine(
        metric=metric,
        points=points,
        latest=latest,
        rate_per_week=found.rate_per_week,
        rate_points=found.points,
        projection=outlook,
        target=target,
        target_date=target_date,
        target_source=target_source,
        rag=status,
        where=where,
        window=settings.trend_window,
    )


def by_area(lines: Iterable[MetricLine]) -> list[AreaBlock]:
    """Lines grouped by backlog area; areas with a red line first, then amber, green, none (in
    the guide's order within each); within an area, red lines first."""
    blocks: dict[str, list[MetricLine]] = {}
    for line in lines:
        blocks.setdefault(line.metric.area, []).append(line)
    ordered = [
        AreaBlock(area, sorted(found, key=lambda line: RAG_ORDER[line.rag]))
        for area, found in blocks.items()
    ]
    ordered.sort(key=lambda block: (RAG_ORDER[block.worst], AREA_ORDER.get(block.area, 99)))
    return ordered


def rag_counts(lines: Iterable[MetricLine]) -> dict[str, int]:
    counts = {value: 0 for value in RAG_ORDER}
    for line in lines:
        counts[line.rag] += 1
    return counts


def establishment_dashboard(
    establishment: Establishment,
    *,
    span: int = DEFAULT_SPAN,
    metrics: list[Metric] | None = None,
    settings: ReturnSettings | None = None,
) -> Dashboard:
    """The establishment's own figures, live and not suppressed, against its plan's targets."""
    settings = settings or ReturnSettings.current()
    metrics = (
        metrics if metrics is not None else metrics_reported_by(establishment, standard_only=False)
    )
    periods = periods_back(last_complete_period(settings), span, settings)
    window_start = min(periods[0], periods_back(periods[-1], settings.trend_window, settings)[0])
    values: dict[int, dict[datetime.date, Decimal]] = {m.pk: {} for m in metrics}
    for metric_id, period, value in ReturnValue.objects.filter(
        establishment=establishment,
        current=True,
        metric__in=metrics,
        period_start__gte=window_start,
        period_start__lte=periods[-1],
    ).values_list("metric_id", "period_start", "value"):
        values[metric_id][period] = value
    plans = {
        line.metric_id: line
        for line in LrpLine.objects.filter(establishment=establishment, metric__in=metrics)
    }
    lines = []
    for metric in metrics:
        plan = plans.get(metric.pk)
        target, target_date, source = _target(metric, plan)
        own = values[metric.pk]
        points = [point(p, own.get(p), metric, settings, suppress=False) for p in periods]
        lines.append(
            metric_line(
                metric,
                points,
                settings,
                where=establishment.name,
                target=target,
                target_date=target_date,
                target_source=source,
                true_values=own,
            )
        )
    return Dashboard(
        title=f"Backlogs at {establishment.name}",
        where=establishment.name,
        periods=periods,
        areas=by_area(lines),
        settings=settings,
        counts=rag_counts(lines),
    )


def _target(metric: Metric, plan: LrpLine | None):
    if plan is not None and plan.target_value is not None:
        return plan.target_value, plan.target_date, "local plan"
    if metric.national_target is not None:
        return metric.national_target, None, "national target"
    return None, None, ""


# --- Figures of a release ---------------------------------------------------------------------


def chosen_release(number) -> Release | None:
    """The release asked for (`?release=N`), else the latest; None when none is published (the
    page then shows live figures). Raises Release.DoesNotExist for a number never published."""
    if number not in (None, ""):
        return Release.objects.get(number=int(number))
    return Release.objects.order_by("-number").first()


def release_figures(
    release: Release | None, unit, metrics: list[Metric], periods: list[datetime.date]
) -> dict[tuple[int, datetime.date], tuple[Figure, bool]]:
    """The figures of the nation or a prison group (`unit`) for each (metric, period): as
    published in `release` (the latest figure of each period in a release up to it), read
    through `recovery.backlogs.releases.figures_as_at` when that module is there; else live,
    added up now by `aggregate()`. Each with whether the release suppressed it."""
    if release is not None:
        found = figures_as_at(release, unit, metrics, periods)
        return {key: _as_figure(figure) for key, figure in found.items()}
    return _live_figures(unit, metrics, periods)


LIVE_CACHE_SECONDS = 3600


def _live_figures(unit, metrics: list[Metric], periods: list[datetime.date]):
    """Figures added up now by `aggregate()`, kept in the cache under a stamp of everything
    they are made of: the newest return value (values are never changed in place nor deleted;
    a correction is a new row), the estate's units (each edit, an establishment closing or
    moving group, raises its version) and the catalogue. Any new figure or correction changes
    the stamp, so the next page adds up afresh; until then, pages read the kept figures rather
    than adding up 750,000 values again (docs/performance.md, "Backlogs: national figures")."""
    key = (
        "backlogs:live-figures:"
        + hashlib.sha256(
            repr(
                (
                    data_stamp(),
                    unit.pk,
                    [m.pk for m in metrics],
                    [p.isoformat() for p in periods],
                )
            ).encode()
        ).hexdigest()
    )
    found = cache.get(key)
    if found is None:
        found = _add_up(unit, metrics, periods)
        cache.set(key, found, LIVE_CACHE_SECONDS)
    return found


def data_stamp() -> tuple:
    quote = connection.ops.quote_name
    values = quote(ReturnValue._meta.db_table)
    units = quote(OrganisationUnit._meta.db_table)
    catalogue = quote(Metric._meta.db_table)
    rules = quote(ReturnSettings._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX(id) FROM {values}), "
            f"(SELECT COUNT(*) FROM {units}), (SELECT SUM(version) FROM {units}), "
            f"(SELECT COUNT(*) FROM {catalogue}), (SELECT SUM(version) FROM {catalogue}), "
            f"(SELECT SUM(version) FROM {rules})"
        )
        return tuple(cursor.fetchone())


def _add_up(unit, metrics: list[Metric], periods: list[datetime.date]):
    establishments = None
    if unit.kind != UnitKind.NATION:
        establishments = list(
            Establishment.objects.filter(parent=unit, status=EstablishmentStatus.OPEN).values_list(
                "pk", flat=True
            )
        )
    figures = aggregate(metrics, periods, establishments=establishments)
    return {
        (metric_id, period): (figure, False)
        for (metric_id, group, period), figure in figures.items()
        if group is NATION
    }


def _as_figure(figure) -> tuple[Figure, bool]:
    """A release's figure (a ReleaseFigure or a Figure) as a Figure and its suppression."""
    if isinstance(figure, Figure):
        return figure, False
    return (
        Figure(
            figure.value,
            getattr(figure, "establishments_reporting", 0),
            getattr(figure, "establishments_expected", 0),
        ),
        bool(getattr(figure, "suppressed", False)),
    )


def unit_dashboard(
    unit,
    *,
    release: Release | None,
    span: int = DEFAULT_SPAN,
    metrics: list[Metric] | None = None,
    settings: ReturnSettings | None = None,
) -> Dashboard:
    """The nation's or a prison group's figures of a release, against the national targets,
    small counts suppressed."""
    settings = settings or ReturnSettings.current()
    metrics = (
        metrics
        if metrics is not None
        else list(Metric.objects.filter(active=True).order_by("order", "name"))
    )
    latest = release.period_start if release is not None else last_complete_period(settings)
    periods = periods_back(latest, span, settings)
    figures = release_figures(release, unit, metrics, periods)
    where = "England and Wales" if unit.kind == UnitKind.NATION else unit.name
    lines = []
    for metric in metrics:
        points = []
        for p in periods:
            figure, hidden = figures.get((metric.pk, p), (Figure(None, 0, 0), False))
            points.append(
                point(
                    p,
                    figure.value,
                    metric,
                    settings,
                    suppress=True,
                    reporting=figure.reporting,
                    expected=figure.expected,
                    already_suppressed=hidden,
                )
            )
        target = metric.national_target
        lines.append(
            metric_line(
                metric,
                points,
                settings,
                where=where,
                target=target,
                target_date=None,
                target_source="national target" if target is not None else "",
            )
        )
    return Dashboard(
        title=f"Backlogs in {where}",
        where=where,
        periods=periods,
        areas=by_area(lines),
        settings=settings,
        release=release,
        live=release is None,
        suppressed_outside=True,
        counts=rag_counts(lines),
    )
