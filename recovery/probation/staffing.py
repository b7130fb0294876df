"""Covering a PDU's shortfall of staff hours through the staffing hierarchy (the roadmap's
"Staffing": existing staff, overtime, agency, redeployment, returners, other government
departments, third sector), and the hours each rung covered across PDUs.

- `cover(need, available_by_rung)`: pure. Fills the hours needed rung by rung in the fixed
  order, never taking from a later rung while an earlier one has hours left; says how many
  hours each rung gave and the gap that remains.
- `hours_by_rung(region=None, weeks=None)`: what each rung covered across the PDUs of the
  country (or of one region), over all weeks or the weeks given; the fortnightly report to
  ministers reads it. `hours_by_rung_by_unit` gives the same per region or per PDU. One query
  each, whatever the number of PDUs and weeks. Not scoped to a person: pages check the scope
  before calling them."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from recovery.probation.staffing_constants import RUNG_FIELDS, RUNG_KEYS, RUNGS, Rung

Hours = Decimal | int

ZERO = Decimal("0")


@dataclass(frozen=True)
class Cover:
    """How one week's need was covered: hours taken from each rung (in the hierarchy's order)
    and the gap left when every rung is exhausted."""

    need: Hours
    taken: dict[str, Hours]
    gap: Hours

    @property
    def covered(self) -> Hours:
        return sum(self.taken.values(), ZERO)


def cover(need: Hours, available_by_rung: Mapping[str, Hours]) -> Cover:
    """Cover `need` hours from the hours available on each rung (keyed by rung, see
    staffing_constants.RUNGS; a rung not given has none), in the hierarchy's order."""
    unknown = set(available_by_rung) - set(RUNG_KEYS)
    if unknown:
        raise ValueError(f"Not a rung of the staffing hierarchy: {', '.join(sorted(unknown))}")
    if need < 0:
        raise ValueError("The hours needed cannot be negative")
    remaining = need
    taken: dict[str, Hours] = {}
    for key in RUNG_KEYS:
        available = available_by_rung.get(key, 0)
        if available < 0:
            raise ValueError(f"The hours available from {key} cannot be negative")
        taken[key] = min(available, remaining)
        remaining -= taken[key]
    return Cover(need=need, taken=taken, gap=remaining)


@dataclass(frozen=True)
class RungHours:
    rung: Rung
    available: Decimal
    used: Decimal


@dataclass
class StaffingTotals:
    """Hours needed, and available and used from each rung, summed over PDU-weeks. The gap is
    the sum of each PDU-week's own gap: hours spare in one PDU or week cover no other."""

    need: Decimal = ZERO
    available: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(RUNG_KEYS, ZERO))
    used: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(RUNG_KEYS, ZERO))
    gap: Decimal = ZERO
    entries: int = 0  # PDU-weeks recorded
    weeks_with_gap: int = 0  # PDU-weeks left short after every rung
    pdus: set = field(default_factory=set)

    @property
    def covered(self) -> Decimal:
        return sum(self.used.values(), ZERO)

    @property
    def available_total(self) -> Decimal:
        return sum(self.available.values(), ZERO)

    @property
    def rungs(self) -> list[RungHours]:
        return [RungHours(r, self.available[r.key], self.used[r.key]) for r in RUNGS]

    @property
    def beyond_existing_staff(self) -> Decimal:
        """Hours covered by any rung after existing staff."""
        return self.covered - self.used[RUNGS[0].key]

    def add(self, pdu_id: int, need: Decimal, available: Mapping[str, Decimal]) -> Cover:
        week = cover(need, available)
        self.need += need
        for key in RUNG_KEYS:
            self.available[key] += available[key]
            self.used[key] += week.taken[key]
        self.gap += week.gap
        self.entries += 1
        self.weeks_with_gap += 1 if week.gap > 0 else 0
        self.pdus.add(pdu_id)
        return week


def _rows(region=None, weeks: Iterable[datetime.date] | None = None):
    from recovery.probation.staffing_models import StaffingWeek

    rows = StaffingWeek.objects.all()
    if region is not None:
        rows = rows.filter(pdu__parent=region)
    if weeks is not None:
        rows = rows.filter(week_start__in=list(weeks))
    return rows.order_by().values_list("pdu_id", "pdu__parent_id", "hours_needed", *RUNG_FIELDS)


def hours_by_rung(region=None, weeks: Iterable[datetime.date] | None = None) -> StaffingTotals:
    """Across every PDU of the country, or of `region` (a probation region unit): the hours
    needed, and the hours each rung made available and covered, in the weeks starting on the
    Mondays in `weeks` (every week recorded when None). One query."""
    totals = StaffingTotals()
    for pdu_id, _region_id, need, *available in _rows(region, weeks):
        totals.add(pdu_id, need, dict(zip(RUNG_KEYS, available, strict=True)))
    return totals


def hours_by_rung_by_unit(
    region=None, weeks: Iterable[datetime.date] | None = None
) -> dict[int, StaffingTotals]:
    """The same, per region (nationally) or per PDU (within `region`), by the unit's id. One
    query."""
    by_unit: dict[int, StaffingTotals] = {}
    for pdu_id, region_id, need, *available in _rows(region, weeks):
        key = pdu_id if region is not None else region_id
        by_unit.setdefault(key, StaffingTotals()).add(
            pdu_id, need, dict(zip(RUNG_KEYS, available, strict=True))
        )
    return by_unit


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())
