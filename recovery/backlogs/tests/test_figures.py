"""The arithmetic of a backlog: the weekly rate (least squares), the projected clearance date and
the RAG, against figures worked out by hand, and the properties the issue names (hypothesis)."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from recovery.backlogs.constants import Direction, Rag
from recovery.backlogs.figures import Projection, projection, rag, trend

MONDAY = datetime.date(2026, 1, 5)


def weekly(values, start=MONDAY, step_days=7):
    return [(start + datetime.timedelta(days=step_days * i), v) for i, v in enumerate(values)]


# --- trend ------------------------------------------------------------------------------------


def test_the_rate_of_a_straight_line_is_its_slope_per_week():
    # 100, 90, 80, 70: ten fewer a week.
    assert trend(weekly([100, 90, 80, 70]), window=8).rate_per_week == pytest.approx(-10)


def test_the_rate_is_least_squares_not_first_to_last():
    # x = 0,1,2,3 (weeks); y = 10, 14, 12, 16. mean x 1.5, mean y 13;
    # sxy = (-1.5)(-3) + (-0.5)(1) + (0.5)(-1) + (1.5)(3) = 4.5 - 0.5 - 0.5 + 4.5 = 8;
    # sxx = 2.25 + 0.25 + 0.25 + 2.25 = 5: slope 1.6 a week (first to last would say 2).
    result = trend(weekly([10, 14, 12, 16]), window=8)
    assert result.rate_per_week == pytest.approx(1.6)
    assert result.points == 4


def test_only_the_last_window_points_count_whatever_order_they_come_in():
    # An old spike outside the window of 3 does not move the rate.
    series = weekly([500, 1, 30, 20, 10])
    assert trend(list(reversed(series)), window=3).rate_per_week == pytest.approx(-10)
    assert trend(series, window=3).points == 3


def test_the_rate_is_per_week_whatever_the_period():
    # Fortnightly returns falling by 10 a fortnight: 5 a week.
    assert trend(weekly([50, 40, 30], step_days=14), window=8).rate_per_week == pytest.approx(-5)


def test_fewer_than_two_points_give_no_rate():
    assert trend([], window=8).rate_per_week is None
    assert trend(weekly([7]), window=8).rate_per_week is None
    assert trend(weekly([7]), window=8).points == 1


def test_a_window_of_nothing_gives_no_rate_rather_than_every_point():
    # series[-0:] is the whole list: a window of 0 must not quietly fit every point.
    assert trend(weekly([100, 90, 80]), window=0) == trend([], window=8)


def test_decimal_values_are_read():
    assert trend(weekly([Decimal("2.50"), Decimal("3.00")]), 8).rate_per_week == pytest.approx(0.5)


# --- projection -------------------------------------------------------------------------------


def test_a_falling_backlog_clears_when_the_line_reaches_the_target():
    # 100 cases, falling by 10 a week, target 40: 6 weeks, 42 days after the latest period.
    result = projection((MONDAY, 100), -10.0, 40, Direction.LOWER)
    assert result == Projection(False, MONDAY + datetime.timedelta(days=42))


def test_without_a_target_a_backlog_clears_at_zero():
    # 35 falling by 10 a week: 3.5 weeks = 24.5 days, so on the 25th day.
    assert projection((MONDAY, 35), -10.0, None, Direction.LOWER).clears_on == (
        MONDAY + datetime.timedelta(days=25)
    )


def test_at_or_better_than_the_target_is_cleared_already():
    assert projection((MONDAY, 40), 5.0, 40, Direction.LOWER) == Projection(True, MONDAY)
    assert projection((MONDAY, 95), -1.0, 90, Direction.HIGHER) == Projection(True, MONDAY)


@pytest.mark.parametrize("rate", [0.0, -0.0, 3.0, None])
def test_a_flat_rising_or_unknown_trend_is_not_clearing(rate):
    assert projection((MONDAY, 100), rate, 40, Direction.LOWER) == Projection(False, None)


def test_higher_is_better_clears_when_rising():
    # 60% rising 5 points a week to a target of 90%: 6 weeks.
    assert projection((MONDAY, 60), 5.0, 90, Direction.HIGHER).clears_on == (
        MONDAY + datetime.timedelta(weeks=6)
    )
    assert projection((MONDAY, 60), -5.0, 90, Direction.HIGHER).clears_on is None


def test_no_latest_value_projects_nothing():
    assert projection(None, -5.0, 0, Direction.LOWER) == Projection(False, None)


def test_a_slow_fall_still_clears_one_day():
    # 2,600.01 falling by half a case a week: 5,200.02 weeks, 36,400.14 days, so the 36,401st.
    assert projection((MONDAY, Decimal("2600.01")), -0.5, 0, Direction.LOWER).clears_on == (
        MONDAY + datetime.timedelta(days=36_401)
    )


def test_a_date_beyond_the_calendar_is_not_clearing():
    assert projection((MONDAY, 10_000), -1e-9, 0, Direction.LOWER).clears_on is None


# --- rag --------------------------------------------------------------------------------------

RULES = {"amber_weeks": 4, "amber_percent": 10}


def _rag(value, proj, target, target_date, direction=Direction.LOWER):
    return rag(value, proj, target, target_date, direction, **RULES)


def test_at_target_is_green():
    assert _rag(40, Projection(True, MONDAY), 40, MONDAY) == Rag.GREEN


def test_projected_by_the_target_date_is_green_within_amber_weeks_after_amber_else_red():
    target_date = datetime.date(2026, 3, 1)
    on_time = Projection(False, target_date)
    late = Projection(False, target_date + datetime.timedelta(weeks=4))
    too_late = Projection(False, target_date + datetime.timedelta(weeks=4, days=1))
    assert _rag(100, on_time, 40, target_date) == Rag.GREEN
    assert _rag(100, late, 40, target_date) == Rag.AMBER
    assert _rag(100, too_late, 40, target_date) == Rag.RED
    assert _rag(100, Projection(False, None), 40, target_date) == Rag.RED


def test_without_a_target_date_within_the_percent_is_amber():
    # Target 200, 10%: up to 220 amber, above red.
    assert _rag(220, Projection(False, None), 200, None) == Rag.AMBER
    assert _rag(221, Projection(False, None), 200, None) == Rag.RED
    assert _rag(Decimal("199.99"), Projection(True, MONDAY), 200, None) == Rag.GREEN


def test_no_target_or_no_value_has_no_rag():
    assert _rag(100, Projection(False, None), None, None) == Rag.NONE
    assert _rag(None, Projection(False, None), 40, MONDAY) == Rag.NONE


# --- properties -------------------------------------------------------------------------------

# Values as a return holds them: 0 to a million, two decimal places.
values = st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False)
steps = st.decimals(min_value=Decimal("0.5"), max_value=1000, places=2)


@st.composite
def strictly_falling(draw):
    """A weekly series that falls every week, by at least half a unit (from at most 100,000,
    so that even the slowest clears within the calendar)."""
    start = draw(st.decimals(min_value=100, max_value=100_000, places=2))
    falls = draw(st.lists(steps, min_size=1, max_size=11))
    series = [start]
    for fall in falls:
        series.append(series[-1] - fall)
    assume(series[-1] > 0)
    return series


@st.composite
def strictly_rising(draw):
    start = draw(values)
    rises = draw(st.lists(steps, min_size=1, max_size=11))
    series = [start]
    for rise in rises:
        series.append(series[-1] + rise)
    return series


@settings(max_examples=200, deadline=None)
@given(strictly_falling(), st.integers(min_value=2, max_value=12))
def test_a_falling_series_clears_in_the_future(series, window):
    points = weekly(series)
    rate = trend(points, window).rate_per_week
    assert rate < 0
    result = projection(points[-1], rate, None, Direction.LOWER)
    assert not result.cleared
    assert result.clears_on is not None and result.clears_on > points[-1][0]


@settings(max_examples=200, deadline=None)
@given(strictly_rising(), st.integers(min_value=2, max_value=12), values)
def test_a_rising_series_never_clears(series, window, target):
    points = weekly(series)
    rate = trend(points, window).rate_per_week
    assert rate > 0
    result = projection(points[-1], rate, target, Direction.LOWER)
    # Either it is at or under the target already, or it is not clearing: never a date ahead.
    assert result.clears_on is None or (result.cleared and result.clears_on == points[-1][0])


@settings(max_examples=200, deadline=None)
@given(strictly_rising(), st.integers(min_value=2, max_value=12))
def test_higher_is_better_mirrors_lower_is_better(series, window):
    points = weekly(series)
    rate = trend(points, window).rate_per_week
    target = series[-1] + 1000  # above the latest: still to reach
    result = projection(points[-1], rate, target, Direction.HIGHER)
    assert result.clears_on is not None and result.clears_on > points[-1][0]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(values, min_size=2, max_size=20),
    st.integers(min_value=2, max_value=20),
    st.decimals(min_value=-1_000_000, max_value=1_000_000, places=2),
)
def test_adding_a_constant_to_every_value_does_not_change_the_rate(series, window, constant):
    before = trend(weekly(series), window).rate_per_week
    after = trend(weekly([v + constant for v in series]), window).rate_per_week
    assert after == pytest.approx(before, rel=1e-9, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(st.lists(values, min_size=2, max_size=20), st.integers(min_value=2, max_value=20))
def test_the_rate_of_a_scaled_series_scales(series, window):
    before = trend(weekly(series), window).rate_per_week
    after = trend(weekly([v * 3 for v in series]), window).rate_per_week
    assert after == pytest.approx(3 * before, rel=1e-9, abs=1e-6)
