"""Sequencing and weighted progress of a plan: pure functions of the responses, so that pages,
exports, the API and the group and national views all count the same way.

- A weight-3 baseline is a precursor: while any applicable weight-3 baseline of an EDM is not
  met, that EDM's weight-2 and weight-1 baselines are "waiting on precursors" (still editable).
- "Next" is the outstanding work of the highest weighting that nothing is waiting on.
- Progress is met weight / applicable weight ("not applicable" baselines leave both sides)."""

import datetime
from collections import defaultdict
from collections.abc import Hashable, Iterable
from collections.abc import Sequence as Seq
from dataclasses import dataclass

from recovery.core.numbers import percent
from recovery.plans.constants import PRECURSOR_WEIGHTING, ResponseStatus, Sequence

DONE_STATUSES = frozenset({ResponseStatus.MET, ResponseStatus.NOT_APPLICABLE})


@dataclass(frozen=True)
class Item:
    """What sequencing and progress need to know about one answered baseline."""

    edm: Hashable
    weighting: int
    mandatory: bool
    status: str
    target_date: datetime.date | None = None

    @property
    def applicable(self) -> bool:
        return self.status != ResponseStatus.NOT_APPLICABLE

    @property
    def done(self) -> bool:
        return self.status in DONE_STATUSES

    def overdue(self, today: datetime.date) -> bool:
        return not self.done and self.target_date is not None and self.target_date < today


@dataclass(frozen=True)
class Progress:
    met_weight: int
    applicable_weight: int

    @property
    def fraction(self) -> float | None:
        """None when nothing applies: there is no progress to show, not 0% or 100%."""
        if not self.applicable_weight:
            return None
        return self.met_weight / self.applicable_weight

    @property
    def percent(self) -> int | None:
        return percent(self.met_weight, self.applicable_weight)

    def __add__(self, other: "Progress") -> "Progress":
        return Progress(
            self.met_weight + other.met_weight, self.applicable_weight + other.applicable_weight
        )


def progress_of(items: Iterable[Item], *, mandatory: bool | None = None) -> Progress:
    """Weighted progress of `items`; only mandatory (or desirable) ones when asked."""
    met = applicable = 0
    for item in items:
        if mandatory is not None and item.mandatory != mandatory:
            continue
        if not item.applicable:
            continue
        applicable += item.weighting
        if item.status == ResponseStatus.MET:
            met += item.weighting
    return Progress(met, applicable)


def sequence_of(items: Seq[Item]) -> list[str]:
    """The place of each item in the order of work, in the order given."""
    by_edm: dict[Hashable, list[Item]] = defaultdict(list)
    for item in items:
        by_edm[item.edm].append(item)
    waiting_edms = {
        edm
        for edm, members in by_edm.items()
        if any(i.weighting >= PRECURSOR_WEIGHTING and not i.done for i in members)
    }
    next_weight = {
        edm: max((i.weighting for i in members if not i.done), default=0)
        for edm, members in by_edm.items()
    }
    result = []
    for item in items:
        if item.done:
            result.append(Sequence.DONE)
        elif item.weighting >= PRECURSOR_WEIGHTING:
            result.append(Sequence.NEXT)
        elif item.edm in waiting_edms:
            result.append(Sequence.WAITING)
        elif item.weighting == next_weight[item.edm]:
            result.append(Sequence.NEXT)
        else:
            result.append(Sequence.LATER)
    return result
