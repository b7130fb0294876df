"""Every write of probation recovery. Each action checks the permission first, validates
(recovery.probation.checks), writes inside one transaction and records its audit event in it.

- Steps and governance: the ministers' gateway decision opening a step nationally
  (`do_open_probation_step`), a region's request to hold back, step back or move forward
  (`do_ask_step_change`) and the Business Recovery Programme's decision on it
  (`do_decide_step_request`, through STEP_REQUEST_WORKFLOW).
- Offices: capacity (`do_update_office_capacity`, through the one edit door), office risk
  assessments and individual risk assessments (completed and outcome only).
- The centre's setting: how long an office risk assessment stays current."""

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from recovery.audit.actions import record_event
from recovery.core import notify
from recovery.core.concurrency import update_versioned
from recovery.core.constants import Role, UnitKind
from recovery.core.errors import DomainError
from recovery.core.scope import is_system, require
from recovery.estate.models import OrganisationUnit, ProbationOffice
from recovery.probation import queries
from recovery.probation.checks import (
    check_after_government,
    check_capacity,
    check_not_future,
    check_notice,
    check_reasons,
)
from recovery.probation.constants import (
    FIRST_STEP,
    LAST_STEP,
    OFFICE_RISK_CHECKS,
    IndividualRiskOutcome,
    OfficeRiskOutcome,
    RequestKind,
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
from recovery.probation.rules import (
    OPEN_STEP,
    RECORD_CAPACITY,
    REQUEST_STEP_CHANGE,
    SETTINGS,
    STEP_REQUEST_WORKFLOW,
)


def _person(user):
    return None if is_system(user) else user


def _name(user) -> str:
    return user.get_full_name() or str(user)


def _day(d: datetime.date | None) -> str | None:
    return d.isoformat() if d else None


def _nation() -> OrganisationUnit:
    return OrganisationUnit.objects.get(kind=UnitKind.NATION)


# --- Gateway decisions ------------------------------------------------------------------------


def do_open_probation_step(
    step: int,
    *,
    decided_on: datetime.date,
    reasons: str,
    staff_told_on: datetime.date | None,
    takes_effect_on: datetime.date,
    exceptional: bool = False,
    exceptional_reason: str = "",
    acting_user,
) -> GatewayDecision:
    """Record ministers' gateway decision opening probation step `step` (two or three)
    nationally. Refused unless it is the next step, not before the government's wider step of
    the same number, not before the step below it took effect, and with two weeks' notice to
    staff (or marked exceptional with a reason)."""
    require(acting_user, OPEN_STEP, _nation())
    reasons = check_reasons(reasons, "the gateway decision")
    exceptional_reason = (exceptional_reason or "").strip() if exceptional else ""
    with transaction.atomic(durable=True):
        opened = list(
            GatewayDecision.objects.select_for_update()
            .select_related("step")
            .order_by("step__number")
        )
        highest = opened[-1].step.number if opened else FIRST_STEP
        if highest >= LAST_STEP:
            raise DomainError(f"Every probation step is open: step {LAST_STEP} is the last.")
        if step != highest + 1:
            raise DomainError(
                f"The next step to open is step {highest + 1}: steps open one at a time.",
                field="step",
            )
        if opened and takes_effect_on < opened[-1].takes_effect_on:
            raise DomainError(
                f"Step {step} cannot take effect before step {highest} did "
                f"({opened[-1].takes_effect_on:%-d %B %Y})",
                field="takes_effect_on",
            )
        check_after_government(
            step, takes_effect_on, GovernmentStep.objects.filter(number=step).first()
        )
        check_notice(
            staff_told_on=staff_told_on,
            takes_effect_on=takes_effect_on,
            exceptional=exceptional,
            exceptional_reason=exceptional_reason,
        )
        if decided_on > takes_effect_on:
            raise DomainError(
                "The decision must be made on or before the day it takes effect",
                field="decided_on",
            )
        try:
            with transaction.atomic():
                decision = GatewayDecision.objects.create(
                    step=ProbationStep.objects.get(number=step),
                    decided_on=decided_on,
                    reasons=reasons,
                    staff_told_on=staff_told_on,
                    takes_effect_on=takes_effect_on,
                    exceptional=exceptional,
                    exceptional_reason=exceptional_reason,
                    recorded_by=_person(acting_user),
                    recorded_by_name=_name(acting_user),
                )
        except IntegrityError as error:
            raise DomainError(f"Step {step} has already been opened.") from error
        record_event(
            acting_user=acting_user,
            action="probation.open_step",
            obj=decision,
            summary=f"Probation step {step} opened nationally from {takes_effect_on:%-d %B %Y}",
            after={
                "step": step,
                "decided_on": _day(decided_on),
                "staff_told_on": _day(staff_told_on),
                "takes_effect_on": _day(takes_effect_on),
                "exceptional": exceptional,
                "exceptional_reason": exceptional_reason,
                "reasons": reasons,
            },
        )
        return decision


# --- A region's requests ----------------------------------------------------------------------


def _where(unit) -> str:
    return "its region" if unit.kind == UnitKind.PDU else "the country"


def do_ask_step_change(unit, *, kind: str, reasons: str, acting_user) -> StepRequest:
    """A region asks the Probation Business Recovery Programme, for itself or one of its PDUs:
    to hold back (stay at its step when the country moves forward), to step back one step, or
    to move forward one step again. One request per unit waits at a time."""
    require(acting_user, REQUEST_STEP_CHANGE, unit)
    if kind not in RequestKind.values:
        raise DomainError("Choose what you are asking for", field="kind")
    reasons = check_reasons(reasons, "the request")
    with transaction.atomic(durable=True):
        OrganisationUnit.objects.select_for_update().filter(pk=unit.pk).first()
        if StepRequest.objects.filter(unit=unit, status=RequestStatus.REQUESTED).exists():
            raise DomainError(
                f"A request for {unit.name} is already waiting for a decision: wait for it, "
                "or ask the Business Recovery Programme to refuse it first."
            )
        day = queries.today()
        now = queries.effective_step(unit, day)
        parent = queries.parent_step(unit, day)
        if kind == RequestKind.HOLD_BACK:
            if now >= LAST_STEP:
                raise DomainError(
                    f"{unit.name} is at step {LAST_STEP}, the last: there is no step to hold "
                    "back from.",
                    field="kind",
                )
            step = now
        elif kind == RequestKind.STEP_BACK:
            if now <= FIRST_STEP:
                raise DomainError(
                    f"{unit.name} is at step {FIRST_STEP}: there is no lower step.", field="kind"
                )
            step = now - 1
        else:
            if now >= parent:
                raise DomainError(
                    f"{unit.name} is already at the step of {_where(unit)} (step {parent}): "
                    "it cannot move further forward.",
                    field="kind",
                )
            step = now + 1
        request = StepRequest.objects.create(
            unit=unit,
            kind=kind,
            step=step,
            from_step=now,
            reasons=reasons,
            requested_by=_person(acting_user),
            requested_by_name=_name(acting_user),
        )
        record_event(
            acting_user=acting_user,
            action="probation.ask_step_change",
            obj=request,
            summary=f"{unit.name}: asked to {request.kind_short.lower()} (step {now} to "
            f"step {step})",
            after={
                "kind": kind,
                "from_step": now,
                "step": step,
                "status": request.status,
                "reasons": reasons,
            },
        )
        notify.tell(
            notify.people_holding([Role.PROBATION_CENTRE], unit),
            notify.Message(
                subject=f"{unit.name} asks to {request.kind_short.lower()}",
                body="A request waits for the Probation Business Recovery Programme's decision.",
                link=f"/probation/requests/{request.pk}/",
            ),
            exclude=acting_user,
        )
        return request


def do_decide_step_request(
    request: StepRequest,
    *,
    agree: bool,
    reasons: str,
    takes_effect_on: datetime.date | None = None,
    staff_told_on: datetime.date | None = None,
    exceptional: bool = False,
    exceptional_reason: str = "",
    expected_version: int,
    acting_user,
) -> StepRequest:
    """The Probation Business Recovery Programme agrees (with the date it takes effect) or
    refuses a region's request, with its reasons. Agreeing a move forward is a relaxation: staff
    told at least two weeks before (or exceptional with a reason), and never before the
    government's wider step or above the step of the region or the country that day."""
    reasons = check_reasons(reasons, "the decision")
    exceptional_reason = (exceptional_reason or "").strip() if exceptional else ""
    with transaction.atomic(durable=True):
        current = StepRequest.objects.select_for_update().select_related("unit").get(pk=request.pk)
        before, after = STEP_REQUEST_WORKFLOW.move(
            acting_user, current, "agree" if agree else "refuse"
        )
        if current.version != expected_version:
            raise DomainError(
                "Someone else changed this request while you were looking at it. Read it "
                "again; nothing was changed."
            )
        unit = current.unit
        follows = False
        if agree:
            if takes_effect_on is None:
                raise DomainError("Enter the date it takes effect", field="takes_effect_on")
            if current.kind == RequestKind.MOVE_FORWARD:
                check_after_government(
                    current.step,
                    takes_effect_on,
                    GovernmentStep.objects.filter(number=current.step).first(),
                )
                parent = queries.parent_step(unit, takes_effect_on)
                if current.step > parent:
                    raise DomainError(
                        f"On {takes_effect_on:%-d %B %Y} {_where(unit)} is at step {parent}: "
                        f"{unit.name} cannot move above it to step {current.step}.",
                        field="takes_effect_on",
                    )
                check_notice(
                    staff_told_on=staff_told_on,
                    takes_effect_on=takes_effect_on,
                    exceptional=exceptional,
                    exceptional_reason=exceptional_reason,
                )
                follows = current.step >= parent
        else:
            takes_effect_on = staff_told_on = None
            exceptional, exceptional_reason = False, ""
        current.decided_by = _person(acting_user)
        current.decided_by_name = _name(acting_user)
        current.decided_at = timezone.now()
        current.decision_reasons = reasons
        current.takes_effect_on = takes_effect_on
        current.staff_told_on = staff_told_on
        current.exceptional = exceptional
        current.exceptional_reason = exceptional_reason
        current.follows_parent = follows
        current.version += 1
        current.save()
        record_event(
            acting_user=acting_user,
            action="probation.decide_step_request",
            obj=current,
            summary=f"{unit.name}: request to {current.kind_short.lower()} {after}"
            + (f" from {takes_effect_on:%-d %B %Y}" if takes_effect_on else ""),
            before={"status": before},
            after={
                "status": after,
                "decision_reasons": reasons,
                "takes_effect_on": _day(takes_effect_on),
                "staff_told_on": _day(staff_told_on),
                "exceptional": exceptional,
                "exceptional_reason": exceptional_reason,
                "follows_parent": follows,
            },
        )
        notify.tell(
            notify.people_holding([Role.PROBATION_REGION], unit),
            notify.Message(
                subject=f"Your request for {unit.name} was {after}",
                body=reasons,
                link=f"/probation/requests/{current.pk}/",
            ),
            exclude=acting_user,
        )
        return current


# --- Offices ----------------------------------------------------------------------------------

CAPACITY_FIELDS = (
    "usable_rooms",
    "appointment_minutes",
    "cleaning_minutes",
    "max_on_site",
    "staff_monday",
    "staff_tuesday",
    "staff_wednesday",
    "staff_thursday",
    "staff_friday",
    "staff_saturday",
    "staff_sunday",
    "extended_opens_at",
    "extended_closes_at",
)


def capacity_of_office(office: ProbationOffice) -> OfficeCapacity:
    """The office's capacity row, or a new unsaved one (version 1) when none is recorded: the
    edit form opens on either, and the action creates the row when it saves."""
    return OfficeCapacity.objects.filter(office=office).first() or OfficeCapacity(office=office)


def do_update_office_capacity(
    capacity: OfficeCapacity, *, expected_version: int, changes: dict[str, Any], acting_user
) -> dict[str, Any]:
    """Record an office's capacity: usable rooms, appointment length and cleaning gap, people
    on site, staff available each day, extended hours. Refused if someone saved it after
    `expected_version`. Returns the fields that changed."""
    office = capacity.office
    require(acting_user, RECORD_CAPACITY, office)
    cleaned = check_capacity({k: v for k, v in changes.items() if k in CAPACITY_FIELDS})
    with transaction.atomic(durable=True):
        ProbationOffice.objects.select_for_update().filter(pk=office.pk).first()
        stored = OfficeCapacity.objects.filter(office=office).first()
        created = stored is None
        if created:
            blank = OfficeCapacity(office=office)
            stored = OfficeCapacity.objects.create(office=office)
            # A first record is made against version 1, like the blank the form opened on.
            if expected_version != blank.version:
                expected_version = -1
        before, after = update_versioned(
            stored,
            expected_version=expected_version,
            changes=cleaned,
            label=f"The capacity of {office.name}",
        )
        if after or created:
            record_event(
                acting_user=acting_user,
                action="probation.update_office_capacity",
                obj=stored,
                summary=f"Capacity of {office.name} recorded"
                + (f": {', '.join(n.replace('_', ' ') for n in after)}" if after else ""),
                before={k: _jsonable(v) for k, v in before.items()},
                after={k: _jsonable(v) for k, v in after.items()},
            )
        capacity.pk, capacity.version = stored.pk, stored.version
        for name in cleaned:
            setattr(capacity, name, getattr(stored, name))
        return after


def _jsonable(value):
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return value


def do_record_office_risk_assessment(
    office: ProbationOffice,
    *,
    assessed_on: datetime.date,
    checks: dict[str, bool],
    outcome: str,
    notes: str = "",
    acting_user,
) -> OfficeRiskAssessment:
    """Record an office's COVID-19 risk assessment. It must have covered all five things
    (distancing, screens, one-way routes, rotas, PPE stock); the outcome says whether the
    office is safe for face-to-face supervision. Not dated in the future."""
    require(acting_user, RECORD_CAPACITY, office)
    check_not_future("assessed_on", assessed_on, queries.today(), "the date of the assessment")
    missing = [label for name, label in OFFICE_RISK_CHECKS.items() if not checks.get(name)]
    if missing:
        raise DomainError(
            "An office risk assessment must cover all five things; it did not cover: "
            + "; ".join(m if m[:2].isupper() else m[0].lower() + m[1:] for m in missing),
            field="checks",
        )
    if outcome not in OfficeRiskOutcome.values:
        raise DomainError("Choose the outcome of the assessment", field="outcome")
    notes = (notes or "").strip()
    with transaction.atomic(durable=True):
        assessment = OfficeRiskAssessment.objects.create(
            office=office,
            assessed_on=assessed_on,
            outcome=outcome,
            notes=notes,
            recorded_by=_person(acting_user),
            recorded_by_name=_name(acting_user),
            **{name: True for name in OFFICE_RISK_CHECKS},
        )
        record_event(
            acting_user=acting_user,
            action="probation.record_office_risk_assessment",
            obj=assessment,
            summary=f"Risk assessment of {office.name} on {assessed_on:%-d %B %Y}: "
            f"{OfficeRiskOutcome(outcome).label.lower()}",
            after={"assessed_on": _day(assessed_on), "outcome": outcome, "notes": notes},
        )
        return assessment


def do_record_individual_risk_assessment(
    office: ProbationOffice, *, completed_on: datetime.date, outcome: str, acting_user
) -> IndividualRiskAssessment:
    """Record that an individual risk assessment of a vulnerable member of staff was completed
    before their return to the office, and its outcome. Nothing else is stored: no name, no
    health details."""
    require(acting_user, RECORD_CAPACITY, office)
    check_not_future("completed_on", completed_on, queries.today(), "the date it was completed")
    if outcome not in IndividualRiskOutcome.values:
        raise DomainError("Choose the outcome of the assessment", field="outcome")
    with transaction.atomic(durable=True):
        assessment = IndividualRiskAssessment.objects.create(
            office=office,
            completed_on=completed_on,
            outcome=outcome,
            recorded_by=_person(acting_user),
            recorded_by_name=_name(acting_user),
        )
        record_event(
            acting_user=acting_user,
            action="probation.record_individual_risk_assessment",
            obj=assessment,
            summary=f"Individual risk assessment completed at {office.name}: "
            f"{IndividualRiskOutcome(outcome).label.lower()}",
            after={"completed_on": _day(completed_on), "outcome": outcome},
        )
        return assessment


# --- The government's wider steps (reference data) --------------------------------------------


def do_update_government_step(
    government: GovernmentStep, *, expected_version: int, changes: dict[str, Any], acting_user
) -> dict[str, Any]:
    """Record the date a government step starts (and what it is). Refused if a probation step
    of the same number already took effect before that date: the probation step would then
    have started before the government's."""
    require(acting_user, OPEN_STEP, _nation())
    starts_on = changes.get("starts_on")
    summary = (changes.get("summary") or "").strip()
    with transaction.atomic(durable=True):
        opened = (
            GatewayDecision.objects.filter(step__number=government.number)
            .values_list("takes_effect_on", flat=True)
            .first()
        )
        if opened is not None and (starts_on is None or starts_on > opened):
            raise DomainError(
                f"Probation step {government.number} took effect on {opened:%-d %B %Y}: the "
                f"government's step {government.number} cannot start after it",
                field="starts_on",
            )
        before, after = update_versioned(
            government,
            expected_version=expected_version,
            changes={"starts_on": starts_on, "summary": summary},
            label=f"Government step {government.number}",
        )
        if after:
            record_event(
                acting_user=acting_user,
                action="probation.update_government_step",
                obj=government,
                summary=f"Government step {government.number}: "
                + (f"starts on {starts_on:%-d %B %Y}" if starts_on else "no date"),
                before={k: _day(v) if k == "starts_on" else v for k, v in before.items()},
                after={k: _day(v) if k == "starts_on" else v for k, v in after.items()},
            )
        return after


# --- The centre's setting ---------------------------------------------------------------------


def settings_row() -> ProbationSettings:
    return ProbationSettings.objects.order_by("pk").first() or ProbationSettings()


def do_update_probation_settings(
    settings: ProbationSettings, *, expected_version: int, changes: dict[str, Any], acting_user
) -> dict[str, Any]:
    """Set how long an office risk assessment stays current (1 to 366 days)."""
    require(acting_user, SETTINGS, _nation())
    days = changes.get("risk_assessment_valid_days")
    if days is None or not 1 <= days <= 366:
        raise DomainError(
            "The period must be between 1 and 366 days", field="risk_assessment_valid_days"
        )
    with transaction.atomic(durable=True):
        stored = ProbationSettings.objects.select_for_update().order_by("pk").first()
        if stored is None:
            stored = ProbationSettings.objects.create()
        before, after = update_versioned(
            stored,
            expected_version=expected_version,
            changes={"risk_assessment_valid_days": days},
            label="The probation settings",
        )
        if after:
            record_event(
                acting_user=acting_user,
                action="probation.update_settings",
                obj=stored,
                summary=f"Office risk assessments now stay current for {days} days",
                before=before,
                after=after,
            )
        settings.pk, settings.version = stored.pk, stored.version
        settings.risk_assessment_valid_days = stored.risk_assessment_valid_days
        return after


from recovery.probation.caseload_actions import *  # noqa: E402,F401,F403  (caseload and allocation)
from recovery.probation.ministers_actions import *  # noqa: E402,F401,F403  (reports to ministers)
from recovery.probation.staffing_actions import *  # noqa: E402,F401,F403  (staffing hierarchy)
from recovery.probation.workstream_actions import *  # noqa: E402,F401,F403  (workstreams)
