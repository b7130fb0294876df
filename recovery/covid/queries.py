"""Reading Covid controls, for the pages, the API and the other apps.

What other apps call:

- `controls_of(establishment)` → `CovidPicture`: the open outbreak (or None), the register,
  coverage, every PPE item with what is short, the contact-tracing lead and the date the
  outbreak and contingency plan was last reviewed. Four queries.
- `in_outbreak_ids(on=date)` → the ids of establishments in outbreak on that date. One query.
- `outbreak_counts(establishments, on=date)` → `OutbreakCounts`: of the establishments in a
  queryset, how many there are, how many were in outbreak on that date, and the same by prison
  group. Two queries, whatever the number of establishments.

"In outbreak on date D" means an outbreak declared on or before D that had not ended by D:
`declared_on <= D and (ended_on is null or ended_on > D)`; the end date is the first day out of
outbreak. Without a date, today."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from recovery.core.scope import unit_filter
from recovery.covid.constants import PpeItem
from recovery.covid.models import CovidControls, Outbreak, PpeStock
from recovery.covid.rules import VIEW_COVID
from recovery.estate.constants import EstablishmentStatus
from recovery.estate.models import Establishment


def in_outbreak_on(on: datetime.date | None = None, *, prefix: str = "") -> Q:
    """The filter of outbreaks open on `on` (today when not given). `prefix` reaches the
    outbreak from another model ("outbreaks__")."""
    day = on or timezone.localdate()
    return Q(**{f"{prefix}declared_on__lte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": day})
    )


def in_outbreak_ids(on: datetime.date | None = None) -> set[int]:
    """The ids of every establishment in outbreak on `on` (today when not given). One query."""
    return set(
        Outbreak.objects.filter(in_outbreak_on(on))
        .values_list("establishment_id", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class OutbreakCounts:
    """Of a set of establishments: how many there are, how many were in outbreak on `on`,
    which ones, and how many in outbreak in each prison group (by the group's id)."""

    on: datetime.date
    establishments: int
    in_outbreak: int
    ids: frozenset[int]
    by_group: dict[int, int] = field(default_factory=dict)


def outbreak_counts(
    establishments: QuerySet | None = None, *, on: datetime.date | None = None
) -> OutbreakCounts:
    """Counts for `establishments` (every open establishment when not given) on `on`. Two
    queries whatever their number."""
    day = on or timezone.localdate()
    if establishments is None:
        establishments = Establishment.objects.filter(status=EstablishmentStatus.OPEN)
    pairs = set(
        Outbreak.objects.filter(in_outbreak_on(day), establishment__in=establishments)
        .values_list("establishment_id", "establishment__parent_id")
        .distinct()
    )
    by_group: dict[int, int] = {}
    for _, group_id in pairs:
        by_group[group_id] = by_group.get(group_id, 0) + 1
    return OutbreakCounts(
        on=day,
        establishments=establishments.count(),
        in_outbreak=len(pairs),
        ids=frozenset(e for e, _ in pairs),
        by_group=by_group,
    )


# --- One establishment ------------------------------------------------------------------------


@dataclass(frozen=True)
class PpeLine:
    """One PPE item: its stock against need, or not counted yet (both None)."""

    item: str
    label: str
    in_stock: int | None
    needed: int | None
    counted_on: datetime.date | None
    version: int  # 0: not counted yet

    @property
    def counted(self) -> bool:
        return self.in_stock is not None

    @property
    def short_by(self) -> int:
        if self.in_stock is None or self.needed is None:
            return 0
        return max(0, self.needed - self.in_stock)

    @property
    def is_short(self) -> bool:
        return self.short_by > 0


@dataclass(frozen=True)
class Coverage:
    """Testing and vaccination coverage in whole per cent; None when not known."""

    as_of: datetime.date | None
    staff_tested: int | None
    prisoners_tested: int | None
    staff_vaccinated: int | None
    prisoners_vaccinated: int | None


@dataclass(frozen=True)
class CovidPicture:
    """An establishment's Covid controls as things stand."""

    establishment: Establishment
    open_outbreak: Outbreak | None
    outbreaks: list[Outbreak]  # the register, newest first
    coverage: Coverage
    contact_tracing_lead: str
    contingency_plan_reviewed_on: datetime.date | None
    ppe: list[PpeLine]  # every item, in the order of PpeItem
    controls_version: int

    @property
    def in_outbreak(self) -> bool:
        return self.open_outbreak is not None

    @property
    def ppe_short(self) -> list[PpeLine]:
        """The items whose stock is below need."""
        return [line for line in self.ppe if line.is_short]

    @property
    def ppe_not_counted(self) -> list[PpeLine]:
        return [line for line in self.ppe if not line.counted]


def ppe_lines(establishment: Establishment) -> list[PpeLine]:
    """Every PPE item of the establishment, counted or not. One query."""
    stock = {s.item: s for s in PpeStock.objects.filter(establishment=establishment)}
    lines = []
    for item in PpeItem:
        s = stock.get(item.value)
        lines.append(
            PpeLine(
                item=item.value,
                label=str(item.label),
                in_stock=s.in_stock if s else None,
                needed=s.needed if s else None,
                counted_on=s.counted_on if s else None,
                version=s.version if s else 0,
            )
        )
    return lines


def outbreak_register(establishment: Establishment) -> list[Outbreak]:
    return list(
        Outbreak.objects.filter(establishment=establishment).order_by("-declared_on", "-pk")
    )


def controls_of(establishment: Establishment) -> CovidPicture:
    """The establishment's Covid controls (not scoped: the caller has checked that the person
    may see the establishment's controls). Three queries."""
    outbreaks = outbreak_register(establishment)
    controls = CovidControls.objects.filter(establishment=establishment).first()
    return CovidPicture(
        establishment=establishment,
        open_outbreak=next((o for o in outbreaks if o.ended_on is None), None),
        outbreaks=outbreaks,
        coverage=Coverage(
            as_of=controls.as_of if controls else None,
            staff_tested=controls.staff_tested_percent if controls else None,
            prisoners_tested=controls.prisoners_tested_percent if controls else None,
            staff_vaccinated=controls.staff_vaccinated_percent if controls else None,
            prisoners_vaccinated=controls.prisoners_vaccinated_percent if controls else None,
        ),
        contact_tracing_lead=controls.contact_tracing_lead if controls else "",
        contingency_plan_reviewed_on=(controls.contingency_plan_reviewed_on if controls else None),
        ppe=ppe_lines(establishment),
        controls_version=controls.version if controls else 0,
    )


def changes_to_controls(establishment: Establishment):
    """Who changed the establishment's Covid controls, when and how: its outbreaks, coverage
    and PPE stock, newest first (one query; not scoped, as `controls_of`)."""
    from recovery.audit.queries import about_any_of, history

    return history(
        about_any_of(Outbreak, Outbreak.objects.filter(establishment=establishment))
        | about_any_of(CovidControls, CovidControls.objects.filter(establishment=establishment))
        | about_any_of(PpeStock, PpeStock.objects.filter(establishment=establishment))
    )


def open_outbreak_of(establishment: Establishment) -> Outbreak | None:
    return (
        Outbreak.objects.filter(establishment=establishment, ended_on__isnull=True)
        .select_related("establishment")
        .first()
    )


# --- Lists, scoped ----------------------------------------------------------------------------


def establishments_in_scope(user) -> QuerySet:
    """The open establishments whose Covid controls `user` may read, by name."""
    return (
        Establishment.objects.filter(unit_filter(user, VIEW_COVID))
        .filter(status=EstablishmentStatus.OPEN)
        .select_related("parent")
        .order_by("name", "code")
    )


@dataclass(frozen=True)
class CovidRow:
    """One establishment in a list: whether it is in outbreak, since when, and how many PPE
    items are below need."""

    code: str
    name: str
    group_name: str
    open_outbreak_declared_on: datetime.date | None
    ppe_items_short: int
    contingency_plan_reviewed_on: datetime.date | None


def covid_rows(establishments: list[Establishment]) -> list[CovidRow]:
    """A row for each of `establishments`. Three queries whatever their number."""
    ids = [e.pk for e in establishments]
    open_since = dict(
        Outbreak.objects.filter(establishment_id__in=ids, ended_on__isnull=True).values_list(
            "establishment_id", "declared_on"
        )
    )
    short: dict[int, int] = {}
    for stock in PpeStock.objects.filter(establishment_id__in=ids).only(
        "establishment_id", "in_stock", "needed"
    ):
        if stock.in_stock < stock.needed:
            short[stock.establishment_id] = short.get(stock.establishment_id, 0) + 1
    reviewed = dict(
        CovidControls.objects.filter(establishment_id__in=ids).values_list(
            "establishment_id", "contingency_plan_reviewed_on"
        )
    )
    return [
        CovidRow(
            code=e.code,
            name=e.name,
            group_name=e.parent.name,
            open_outbreak_declared_on=open_since.get(e.pk),
            ppe_items_short=short.get(e.pk, 0),
            contingency_plan_reviewed_on=reviewed.get(e.pk),
        )
        for e in establishments
    ]
