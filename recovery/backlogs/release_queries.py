"""What the release pages and their exports show: a release's national figures and the figures
of the prison groups in the reader's scope, each suppressed as the rule in force says, and the
figures of earlier periods it revised. A fixed number of queries whatever the number of
metrics, groups or releases."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from recovery.backlogs.constants import BacklogArea
from recovery.backlogs.models import Metric, Release, ReleaseFigure, ReturnSettings
from recovery.backlogs.releases import published_figures, suppress, suppression_rule
from recovery.backlogs.rules import VIEW_GROUP_BACKLOGS
from recovery.core.constants import UnitKind
from recovery.core.scope import unit_filter
from recovery.core.xlsx import Sheet
from recovery.estate.models import OrganisationUnit


@dataclass(frozen=True)
class Cell:
    shown: Decimal | str | None  # the value, "fewer than N", or None (nobody reported)
    reporting: int
    expected: int


@dataclass(frozen=True)
class Row:
    metric: Metric
    cells: list[Cell]


@dataclass(frozen=True)
class Revision:
    metric: Metric
    unit: OrganisationUnit
    period_start: datetime.date
    shown: Decimal | str | None
    before: Decimal | str | None  # as last published before this release
    reporting: int
    expected: int


@dataclass
class ReleasePage:
    release: Release
    units: list[OrganisationUnit]  # the nation first, then the groups in scope
    areas: list[tuple[str, list[Row]]] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    rule: str = ""

    @property
    def empty(self) -> bool:
        return not self.areas


def releases_list() -> list[Release]:
    """Every release, newest first, with how many figures it revised."""
    return list(
        Release.objects.annotate(
            revised=Count("figures", filter=Q(figures__revised=True))
        ).order_by("-number")
    )


def units_for(user) -> list[OrganisationUnit]:
    """The nation, then the prison groups whose figures `user` reads."""
    nation = OrganisationUnit.objects.filter(kind=UnitKind.NATION).first()
    groups = OrganisationUnit.objects.filter(
        unit_filter(user, VIEW_GROUP_BACKLOGS), kind=UnitKind.PRISON_GROUP
    ).order_by("name")
    return [u for u in [nation, *groups] if u is not None]


def release_page(user, release: Release) -> ReleasePage:
    settings = ReturnSettings.current()
    units = units_for(user)
    unit_ids = [u.pk for u in units]
    metric_ids = set(
        ReleaseFigure.objects.filter(release=release, unit_id__in=unit_ids).values_list(
            "metric_id", flat=True
        )
    )
    metrics = list(Metric.objects.filter(pk__in=metric_ids).order_by("order", "name"))
    page = ReleasePage(release=release, units=units, rule=suppression_rule(settings))
    figures = published_figures(release, unit_ids, metrics, [release.period_start])
    by_area: dict[str, list[Row]] = {}
    for metric in metrics:
        cells = []
        for unit in units:
            figure = figures.get((metric.pk, unit.pk, release.period_start))
            cells.append(
                Cell(
                    suppress(figure.value, metric, settings) if figure else None,
                    figure.reporting if figure else 0,
                    figure.expected if figure else 0,
                )
            )
        by_area.setdefault(metric.area, []).append(Row(metric, cells))
    page.areas = [
        (label, by_area[value]) for value, label in BacklogArea.choices if value in by_area
    ]
    page.revisions = _revisions(release, units, metrics, settings)
    return page


def _revisions(release, units, metrics, settings) -> list[Revision]:
    revised = list(
        ReleaseFigure.objects.filter(release=release, revised=True, unit__in=units).order_by(
            "period_start", "metric__order", "unit__path"
        )
    )
    if not revised:
        return []
    earlier = Release(number=release.number - 1, period_start=release.period_start)
    before = published_figures(
        earlier, [u.pk for u in units], metrics, {r.period_start for r in revised}
    )
    metric_of = {m.pk: m for m in metrics}
    unit_of = {u.pk: u for u in units}
    rows = []
    for r in revised:
        metric = metric_of.get(r.metric_id)
        if metric is None:
            continue
        old = before.get((r.metric_id, r.unit_id, r.period_start))
        rows.append(
            Revision(
                metric=metric,
                unit=unit_of[r.unit_id],
                period_start=r.period_start,
                shown=suppress(r.value, metric, settings),
                before=suppress(old.value, metric, settings) if old else None,
                reporting=r.establishments_reporting,
                expected=r.establishments_expected,
            )
        )
    return rows


EXPORT_HEADERS = [
    "Release",
    "Period from",
    "Revised",
    "Organisation",
    "Area",
    "Metric",
    "Unit",
    "How it adds up",
    "Value",
    "Establishments reporting",
    "Establishments expected",
]


def export_sheet(page: ReleasePage) -> Sheet:
    """The release as one table (this period's figures, then the revised ones), suppressed as
    on the page."""
    release = page.release
    rows = []
    for area, area_rows in page.areas:
        for row in area_rows:
            for unit, cell in zip(page.units, row.cells, strict=True):
                rows.append(
                    [
                        release.number,
                        release.period_start,
                        "no",
                        unit.name,
                        area,
                        row.metric.name,
                        row.metric.get_unit_display(),
                        row.metric.get_aggregation_display(),
                        cell.shown,
                        cell.reporting,
                        cell.expected,
                    ]
                )
    for r in page.revisions:
        rows.append(
            [
                release.number,
                r.period_start,
                "yes",
                r.unit.name,
                r.metric.get_area_display(),
                r.metric.name,
                r.metric.get_unit_display(),
                r.metric.get_aggregation_display(),
                r.shown,
                r.reporting,
                r.expected,
            ]
        )
    return Sheet(f"Release {release.number}", EXPORT_HEADERS, rows)
