"""Face-to-face capacity: the arithmetic against figures worked out by hand, its properties
(hypothesis), and which offices count towards their PDU (the risk-assessment gate)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recovery.core.scope import COMMAND_LINE
from recovery.estate.factories import OfficeFactory
from recovery.probation.actions import do_update_probation_settings, settings_row
from recovery.probation.capacity import CapacityInputs, scenarios, weekly_capacity
from recovery.probation.constants import OfficeRiskOutcome
from recovery.probation.factories import OfficeCapacityFactory, risk_assessment
from recovery.probation.queries import pdu_weekly_capacity

T = datetime.time

# 09:00 to 17:00 is 480 minutes; 45 minutes and 15 of cleaning: 8 appointments a room a day.
# 3 usable rooms, at most 5 people on site (2 appointments at once), open Monday to Friday.
OFFICE = CapacityInputs(
    usable_rooms=3,
    opens_at=T(9, 0),
    closes_at=T(17, 0),
    days_open=5,
    appointment_minutes=45,
    cleaning_minutes=15,
    max_on_site=5,
    staff_by_day=(4, 1, 0, 3, 4, 5, 0),
)


def test_each_day_by_hand():
    week = weekly_capacity(OFFICE)
    assert [d.appointments for d in week.days] == [16, 8, 0, 16, 16, 0, 0]
    assert [d.limited_by for d in week.days] == [
        "people on site",  # min(3 rooms, 4 staff, 5 // 2 = 2)
        "staff",  # 1
        "staff",  # 0
        "people on site",
        "people on site",
        "closed",  # Saturday: 5 staff, but the office opens five days
        "closed",
    ]
    assert week.total == 56


def test_scenarios_side_by_side_by_hand():
    found = scenarios(OFFICE, extended_opens_at=T(8, 0), extended_closes_at=T(19, 0))
    assert [s.name for s in found] == [
        "As it is",
        "Extended hours",
        "One more room",
        "Extended hours and one more room",
    ]
    # 08:00 to 19:00: 660 minutes, 11 a room a day: 22 + 11 + 0 + 22 + 22 = 77.
    assert [s.week.total for s in found] == [56, 77, 56, 77]
    # People on site, not rooms, are the limit here: another room adds nothing.
    assert [s.added for s in found] == [0, 21, 0, 21]


def test_another_room_adds_a_day_of_slots_when_rooms_are_the_limit():
    roomy = CapacityInputs(3, T(9, 0), T(17, 0), 5, 45, 15, 20, (4, 4, 4, 4, 4, 0, 0))
    found = scenarios(roomy, extended_opens_at=None, extended_closes_at=None)
    # 3 rooms x 8 x 5 days = 120; 4 rooms x 8 x 5 = 160. No extended hours recorded.
    assert [(s.name, s.week.total, s.added) for s in found] == [
        ("As it is", 120, 0),
        ("One more room", 160, 40),
    ]


def test_the_last_appointment_and_its_cleaning_fit_inside_the_hours():
    # 100 minutes open, 30 + 20 a slot: exactly 2; 99 minutes: 1.
    assert CapacityInputs(1, T(9, 0), T(10, 40), 1, 30, 20, 2, (1,) * 7).slots_per_room == 2
    assert CapacityInputs(1, T(9, 0), T(10, 39), 1, 30, 20, 2, (1,) * 7).slots_per_room == 1


minutes = st.integers(min_value=0, max_value=24 * 60 - 2)


@st.composite
def offices(draw):
    opens = draw(minutes)
    closes = draw(st.integers(min_value=opens + 1, max_value=24 * 60 - 1))
    return CapacityInputs(
        usable_rooms=draw(st.integers(0, 30)),
        opens_at=T(opens // 60, opens % 60),
        closes_at=T(closes // 60, closes % 60),
        days_open=draw(st.integers(1, 7)),
        appointment_minutes=draw(st.integers(5, 180)),
        cleaning_minutes=draw(st.integers(0, 60)),
        max_on_site=draw(st.integers(0, 100)),
        staff_by_day=tuple(draw(st.lists(st.integers(0, 40), min_size=7, max_size=7))),
    )


@given(offices())
def test_adding_a_room_never_lowers_capacity(office):
    from dataclasses import replace

    more = replace(office, usable_rooms=office.usable_rooms + 1)
    assert weekly_capacity(more).total >= weekly_capacity(office).total


@given(offices())
def test_capacity_never_exceeds_rooms_times_slots(office):
    week = weekly_capacity(office)
    for day in week.days:
        assert day.appointments <= office.usable_rooms * office.slots_per_room
        assert day.at_once * 2 <= office.max_on_site
        assert day.at_once <= day.staff
    assert week.total <= office.usable_rooms * office.slots_per_room * office.days_open


# --- Which offices count towards their PDU ----------------------------------------------------

DAY = datetime.date(2026, 12, 1)


@pytest.fixture
def counted_office(small_estate):
    """office_1 (09:00 to 17:00, five days): 3 rooms, 45 + 15 minutes, 20 on site, 4 staff
    Monday to Friday: 3 x 8 = 24 a day, 120 a week."""
    OfficeCapacityFactory(office=small_estate.office_1)
    return small_estate.office_1


@pytest.mark.django_db
def test_an_office_counts_only_with_a_current_safe_risk_assessment(small_estate, counted_office):
    pdu = small_estate.pdu_1
    assert pdu_weekly_capacity(pdu, DAY) == 0  # no risk assessment yet
    # Current for 91 days counting the day of the assessment: assessed 90 days ago, it is in
    # its last day.
    risk_assessment(counted_office, DAY - datetime.timedelta(days=90))
    assert pdu_weekly_capacity(pdu, DAY) == 120
    assert pdu_weekly_capacity(pdu, DAY + datetime.timedelta(days=1)) == 0


@pytest.mark.django_db
def test_the_latest_assessment_decides(small_estate, counted_office):
    risk_assessment(counted_office, DAY - datetime.timedelta(days=20))
    risk_assessment(counted_office, DAY - datetime.timedelta(days=5), OfficeRiskOutcome.NOT_SAFE)
    assert pdu_weekly_capacity(small_estate.pdu_1, DAY) == 0


@pytest.mark.django_db
def test_the_centres_period_decides_what_is_current(small_estate, counted_office):
    risk_assessment(counted_office, DAY - datetime.timedelta(days=40))
    assert pdu_weekly_capacity(small_estate.pdu_1, DAY) == 120
    do_update_probation_settings(
        settings_row(),
        expected_version=1,
        changes={"risk_assessment_valid_days": 30},
        acting_user=COMMAND_LINE,
    )
    assert pdu_weekly_capacity(small_estate.pdu_1, DAY) == 0


@pytest.mark.django_db
def test_only_the_pdus_own_counted_offices_add_up(small_estate, counted_office):
    risk_assessment(counted_office, DAY)
    # A second office of the same PDU, 2 rooms, everything else the same: 2 x 8 x 5 = 80.
    second = OfficeFactory(parent=small_estate.pdu_1, code="OFF3", name="Eastmoor Square")
    OfficeCapacityFactory(office=second, usable_rooms=2)
    assert pdu_weekly_capacity(small_estate.pdu_1, DAY) == 120  # not assessed: not counted
    risk_assessment(second, DAY)
    assert pdu_weekly_capacity(small_estate.pdu_1, DAY) == 200
    # Another PDU's office never counts here.
    OfficeCapacityFactory(office=small_estate.office_2)
    risk_assessment(small_estate.office_2, DAY)
    assert pdu_weekly_capacity(small_estate.pdu_1, DAY) == 200
    assert pdu_weekly_capacity(small_estate.pdu_2, DAY) == 120
