"""The arithmetic of a backlog: the rate a figure is moving at, when it will clear, and its RAG.

Pure functions of plain numbers and dates, no database: the queries hand them series of
(period start, value) pairs.

- The **rate** is the least-squares slope of the values over the last `window` periods, per
  week (a period of 7 days by default), so one odd week moves it less than a first-to-last
  difference would.
- The **projected clearance date** is where that line reaches the target (zero when there is no
  target) going the right way: for a lower-is-better metric a falling trend clears in the future;
  a flat or rising one never does ("not clearing"). Already at or better than target: cleared.
- The **RAG** compares the projection with the target date (see
  `recovery.backlogs.models.Metric`)."""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from recovery.backlogs.constants import Direction, Rag

Number = float | int | Decimal


@dataclass(frozen=True)
class Trend:
    rate_per_week: float | None  # None: fewer than two values in the window
    points: int


@dataclass(frozen=True)
class Projection:
    cleared: bool  # already at or better than the target
    clears_on: datetime.date | None  # None with cleared=False: not clearing


def trend(series: list[tuple[datetime.date, Number]], window: int) -> Trend:
    """Least-squares slope (per week) of the last `window` points of `series` (any order)."""
    # A window below 1 holds no point (`series[-0:]` would be every point).
    points = sorted(series)[-window:] if window > 0 else []
    n = len(points)
    if n < 2:
        return Trend(None, n)
    origin = points[0][0]
    xs = [(day - origin).days / 7 for day, _ in points]
    ys = [float(value) for _, value in points]
    mean_x = sum(xs) / n
    mean_y = sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    if sxx == 0:
        return Trend(None, n)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    return Trend(sxy / sxx, n)


def better_or_equal(value: Number, target: Number, direction: str) -> bool:
    if direction == Direction.HIGHER:
        return float(value) >= float(target)
    return float(value) <= float(target)


def projection(
    latest: tuple[datetime.date, Number] | None,
    rate_per_week: float | None,
    target: Number | None,
    direction: str,
) -> Projection:
    """When the latest value, moving at `rate_per_week`, reaches `target` (zero when None)."""
    if latest is None:
        return Projection(False, None)
    day, value = latest
    goal = float(target) if target is not None else 0.0
    if better_or_equal(value, goal, direction):
        return Projection(True, day)
    if rate_per_week is None:
        return Projection(False, None)
    gap = goal - float(value)  # negative for lower-is-better still above target
    if rate_per_week == 0 or (gap > 0) != (rate_per_week > 0):
        return Projection(False, None)
    weeks = gap / rate_per_week
    # However slow, a falling backlog clears some day and says when; only a date beyond the
    # calendar (year 9999) cannot be said.
    if not math.isfinite(weeks) or weeks * 7 > (datetime.date.max - day).days:
        return Projection(False, None)
    return Projection(False, day + datetime.timedelta(days=math.ceil(weeks * 7)))


def rag(
    latest_value: Number | None,
    proj: Projection,
    target: Number | None,
    target_date: datetime.date | None,
    direction: str,
    *,
    amber_weeks: int,
    amber_percent: int,
) -> str:
    """Red, amber or green against the target and its date; NONE without a target or a value."""
    if target is None or latest_value is None:
        return Rag.NONE
    if better_or_equal(latest_value, target, direction):
        return Rag.GREEN
    if target_date is None:
        margin = abs(float(target)) * amber_percent / 100
        gap = abs(float(latest_value) - float(target))
        return Rag.AMBER if gap <= margin else Rag.RED
    if proj.clears_on is None:
        return Rag.RED
    if proj.clears_on <= target_date:
        return Rag.GREEN
    # By the gap in days: a target date late in year 9999 plus the weeks would overflow.
    if (proj.clears_on - target_date).days <= amber_weeks * 7:
        return Rag.AMBER
    return Rag.RED
