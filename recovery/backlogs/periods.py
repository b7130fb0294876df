"""Return periods: back-to-back runs of `period_days` from the centre's first period start. A
period is named by its first day; its return is due `deadline_days` after its last day."""

import datetime

from recovery.backlogs.models import ReturnSettings


def period_start_of(day: datetime.date, settings: ReturnSettings | None = None) -> datetime.date:
    """The first day of the period `day` falls in."""
    settings = settings or ReturnSettings.current()
    first = _first(settings)
    offset = (day - first).days // settings.period_days
    return first + datetime.timedelta(days=offset * settings.period_days)


def is_period_start(day: datetime.date, settings: ReturnSettings | None = None) -> bool:
    # By the remainder, not by working out the period's start: that can fall before the
    # first day a date can hold (1 January of year 1) and overflow.
    settings = settings or ReturnSettings.current()
    return (day - _first(settings)).days % settings.period_days == 0


def first_period_start(settings: ReturnSettings | None = None) -> datetime.date:
    """The first day of the first return period: there are no returns before it."""
    return _first(settings or ReturnSettings.current())


def period_end(start: datetime.date, settings: ReturnSettings | None = None) -> datetime.date:
    """The last day of the period that starts on `start`."""
    settings = settings or ReturnSettings.current()
    return start + datetime.timedelta(days=settings.period_days - 1)


def deadline_of(start: datetime.date, settings: ReturnSettings | None = None) -> datetime.date:
    """The last day on which the period's return is on time."""
    settings = settings or ReturnSettings.current()
    return period_end(start, settings) + datetime.timedelta(days=settings.deadline_days)


def previous_period(start: datetime.date, settings: ReturnSettings | None = None) -> datetime.date:
    settings = settings or ReturnSettings.current()
    return start - datetime.timedelta(days=settings.period_days)


def periods_back(
    latest: datetime.date, count: int, settings: ReturnSettings | None = None
) -> list[datetime.date]:
    """The `count` period starts ending with `latest`, oldest first."""
    settings = settings or ReturnSettings.current()
    step = datetime.timedelta(days=settings.period_days)
    return [latest - step * k for k in range(count - 1, -1, -1)]


def _first(settings: ReturnSettings) -> datetime.date:
    first = settings.first_period_start
    if isinstance(first, str):
        first = datetime.date.fromisoformat(first)
    return first
