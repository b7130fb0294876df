"""Test data for backlogs: catalogue metrics and series of current return values.

`series` writes returns straight to the tables (as the demo data loader does), for tests of
what is read from them; tests of entering and correcting returns go through the actions."""

import datetime
from decimal import Decimal

from django.utils import timezone

from recovery.backlogs.constants import Aggregation, BacklogArea, Direction, MetricUnit, ValueSource
from recovery.backlogs.models import Metric, Return, ReturnValue

_counter = iter(range(1, 10**9))


def metric(**fields) -> Metric:
    n = next(_counter)
    defaults = {
        "code": f"metric-{n}",
        "name": f"Test metric {n}",
        "area": BacklogArea.OFFENDER_MANAGEMENT,
        "unit": MetricUnit.CASES,
        "direction": Direction.LOWER,
        "aggregation": Aggregation.SUM,
        "order": n,
    }
    defaults.update(fields)
    return Metric.objects.create(**defaults)


def series(establishment, metric: Metric, values: dict[datetime.date, float | int | Decimal]):
    """Current values of `metric` at `establishment`, one per period start in `values`."""
    now = timezone.now()
    created = []
    for period_start, value in sorted(values.items()):
        record, _ = Return.objects.get_or_create(
            establishment=establishment,
            period_start=period_start,
            defaults={"first_submitted_at": now, "last_changed_at": now},
        )
        created.append(
            ReturnValue.objects.create(
                return_record=record,
                establishment=establishment,
                metric=metric,
                period_start=period_start,
                value=Decimal(str(value)),
                entered_at=now,
                entered_by_name="Test data",
                source=ValueSource.DEMO,
            )
        )
    return created
