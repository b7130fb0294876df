"""What each probation role's home page says is waiting for them (recovery.estate.views.home
adds it): the step of their PDU, region or the country; requests waiting for a decision; offices
whose capacity does not count, and why (capacity not recorded, risk assessment missing, out of
date or not safe); risk assessments falling due. A fixed number of queries whatever the size of
the estate."""

from dataclasses import dataclass, field

from recovery.core.constants import Role, UnitKind
from recovery.estate.models import OrganisationUnit, ProbationOffice
from recovery.probation import queries
from recovery.probation.models import StepRequest


@dataclass
class ProbationHome:
    kind: str  # "pdu", "region" or "nation"
    unit_code: str
    unit_name: str
    step: int
    since: object
    weekly: int  # face-to-face appointments a week that count, within the unit
    waiting: list[StepRequest] = field(default_factory=list)
    to_decide: bool = False  # the person decides the waiting requests
    not_recorded: int = 0  # offices whose capacity is not recorded
    not_counted: list[queries.OfficePicture] = field(default_factory=list)  # recorded, not counted
    due_soon: list[queries.OfficePicture] = field(default_factory=list)
    offices: int = 0
    # The report to ministers of this fortnight (centre and regions): None until generated.
    ministers_report: object = None
    fortnight: tuple = ()
    # The Recovery Programme Board, on the probation centre's home page only (workstreams).
    workstreams: object = None
    # The staffing hierarchy: the PDU head's current week, when it has no entry or a gap.
    staffing: object = None

    @property
    def counted(self) -> int:
        return self.offices - len(self.not_counted) - self.not_recorded


def probation_home(user, scope) -> ProbationHome | None:
    """The probation block of the home page of a person working as `scope` (a Scope), or None
    for any other role."""
    if scope.role not in (Role.PDU_HEAD, Role.PROBATION_REGION, Role.PROBATION_CENTRE):
        return None
    unit = OrganisationUnit.objects.get(pk=scope.unit_id)
    today = queries.today()
    offices = ProbationOffice.objects.filter(path__startswith=unit.path).select_related("parent")
    pictures = queries.office_pictures(list(offices.order_by("name")), today)
    if unit.kind == UnitKind.NATION:
        step = queries.national_step_today()
        since = queries.StepTimeline(queries.openings()).since(today)
        kind = "nation"
    else:
        timeline = queries.timeline_of(unit)
        step, since = timeline.step_on(today), timeline.since(today)
        kind = "pdu" if unit.kind == UnitKind.PDU else "region"
    from recovery.probation.staffing_queries import staffing_home

    staffing = staffing_home(unit.pk, unit.code, today) if scope.role == Role.PDU_HEAD else None
    return ProbationHome(
        staffing=staffing,
        kind=kind,
        unit_code=unit.code,
        unit_name=unit.name,
        step=step,
        since=since,
        weekly=sum(p.week.total for p in pictures if p.counts),
        waiting=queries.waiting_requests(user),
        to_decide=scope.role == Role.PROBATION_CENTRE,
        not_recorded=sum(1 for p in pictures if not p.recorded),
        not_counted=[p for p in pictures if p.recorded and not p.counts],
        due_soon=[p for p in pictures if p.risk.due_soon],
        offices=len(pictures),
        workstreams=_workstreams(scope),
        **_ministers(kind, today),
    )


def _ministers(kind: str, today) -> dict:
    """This fortnight's report to ministers, for the centre and the regions (who read it)."""
    if kind == "pdu":
        return {}
    from recovery.probation.ministers import fortnight_of
    from recovery.probation.ministers_actions import report_of_fortnight

    return {"ministers_report": report_of_fortnight(today), "fortnight": fortnight_of(today)}


def _workstreams(scope):
    """Workstreams at red and milestones overdue, for the centre that runs the Board."""
    if scope.role != Role.PROBATION_CENTRE:
        return None
    from recovery.probation.workstream_queries import at_a_glance

    return at_a_glance()
