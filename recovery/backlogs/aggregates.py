"""Figures of many establishments added up: for a prison group or the nation, per metric and
period, from the current return values of open establishments.

Counts (`Aggregation.SUM`) are summed. Rates and per-person figures (`WEIGHTED_MEAN`) are means
weighted by the metric's weight metric at the same establishment and period (an establishment
without a weight that period is left out), or plain means of establishments when the metric has
no weight. Each figure says how many establishments reported it of how many are expected to
(open establishments of a type that reports the metric).

The database does the adding: a fixed number of queries whatever the size of the estate."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum

from recovery.backlogs.constants import Aggregation
from recovery.backlogs.models import Metric, ReturnValue
from recovery.estate.constants import EstablishmentStatus
from recovery.estate.models import Establishment

NATION = None  # the key of national figures in place of a group's id


@dataclass(frozen=True)
class Figure:
    value: Decimal | None
    reporting: int
    expected: int


Key = tuple[int, int | None, datetime.date]  # (metric id, group id or NATION, period start)


def aggregate(
    metrics: Iterable[Metric],
    periods: Iterable[datetime.date],
    *,
    groups: bool = False,
    establishments: Iterable[int] | None = None,
) -> dict[Key, Figure]:
    """National figures (key group NATION) and, with `groups`, each prison group's, for every
    metric and period asked for. `establishments` limits the estate (ids), e.g. to one group."""
    metrics = list(metrics)
    periods = list(periods)
    sites = Establishment.objects.filter(status=EstablishmentStatus.OPEN)
    if establishments is not None:
        sites = sites.filter(pk__in=list(establishments))
    site_rows = list(sites.values_list("pk", "parent_id", "establishment_type"))
    site_ids = [pk for pk, _, _ in site_rows]

    sums: dict[Key, list] = defaultdict(lambda: [Decimal(0), Decimal(0), 0])  # num, den, n
    values = ReturnValue.objects.filter(
        current=True, period_start__in=periods, establishment_id__in=site_ids
    )
    by = ["metric_id", "period_start"] + (["establishment__parent_id"] if groups else [])

    summed = [m.pk for m in metrics if m.aggregation == Aggregation.SUM]
    plain = [m.pk for m in metrics if m.aggregation != Aggregation.SUM and not m.weight_metric_id]
    weighted = [m for m in metrics if m.aggregation != Aggregation.SUM and m.weight_metric_id]

    if summed or plain:
        rows = (
            values.filter(metric_id__in=summed + plain)
            .values(*by)
            .annotate(total=Sum("value"), n=Count("id"))
            .order_by()
        )
        for row in rows:
            _add(sums, row, groups, row["total"], Decimal(row["n"]), row["n"])
    if weighted:
        weight = ReturnValue.objects.filter(
            current=True,
            establishment_id=OuterRef("establishment_id"),
            period_start=OuterRef("period_start"),
            metric_id=OuterRef("metric__weight_metric_id"),
        ).values("value")[:1]
        product = ExpressionWrapper(
            F("value") * F("weight"), output_field=DecimalField(max_digits=28, decimal_places=4)
        )
        rows = (
            values.filter(metric_id__in=[m.pk for m in weighted])
            .annotate(weight=Subquery(weight))
            .filter(weight__isnull=False)
            .values(*by)
            .annotate(num=Sum(product), den=Sum("weight"), n=Count("id"))
            .order_by()
        )
        for row in rows:
            _add(sums, row, groups, row["num"], row["den"], row["n"])

    expected = _expected(metrics, site_rows, groups)
    figures: dict[Key, Figure] = {}
    for metric in metrics:
        for unit in [NATION, *({p for _, p, _ in site_rows} if groups else ())]:
            for period in periods:
                num, den, n = sums.get((metric.pk, unit, period), (Decimal(0), Decimal(0), 0))
                if n == 0:
                    value = None
                elif metric.aggregation == Aggregation.SUM:
                    value = num
                else:
                    value = (num / den).quantize(Decimal("0.01")) if den else None
                figures[(metric.pk, unit, period)] = Figure(
                    value, n, expected.get((metric.pk, unit), 0)
                )
    return figures


def _add(sums, row, groups: bool, num, den, n: int) -> None:
    keys = [(row["metric_id"], NATION, row["period_start"])]
    if groups:
        keys.append((row["metric_id"], row["establishment__parent_id"], row["period_start"]))
    for key in keys:
        entry = sums[key]
        entry[0] += num or 0
        entry[1] += den or 0
        entry[2] += n


def _expected(metrics, site_rows, groups: bool) -> dict[tuple[int, int | None], int]:
    expected: dict[tuple[int, int | None], int] = defaultdict(int)
    for metric in metrics:
        for _, parent_id, establishment_type in site_rows:
            if metric.reported_by(establishment_type):
                expected[(metric.pk, NATION)] += 1
                if groups:
                    expected[(metric.pk, parent_id)] += 1
    return expected
