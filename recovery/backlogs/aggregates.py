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
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Sum

from recovery.backlogs.constants import Aggregation
from recovery.backlogs.models import Metric, ReturnValue
from recovery.estate.constants import EstablishmentStatus
from recovery.estate.models import Establishment, OrganisationUnit

NATION = None  # the key of national figures in place of a group's id
CENT = Decimal("0.01")


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
    metric and period asked for. `establishments` limits the estate (ids), e.g. to one group.

    Three queries whatever the estate: the open establishments; the sums (and plain means) in
    one grouped query; the weighted means in one grouped query that joins each value to its
    weight at the same establishment and period."""
    metrics = list(metrics)
    periods = sorted(set(periods))
    sites = Establishment.objects.filter(status=EstablishmentStatus.OPEN)
    if establishments is not None:
        establishments = list(establishments)
        sites = sites.filter(pk__in=establishments)
    site_rows = list(sites.values_list("pk", "parent_id", "establishment_type"))

    sums: dict[Key, list] = defaultdict(lambda: [Decimal(0), Decimal(0), 0])  # num, den, n
    summed = [m.pk for m in metrics if m.aggregation == Aggregation.SUM]
    plain = [m.pk for m in metrics if m.aggregation != Aggregation.SUM and not m.weight_metric_id]
    weighted = [m for m in metrics if m.aggregation != Aggregation.SUM and m.weight_metric_id]

    if site_rows and periods and (summed or plain):
        values = ReturnValue.objects.filter(
            current=True,
            period_start__in=periods,
            metric_id__in=summed + plain,
            establishment__status=EstablishmentStatus.OPEN,
        )
        if establishments is not None:
            values = values.filter(establishment_id__in=establishments)
        by = ["metric_id", "period_start"] + (["establishment__parent_id"] if groups else [])
        rows = values.values(*by).annotate(total=Sum("value"), n=Count("id")).order_by()
        for row in rows:
            parent = row.get("establishment__parent_id")
            n = row["n"]
            _add(
                sums,
                row["metric_id"],
                row["period_start"],
                parent,
                groups,
                _decimal(row["total"]),
                Decimal(n),
                n,
            )
    if site_rows and periods and weighted:
        for metric_id, period, parent, num, den, n in _weighted_rows(
            weighted, periods, groups, establishments
        ):
            _add(sums, metric_id, period, parent, groups, _decimal(num), _decimal(den), n)

    expected = _expected(metrics, site_rows, groups)
    units = [NATION, *(sorted({p for _, p, _ in site_rows}) if groups else ())]
    figures: dict[Key, Figure] = {}
    empty = (Decimal(0), Decimal(0), 0)
    for metric in metrics:
        for unit in units:
            count = expected.get((metric.pk, unit), 0)
            for period in periods:
                num, den, n = sums.get((metric.pk, unit, period), empty)
                if n == 0:
                    value = None
                elif metric.aggregation == Aggregation.SUM:
                    value = num.quantize(CENT, ROUND_HALF_UP)
                else:
                    # Half up, as people round by hand (25.125 is 25.13).
                    value = (num / den).quantize(CENT, ROUND_HALF_UP) if den else None
                figures[(metric.pk, unit, period)] = Figure(value, n, count)
    return figures


def _weighted_rows(weighted: list[Metric], periods, groups: bool, establishments):
    """(metric id, period, group id or None, sum of value x weight, sum of weights, n) for the
    weighted metrics: each current value joined to the current value of its metric's weight
    metric at the same establishment and period (no weight: left out). The ORM has no way to
    name that join, so it is written here, on the models' own table names."""
    value_table = ReturnValue._meta.db_table
    site_table = Establishment._meta.db_table
    site_key = Establishment._meta.pk.column
    unit_table = OrganisationUnit._meta.db_table
    metric_table = Metric._meta.db_table
    quote = connection.ops.quote_name
    weight_ids = sorted({m.weight_metric_id for m in weighted})
    metric_ids = [m.pk for m in weighted]
    marks = lambda items: ", ".join(["%s"] * len(items))  # noqa: E731
    parent = "u.parent_id" if groups else "NULL"
    limit = ""
    params: list = [*metric_ids, *weight_ids, *periods, *periods]
    if establishments is not None:
        limit = f"AND v.establishment_id IN ({marks(establishments) or 'NULL'})"
        params += establishments
    sql = f"""
        SELECT v.metric_id, v.period_start, {parent},
               SUM(v.value * w.value), SUM(w.value), COUNT(*)
        FROM {quote(value_table)} v
        JOIN {quote(site_table)} e ON e.{quote(site_key)} = v.establishment_id
        JOIN {quote(unit_table)} u ON u.id = v.establishment_id
        JOIN {quote(metric_table)} m ON m.id = v.metric_id
        JOIN {quote(value_table)} w
          ON w.establishment_id = v.establishment_id
         AND w.period_start = v.period_start
         AND w.metric_id = m.weight_metric_id
         AND w.current
        WHERE v.current
          AND e.status = %s
          AND v.metric_id IN ({marks(metric_ids)})
          AND w.metric_id IN ({marks(weight_ids)})
          AND v.period_start IN ({marks(periods)})
          AND w.period_start IN ({marks(periods)})
          {limit}
        GROUP BY v.metric_id, v.period_start{", u.parent_id" if groups else ""}
    """
    params.insert(0, EstablishmentStatus.OPEN.value)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for metric_id, period, group, num, den, n in rows:
        if isinstance(period, str):  # SQLite hands dates back as text from raw SQL
            period = datetime.date.fromisoformat(period)
        yield metric_id, period, group, num, den, n


def _decimal(number) -> Decimal:
    """A database's sum as a Decimal (SQLite adds decimals as floats)."""
    if number is None:
        return Decimal(0)
    if isinstance(number, Decimal):
        return number
    return Decimal(str(number))


def _add(sums, metric_id, period, parent, groups: bool, num, den, n: int) -> None:
    keys = [(metric_id, NATION, period)]
    if groups:
        keys.append((metric_id, parent, period))
    for key in keys:
        entry = sums[key]
        entry[0] += num
        entry[1] += den
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
