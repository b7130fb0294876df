"""Every read the probation pages, home pages and (later) the allocation need, already scoped.

What other code calls:

- `pdu_weekly_capacity(pdu)` → int: face-to-face appointments a week of the PDU's offices that
  count (their capacity recorded and their latest office risk assessment current and safe).
- `effective_step(unit)` → the step of a region or PDU today.
- `steps_table(user)` → the national steps table, rows limited to the person's scope.
- `office_pictures(offices)` → each office's capacity, week, scenarios and risk assessments.

Queries per call are fixed whatever the size of the estate: the gateway decisions and every
agreed request are read once and the steps worked out in Python (recovery.probation.steps)."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from recovery.core.constants import UnitKind
from recovery.core.scope import is_system, matching_scopes
from recovery.estate.models import OrganisationUnit, ProbationOffice
from recovery.probation.capacity import CapacityInputs, Scenario, WeeklyCapacity, scenarios
from recovery.probation.capacity import weekly_capacity as week_of
from recovery.probation.constants import (
    RISK_ASSESSMENT_DUE_SOON_DAYS,
    WEEKDAYS,
    OfficeRiskOutcome,
    RequestStatus,
)
from recovery.probation.models import (
    GatewayDecision,
    GovernmentStep,
    IndividualRiskAssessment,
    OfficeCapacity,
    OfficeRiskAssessment,
    ProbationSettings,
    ProbationStep,
    StepRequest,
)
from recovery.probation.rules import VIEW_STEPS
from recovery.probation.steps import Opening, Override, StepTimeline


def today() -> datetime.date:
    return timezone.localdate()


# --- Steps ------------------------------------------------------------------------------------


def openings() -> tuple[Opening, ...]:
    return tuple(
        Opening(step, on)
        for step, on in GatewayDecision.objects.values_list("step__number", "takes_effect_on")
    )


def overrides_by_unit(unit_ids=None) -> dict[int, tuple[Override, ...]]:
    """Every agreed request, by the unit it is for. One query."""
    rows = StepRequest.objects.filter(status=RequestStatus.AGREED, takes_effect_on__isnull=False)
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    found: dict[int, list[Override]] = defaultdict(list)
    for unit_id, step, on, follows, decided_at, pk in rows.values_list(
        "unit_id", "step", "takes_effect_on", "follows_parent", "decided_at", "pk"
    ):
        order = int(decided_at.timestamp() * 1_000_000) if decided_at else pk
        found[unit_id].append(Override(step, on, follows, order))
    return {k: tuple(v) for k, v in found.items()}


def timeline_of(unit, *, gates=None, overrides=None) -> StepTimeline:
    """The timeline of a region or a PDU (two queries unless given what they read)."""
    gates = openings() if gates is None else gates
    if overrides is None:
        ids = [unit.pk] + ([unit.parent_id] if unit.kind == UnitKind.PDU else [])
        overrides = overrides_by_unit(ids)
    if unit.kind == UnitKind.PDU:
        return StepTimeline(gates, overrides.get(unit.parent_id, ()), overrides.get(unit.pk, ()))
    return StepTimeline(gates, overrides.get(unit.pk, ()))


def effective_step(unit, on: datetime.date | None = None) -> int:
    """The step a region or PDU is at on `on` (today when not given)."""
    return timeline_of(unit).step_on(on or today())


def parent_step(unit, on: datetime.date) -> int:
    """The step of the unit's parent on `on`: the country's for a region, the region's for a
    PDU."""
    if unit.kind == UnitKind.PDU:
        return timeline_of(unit.parent).step_on(on)
    return _national(on)


def _national(on: datetime.date) -> int:
    from recovery.probation.steps import national_step

    return national_step(openings(), on)


def national_step_today() -> int:
    return _national(today())


def visible_regions(user) -> QuerySet[OrganisationUnit]:
    """The regions whose step the person sees: those within their scope, and the region of a
    PDU they hold a role at."""
    regions = OrganisationUnit.objects.filter(kind=UnitKind.PROBATION_REGION)
    if is_system(user):
        return regions.order_by("name")
    condition = Q(pk__in=[])
    for s in matching_scopes(user, VIEW_STEPS):
        condition |= Q(path__startswith=s.unit_path)
        if s.unit_kind == UnitKind.PDU:
            condition |= Q(pk=OrganisationUnit.objects.get(pk=s.unit_id).parent_id)
    return regions.filter(condition).order_by("name")


def visible_pdus(user) -> QuerySet[OrganisationUnit]:
    """The PDUs whose step and capacity the person sees."""
    from recovery.core.scope import unit_filter
    from recovery.probation.rules import VIEW_CAPACITY

    return (
        OrganisationUnit.objects.filter(kind=UnitKind.PDU)
        .filter(unit_filter(user, VIEW_CAPACITY))
        .select_related("parent")
        .order_by("name")
    )


@dataclass(frozen=True)
class StepRow:
    code: str
    name: str
    step: int
    since: datetime.date | None
    waiting: int  # requests for the unit (and, for a region, its PDUs) waiting for a decision
    region_name: str = ""
    region_step: int | None = None


@dataclass(frozen=True)
class StepsPicture:
    national_step: int
    national_since: datetime.date | None
    regions: list[StepRow]
    pdus_apart: list[StepRow]  # PDUs (in scope) not at their region's step
    gateways: list[GatewayDecision]
    government_steps: list[GovernmentStep]
    steps: list[ProbationStep]
    waiting: list[StepRequest] = field(default_factory=list)


def steps_table(user, on: datetime.date | None = None) -> StepsPicture:
    """The national steps table: each region the person sees, its step today, since when, and
    its requests waiting for a decision; the PDUs they see that stand apart from their region.
    A fixed number of queries."""
    day = on or today()
    gates = openings()
    overrides = overrides_by_unit()
    regions = list(visible_regions(user))
    pdus = list(visible_pdus(user))
    waiting = list(
        StepRequest.objects.filter(status=RequestStatus.REQUESTED)
        .filter(Q(unit__in=regions) | Q(unit__in=pdus))
        .select_related("unit", "unit__parent")
        .order_by("requested_at", "pk")
    )
    waiting_by_region: Counter = Counter()
    for r in waiting:
        region_id = r.unit_id if r.unit.kind == UnitKind.PROBATION_REGION else r.unit.parent_id
        waiting_by_region[region_id] += 1
    national = StepTimeline(gates)
    region_rows, region_step = [], {}
    for region in regions:
        t = StepTimeline(gates, overrides.get(region.pk, ()))
        region_step[region.pk] = t.step_on(day)
        region_rows.append(
            StepRow(
                region.code, region.name, t.step_on(day), t.since(day), waiting_by_region[region.pk]
            )
        )
    apart = []
    for pdu in pdus:
        own = overrides.get(pdu.pk)
        if not own:
            continue
        t = StepTimeline(gates, overrides.get(pdu.parent_id, ()), own)
        step = t.step_on(day)
        parent = StepTimeline(gates, overrides.get(pdu.parent_id, ())).step_on(day)
        if step != parent:
            apart.append(
                StepRow(pdu.code, pdu.name, step, t.since(day), 0, pdu.parent.name, parent)
            )
    return StepsPicture(
        national_step=national.step_on(day),
        national_since=national.since(day),
        regions=region_rows,
        pdus_apart=apart,
        gateways=list(GatewayDecision.objects.select_related("step").order_by("step__number")),
        government_steps=list(GovernmentStep.objects.order_by("number")),
        steps=list(ProbationStep.objects.order_by("number")),
        waiting=waiting,
    )


def requests_of_region(region) -> list[StepRequest]:
    """Every request for the region and its PDUs, newest first."""
    return list(
        StepRequest.objects.filter(Q(unit=region) | Q(unit__parent=region))
        .select_related("unit")
        .order_by("-requested_at", "-pk")
    )


def waiting_requests(user) -> list[StepRequest]:
    """Requests waiting for a decision, within the person's scope, oldest first."""
    from recovery.core.scope import unit_filter

    return list(
        StepRequest.objects.filter(status=RequestStatus.REQUESTED)
        .filter(unit_filter(user, VIEW_STEPS, path_field="unit__path"))
        .select_related("unit")
        .order_by("requested_at", "pk")
    )


# --- Office capacity --------------------------------------------------------------------------


def inputs_of(office: ProbationOffice, capacity: OfficeCapacity | None) -> CapacityInputs:
    """The arithmetic's inputs: the office's hours and days, its recorded capacity (nothing
    recorded: no usable rooms, so no appointments)."""
    c = capacity or OfficeCapacity(office=office)
    return CapacityInputs(
        usable_rooms=c.usable_rooms,
        opens_at=office.opens_at,
        closes_at=office.closes_at,
        days_open=office.days_open,
        appointment_minutes=c.appointment_minutes,
        cleaning_minutes=c.cleaning_minutes,
        max_on_site=c.max_on_site,
        staff_by_day=tuple(getattr(c, f"staff_{d}") for d in WEEKDAYS),
    )


@dataclass(frozen=True)
class RiskState:
    """Where an office's risk assessment stands today."""

    latest: OfficeRiskAssessment | None
    valid_until: datetime.date | None  # the last day it is current
    current: bool  # within the period and safe
    due_soon: bool

    @property
    def words(self) -> str:
        if self.latest is None:
            return "No risk assessment recorded"
        if self.latest.outcome != OfficeRiskOutcome.SAFE:
            return "Not safe yet: actions needed"
        if not self.current:
            return f"Out of date since {self.valid_until + datetime.timedelta(days=1):%-d %B %Y}"
        if self.due_soon:
            return f"Current, due by {self.valid_until:%-d %B %Y}"
        return f"Current until {self.valid_until:%-d %B %Y}"


def risk_state(
    latest: OfficeRiskAssessment | None, valid_days: int, on: datetime.date
) -> RiskState:
    """An office risk assessment assessed on day A is current from A to A + valid_days - 1
    (valid_days days in all), and only if its outcome was safe."""
    if latest is None:
        return RiskState(None, None, False, False)
    valid_until = latest.assessed_on + datetime.timedelta(days=valid_days - 1)
    in_date = latest.assessed_on <= on <= valid_until
    current = in_date and latest.outcome == OfficeRiskOutcome.SAFE
    due_soon = current and (valid_until - on).days < RISK_ASSESSMENT_DUE_SOON_DAYS
    return RiskState(latest, valid_until, current, due_soon)


@dataclass(frozen=True)
class OfficePicture:
    office: ProbationOffice
    capacity: OfficeCapacity | None
    inputs: CapacityInputs
    week: WeeklyCapacity
    scenarios: list[Scenario]
    risk: RiskState
    individual: dict[str, int]  # outcome label -> how many

    @property
    def recorded(self) -> bool:
        return self.capacity is not None

    @property
    def counts(self) -> bool:
        """Whether the office's week counts towards its PDU's capacity."""
        return self.recorded and self.risk.current

    @property
    def why_not_counted(self) -> str:
        if not self.recorded:
            return "Capacity not recorded"
        if not self.risk.current:
            return self.risk.words
        return ""

    @property
    def why_in_sentence(self) -> str:
        why = self.why_not_counted
        return why[:1].lower() + why[1:]

    @property
    def individual_total(self) -> int:
        return sum(self.individual.values())


def office_pictures(
    offices: list[ProbationOffice], on: datetime.date | None = None
) -> list[OfficePicture]:
    """Each office's capacity and risk assessments. Four queries whatever their number."""
    from recovery.probation.constants import IndividualRiskOutcome

    day = on or today()
    ids = [o.pk for o in offices]
    capacities = {c.office_id: c for c in OfficeCapacity.objects.filter(office_id__in=ids)}
    latest: dict[int, OfficeRiskAssessment] = {}
    for a in OfficeRiskAssessment.objects.filter(office_id__in=ids).order_by(
        "office_id", "-assessed_on", "-pk"
    ):
        latest.setdefault(a.office_id, a)
    individual: dict[int, Counter] = defaultdict(Counter)
    for office_id, outcome in IndividualRiskAssessment.objects.filter(
        office_id__in=ids
    ).values_list("office_id", "outcome"):
        individual[office_id][IndividualRiskOutcome(outcome).label] += 1
    valid_days = ProbationSettings.current().risk_assessment_valid_days
    pictures = []
    for office in offices:
        capacity = capacities.get(office.pk)
        inputs = inputs_of(office, capacity)
        pictures.append(
            OfficePicture(
                office=office,
                capacity=capacity,
                inputs=inputs,
                week=week_of(inputs),
                scenarios=scenarios(
                    inputs,
                    extended_opens_at=capacity.extended_opens_at if capacity else None,
                    extended_closes_at=capacity.extended_closes_at if capacity else None,
                ),
                risk=risk_state(latest.get(office.pk), valid_days, day),
                individual=dict(individual[office.pk]),
            )
        )
    return pictures


def offices_of(pdu) -> list[ProbationOffice]:
    return list(ProbationOffice.objects.filter(parent=pdu).order_by("name"))


def pdu_weekly_capacity(pdu, on: datetime.date | None = None) -> int:
    """Face-to-face appointments a week that the PDU's offices can offer and that count: an
    office counts when its capacity is recorded and its latest office risk assessment is
    current (within the centre's period) and found it safe."""
    return sum(p.week.total for p in office_pictures(offices_of(pdu), on) if p.counts)


@dataclass(frozen=True)
class PduRow:
    code: str
    name: str
    step: int
    since: datetime.date | None
    offices: int
    offices_counted: int
    weekly: int  # appointments a week that count
    waiting: int


def pdu_rows(pdus: list[OrganisationUnit], on: datetime.date | None = None) -> list[PduRow]:
    """A row for each PDU: its step and the capacity that counts. A fixed number of queries."""
    day = on or today()
    gates = openings()
    overrides = overrides_by_unit()
    offices = list(ProbationOffice.objects.filter(parent__in=pdus).order_by("name"))
    pictures: dict[int, list[OfficePicture]] = defaultdict(list)
    for p in office_pictures(offices, day):
        pictures[p.office.parent_id].append(p)
    waiting = Counter(
        StepRequest.objects.filter(status=RequestStatus.REQUESTED, unit__in=pdus).values_list(
            "unit_id", flat=True
        )
    )
    rows = []
    for pdu in pdus:
        t = StepTimeline(gates, overrides.get(pdu.parent_id, ()), overrides.get(pdu.pk, ()))
        mine = pictures[pdu.pk]
        rows.append(
            PduRow(
                pdu.code,
                pdu.name,
                t.step_on(day),
                t.since(day),
                len(mine),
                sum(1 for p in mine if p.counts),
                sum(p.week.total for p in mine if p.counts),
                waiting[pdu.pk],
            )
        )
    return rows
