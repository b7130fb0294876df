"""Releases: national and group figures published for one period, at a fixed time after the
return deadline, and frozen, so that any past release reads the same whatever is corrected
later; and the small-number suppression rule applied to every figure shown outside the
establishment.

A release for period P is due `ReturnSettings.release_delay_hours` after the end of P's
deadline day. Publishing it freezes, for the nation and every prison group, each metric's
figure for P (from `aggregates.aggregate`: current values of open establishments at the moment
of publication, which is the release's `cutoff`). It also re-publishes, marked `revised`, the
figures of periods released before whose value (or count of establishments reporting) has
changed since they were last published: only the changed ones. The periods it checks are those
with a value entered since the previous release was cut (with a margin): a late return or a
correction is the only way a published figure changes.

`figures_as_at(release, unit, metrics, periods)` reads, for each metric and period, the latest
figure published in a release numbered up to the one asked for: one query whatever the number
of releases."""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from recovery.audit.actions import record_event
from recovery.backlogs.aggregates import NATION, aggregate
from recovery.backlogs.constants import Aggregation, MetricUnit
from recovery.backlogs.models import Metric, Release, ReleaseFigure, ReturnSettings, ReturnValue
from recovery.backlogs.periods import deadline_of, period_start_of, periods_back
from recovery.core.constants import UnitKind
from recovery.core.errors import DomainError
from recovery.core.scope import require
from recovery.estate.models import OrganisationUnit

log = logging.getLogger("recovery.backlogs.releases")

PUBLISH_RELEASES = "backlogs.publish_releases"  # registered in rules.py
# Units whose figures count people (or their cases): the ones small numbers could identify.
COUNTED_UNITS = frozenset({MetricUnit.PEOPLE, MetricUnit.CASES})
# A value entered this long before the previous release was cut may still have been committed
# after it was read; checking a period that did not change costs only time, never a figure.
REVISION_MARGIN = datetime.timedelta(minutes=10)


# --- Suppression ---------------------------------------------------------------------------


def is_suppressed(value, metric: Metric, settings: ReturnSettings) -> bool:
    """Whether `value` of `metric` is hidden outside the establishment: a count of people or
    cases (summed, not a mean) from 1 to threshold - 1. Zero and the threshold upwards are
    shown; a threshold of 0 switches suppression off."""
    value = getattr(value, "value", value)
    threshold = settings.suppression_threshold
    return bool(
        threshold
        and value is not None
        and metric.unit in COUNTED_UNITS
        and metric.aggregation == Aggregation.SUM
        and 0 < Decimal(value) < threshold
    )


def suppress(value, metric: Metric, settings: ReturnSettings):
    """What to show outside the establishment for `value` (a number, None, or a figure with a
    `.value`): the value itself, or the words "fewer than N" when the rule hides it. Pages and
    exports both show this."""
    if is_suppressed(value, metric, settings):
        return f"fewer than {settings.suppression_threshold}"
    return getattr(value, "value", value)


def suppression_rule(settings: ReturnSettings) -> str:
    """The rule in words, for the pages and exports that apply it."""
    if not settings.suppression_threshold:
        return "Small numbers are not suppressed: every figure is shown as it was returned."
    n = settings.suppression_threshold
    return (
        f"Counts of people or cases from 1 to {n - 1} are shown as “fewer than {n}”, so that "
        "nobody can be identified from a small number. Zero is shown, and so are counts of "
        f"{n} or more, hours, days, percentages and means. Establishments see their own figures "
        "in full."
    )


# --- When releases are due -----------------------------------------------------------------


def release_time(period_start: datetime.date, settings: ReturnSettings) -> datetime.datetime:
    """When the release of a period is due: the end of its return deadline day (local time)
    plus the release delay."""
    day_after = deadline_of(period_start, settings) + datetime.timedelta(days=1)
    end_of_deadline = timezone.make_aware(datetime.datetime.combine(day_after, datetime.time()))
    return end_of_deadline + datetime.timedelta(hours=settings.release_delay_hours)


def latest_due_period(now: datetime.datetime, settings: ReturnSettings) -> datetime.date:
    """The most recent period whose release time has come by `now`."""
    period = period_start_of(timezone.localdate(now), settings)
    step = datetime.timedelta(days=settings.period_days)
    while release_time(period, settings) > now:
        period -= step
    return period


def due_periods(
    now: datetime.datetime | None = None, settings: ReturnSettings | None = None
) -> list[datetime.date]:
    """Periods whose release is due and not yet published, oldest first: from the first period
    any return was made for up to the latest due."""
    settings = settings or ReturnSettings.current()
    now = now or timezone.now()
    first = ReturnValue.objects.aggregate(first=Min("period_start"))["first"]
    if first is None:
        return []
    first = period_start_of(first, settings)
    latest = latest_due_period(now, settings)
    if latest < first:
        return []
    count = (latest - first).days // settings.period_days + 1
    released = set(
        Release.objects.filter(period_start__gte=first).values_list("period_start", flat=True)
    )
    return [p for p in periods_back(latest, count, settings) if p not in released]


# --- Publishing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedFigure:
    """A figure as a release shows it: the latest published in that release or before."""

    metric_id: int
    unit_id: int
    period_start: datetime.date
    value: Decimal | None
    reporting: int
    expected: int
    suppressed: bool  # by the rule in force when it was published
    revised: bool  # published again by a later release than its period's own
    release_number: int  # the release that published it


def _period_words(period_start: datetime.date) -> str:
    return f"period from {period_start:%-d %B %Y}"


def national_unit() -> OrganisationUnit:
    return OrganisationUnit.objects.get(kind=UnitKind.NATION)


def do_publish_release(
    period_start: datetime.date, *, acting_user, at: datetime.datetime | None = None
) -> Release:
    """Publish the release of `period_start`: freeze its national and group figures, and the
    changed figures of periods released before. Refused if the period already has a release
    (so running the publisher twice publishes once). `at`: when it is published (now; the demo
    data loads past releases at their due time, which is then also their cutoff). The webhook,
    if set, is told after commit."""
    require(acting_user, PUBLISH_RELEASES, national_unit())
    settings = ReturnSettings.current()
    try:
        with transaction.atomic(durable=True):
            release = _publish(period_start, settings, at)
            record_event(
                acting_user=acting_user,
                action="backlogs.publish_release",
                obj=release,
                summary=f"Published release {release.number} ({_period_words(period_start)})",
                after={
                    "number": release.number,
                    "period_start": period_start.isoformat(),
                    "figures": release.new_figures,
                    "revised": release.revised_figures,
                },
            )
    except IntegrityError as error:
        # Another publisher got there first (the unique period or number).
        raise DomainError(f"The {_period_words(period_start)} is already released") from error
    from recovery.backlogs.webhooks import announce_release

    transaction.on_commit(lambda: announce_release(release))
    return release


def _publish(period_start: datetime.date, settings: ReturnSettings, at) -> Release:
    # One publisher at a time: the nation's row is the lock (it always exists), so two runs
    # at once take their turns and the second finds the period released.
    OrganisationUnit.objects.select_for_update().filter(kind=UnitKind.NATION).first()
    if Release.objects.filter(period_start=period_start).exists():
        raise DomainError(f"The {_period_words(period_start)} is already released")
    previous = Release.objects.order_by("-number").first()
    number = (Release.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    now = timezone.now()
    release = Release.objects.create(
        number=number, period_start=period_start, published_at=at or now, cutoff=at or now
    )
    metrics = list(Metric.objects.filter(active=True).select_related("weight_metric"))
    nation = national_unit()
    rows = _frozen_rows(release, metrics, [period_start], nation, settings, revised=False)

    changed_periods = _periods_to_check(previous, period_start)
    if changed_periods:
        earlier = [
            ReleaseFigure(
                release=release,
                metric_id=f.metric_id,
                unit_id=f.unit_id,
                period_start=f.period_start,
                value=f.value,
                establishments_reporting=f.reporting,
                establishments_expected=f.expected,
                suppressed=f.suppressed,
                revised=True,
            )
            for f in _changed_figures(previous, metrics, changed_periods, nation, settings)
        ]
        rows += earlier
    ReleaseFigure.objects.bulk_create(rows, batch_size=2000)
    release.new_figures = sum(1 for r in rows if not r.revised)
    release.revised_figures = sum(1 for r in rows if r.revised)
    return release


def _unit_id(key_unit, nation: OrganisationUnit) -> int:
    return nation.pk if key_unit is NATION else key_unit


def _frozen_rows(release, metrics, periods, nation, settings, *, revised: bool):
    by_id = {m.pk: m for m in metrics}
    return [
        ReleaseFigure(
            release=release,
            metric_id=metric_id,
            unit_id=_unit_id(unit, nation),
            period_start=period,
            value=figure.value,
            establishments_reporting=figure.reporting,
            establishments_expected=figure.expected,
            suppressed=is_suppressed(figure.value, by_id[metric_id], settings),
            revised=revised,
        )
        for (metric_id, unit, period), figure in aggregate(metrics, periods, groups=True).items()
    ]


def _periods_to_check(previous: Release | None, period_start) -> list[datetime.date]:
    """Released periods (other than this one) with a value entered since the previous release
    was read: the only periods whose published figures can have changed."""
    if previous is None:
        return []
    touched = set(
        ReturnValue.objects.filter(entered_at__gte=previous.cutoff - REVISION_MARGIN)
        .values_list("period_start", flat=True)
        .distinct()
    )
    released = set(
        Release.objects.filter(period_start__in=touched).values_list("period_start", flat=True)
    )
    return sorted(released - {period_start})


def _changed_figures(previous: Release, metrics, periods, nation, settings):
    """The figures of `periods` as they are now, where they differ from what was last published
    (in value or in who reported), as PublishedFigure rows to freeze again."""
    now = aggregate(metrics, periods, groups=True)
    units = {_unit_id(unit, nation) for (_, unit, _) in now}
    published = published_figures(previous, units, metrics, periods)
    by_id = {m.pk: m for m in metrics}
    changed = []
    for (metric_id, unit, period), figure in now.items():
        unit_id = _unit_id(unit, nation)
        before = published.get((metric_id, unit_id, period))
        if before is None and figure.reporting == 0:
            continue  # never published and still nothing to publish
        if before is not None and (before.value, before.reporting, before.expected) == (
            figure.value,
            figure.reporting,
            figure.expected,
        ):
            continue
        changed.append(
            PublishedFigure(
                metric_id=metric_id,
                unit_id=unit_id,
                period_start=period,
                value=figure.value,
                reporting=figure.reporting,
                expected=figure.expected,
                suppressed=is_suppressed(figure.value, by_id[metric_id], settings),
                revised=True,
                release_number=0,
            )
        )
    return changed


# --- Reading releases ----------------------------------------------------------------------


def latest_release() -> Release | None:
    return Release.objects.order_by("-number").first()


def release_numbered(number: int) -> Release | None:
    return Release.objects.filter(number=number).first()


def published_figures(
    release: Release,
    units: Iterable,
    metrics: Iterable,
    periods: Iterable[datetime.date] | None = None,
) -> dict[tuple[int, int, datetime.date], PublishedFigure]:
    """For each (metric id, unit id, period), the latest figure published in a release numbered
    up to `release.number`. `units` and `metrics`: objects or ids; `periods`: None for every
    period up to the release's own. One query."""
    unit_ids = [getattr(u, "pk", u) for u in units]
    metric_ids = [getattr(m, "pk", m) for m in metrics]
    rows = ReleaseFigure.objects.filter(
        release__number__lte=release.number, unit_id__in=unit_ids, metric_id__in=metric_ids
    )
    if periods is None:
        rows = rows.filter(period_start__lte=release.period_start)
    else:
        rows = rows.filter(period_start__in=list(periods))
    found: dict[tuple[int, int, datetime.date], PublishedFigure] = {}
    for row in rows.values_list(
        "metric_id",
        "unit_id",
        "period_start",
        "value",
        "establishments_reporting",
        "establishments_expected",
        "suppressed",
        "revised",
        "release__number",
    ).order_by("release__number"):
        found[(row[0], row[1], row[2])] = PublishedFigure(*row)  # later releases overwrite
    return found


def figures_as_at(
    release: Release,
    unit,
    metrics: Iterable,
    periods: Iterable[datetime.date] | None = None,
) -> dict[tuple[int, datetime.date], PublishedFigure]:
    """For one unit (the nation or a prison group; object or id): for each (metric id, period)
    the latest figure published in a release numbered up to `release.number`. One query."""
    unit_id = getattr(unit, "pk", unit)
    return {
        (metric_id, period): figure
        for (metric_id, _, period), figure in published_figures(
            release, [unit_id], metrics, periods
        ).items()
    }


def release_url(release: Release) -> str:
    return reverse("backlogs:release", args=[release.number])
