"""The national and group stage picture: the questions the centre asks every week (the Recovery
Update minutes): how many open establishments are at each stage, how many are in outbreak, how
many were approved to move this week and to which stage, how many readiness assessments wait at
each step and for how long, and which establishments have been at the same stage longest.

Everything is worked out for one date ("as at"), over the open establishments of a unit (the
nation or a prison group) narrowed by group and type. The number of queries is fixed whatever
the number of establishments: the counts at each stage (and in outbreak) of each group come
from one grouped query, counted by the database; the list of establishments with their stage,
since when and their outbreak from two (the establishments, and one read of their stage
history); each other figure from one grouped query."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from recovery.core.constants import UnitKind
from recovery.core.xlsx import Sheet
from recovery.covid.models import Outbreak
from recovery.estate.constants import EstablishmentStatus, EstablishmentType
from recovery.estate.models import Establishment, OrganisationUnit
from recovery.frameworks.models import Stage
from recovery.progression.constants import AssessmentStatus, ChangeKind, Step
from recovery.progression.models import ReadinessAssessment, SignOff
from recovery.progression.queries import effective_changes

# The steps an assessment waits at, in the order of the route.
WAITING_STEPS = (
    AssessmentStatus.AWAITING_UNION,
    AssessmentStatus.AWAITING_PGD,
    AssessmentStatus.AWAITING_PANEL,
    AssessmentStatus.DEFERRED,
)
LONGEST_SHOWN = 10
WEEK = 7
BAR_SPACE = 360  # the chart's widest bar, in its own units


@dataclass(frozen=True)
class Filters:
    """Which open establishments the picture covers: prison group codes and establishment types
    (none chosen: all)."""

    groups: tuple[str, ...] = ()
    types: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.groups or self.types)


@dataclass
class StageRow:
    number: int | None  # None: no stage recorded yet
    name: str
    colour: str
    establishments: int = 0
    in_outbreak: int = 0
    bar_width: int = 0  # in the chart, out of BAR_SPACE

    @property
    def label(self) -> str:
        return f"Stage {self.number}: {self.name}" if self.number is not None else self.name


@dataclass
class GroupRow:
    code: str
    name: str
    by_stage: list[int]  # in ladder order, then "no stage recorded"
    establishments: int = 0
    in_outbreak: int = 0


@dataclass
class MoveRow:
    """Establishments that moved, or were approved to move, from one stage to another."""

    from_label: str
    to_label: str
    to_number: int | None
    count: int


@dataclass
class EstablishmentRow:
    code: str
    name: str
    group_code: str
    group_name: str
    stage: str
    since: date | None
    in_outbreak: bool


@dataclass
class WaitingRow:
    status: str
    label: str
    count: int = 0
    oldest_days: int | None = None
    median_days: float | None = None


@dataclass
class LongestRow:
    code: str
    name: str
    group_code: str
    group_name: str
    stage: str
    since: date
    days: int


@dataclass
class Picture:
    """The whole picture on `on`, for the page and its spreadsheet."""

    on: date
    week_from: date
    unit_name: str
    stages: list[StageRow]
    groups: list[GroupRow]
    approvals: list[MoveRow]
    moves_up: list[MoveRow]
    moves_back: list[MoveRow]
    waiting: list[WaitingRow]
    waiting_as_of: date
    longest: list[LongestRow]
    rows: list[EstablishmentRow]
    establishments: int = 0
    in_outbreak: int = 0
    filters: Filters = field(default_factory=Filters)

    @property
    def approved(self) -> int:
        return sum(r.count for r in self.approvals)

    @property
    def moved_up(self) -> int:
        return sum(r.count for r in self.moves_up)

    @property
    def moved_back(self) -> int:
        return sum(r.count for r in self.moves_back)

    @property
    def with_stage(self) -> list[StageRow]:
        return [s for s in self.stages if s.number is not None]


# --- Which establishments ---------------------------------------------------------------------


def open_establishments(unit: OrganisationUnit, filters: Filters = Filters()) -> QuerySet:
    """The open establishments beneath `unit` (the nation or a group), narrowed by `filters`:
    closed establishments leave national counts."""
    qs = Establishment.objects.filter(
        kind=UnitKind.ESTABLISHMENT,
        status=EstablishmentStatus.OPEN,
        path__startswith=unit.path,
    )
    if filters.groups:
        qs = qs.filter(parent__code__in=filters.groups)
    if filters.types:
        qs = qs.filter(establishment_type__in=filters.types)
    return qs


def groups_beneath(unit: OrganisationUnit) -> list[tuple[str, str]]:
    """(code, name) of the prison groups beneath `unit`, for the group filter."""
    return list(
        OrganisationUnit.objects.filter(kind=UnitKind.PRISON_GROUP, path__startswith=unit.path)
        .order_by("name")
        .values_list("code", "name")
    )


TYPE_CHOICES = EstablishmentType.choices


# --- The one annotated query ------------------------------------------------------------------


def in_outbreak_on(on: date, *, outer: str = "pk") -> Exists:
    """An outbreak is open on `on` when it was declared on or before it and had not ended by
    it (an outbreak that ended on `on` is over that day)."""
    return Exists(
        Outbreak.objects.filter(establishment_id=OuterRef(outer), declared_on__lte=on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=on)
        )
    )


def current_stages(establishments: QuerySet, on: date) -> dict[int, tuple[int, date]]:
    """{establishment id: (its stage on `on`, the first day of its current run at that
    stage)}, from its stage history up to `on` read in ONE query and walked in order. A change
    that records the same stage again (a correction) does not restart the run; an
    establishment with no history is absent."""
    history = (
        effective_changes(on)
        .filter(establishment__in=establishments)
        .order_by("establishment_id", "effective_from", "pk")
        .values_list("establishment_id", "stage_id", "effective_from")
    )
    current: dict[int, tuple[int, date]] = {}
    for site, stage, day in history:
        held = current.get(site)
        if held is None or held[0] != stage:
            current[site] = (stage, day)
    return current


def establishment_facts(establishments: QuerySet, on: date) -> list[dict]:
    """One row per establishment: code, name, group, whether it was in outbreak on `on`, its
    stage then and since when it had been at that stage, in two queries."""
    facts = list(
        establishments.annotate(outbreak=in_outbreak_on(on))
        .values("pk", "code", "name", "parent__code", "parent__name", "outbreak")
        .order_by("name", "code")
    )
    stages = current_stages(establishments, on)
    for fact in facts:
        fact["stage_on"], fact["since"] = stages.get(fact["pk"], (None, None))
    return facts


def _stage_on(on: date) -> Subquery:
    return Subquery(
        effective_changes(on)
        .filter(establishment_id=OuterRef("pk"))
        .order_by("-effective_from", "-pk")
        .values("stage_id")[:1]
    )


def stage_counts(establishments: QuerySet, on: date) -> list[dict]:
    """The national counts: how many establishments of each group were at each stage on `on`
    (their latest change in effect then; `stage_on` None: no stage recorded) and how many of
    them were in outbreak, counted by the database in ONE query."""
    return list(
        establishments.annotate(stage_on=_stage_on(on), outbreak=in_outbreak_on(on))
        .values("parent__code", "parent__name", "stage_on")
        .annotate(
            establishments=Count("pk"),
            in_outbreak=Count("pk", filter=Q(outbreak=True)),
        )
        .order_by()
    )


# --- The other figures: one grouped query each ------------------------------------------------


def _stage_label(number: int | None, name: str | None) -> str:
    return f"Stage {number}: {name}" if number is not None else "No stage recorded"


def approvals_in_week(establishments: QuerySet, week_from: date, on: date) -> list[MoveRow]:
    """Readiness assessments the national panel approved (a sign-off "approved") in the seven
    days ending on `on`, by the stage they move from and to, whatever their commencement date."""
    rows = (
        SignOff.objects.filter(
            step=Step.APPROVED,
            at__date__gte=week_from,
            at__date__lte=on,
            assessment__establishment__in=establishments,
        )
        .values(
            "assessment__from_stage__number",
            "assessment__from_stage__name",
            "assessment__to_stage__number",
            "assessment__to_stage__name",
        )
        .annotate(count=Count("assessment__establishment", distinct=True))
        .order_by("-assessment__from_stage__number", "-assessment__to_stage__number")
    )
    return [
        MoveRow(
            _stage_label(r["assessment__from_stage__number"], r["assessment__from_stage__name"]),
            _stage_label(r["assessment__to_stage__number"], r["assessment__to_stage__name"]),
            r["assessment__to_stage__number"],
            r["count"],
        )
        for r in rows
    ]


def moves_in_week(
    establishments: QuerySet, week_from: date, on: date
) -> tuple[list[MoveRow], list[MoveRow]]:
    """Stage changes that took effect in the seven days ending on `on`: moves up (a
    commencement) and moves back (a regression or an emergency move), by stage."""
    rows = (
        effective_changes(on)
        .filter(
            effective_from__gte=week_from,
            establishment__in=establishments,
            kind__in=[ChangeKind.COMMENCEMENT, ChangeKind.REGRESSION, ChangeKind.EMERGENCY],
        )
        .values(
            "kind",
            "previous_stage__number",
            "previous_stage__name",
            "stage__number",
            "stage__name",
        )
        .annotate(count=Count("establishment", distinct=True))
        .order_by("-previous_stage__number", "-stage__number")
    )
    up, back = [], []
    for r in rows:
        row = MoveRow(
            _stage_label(r["previous_stage__number"], r["previous_stage__name"]),
            _stage_label(r["stage__number"], r["stage__name"]),
            r["stage__number"],
            r["count"],
        )
        (up if r["kind"] == ChangeKind.COMMENCEMENT else back).append(row)
    return up, back


def waiting_assessments(establishments: QuerySet, today: date) -> list[WaitingRow]:
    """Readiness assessments waiting at each step of the route now, and for how long (whole
    days since they reached the step, `status_since`)."""
    rows = {s: WaitingRow(s.value, s.label) for s in WAITING_STEPS}
    days: dict[str, list[int]] = defaultdict(list)
    for status, since in ReadinessAssessment.objects.filter(
        status__in=WAITING_STEPS, establishment__in=establishments
    ).values_list("status", "status_since"):
        rows[status].count += 1
        if since is not None:
            days[status].append((today - timezone.localdate(since)).days)
    for status, waits in days.items():
        rows[status].oldest_days = max(waits)
        rows[status].median_days = statistics.median(waits)
    return list(rows.values())


# --- The picture ------------------------------------------------------------------------------


def stage_picture(
    unit: OrganisationUnit, on: date | None = None, filters: Filters = Filters()
) -> Picture:
    """The whole picture of the open establishments beneath `unit` on `on` (today when not
    given), in a fixed number of queries."""
    today = timezone.localdate()
    on = on or today
    week_from = on - timedelta(days=WEEK - 1)
    establishments = open_establishments(unit, filters)
    stages = list(Stage.objects.order_by("-number").values("pk", "number", "name", "colour"))
    facts = establishment_facts(establishments, on)

    rows = [StageRow(s["number"], s["name"], s["colour"]) for s in stages]
    unknown = StageRow(None, "No stage recorded", "grey")
    row_of = {s["pk"]: row for s, row in zip(stages, rows, strict=True)}
    index_of = {s["pk"]: i for i, s in enumerate(stages)}
    groups: dict[str, GroupRow] = {}
    for count in stage_counts(establishments, on):
        row = row_of.get(count["stage_on"], unknown)
        row.establishments += count["establishments"]
        row.in_outbreak += count["in_outbreak"]
        group = groups.setdefault(
            count["parent__code"],
            GroupRow(count["parent__code"], count["parent__name"], [0] * (len(stages) + 1)),
        )
        group.by_stage[index_of.get(count["stage_on"], len(stages))] += count["establishments"]
        group.establishments += count["establishments"]
        group.in_outbreak += count["in_outbreak"]

    largest = max((r.establishments for r in [*rows, unknown]), default=0)
    for row in [*rows, unknown]:
        row.bar_width = round(BAR_SPACE * row.establishments / largest) if largest else 0
    up, back = moves_in_week(establishments, week_from, on)
    return Picture(
        on=on,
        week_from=week_from,
        unit_name=unit.name,
        stages=rows + ([unknown] if unknown.establishments else []),
        groups=sorted(groups.values(), key=lambda g: g.name),
        approvals=approvals_in_week(establishments, week_from, on),
        moves_up=up,
        moves_back=back,
        waiting=waiting_assessments(establishments, today),
        waiting_as_of=today,
        longest=longest_at_stage(facts, row_of, on),
        rows=[
            EstablishmentRow(
                f["code"],
                f["name"],
                f["parent__code"],
                f["parent__name"],
                row_of.get(f["stage_on"], unknown).label,
                f["since"],
                f["outbreak"],
            )
            for f in facts
        ],
        establishments=sum(r.establishments for r in rows) + unknown.establishments,
        in_outbreak=sum(r.in_outbreak for r in rows) + unknown.in_outbreak,
        filters=filters,
    )


def longest_at_stage(facts: list[dict], row_of: dict, on: date) -> list[LongestRow]:
    """The establishments that have been at the same stage longest on `on` (earliest arrival
    first; then by name)."""
    staged = sorted(
        (f for f in facts if f["since"] is not None), key=lambda f: (f["since"], f["name"])
    )
    return [
        LongestRow(
            f["code"],
            f["name"],
            f["parent__code"],
            f["parent__name"],
            row_of[f["stage_on"]].label,
            f["since"],
            (on - f["since"]).days,
        )
        for f in staged[:LONGEST_SHOWN]
    ]


# --- The spreadsheet --------------------------------------------------------------------------


def picture_sheets(picture: Picture) -> list[Sheet]:
    """The same figures as the page, one sheet per table, each stating the date."""
    on = picture.on
    as_at = f"as at {on:%-d %B %Y}"
    stage_names = [s.label for s in picture.with_stage] + ["No stage recorded"]
    return [
        Sheet(
            "Stages",
            ["As at", "Stage", "Open establishments", "In outbreak"],
            [[on, s.label, s.establishments, s.in_outbreak] for s in picture.stages]
            + [[on, "All stages", picture.establishments, picture.in_outbreak]],
        ),
        Sheet(
            "Groups",
            ["As at", "Prison group code", "Prison group", *stage_names, "In outbreak"],
            [[on, g.code, g.name, *g.by_stage, g.in_outbreak] for g in picture.groups],
        ),
        Sheet(
            "Moves in the week",
            ["Week from", "Week to", "What", "From stage", "To stage", "Establishments"],
            [
                [picture.week_from, on, what, m.from_label, m.to_label, m.count]
                for what, moves in (
                    ("Approved by the national panel", picture.approvals),
                    ("Moved up a stage (commencement in effect)", picture.moves_up),
                    ("Moved back a stage", picture.moves_back),
                )
                for m in moves
            ],
        ),
        Sheet(
            "Assessments waiting",
            ["As of", "Step", "Assessments", "Oldest (days)", "Median (days)"],
            [
                [picture.waiting_as_of, w.label, w.count, w.oldest_days, w.median_days]
                for w in picture.waiting
            ],
        ),
        Sheet(
            "Longest at a stage",
            ["As at", "Code", "Establishment", "Prison group", "Stage", "Since", "Days"],
            [[on, r.code, r.name, r.group_name, r.stage, r.since, r.days] for r in picture.longest],
        ),
        Sheet(
            "About",
            ["What", "Value"],
            [
                ["Stage picture of", picture.unit_name],
                ["As at", on],
                ["Week of the moves", f"{picture.week_from:%-d %B %Y} to {on:%-d %B %Y}"],
                ["Prison groups chosen", ", ".join(picture.filters.groups) or "All"],
                ["Types chosen", ", ".join(picture.filters.types) or "All"],
                ["Counted", f"Open establishments {as_at}; closed ones are left out"],
                [
                    "Approved",
                    "Readiness assessments the national panel approved in the week",
                ],
                ["Moved", "Stage changes that took effect in the week"],
            ],
        ),
    ]
