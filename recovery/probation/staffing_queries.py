"""Reads of the staffing hierarchy for the pages, already scoped by the views that call them: a
PDU's weeks with how each was covered, a region's and the country's hours by rung for a week,
and the PDU head's home-page line. A fixed number of queries whatever the size of the estate."""

import datetime
from dataclasses import dataclass

from recovery.core.constants import UnitKind
from recovery.core.scope import unit_filter
from recovery.estate.models import OrganisationUnit
from recovery.probation.queries import today
from recovery.probation.staffing import (
    Cover,
    StaffingTotals,
    cover,
    hours_by_rung,
    hours_by_rung_by_unit,
    monday_of,
)
from recovery.probation.staffing_models import StaffingWeek
from recovery.probation.staffing_rules import VIEW_STAFFING

# The weeks a PDU's page offers to enter, from the current one.
WEEKS_OFFERED = 4


@dataclass(frozen=True)
class WeekRow:
    week: StaffingWeek
    cover: Cover

    @property
    def week_start(self) -> datetime.date:
        return self.week.week_start


@dataclass(frozen=True)
class WeekOffered:
    week_start: datetime.date
    recorded: WeekRow | None


@dataclass
class PduStaffing:
    pdu: OrganisationUnit
    rows: list[WeekRow]
    offered: list[WeekOffered]
    this_week: datetime.date

    @property
    def current(self) -> WeekRow | None:
        return next((r for r in self.rows if r.week_start == self.this_week), None)


def pdu_staffing(pdu, on: datetime.date | None = None) -> PduStaffing:
    """Every week recorded for the PDU, newest first, with how each was covered; and the
    current and next weeks, recorded or not. One query."""
    this_week = monday_of(on or today())
    rows = [
        WeekRow(w, cover(w.hours_needed, w.available()))
        for w in StaffingWeek.objects.filter(pdu=pdu).order_by("-week_start")
    ]
    by_week = {r.week_start: r for r in rows}
    offered = [
        WeekOffered(w, by_week.get(w))
        for w in (this_week + datetime.timedelta(weeks=n) for n in range(WEEKS_OFFERED))
    ]
    return PduStaffing(pdu=pdu, rows=rows, offered=offered, this_week=this_week)


@dataclass(frozen=True)
class UnitLine:
    unit: OrganisationUnit
    totals: StaffingTotals | None  # None: nothing recorded for the week
    pdus: int  # PDUs in the unit (one for a PDU)


@dataclass
class StaffingPicture:
    """The hours by rung for one week: in total and for each region (nationally) or PDU
    (within a region)."""

    week_start: datetime.date
    totals: StaffingTotals
    lines: list[UnitLine]

    @property
    def previous_week(self) -> datetime.date:
        return self.week_start - datetime.timedelta(weeks=1)

    @property
    def next_week(self) -> datetime.date:
        return self.week_start + datetime.timedelta(weeks=1)

    @property
    def not_recorded(self) -> int:
        return sum(line.pdus for line in self.lines) - len(self.totals.pdus)


def week_asked(value: str | None, on: datetime.date | None = None) -> datetime.date:
    """The week a page was asked for (`?week=2026-11-30`, any day of it), or the current one."""
    try:
        return monday_of(datetime.date.fromisoformat(value or ""))
    except ValueError:
        return monday_of(on or today())


def region_staffing(user, region, week_start: datetime.date) -> StaffingPicture:
    """The region's hours by rung in the week, and each of its PDUs in the person's scope.
    Three queries."""
    pdus = list(
        OrganisationUnit.objects.filter(kind=UnitKind.PDU, parent=region)
        .filter(unit_filter(user, VIEW_STAFFING))
        .order_by("name")
    )
    by_pdu = hours_by_rung_by_unit(region, [week_start])
    return StaffingPicture(
        week_start=week_start,
        totals=hours_by_rung(region, [week_start]),
        lines=[UnitLine(p, by_pdu.get(p.pk), 1) for p in pdus],
    )


def national_staffing(week_start: datetime.date) -> StaffingPicture:
    """The country's hours by rung in the week, and each region's. Three queries."""
    from django.db.models import Count, Q

    regions = list(
        OrganisationUnit.objects.filter(kind=UnitKind.PROBATION_REGION)
        .annotate(pdus=Count("children", filter=Q(children__kind=UnitKind.PDU)))
        .order_by("name")
    )
    by_region = hours_by_rung_by_unit(None, [week_start])
    return StaffingPicture(
        week_start=week_start,
        totals=hours_by_rung(None, [week_start]),
        lines=[UnitLine(r, by_region.get(r.pk), r.pdus) for r in regions],
    )


@dataclass(frozen=True)
class StaffingHome:
    """The PDU head's home-page line: the current week has no entry, or a gap after every
    rung."""

    pdu_code: str
    week_start: datetime.date
    recorded: WeekRow | None


def staffing_home(pdu_id: int, pdu_code: str, on: datetime.date | None = None):
    """For a PDU head's home page: the current week when it has no entry or a gap, else None.
    One query."""
    this_week = monday_of(on or today())
    week = StaffingWeek.objects.filter(pdu_id=pdu_id, week_start=this_week).first()
    row = WeekRow(week, cover(week.hours_needed, week.available())) if week else None
    if row is not None and row.cover.gap <= 0:
        return None
    return StaffingHome(pdu_code=pdu_code, week_start=this_week, recorded=row)
