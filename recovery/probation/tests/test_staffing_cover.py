"""cover(): the staffing hierarchy's rungs used in the roadmap's order. Hand-worked examples,
then properties over any need and any hours available (Hypothesis)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recovery.probation.staffing import cover
from recovery.probation.staffing_constants import RUNG_KEYS

ORDER = [
    "existing_staff",
    "overtime",
    "agency",
    "redeployment",
    "returners",
    "other_departments",
    "third_sector",
]


def test_the_rungs_are_the_roadmaps_seven_in_its_order():
    assert list(RUNG_KEYS) == ORDER


def test_a_shortfall_is_covered_by_overtime_then_agency_before_any_later_rung():
    result = cover(
        1000,
        {"existing_staff": 800, "overtime": 120, "agency": 200, "redeployment": 500},
    )
    assert result.taken == {
        "existing_staff": 800,
        "overtime": 120,
        "agency": 80,
        "redeployment": 0,
        "returners": 0,
        "other_departments": 0,
        "third_sector": 0,
    }
    assert result.gap == 0
    assert result.covered == 1000


def test_the_gap_is_what_remains_when_every_rung_is_used_up():
    result = cover(Decimal("900"), {"existing_staff": Decimal("600.5"), "third_sector": 37})
    assert result.taken["existing_staff"] == Decimal("600.5")
    assert result.taken["third_sector"] == 37
    assert result.gap == Decimal("262.5")


def test_existing_staff_alone_cover_a_week_needing_less():
    result = cover(300, {"existing_staff": 400, "overtime": 50})
    assert result.taken["existing_staff"] == 300
    assert result.taken["overtime"] == 0
    assert result.gap == 0


@pytest.mark.parametrize(
    ("need", "available", "message"),
    [
        (-1, {}, "The hours needed cannot be negative"),
        (10, {"overtime": -5}, "The hours available from overtime cannot be negative"),
        (10, {"volunteers": 5}, "Not a rung of the staffing hierarchy: volunteers"),
    ],
)
def test_impossible_figures_are_refused(need, available, message):
    with pytest.raises(ValueError, match=message):
        cover(need, available)


hours = st.decimals(min_value=0, max_value=99999, places=1, allow_nan=False, allow_infinity=False)
availability = st.fixed_dictionaries({key: hours for key in ORDER})


@given(need=hours, available=availability)
def test_the_hours_taken_are_the_need_or_all_there_is(need, available):
    result = cover(need, available)
    assert sum(result.taken.values()) == min(need, sum(available.values()))
    assert result.gap == need - sum(result.taken.values())
    assert result.gap >= 0


@given(need=hours, available=availability)
def test_no_rung_gives_more_than_it_has(need, available):
    result = cover(need, available)
    for key in ORDER:
        assert 0 <= result.taken[key] <= available[key]


@given(need=hours, available=availability)
def test_a_later_rung_is_used_only_once_every_earlier_one_is_used_up(need, available):
    result = cover(need, available)
    for i, key in enumerate(ORDER):
        if result.taken[key] > 0:
            for earlier in ORDER[:i]:
                assert result.taken[earlier] == available[earlier], (earlier, key)
