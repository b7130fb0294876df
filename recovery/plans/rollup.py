"""Scores rolled up: weighted progress per EDM, per area and per establishment, mandatory and
desirable apart, shaped for the bar chart (server-rendered SVG) and the table beneath it.

The figures themselves come from progress.progress_of, so the chart counts as every other view
does; this module only groups them and turns fractions into bar widths."""

from collections.abc import Iterable
from dataclasses import dataclass

from recovery.plans.progress import Progress, progress_of

# The longest bar (100%) in SVG user units, and the height of one row of two bars.
BAR_LENGTH = 360
ROW_HEIGHT = 60


def bar_width(progress: Progress) -> int:
    """Nothing applicable draws no bar (the table says "nothing applies")."""
    fraction = progress.fraction
    return 0 if fraction is None else round(fraction * BAR_LENGTH)


@dataclass(frozen=True)
class RollupRow:
    label: str
    mandatory: Progress
    desirable: Progress

    @property
    def mandatory_width(self) -> int:
        return bar_width(self.mandatory)

    @property
    def desirable_width(self) -> int:
        return bar_width(self.desirable)


@dataclass(frozen=True)
class Rollup:
    """One chart and its table: `key` names the chart's ids, `caption` its title."""

    key: str
    caption: str
    rows: list[RollupRow]

    @property
    def height(self) -> int:
        return len(self.rows) * ROW_HEIGHT


def _row(label: str, items: list) -> RollupRow:
    return RollupRow(label, progress_of(items, mandatory=True), progress_of(items, mandatory=False))


def by_edm(sections: Iterable) -> Rollup:
    """One row per EDM of a plan (plan_page's sections)."""
    rows = [_row(f"EDM {s.number}: {s.title}", [r.item() for r in s.rows]) for s in sections]
    return Rollup("edm", "Weighted progress by EDM", rows)


def by_area(sections: Iterable) -> Rollup:
    """One row per area of each EDM, in the order of the plan."""
    rows = []
    for section in sections:
        areas: dict[str, list] = {}
        for row in section.rows:
            areas.setdefault(row.area, []).append(row.item())
        rows += [_row(f"EDM {section.number}, area {a}", items) for a, items in areas.items()]
    return Rollup("area", "Weighted progress by area", rows)


def by_establishment(progress_rows: Iterable) -> Rollup:
    """One row per establishment with a plan (queries.establishment_progress)."""
    rows = [
        RollupRow(f"{r.name} ({r.code})", r.summary.mandatory, r.summary.desirable)
        for r in progress_rows
        if r.summary
    ]
    return Rollup("establishment", "Weighted progress by establishment", rows)
