"""Every read of the estate that a page or the API needs, already scoped to the person asking.

Each function runs a fixed number of queries whatever the size of the estate: it reads the rows
it needs in one go and counts or sums them in Python (the whole estate is a few hundred units)."""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Q

from recovery.core.constants import Role, UnitKind
from recovery.core.numbers import percent
from recovery.core.scope import allows, unit_filter
from recovery.estate.constants import (
    EstablishmentStatus,
    EstablishmentType,
    Operator,
    categories_label,
)
from recovery.estate.models import Establishment, OrganisationUnit, ProbationOffice

VIEW_PRISON = "estate.view_prison_estate"
VIEW_PROBATION = "estate.view_probation_estate"


def _label(choices, value: str) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value or ""


def may_view_path(user, permission: str, kind: str, path: str) -> bool:
    """`allows` for a unit known only by its kind and path (a breadcrumb's ancestor), so that
    checking ancestors costs no query."""
    return allows(user, permission, SimpleNamespace(kind=kind, path=path))


def ancestor_paths(path: str) -> list[str]:
    """The paths of a unit's ancestors, nation first: "/N/G/E/" -> ["/N/", "/N/G/"]."""
    codes = path.strip("/").split("/")
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes) - 1)]


# --- Prison estate -------------------------------------------------------------------------


@dataclass(frozen=True)
class EstablishmentRow:
    code: str
    name: str
    group_code: str
    group_name: str
    establishment_type: str
    categories: tuple[str, ...]
    operator: str
    operational_capacity: int | None  # None: not known
    population: int | None  # None: not known
    status: str = EstablishmentStatus.OPEN

    @property
    def type_label(self) -> str:
        return _label(EstablishmentType, self.establishment_type)

    @property
    def categories_label(self) -> str:
        """ "B, C"; empty when none is recorded."""
        return categories_label(self.categories)

    @property
    def category_label(self) -> str:
        return self.categories_label or "Not set"

    @property
    def operator_label(self) -> str:
        return _label(Operator, self.operator)

    @property
    def status_label(self) -> str:
        return _label(EstablishmentStatus, self.status)

    @property
    def is_closed(self) -> bool:
        return self.status == EstablishmentStatus.CLOSED

    @property
    def occupancy_percent(self) -> int | None:
        return percent(self.population, self.operational_capacity)


@dataclass(frozen=True)
class Totals:
    """Establishments counted, and their capacity and population added up over the figures
    that are known; `capacity_unknown` and `population_unknown` say how many were left out.
    Occupancy is taken over the establishments whose capacity and population are both known."""

    establishments: int
    operational_capacity: int
    population: int
    capacity_unknown: int = 0
    population_unknown: int = 0
    # Population and capacity of the establishments whose figures are both known, when some
    # are not (None: every figure is known, the totals themselves).
    occupancy_of: tuple[int, int] | None = None

    @property
    def any_unknown(self) -> bool:
        return bool(self.capacity_unknown or self.population_unknown)

    @property
    def occupancy_percent(self) -> int | None:
        population, capacity = self.occupancy_of or (self.population, self.operational_capacity)
        return percent(population, capacity)


@dataclass(frozen=True)
class GroupRow:
    """A prison group and the totals of its establishments (as Totals)."""

    code: str
    name: str
    establishments: int
    operational_capacity: int
    population: int
    capacity_unknown: int = 0
    population_unknown: int = 0
    occupancy_of: tuple[int, int] | None = None

    occupancy_percent = Totals.occupancy_percent


@dataclass(frozen=True)
class EstablishmentFilters:
    """What a person chose in the filter panel of the establishments list."""

    groups: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    operators: tuple[str, ...] = ()
    text: str = ""
    include_closed: bool = False

    @property
    def any(self) -> bool:
        return bool(
            self.groups
            or self.types
            or self.categories
            or self.operators
            or self.text
            or self.include_closed
        )


def _unknown_last(value: int | None) -> tuple[bool, int]:
    return (value is None, value or 0)


ESTABLISHMENT_SORTS: dict[str, Callable[[EstablishmentRow], object]] = {
    "name": lambda r: r.name.casefold(),
    "code": lambda r: r.code,
    "group": lambda r: r.group_name.casefold(),
    "type": lambda r: r.type_label,
    "category": lambda r: r.category_label,
    "operator": lambda r: r.operator_label,
    "capacity": lambda r: _unknown_last(r.operational_capacity),
    "population": lambda r: _unknown_last(r.population),
    "occupancy": lambda r: _unknown_last(r.occupancy_percent),
}

GROUP_SORTS: dict[str, Callable[[GroupRow], object]] = {
    "code": lambda r: r.code,
    "name": lambda r: r.name.casefold(),
    "establishments": lambda r: r.establishments,
    "capacity": lambda r: r.operational_capacity,
    "population": lambda r: r.population,
    "occupancy": lambda r: _unknown_last(r.occupancy_percent),
}


def sort_rows(rows: Iterable, sorts: dict[str, Callable], sort: str, descending: bool) -> list:
    """Rows sorted by the column a person chose; ties keep name order. An unknown column sorts
    by name."""
    key = sorts.get(sort, sorts["name"])
    ordered = sorted(rows, key=sorts["name"])
    return sorted(ordered, key=key, reverse=descending)


def _establishments(user, within: OrganisationUnit | None = None, *, include_closed: bool = False):
    """The establishments the user may see; closed ones only when asked for."""
    queryset = Establishment.objects.filter(unit_filter(user, VIEW_PRISON))
    if not include_closed:
        queryset = queryset.filter(status=EstablishmentStatus.OPEN)
    if within is not None:
        queryset = queryset.filter(path__startswith=within.path)
    return queryset


def has_category(categories) -> Q:
    """Establishments holding any of `categories`. The list is stored as JSON text on SQLite
    and jsonb on PostgreSQL; both answer a case-insensitive match of the quoted value
    ('"B"'), which no other category's text contains (docs/decisions/0013)."""
    condition = Q()
    for category in categories:
        condition |= Q(categories__icontains=f'"{category}"')
    return condition


def establishment_rows(
    user,
    *,
    within: OrganisationUnit | None = None,
    filters: EstablishmentFilters | None = None,
    sort: str = "name",
    descending: bool = False,
) -> list[EstablishmentRow]:
    """The establishments the user may see (inside `within`, if given), filtered and sorted.
    Closed establishments only when the filters ask for them. One query."""
    queryset = _establishments(
        user, within, include_closed=filters is not None and filters.include_closed
    )
    if filters is not None:
        if filters.groups:
            queryset = queryset.filter(parent__code__in=filters.groups)
        if filters.types:
            queryset = queryset.filter(establishment_type__in=filters.types)
        if filters.categories:
            queryset = queryset.filter(has_category(filters.categories))
        if filters.operators:
            queryset = queryset.filter(operator__in=filters.operators)
        if filters.text:
            queryset = queryset.filter(
                Q(name__icontains=filters.text) | Q(code__icontains=filters.text)
            )
    rows = [
        EstablishmentRow(
            code=v["code"],
            name=v["name"],
            group_code=v["parent__code"],
            group_name=v["parent__name"],
            establishment_type=v["establishment_type"],
            categories=tuple(v["categories"] or ()),
            operator=v["operator"],
            operational_capacity=v["operational_capacity"],
            population=v["population"],
            status=v["status"],
        )
        for v in queryset.values(
            "code",
            "name",
            "parent__code",
            "parent__name",
            "establishment_type",
            "categories",
            "operator",
            "operational_capacity",
            "population",
            "status",
        )
    ]
    return sort_rows(rows, ESTABLISHMENT_SORTS, sort, descending)


def totals_of(rows: Iterable[EstablishmentRow]) -> Totals:
    """Counts and sums of known figures; what is not known is counted, never taken as 0."""
    rows = list(rows)
    capacities = [r.operational_capacity for r in rows if r.operational_capacity is not None]
    populations = [r.population for r in rows if r.population is not None]
    both = [r for r in rows if r.occupancy_percent is not None]
    every_figure_known = len(both) == len(rows)
    return Totals(
        establishments=len(rows),
        operational_capacity=sum(capacities),
        population=sum(populations),
        capacity_unknown=len(rows) - len(capacities),
        population_unknown=len(rows) - len(populations),
        occupancy_of=None
        if every_figure_known
        else (sum(r.population for r in both), sum(r.operational_capacity for r in both)),
    )


def group_options(user) -> list[tuple[str, str]]:
    """The prison groups of the establishments the user may see, as (code, name). One query."""
    pairs = (
        _establishments(user, include_closed=True)
        .order_by("parent__name")
        .values_list("parent__code", "parent__name")
        .distinct()
    )
    return list(pairs)


@dataclass(frozen=True)
class PrisonSummary:
    """The prison estate under one unit at a glance: its groups, counts by type, totals."""

    groups: list[GroupRow]
    by_type: list[tuple[str, int]]
    by_operator: list[tuple[str, int]]
    totals: Totals
    establishments: list[EstablishmentRow] = field(default_factory=list)


def prison_summary(user, within: OrganisationUnit) -> PrisonSummary:
    """Two queries: the groups under `within` and the open establishments under it."""
    rows = establishment_rows(user, within=within)
    groups = (
        OrganisationUnit.objects.filter(
            unit_filter(user, VIEW_PRISON),
            kind=UnitKind.PRISON_GROUP,
            path__startswith=within.path,
        )
        .order_by("name")
        .values_list("code", "name")
    )
    by_group: dict[str, list[EstablishmentRow]] = {}
    for row in rows:
        by_group.setdefault(row.group_code, []).append(row)
    group_rows = []
    for code, name in groups:
        members = totals_of(by_group.get(code, []))
        group_rows.append(
            GroupRow(
                code=code,
                name=name,
                establishments=members.establishments,
                operational_capacity=members.operational_capacity,
                population=members.population,
                capacity_unknown=members.capacity_unknown,
                population_unknown=members.population_unknown,
                occupancy_of=members.occupancy_of,
            )
        )
    type_counts = Counter(r.establishment_type for r in rows)
    operator_counts = Counter(r.operator for r in rows)
    return PrisonSummary(
        groups=group_rows,
        by_type=[(t.label, type_counts[t.value]) for t in EstablishmentType if type_counts[t]],
        by_operator=[(o.label, operator_counts[o.value]) for o in Operator],
        totals=totals_of(rows),
        establishments=rows,
    )


# --- Probation estate ----------------------------------------------------------------------


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    pdus: int
    offices: int
    interview_rooms: int


@dataclass(frozen=True)
class PduRow:
    code: str
    name: str
    offices: int
    interview_rooms: int


@dataclass(frozen=True)
class OfficeRow:
    code: str
    name: str
    interview_rooms: int
    opening_hours: str
    days_open: int
    hours_open_a_week: float


def _probation_units(user, within: OrganisationUnit, kind: str):
    return OrganisationUnit.objects.filter(
        unit_filter(user, VIEW_PROBATION), kind=kind, path__startswith=within.path
    )


def _offices(user, within: OrganisationUnit):
    return ProbationOffice.objects.filter(
        unit_filter(user, VIEW_PROBATION), path__startswith=within.path
    )


def region_rows(user, within: OrganisationUnit) -> list[RegionRow]:
    """The probation regions under `within` with their PDUs and offices counted. Three queries."""
    regions = list(
        _probation_units(user, within, UnitKind.PROBATION_REGION)
        .order_by("name")
        .values_list("id", "code", "name")
    )
    pdu_region = dict(_probation_units(user, within, UnitKind.PDU).values_list("id", "parent_id"))
    offices = _offices(user, within).values_list("parent_id", "interview_rooms")
    pdus_per_region = Counter(pdu_region.values())
    offices_per_region: Counter = Counter()
    rooms_per_region: Counter = Counter()
    for pdu_id, rooms in offices:
        region_id = pdu_region.get(pdu_id)
        offices_per_region[region_id] += 1
        rooms_per_region[region_id] += rooms
    return [
        RegionRow(
            code=code,
            name=name,
            pdus=pdus_per_region[pk],
            offices=offices_per_region[pk],
            interview_rooms=rooms_per_region[pk],
        )
        for pk, code, name in regions
    ]


def pdu_rows(user, within: OrganisationUnit) -> list[PduRow]:
    """The PDUs under `within` with their offices counted. Two queries."""
    pdus = list(
        _probation_units(user, within, UnitKind.PDU)
        .order_by("name")
        .values_list("id", "code", "name")
    )
    offices = _offices(user, within).values_list("parent_id", "interview_rooms")
    office_count: Counter = Counter()
    rooms: Counter = Counter()
    for pdu_id, count in offices:
        office_count[pdu_id] += 1
        rooms[pdu_id] += count
    return [
        PduRow(code=code, name=name, offices=office_count[pk], interview_rooms=rooms[pk])
        for pk, code, name in pdus
    ]


def office_rows(user, within: OrganisationUnit) -> list[OfficeRow]:
    """The offices under `within`. One query."""
    return [
        OfficeRow(
            code=o.code,
            name=o.name,
            interview_rooms=o.interview_rooms,
            opening_hours=f"{o.opens_at:%H:%M} to {o.closes_at:%H:%M}",
            days_open=o.days_open,
            hours_open_a_week=o.hours_open_a_week,
        )
        for o in _offices(user, within)
        .order_by("name")
        .only("code", "name", "interview_rooms", "opens_at", "closes_at", "days_open")
    ]


# --- Units of any kind ---------------------------------------------------------------------


def visible_unit(user, code: str) -> OrganisationUnit | None:
    """The unit with `code` if the user may see it: a prison unit through the prison estate
    permission, a probation unit through the probation one. One query."""
    condition = unit_filter(user, VIEW_PRISON) | unit_filter(user, VIEW_PROBATION)
    return OrganisationUnit.objects.filter(condition, code=code).first()


def administrators() -> list[tuple[str, str]]:
    """Who a person without a role can ask for access: (name, e-mail) of the administrators."""
    from recovery.accounts.models import RoleAssignment

    seen: dict[str, str] = {}
    for assignment in (
        RoleAssignment.objects.filter(role=Role.ADMINISTRATOR, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")[:10]
    ):
        user = assignment.user
        seen.setdefault(user.email, user.get_full_name() or user.email)
    return [(name, email) for email, name in seen.items()]
