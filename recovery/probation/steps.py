"""Which probation step a region or PDU is at on a date: plain functions on plain values.

- The national step is the highest step whose gateway decision has taken effect; before any,
  step one (the roadmap's "current position").
- A unit (a region, or a PDU) moves with its parent (the country, or its region) unless an
  agreed request holds it at a step of its own: the latest agreed request that has taken
  effect decides. A hold back or step back keeps the unit at that step, however far its parent
  moves forward; a move forward that reaches the parent's step (`follows_parent`) puts it back
  with its parent. A unit is never above its parent.
- "Since": the first day of the run of days, up to the date asked, on which the unit has been
  at its step."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from recovery.probation.constants import FIRST_STEP


@dataclass(frozen=True)
class Opening:
    """A gateway decision: `step` nationally from `takes_effect_on`."""

    step: int
    takes_effect_on: datetime.date


@dataclass(frozen=True)
class Override:
    """An agreed request for one unit."""

    step: int
    takes_effect_on: datetime.date
    follows_parent: bool
    order: int = 0  # among overrides of the same day: the later decided wins


def national_step(openings: Iterable[Opening], on: datetime.date) -> int:
    opened = [o.step for o in openings if o.takes_effect_on <= on]
    return max(opened, default=FIRST_STEP)


def unit_step(parent_step: int, overrides: Iterable[Override], on: datetime.date) -> int:
    """The unit's step on `on`, given its parent's step that day and its own agreed requests."""
    in_effect = [o for o in overrides if o.takes_effect_on <= on]
    if not in_effect:
        return parent_step
    latest = max(in_effect, key=lambda o: (o.takes_effect_on, o.order))
    if latest.follows_parent:
        return parent_step
    return min(latest.step, parent_step)


@dataclass(frozen=True)
class StepTimeline:
    """What decides a unit's step: the gateway openings, the region's overrides and (for a
    PDU) its own."""

    openings: tuple[Opening, ...]
    region: tuple[Override, ...] = ()
    pdu: tuple[Override, ...] | None = None  # None: the timeline is a region's

    def step_on(self, on: datetime.date) -> int:
        step = unit_step(national_step(self.openings, on), self.region, on)
        if self.pdu is not None:
            step = unit_step(step, self.pdu, on)
        return step

    def changes(self) -> list[datetime.date]:
        dates = {o.takes_effect_on for o in self.openings}
        dates |= {o.takes_effect_on for o in self.region}
        dates |= {o.takes_effect_on for o in self.pdu or ()}
        return sorted(dates)

    def since(self, on: datetime.date) -> datetime.date | None:
        """The day the unit's step on `on` began; None if it has been at it from the start."""
        step = self.step_on(on)
        began = None
        for day in self.changes():
            if day > on:
                break
            now = self.step_on(day)
            before = self.step_on(day - datetime.timedelta(days=1))
            if now == step and before != step:
                began = day
            elif now != step:
                began = None
        return began
