"""Readiness assessments and the sign-off chain, up to the national panel.

The route is the sources' four steps (edm18-ycs-resettlement, its end; Stage 2 priorities): the
establishment completes its readiness assessment with its plan and the Governor submits it; the
local trade union records its consultation (agreed, or concerns in writing that travel with
it); regional Silver / the PGD endorses it or returns it with reasons; the national Recovery
Committee decides (panel.py).

Every step is one service function here: it locks the assessment, checks the role, the scope,
the segregation of duties and the state through the workflow table (rules.ASSESSMENT_WORKFLOW,
via signing.move_in_transaction), refuses a form opened on an older version, records the
SignOff pinned to the snapshot its signer saw and the audit event, and tells the next people in
the chain once the change is committed."""

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from recovery.audit.actions import record_event
from recovery.core import notify
from recovery.core.concurrency import update_versioned
from recovery.core.constants import Role
from recovery.core.errors import DomainError
from recovery.core.scope import is_system, require
from recovery.plans.models import Plan
from recovery.progression import queries
from recovery.progression.constants import (
    OPEN_ASSESSMENT_STATUSES,
    AssessmentStatus,
    Step,
    UnionPosition,
)
from recovery.progression.models import ReadinessAssessment
from recovery.progression.prerequisites import failing, prerequisites_for
from recovery.progression.rules import ASSESSMENT_WORKFLOW, PREPARE
from recovery.progression.signing import (
    lock,
    move_in_transaction,
    sign_in_transaction,
    take_snapshot_in_transaction,
)

# What the establishment attests, and while which states it may still change it: a submitted
# assessment is read-only until it is returned.
ATTESTED_FIELDS = ("staffing", "risk_assessments", "safe_systems", "justification")
EDITABLE_FIELDS: dict[str, tuple[str, ...]] = {
    AssessmentStatus.DRAFT: ATTESTED_FIELDS,
    AssessmentStatus.RETURNED: ATTESTED_FIELDS,
}

STALE = (
    "This readiness assessment changed since you opened it: someone else moved it on or "
    "changed it. Nothing was changed. Read it again and decide on what it says now."
)


def _person(user):
    return None if is_system(user) else user


def _name(user) -> str:
    return user.get_full_name() or str(user)


def assessment_link(assessment: ReadinessAssessment) -> str:
    return reverse("progression:assessment", args=[assessment.pk])


def _describe(assessment: ReadinessAssessment) -> str:
    return (
        f"{assessment.establishment.name}: stage {assessment.from_stage.number} to stage "
        f"{assessment.to_stage.number}"
    )


def _tell(roles, assessment, *, subject: str, body: str, acting_user) -> None:
    notify.tell(
        notify.people_holding(roles, assessment.establishment),
        notify.Message(subject=subject, body=body, link=assessment_link(assessment)),
        exclude=acting_user,
    )


def _begin(assessment, name: str, *, acting_user, expected_version: int | None):
    """The assessment locked, once the person may take step `name` on it now and the form was
    opened on its current version."""
    current = lock(assessment)
    ASSESSMENT_WORKFLOW.require(acting_user, current, name)
    if expected_version is not None and current.version != expected_version:
        raise DomainError(STALE)
    return current


def _required_text(value: str, *, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(message, field=field)
    return text


# --- Starting and editing ----------------------------------------------------------------------


def do_start_assessment(establishment, *, acting_user) -> ReadinessAssessment:
    """Start the establishment's readiness assessment to move from its current stage to the next
    one up, with its plan for that stage. At most one is open at a time."""
    with transaction.atomic(durable=True):
        require(acting_user, PREPARE, establishment)
        if establishment.is_closed:
            raise DomainError(f"{establishment.name} is closed, so it cannot move up a stage.")
        current = queries.current_stage(establishment)
        if current is None:
            raise DomainError(
                f"{establishment.name} has no current stage recorded yet, so there is no stage "
                "to move on from. The national panel records it on the stage history."
            )
        target = queries.next_stage_up(current)
        if target is None:
            raise DomainError(
                f"{establishment.name} is at stage {current.number} ({current.name}), the "
                "fullest regime: there is no stage further to move to."
            )
        plan = Plan.objects.filter(establishment=establishment, stage=target).first()
        if plan is None:
            raise DomainError(
                f"{establishment.name} has no Regime Recovery Plan for stage {target.number} "
                f"yet. Start the plan for stage {target.number} on the plan page first: the "
                "assessment is made together with it."
            )
        waiting = ReadinessAssessment.objects.filter(
            establishment=establishment, status__in=OPEN_ASSESSMENT_STATUSES
        ).first()
        if waiting is not None:
            raise DomainError(
                f"{establishment.name} already has a readiness assessment under way "
                f"({waiting.get_status_display().lower()}). Finish or withdraw it first."
            )
        assessment = ReadinessAssessment.objects.create(
            establishment=establishment,
            plan=plan,
            from_stage=current,
            to_stage=target,
            created_by=_person(acting_user),
            status_since=timezone.now(),
        )
        record_event(
            acting_user=acting_user,
            action="progression.start_assessment",
            obj=assessment,
            summary=f"Started the readiness assessment of {_describe(assessment)}",
            after={
                "from_stage": current.number,
                "to_stage": target.number,
                "status": assessment.status,
            },
        )
        return assessment


def do_update_assessment(
    assessment: ReadinessAssessment,
    *,
    expected_version: int,
    changes: dict[str, Any],
    acting_user,
) -> dict[str, Any]:
    """Change what the establishment attests (staffing, risk assessments, safe systems of
    work, the justification), while it is a draft or returned. Refused if someone saved it
    after `expected_version`. Returns the fields that changed."""
    with transaction.atomic(durable=True):
        current = lock(assessment)
        require(acting_user, PREPARE, current)
        editable = EDITABLE_FIELDS.get(current.status, ())
        if not editable:
            raise DomainError(
                f"This readiness assessment is {current.get_status_display().lower()}: it can "
                "no longer be changed. It can be changed again only if it is returned to the "
                "establishment."
            )
        cleaned = {
            name: (value or "").replace("\r\n", "\n").strip()
            for name, value in changes.items()
            if name in editable
        }
        before, after = update_versioned(
            current,
            expected_version=expected_version,
            changes=cleaned,
            label="The readiness assessment",
        )
        if after:
            record_event(
                acting_user=acting_user,
                action="progression.update_assessment",
                obj=current,
                summary=f"Changed {', '.join(n.replace('_', ' ') for n in after)} of the "
                f"readiness assessment of {_describe(current)}",
                before=before,
                after=after,
            )
        assessment.version = current.version
        return after


# --- The route ---------------------------------------------------------------------------------


def do_submit_assessment(
    assessment: ReadinessAssessment,
    *,
    acting_user,
    justification: str | None = None,
    expected_version: int | None = None,
) -> ReadinessAssessment:
    """The Governor submits the assessment (again, after a return): its prerequisites are
    computed; any that fails needs a recorded justification. Freezes a snapshot of the
    assessment and its plan, and tells the establishment's trade union representatives."""
    with transaction.atomic(durable=True):
        current = _begin(
            assessment, "submit", acting_user=acting_user, expected_version=expected_version
        )
        now = queries.current_stage(current.establishment)
        if now is not None and now.pk != current.from_stage_id:
            raise DomainError(
                f"{current.establishment.name} is now at stage {now.number}, not stage "
                f"{current.from_stage.number}: withdraw this assessment and start a new one."
            )
        if justification is not None:
            current.justification = justification.replace("\r\n", "\n").strip()
        failed = failing(prerequisites_for(current))
        if failed and not current.justification:
            raise DomainError(
                f"{len(failed)} prerequisite{'s' if len(failed) != 1 else ''} "
                f"{'are' if len(failed) != 1 else 'is'} not met "
                f"({', '.join(p.title.lower() for p in failed)}): say why the assessment "
                "should go ahead now",
                field="justification",
            )
        before, after = move_in_transaction(current, "submit", acting_user=acting_user)
        current.submitted_at = timezone.now()
        current.submitted_by = _person(acting_user)
        current.save()
        snapshot = take_snapshot_in_transaction(current)
        sign_in_transaction(
            current,
            Step.SUBMITTED,
            acting_user=acting_user,
            comments=current.justification if failed else "",
            snapshot=snapshot,
        )
        record_event(
            acting_user=acting_user,
            action="progression.submit_assessment",
            obj=current,
            summary=f"Submitted the readiness assessment of {_describe(current)}"
            + (f" with {len(failed)} prerequisite(s) not met" if failed else ""),
            before={"status": before},
            after={
                "status": after,
                "snapshot": snapshot.number,
                "failing": [p.key for p in failed],
                "justification": current.justification if failed else "",
            },
        )
        _tell(
            [Role.TRADE_UNION_REP],
            current,
            subject=f"Readiness assessment of {current.establishment.name}: your consultation "
            "is needed",
            body=(
                f"{current.establishment.name} has submitted its readiness assessment to move "
                f"from stage {current.from_stage.number} to stage {current.to_stage.number}. "
                "Record the local trade union's consultation: agreed, or concerns in writing."
            ),
            acting_user=acting_user,
        )
        return current


def do_record_consultation(
    assessment: ReadinessAssessment,
    *,
    position: str,
    acting_user,
    concerns: str = "",
    expected_version: int | None = None,
) -> ReadinessAssessment:
    """The local trade union records its consultation: agreed, or concerns in writing. The
    route goes on either way, and the concerns travel with it to the PGD and the panel."""
    if position not in UnionPosition.values:
        raise DomainError("Select the union's position", field="position")
    if position == UnionPosition.CONCERNS:
        concerns = _required_text(
            concerns, field="concerns", message="Write down the union's concerns"
        )
    else:
        concerns = (concerns or "").strip()
    with transaction.atomic(durable=True):
        current = _begin(
            assessment, "consult", acting_user=acting_user, expected_version=expected_version
        )
        before, after = move_in_transaction(current, "consult", acting_user=acting_user)
        current.save()
        sign_in_transaction(
            current,
            Step.CONSULTED,
            acting_user=acting_user,
            comments=concerns,
            union_position=position,
        )
        record_event(
            acting_user=acting_user,
            action="progression.consult_union",
            obj=current,
            summary=f"Trade union consultation recorded on the readiness assessment of "
            f"{_describe(current)}: {UnionPosition(position).label.lower()}",
            before={"status": before},
            after={"status": after, "union_position": position, "concerns": concerns},
        )
        _tell(
            [Role.PGD],
            current,
            subject=f"Readiness assessment of {current.establishment.name}: waiting for your "
            "endorsement",
            body=(
                f"The local trade union has been consulted on the readiness assessment of "
                f"{current.establishment.name} (stage {current.from_stage.number} to stage "
                f"{current.to_stage.number}): {UnionPosition(position).label.lower()}. "
                "Endorse it, or return it to the establishment with your reasons."
            ),
            acting_user=acting_user,
        )
        return current


def do_endorse_assessment(
    assessment: ReadinessAssessment,
    *,
    acting_user,
    comments: str = "",
    expected_version: int | None = None,
) -> ReadinessAssessment:
    """Regional Silver / the PGD endorses the assessment: it goes to the national panel."""
    with transaction.atomic(durable=True):
        current = _begin(
            assessment, "endorse", acting_user=acting_user, expected_version=expected_version
        )
        before, after = move_in_transaction(current, "endorse", acting_user=acting_user)
        current.save()
        comments = (comments or "").strip()
        sign_in_transaction(current, Step.ENDORSED, acting_user=acting_user, comments=comments)
        record_event(
            acting_user=acting_user,
            action="progression.endorse_assessment",
            obj=current,
            summary=f"Endorsed the readiness assessment of {_describe(current)}",
            before={"status": before},
            after={"status": after, "comments": comments},
        )
        _tell(
            [Role.CENTRAL_PANEL],
            current,
            subject=f"Readiness assessment of {current.establishment.name}: waiting for a "
            "national decision",
            body=(
                f"The PGD has endorsed the readiness assessment of {current.establishment.name} "
                f"to move from stage {current.from_stage.number} to stage "
                f"{current.to_stage.number}. It is in the panel's queue."
            ),
            acting_user=acting_user,
        )
        return current


def do_return_assessment(
    assessment: ReadinessAssessment,
    *,
    reasons: str,
    acting_user,
    expected_version: int | None = None,
) -> ReadinessAssessment:
    """The PGD returns the assessment to the establishment with reasons. Every comment so far
    is kept; the establishment may change it and submit it again."""
    reasons = _required_text(reasons, field="reasons", message="Say why the assessment is returned")
    with transaction.atomic(durable=True):
        current = _begin(
            assessment, "return", acting_user=acting_user, expected_version=expected_version
        )
        before, after = move_in_transaction(current, "return", acting_user=acting_user)
        current.save()
        sign_in_transaction(current, Step.RETURNED, acting_user=acting_user, comments=reasons)
        record_event(
            acting_user=acting_user,
            action="progression.return_assessment",
            obj=current,
            summary=f"Returned the readiness assessment of {_describe(current)}",
            before={"status": before},
            after={"status": after, "reasons": reasons},
        )
        _tell(
            [Role.GOVERNOR],
            current,
            subject=f"Readiness assessment of {current.establishment.name} returned",
            body=(
                "The PGD has returned the readiness assessment to the establishment with these "
                f"reasons:\n\n{reasons}\n\nChange it and submit it again, or withdraw it."
            ),
            acting_user=acting_user,
        )
        return current


# Who was waiting for an assessment, told when it is withdrawn.
WAITING_ON = {
    AssessmentStatus.AWAITING_UNION: Role.TRADE_UNION_REP,
    AssessmentStatus.AWAITING_PGD: Role.PGD,
}


def do_withdraw_assessment(
    assessment: ReadinessAssessment,
    *,
    acting_user,
    reason: str = "",
    expected_version: int | None = None,
) -> ReadinessAssessment:
    """The Governor withdraws the assessment before the national panel has it."""
    with transaction.atomic(durable=True):
        current = _begin(
            assessment, "withdraw", acting_user=acting_user, expected_version=expected_version
        )
        before, after = move_in_transaction(current, "withdraw", acting_user=acting_user)
        current.save()
        reason = (reason or "").strip()
        sign_in_transaction(current, Step.WITHDRAWN, acting_user=acting_user, comments=reason)
        record_event(
            acting_user=acting_user,
            action="progression.withdraw_assessment",
            obj=current,
            summary=f"Withdrew the readiness assessment of {_describe(current)}",
            before={"status": before},
            after={"status": after, "reason": reason},
        )
        if before in WAITING_ON:
            _tell(
                [WAITING_ON[before]],
                current,
                subject=f"Readiness assessment of {current.establishment.name} withdrawn",
                body="The establishment has withdrawn its readiness assessment: nothing waits "
                "for you on it any more.",
                acting_user=acting_user,
            )
        return current
