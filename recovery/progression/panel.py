"""The national Recovery Committee: its sittings and its decisions on readiness assessments.

The committee meets in sittings (a date and its members, all central panel people). In a
sitting it approves commencement (with a date and an order among the sites approved in the same
sitting), defers or rejects an assessment, with reasons; each decision is a `SignOff` pinned to
the snapshot the panel saw. An approval appends the commencement to the establishment's stage
history, effective on its date. Ratifying a move that took effect at once is
`stages.do_ratify_stage_change`, given the sitting.

A decision names the version of the assessment the panel member opened: when two members decide
the same assessment at once, the row lock makes one wait for the other, and the second finds
the version moved on and is told it was already decided."""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from recovery.audit.actions import record_event
from recovery.core import notify
from recovery.core.constants import Role, UnitKind
from recovery.core.errors import DomainError
from recovery.core.scope import is_system, require
from recovery.estate.models import OrganisationUnit
from recovery.progression.constants import (
    AssessmentStatus,
    ChangeKind,
    SittingStatus,
    Step,
)
from recovery.progression.models import PanelSitting, ReadinessAssessment
from recovery.progression.rules import DECIDE, MANAGE_SITTINGS
from recovery.progression.signing import lock, move_in_transaction, sign_in_transaction
from recovery.progression.stages import record_change_in_transaction

# decision -> (workflow transition, the step it signs)
DECISIONS = {
    "approve": ("approve", Step.APPROVED),
    "defer": ("defer", Step.DEFERRED),
    "reject": ("reject", Step.REJECTED),
}
DECIDED_STATUSES = {AssessmentStatus.APPROVED, AssessmentStatus.REJECTED}


class AlreadyDecided(DomainError):
    """The assessment moved on after the panel member opened it (another member decided it):
    their decision is refused, nothing changed."""


def _name(user) -> str:
    return user.get_full_name() or str(user)


def nation() -> OrganisationUnit:
    unit = OrganisationUnit.objects.filter(kind=UnitKind.NATION).order_by("pk").first()
    if unit is None:
        raise DomainError("The estate has no national unit yet, so no sitting can be opened.")
    return unit


def central_panel_people():
    """Everyone who may sit on the panel: active people holding the central panel role."""
    from recovery.accounts.models import User

    return (
        User.objects.filter(is_active=True, role_assignments__role=Role.CENTRAL_PANEL)
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


# --- Sittings ---------------------------------------------------------------------------------


def check_sitting(*, sits_on, members) -> list:
    """The members, if the sitting can be opened with them; DomainError naming the field if
    not."""
    if sits_on is None:
        raise DomainError("Enter the date of the sitting", field="sits_on")
    members = list(members)
    if not members:
        raise DomainError("Choose the members of the panel who sit", field="members")
    allowed = set(central_panel_people().values_list("pk", flat=True))
    outsiders = [m for m in members if m.pk not in allowed]
    if outsiders:
        raise DomainError(
            f"{', '.join(_name(m) for m in outsiders)} cannot sit: only members of the central "
            "panel can",
            field="members",
        )
    return members


def do_open_sitting(
    *, sits_on: datetime.date, members, title: str = "", acting_user
) -> PanelSitting:
    """Open a sitting of the national panel on `sits_on` with its members."""
    centre = nation()
    require(acting_user, MANAGE_SITTINGS, centre)
    members = check_sitting(sits_on=sits_on, members=members)
    with transaction.atomic(durable=True):
        sitting = PanelSitting.objects.create(
            sits_on=sits_on,
            title=title.strip(),
            unit=centre,
            opened_by=None if is_system(acting_user) else acting_user,
        )
        sitting.members.set(members)
        names = sorted(_name(m) for m in members)
        record_event(
            acting_user=acting_user,
            action="progression.open_sitting",
            obj=sitting,
            summary=f"{sitting} opened with {', '.join(names)}",
            after={
                "sits_on": sits_on.isoformat(),
                "title": sitting.title,
                "members": names,
                "status": sitting.status,
            },
        )
        return sitting


def do_close_sitting(sitting: PanelSitting, *, acting_user) -> PanelSitting:
    """Close a sitting: no more decisions are recorded in it; its record stays."""
    require(acting_user, MANAGE_SITTINGS, sitting)
    with transaction.atomic(durable=True):
        current = PanelSitting.objects.select_for_update().get(pk=sitting.pk)
        if current.status == SittingStatus.CLOSED:
            raise DomainError(f"{current} is already closed. Nothing was changed.")
        current.status = SittingStatus.CLOSED
        current.closed_at = timezone.now()
        current.version += 1
        current.save(update_fields=["status", "closed_at", "version"])
        record_event(
            acting_user=acting_user,
            action="progression.close_sitting",
            obj=current,
            summary=f"{current} closed",
            before={"status": SittingStatus.OPEN},
            after={"status": SittingStatus.CLOSED},
        )
        return current


# --- The national decision --------------------------------------------------------------------


def _refuse_if_changed(current: ReadinessAssessment, expected_version: int) -> None:
    if current.version == expected_version:
        return
    if current.status in {
        AssessmentStatus.APPROVED,
        AssessmentStatus.REJECTED,
        AssessmentStatus.DEFERRED,
    }:
        last = current.sign_offs.filter(
            step__in=[Step.APPROVED, Step.DEFERRED, Step.REJECTED]
        ).last()
        what = last.get_step_display().lower() if last else current.get_status_display().lower()
        who = (
            f" by {last.by_name} on {timezone.localtime(last.at):%-d %B %Y at %H:%M}"
            if last
            else ""
        )
        raise AlreadyDecided(
            f"This assessment was already decided since you opened it: {what}{who}. "
            "Your decision was not recorded."
        )
    raise AlreadyDecided(
        "This assessment has changed since you opened it. Your decision was not recorded: "
        "read it again and decide."
    )


def _check_sitting_open(sitting: PanelSitting | None, acting_user) -> PanelSitting | None:
    """The sitting, locked (so that two approvals in it take different places), if it is open
    and the person deciding sits on it."""
    if sitting is None:
        return None
    current = PanelSitting.objects.select_for_update().get(pk=sitting.pk)
    if current.status != SittingStatus.OPEN:
        raise DomainError(
            f"{current} is closed: decisions are recorded in an open sitting.", field="sitting"
        )
    if not is_system(acting_user) and not current.members.filter(pk=acting_user.pk).exists():
        raise DomainError(
            f"You do not sit on {current}: only its members record decisions in it.",
            field="sitting",
        )
    return current


def next_panel_order(sitting: PanelSitting | None) -> int:
    """The next place among the sites approved in `sitting` (1 for the first)."""
    if sitting is None:
        return 1
    highest = ReadinessAssessment.objects.filter(
        sitting=sitting, status=AssessmentStatus.APPROVED
    ).aggregate(m=Max("panel_order"))["m"]
    return (highest or 0) + 1


def check_decision(
    decision: str,
    *,
    reasons: str,
    commencement_date,
    panel_order,
    sitting,
    assessment,
    today: datetime.date | None = None,
) -> int | None:
    """Raise DomainError (naming the field) for a decision that cannot be recorded; returns
    the approved site's order."""
    if decision not in DECISIONS:
        raise DomainError("Choose approve, defer or reject", field="decision")
    if decision in ("defer", "reject") and not reasons.strip():
        raise DomainError(f"Give the reasons to {decision} the assessment", field="reasons")
    if decision != "approve":
        return None
    today = today or timezone.localdate()
    if commencement_date is None:
        raise DomainError("Enter the date commencement is approved from", field="commencement_date")
    if commencement_date < today:
        raise DomainError(
            "The commencement date must be today or in the future", field="commencement_date"
        )
    if panel_order is None:
        return next_panel_order(sitting)
    if panel_order < 1:
        raise DomainError("The order must be 1 or more", field="panel_order")
    if sitting is not None:
        taken = (
            ReadinessAssessment.objects.filter(
                sitting=sitting, status=AssessmentStatus.APPROVED, panel_order=panel_order
            )
            .exclude(pk=assessment.pk)
            .select_related("establishment")
            .first()
        )
        if taken is not None:
            raise DomainError(
                f"{taken.establishment.name} is already number {panel_order} among the sites "
                f"approved in this sitting: choose another place (the next free one is "
                f"{next_panel_order(sitting)})",
                field="panel_order",
            )
    return panel_order


def do_decide_assessment(
    assessment: ReadinessAssessment,
    *,
    decision: str,
    reasons: str,
    commencement_date: datetime.date | None = None,
    panel_order: int | None = None,
    sitting: PanelSitting | None = None,
    expected_version: int,
    acting_user,
) -> ReadinessAssessment:
    """The national decision on an assessment awaiting it: approve commencement (a date and an
    order among the sites approved in the sitting), defer or reject, with reasons. Refused when
    the assessment changed since the panel member opened it (`expected_version`)."""
    with transaction.atomic(durable=True):
        current = lock(assessment)
        # The role, the scope and segregation of duties first (not the submitter, not an
        # earlier signer), so nobody out of scope learns how the assessment stands.
        require(acting_user, DECIDE, current)
        _refuse_if_changed(current, expected_version)
        sitting = _check_sitting_open(sitting, acting_user)
        order = check_decision(
            decision,
            reasons=reasons,
            commencement_date=commencement_date,
            panel_order=panel_order,
            sitting=sitting,
            assessment=current,
        )
        name, step = DECISIONS[decision]
        before, after = move_in_transaction(current, name, acting_user=acting_user)
        approved = decision == "approve"
        sign_in_transaction(
            current,
            step,
            acting_user=acting_user,
            comments=reasons.strip(),
            sitting=sitting,
            commencement_date=commencement_date if approved else None,
            panel_order=order,
        )
        current.decided_at = timezone.now()
        current.sitting = sitting
        current.commencement_date = commencement_date if approved else None
        current.panel_order = order
        current.save()
        record_event(
            acting_user=acting_user,
            action="progression.decide_assessment",
            obj=current,
            summary=_summary(current, decision),
            before={"status": before},
            after={
                "status": after,
                "decision": decision,
                "reasons": reasons.strip(),
                "commencement_date": commencement_date.isoformat() if approved else None,
                "panel_order": order,
                "sitting": sitting.pk if sitting else None,
            },
        )
        if approved:
            record_change_in_transaction(
                current.establishment,
                current.to_stage,
                kind=ChangeKind.COMMENCEMENT,
                reason=_commencement_reason(current, reasons),
                effective_from=commencement_date,
                acting_user=acting_user,
                assessment=current,
            )
        _tell_the_establishment(current, decision, reasons, acting_user)
        return current


def _summary(assessment: ReadinessAssessment, decision: str) -> str:
    site = assessment.establishment.name
    move = f"stage {assessment.from_stage.number} to {assessment.to_stage.number}"
    if decision == "approve":
        return (
            f"{site}: commencement of {move} approved from "
            f"{assessment.commencement_date:%-d %B %Y}, number {assessment.panel_order}"
        )
    return f"{site}: move from {move} {'deferred' if decision == 'defer' else 'rejected'}"


def _commencement_reason(assessment: ReadinessAssessment, reasons: str) -> str:
    where = f" in {assessment.sitting}" if assessment.sitting else ""
    text = f"Commencement approved by the national panel{where}"
    return f"{text}: {reasons.strip()}" if reasons.strip() else text


def _tell_the_establishment(assessment, decision: str, reasons: str, acting_user) -> None:
    site = assessment.establishment
    move = f"stage {assessment.from_stage.number} to stage {assessment.to_stage.number}"
    if decision == "approve":
        subject = f"{site.name}: move to stage {assessment.to_stage.number} approved"
        body = (
            f"The national panel approved {site.name}'s move from {move}, commencing on "
            f"{assessment.commencement_date:%-d %B %Y} (number {assessment.panel_order} among "
            "the sites approved with it)."
        )
    else:
        word = "deferred" if decision == "defer" else "rejected"
        subject = f"{site.name}: move to stage {assessment.to_stage.number} {word}"
        body = f"The national panel {word} {site.name}'s move from {move}."
    if reasons.strip():
        body += f"\n\nReasons: {reasons.strip()}"
    notify.tell(
        notify.people_holding([Role.GOVERNOR, Role.PGD], site),
        notify.Message(subject=subject, body=body, link=f"/progression/{site.code}/"),
        exclude=acting_user,
    )
