"""How many face-to-face supervision appointments an office can offer in a week with distancing.

The rule, from the Probation Roadmap to Recovery (Step Two): each PDU "will need to undertake a
capacity analysis that identifies how many offenders are able to report each week in a way that
supports continued social distancing", considering "extending office opening times (this will
need to include the availability of sufficient staff)", "without increasing the total number of
people on site at any one time". So, for each day the office is open:

- a room offers `slots` appointments a day: the minutes the office is open divided by the
  appointment length plus the cleaning gap after it, rounded down (every appointment and the
  cleaning after it fit inside the opening hours);
- appointments run at once in at most as many rooms as are usable with 2 m distancing, as many
  as there are staff available that day (one member of staff sees one person), and half the
  maximum number of people on site (each appointment brings two people: the member of staff
  and the person on probation), rounded down;
- the day's appointments are the appointments at once times the slots.

The week's figure is the sum over the days the office is open. An office open N days a week
opens Monday to the Nth day (5: Monday to Friday). Extending hours or adding a usable room are
scenarios beside the office as it is; neither changes the staff or the people-on-site limit.

Everything here is plain arithmetic on plain values; the models feed it in queries.py."""

import datetime
from dataclasses import dataclass, replace

from recovery.probation.constants import WEEKDAY_LABELS, WEEKDAYS


def _minutes(t: datetime.time) -> int:
    return t.hour * 60 + t.minute


@dataclass(frozen=True)
class CapacityInputs:
    usable_rooms: int
    opens_at: datetime.time
    closes_at: datetime.time
    days_open: int
    appointment_minutes: int
    cleaning_minutes: int
    max_on_site: int
    staff_by_day: tuple[int, ...]  # Monday first, seven figures

    @property
    def open_minutes(self) -> int:
        return max(0, _minutes(self.closes_at) - _minutes(self.opens_at))

    @property
    def slot_minutes(self) -> int:
        return self.appointment_minutes + self.cleaning_minutes

    @property
    def slots_per_room(self) -> int:
        if self.slot_minutes <= 0:
            return 0
        return self.open_minutes // self.slot_minutes

    def is_open_on(self, day_index: int) -> bool:
        return day_index < self.days_open


@dataclass(frozen=True)
class DayCapacity:
    day: str
    label: str
    open: bool
    staff: int
    at_once: int  # appointments running at the same time
    slots: int  # appointments one room offers in the day
    appointments: int
    limited_by: str  # what sets `at_once`: "rooms", "staff", "people on site", or "closed"


@dataclass(frozen=True)
class WeeklyCapacity:
    days: tuple[DayCapacity, ...]

    @property
    def total(self) -> int:
        return sum(d.appointments for d in self.days)


def day_capacity(inputs: CapacityInputs, day_index: int) -> DayCapacity:
    day = WEEKDAYS[day_index]
    staff = inputs.staff_by_day[day_index]
    if not inputs.is_open_on(day_index):
        return DayCapacity(day, WEEKDAY_LABELS[day], False, staff, 0, 0, 0, "closed")
    limits = {
        "rooms": inputs.usable_rooms,
        "staff": staff,
        "people on site": inputs.max_on_site // 2,
    }
    at_once = min(limits.values())
    # The first limit (in this order) that sets the figure is the one named.
    limited_by = next(name for name, value in limits.items() if value == at_once)
    slots = inputs.slots_per_room
    return DayCapacity(
        day, WEEKDAY_LABELS[day], True, staff, at_once, slots, at_once * slots, limited_by
    )


def weekly_capacity(inputs: CapacityInputs) -> WeeklyCapacity:
    """Face-to-face appointments possible in each day of the week, and in the week."""
    return WeeklyCapacity(tuple(day_capacity(inputs, i) for i in range(7)))


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    week: WeeklyCapacity
    added: int  # appointments a week more than the office as it is


def scenarios(
    inputs: CapacityInputs,
    *,
    extended_opens_at: datetime.time | None,
    extended_closes_at: datetime.time | None,
) -> list[Scenario]:
    """The office as it is, with extended hours (when recorded), with one more usable room, and
    with both: side by side."""
    now = weekly_capacity(inputs)
    found = [Scenario("As it is", _hours(inputs), now, 0)]
    extended = None
    if extended_opens_at and extended_closes_at:
        extended = replace(inputs, opens_at=extended_opens_at, closes_at=extended_closes_at)
        week = weekly_capacity(extended)
        found.append(Scenario("Extended hours", _hours(extended), week, week.total - now.total))
    more_rooms = replace(inputs, usable_rooms=inputs.usable_rooms + 1)
    week = weekly_capacity(more_rooms)
    found.append(
        Scenario(
            "One more room",
            f"{more_rooms.usable_rooms} usable rooms",
            week,
            week.total - now.total,
        )
    )
    if extended is not None:
        both = replace(extended, usable_rooms=inputs.usable_rooms + 1)
        week = weekly_capacity(both)
        found.append(
            Scenario(
                "Extended hours and one more room",
                f"{_hours(both)}, {both.usable_rooms} usable rooms",
                week,
                week.total - now.total,
            )
        )
    return found


def _hours(inputs: CapacityInputs) -> str:
    return f"{inputs.opens_at:%H:%M} to {inputs.closes_at:%H:%M}"
