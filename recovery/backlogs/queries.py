"""Reads of the catalogue, Local Recovery Plans and returns, for the pages, the home page and
the API. Each runs a fixed number of queries whatever the length of an establishment's history.

A period's return is
- on time: first sent on or before its deadline (`deadline_days` after the period ends);
- late: first sent after the deadline;
- missing: not sent, and the deadline has passed;
- due: not sent, and the deadline has not passed yet."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from recovery.backlogs.constants import BacklogArea
from recovery.backlogs.models import LrpLine, Metric, Return, ReturnSettings, ReturnValue
from recovery.backlogs.periods import deadline_of, period_end, period_start_of, previous_period
from recovery.backlogs.rules import VIEW_BACKLOGS
from recovery.core.scope import unit_filter
from recovery.estate.constants import EstablishmentStatus
from recovery.estate.models import Establishment
from recovery.plans.queries import people_who_may_own  # noqa: F401 - the LRP's owners too

ON_TIME, LATE, MISSING, DUE = "on_time", "late", "missing", "due"
STATUS_LABELS = {ON_TIME: "On time", LATE: "Late", MISSING: "Missing", DUE: "Due"}
STATUS_COLOURS = {ON_TIME: "green", LATE: "orange", MISSING: "red", DUE: "blue"}
PERIODS_SHOWN = 26


def today() -> datetime.date:
    return timezone.localdate()


# --- The catalogue ------------------------------------------------------------------------------


def metrics_reported_by(
    establishment: Establishment, *, standard_only: bool = True
) -> list[Metric]:
    """The active metrics of the standard return (with `standard_only=False`, ad hoc ones too)
    that `establishment`'s type reports, in catalogue order (one query)."""
    metrics = Metric.objects.filter(active=True).order_by("order", "name")
    if standard_only:
        metrics = metrics.filter(standard=True)
    return [m for m in metrics if m.reported_by(establishment.establishment_type)]


@dataclass
class AreaOfMetrics:
    area: str
    label: str
    metrics: list = field(default_factory=list)


def by_area(metrics) -> list[AreaOfMetrics]:
    """`metrics` under the guide's 13 areas, in the guide's order; areas without any left out."""
    areas = {value: AreaOfMetrics(value, label) for value, label in BacklogArea.choices}
    for metric in metrics:
        areas[metric.area].metrics.append(metric)
    return [a for a in areas.values() if a.metrics]


def catalogue(*, retired: bool = True) -> list[AreaOfMetrics]:
    metrics = Metric.objects.select_related("weight_metric").order_by("order", "name")
    if not retired:
        metrics = metrics.filter(active=True)
    return by_area(metrics)


# --- Returns ------------------------------------------------------------------------------------


@dataclass
class PeriodStatus:
    period_start: datetime.date
    period_end: datetime.date
    deadline: datetime.date
    status: str
    submitted_at: datetime.datetime | None = None
    figures: int = 0

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self.status]


def _status(deadline: datetime.date, record: Return | None, on: datetime.date) -> str:
    if record is not None:
        sent = timezone.localtime(record.first_submitted_at).date()
        return ON_TIME if sent <= deadline else LATE
    return MISSING if on > deadline else DUE


def latest_period(
    on: datetime.date | None = None, settings: ReturnSettings | None = None
) -> datetime.date:
    """The period whose return is asked for now: the last one that has ended."""
    settings = settings or ReturnSettings.current()
    return previous_period(period_start_of(on or today(), settings), settings)


def return_statuses(
    establishment: Establishment,
    *,
    count: int = PERIODS_SHOWN,
    on: datetime.date | None = None,
) -> list[PeriodStatus]:
    """The last `count` periods that have ended, newest first, each with its return's status
    (two queries)."""
    settings = ReturnSettings.current()
    on = on or today()
    latest = latest_period(on, settings)
    step = datetime.timedelta(days=settings.period_days)
    first = settings.first_period_start
    if isinstance(first, str):
        first = datetime.date.fromisoformat(first)
    starts = [latest - step * k for k in range(count) if latest - step * k >= first]
    if not starts:
        return []
    records = {
        r.period_start: r
        for r in Return.objects.filter(
            establishment=establishment, period_start__gte=starts[-1], period_start__lte=latest
        ).only("period_start", "first_submitted_at")
    }
    figures: dict[datetime.date, int] = {}
    for period in ReturnValue.objects.filter(
        establishment=establishment,
        current=True,
        period_start__gte=starts[-1],
        period_start__lte=latest,
    ).values_list("period_start", flat=True):
        figures[period] = figures.get(period, 0) + 1
    rows = []
    for start in starts:
        record = records.get(start)
        deadline = deadline_of(start, settings)
        rows.append(
            PeriodStatus(
                period_start=start,
                period_end=period_end(start, settings),
                deadline=deadline,
                status=_status(deadline, record, on),
                submitted_at=record.first_submitted_at if record else None,
                figures=figures.get(start, 0),
            )
        )
    return rows


@dataclass
class SentFigure:
    metric: str  # the metric's code
    value: Decimal
    revision: int
    note: str


@dataclass
class PeriodReturn:
    """One period for the API: its status, its return's version (0: none) and its figures."""

    status: PeriodStatus
    version: int
    figures: list[SentFigure] = field(default_factory=list)


def period_returns(
    establishment: Establishment, *, count: int = PERIODS_SHOWN
) -> list[PeriodReturn]:
    """The last `count` periods that have ended, newest first, each with its return's version
    and current figures in catalogue order (four queries)."""
    statuses = return_statuses(establishment, count=count)
    if not statuses:
        return []
    within = {
        "period_start__gte": statuses[-1].period_start,
        "period_start__lte": statuses[0].period_start,
    }
    versions = dict(
        Return.objects.filter(establishment=establishment, **within).values_list(
            "period_start", "version"
        )
    )
    figures: dict[datetime.date, list[SentFigure]] = {}
    for period, code, value, revision, note in (
        ReturnValue.objects.filter(establishment=establishment, current=True, **within)
        .order_by("period_start", "metric__order", "metric__name")
        .values_list("period_start", "metric__code", "value", "revision", "note")
    ):
        figures.setdefault(period, []).append(SentFigure(code, value, revision, note))
    return [
        PeriodReturn(
            status=row,
            version=versions.get(row.period_start, 0),
            figures=figures.get(row.period_start, []),
        )
        for row in statuses
    ]


@dataclass
class ReturnDue:
    """The establishment home page's item: the return asked for now, and what became of it."""

    code: str
    period_start: datetime.date
    deadline: datetime.date
    status: str
    submitted_at: datetime.datetime | None
    missing_recently: int

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


def return_due(establishment: Establishment, *, on: datetime.date | None = None) -> ReturnDue:
    rows = return_statuses(establishment, count=12, on=on)
    on = on or today()
    if not rows:
        start = latest_period(on)
        return ReturnDue(establishment.code, start, deadline_of(start), DUE, None, 0)
    latest = rows[0]
    return ReturnDue(
        code=establishment.code,
        period_start=latest.period_start,
        deadline=latest.deadline,
        status=latest.status,
        submitted_at=latest.submitted_at,
        missing_recently=sum(1 for r in rows if r.status == MISSING),
    )


@dataclass
class FigureLine:
    """One metric on the return form: this period's figure (if sent), its revision, and last
    period's figure beside it."""

    metric: Metric
    value: Decimal | None
    revision: int
    previous: Decimal | None
    note: str = ""


@dataclass
class ReturnPage:
    establishment: Establishment
    period_start: datetime.date
    period_end: datetime.date
    deadline: datetime.date
    previous_start: datetime.date
    record: Return | None
    status: str
    lines: list[FigureLine]

    @property
    def version(self) -> int:
        return self.record.version if self.record else 0

    @property
    def areas(self) -> list[AreaOfMetrics]:
        grouped = by_area([line.metric for line in self.lines])
        by_metric = {line.metric.pk: line for line in self.lines}
        for area in grouped:
            area.metrics = [by_metric[m.pk] for m in area.metrics]
        return grouped


def return_page(
    establishment: Establishment, period_start: datetime.date, *, on: datetime.date | None = None
) -> ReturnPage:
    """Everything the return form of one period shows: four queries, however many periods and
    revisions the establishment has."""
    settings = ReturnSettings.current()
    metrics = metrics_reported_by(establishment)
    previous = previous_period(period_start, settings)
    record = Return.objects.filter(establishment=establishment, period_start=period_start).first()
    values = {
        (v.period_start, v.metric_id): v
        for v in ReturnValue.objects.filter(
            establishment=establishment,
            current=True,
            period_start__in=[period_start, previous],
        )
    }
    lines = []
    for metric in metrics:
        now = values.get((period_start, metric.pk))
        before = values.get((previous, metric.pk))
        lines.append(
            FigureLine(
                metric=metric,
                value=now.value if now else None,
                revision=now.revision if now else 0,
                previous=before.value if before else None,
                note=now.note if now else "",
            )
        )
    deadline = deadline_of(period_start, settings)
    return ReturnPage(
        establishment=establishment,
        period_start=period_start,
        period_end=period_end(period_start, settings),
        deadline=deadline,
        previous_start=previous,
        record=record,
        status=_status(deadline, record, on or today()),
        lines=lines,
    )


def figure_history(establishment: Establishment, metric: Metric, period_start: datetime.date):
    """Every revision of one figure, newest first."""
    return list(
        ReturnValue.objects.filter(
            establishment=establishment, metric=metric, period_start=period_start
        )
        .select_related("entered_by")
        .order_by("-revision")
    )


# --- Local Recovery Plans -----------------------------------------------------------------------


@dataclass
class PlanLine:
    metric: Metric
    line: LrpLine | None
    latest: Decimal | None = None


def plan_lines(establishment: Establishment) -> list[PlanLine]:
    """One line per metric the establishment reports, with its LRP line if written and the
    latest figure returned (three queries)."""
    metrics = metrics_reported_by(establishment)
    lines = {
        line.metric_id: line
        for line in LrpLine.objects.filter(establishment=establishment).select_related("owner")
    }
    latest: dict[int, Decimal] = {}
    for metric_id, value in (
        ReturnValue.objects.filter(establishment=establishment, current=True)
        .order_by("metric_id", "-period_start")
        .values_list("metric_id", "value")
    ):
        latest.setdefault(metric_id, value)
    return [PlanLine(m, lines.get(m.pk), latest.get(m.pk)) for m in metrics]


def lrp_line_of(establishment: Establishment, metric: Metric) -> LrpLine:
    """The establishment's line for `metric`, or a new unsaved one (version 1)."""
    found = LrpLine.objects.filter(establishment=establishment, metric=metric).first()
    return found or LrpLine(establishment=establishment, metric=metric)


# --- Who sees what ------------------------------------------------------------------------------


def establishments_in_scope(user) -> list[Establishment]:
    """Open establishments whose returns and plan `user` may read, by group and name."""
    return list(
        Establishment.objects.filter(unit_filter(user, VIEW_BACKLOGS))
        .filter(~Q(status=EstablishmentStatus.CLOSED))
        .select_related("parent")
        .order_by("parent__name", "name")
    )


def return_due_for(user, establishment: Establishment | None) -> ReturnDue | None:
    """The home page's item for the people who send the establishment's returns; None for
    anyone else."""
    from recovery.backlogs.rules import EDIT_RETURNS
    from recovery.core.scope import allows

    if establishment is None or not allows(user, EDIT_RETURNS, establishment):
        return None
    return return_due(establishment)
