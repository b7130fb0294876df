"""Progress reviews after commencement: the Governor reports how the establishment is doing at
its stage, the PGD forwards the report with their view, and the national panel records
progress, remain, slow or regress with its reasons. A regress moves the establishment one stage
back at once, "to be ratified" until the panel ratifies it (stages.py)."""

from django.db import transaction
from django.utils import timezone

from recovery.audit.actions import record_event
from recovery.core import notify
from recovery.core.constants import Role
from recovery.core.errors import DomainError
from recovery.core.scope import is_system, require
from recovery.progression import queries
from recovery.progression.constants import ChangeKind, ChangeStatus, ReviewOutcome
from recovery.progression.models import ProgressReview
from recovery.progression.rules import REPORT_PROGRESS, REVIEW_WORKFLOW
from recovery.progression.stages import record_change_in_transaction


def _person(user):
    return None if is_system(user) else user


def _link(establishment) -> str:
    return f"/progression/{establishment.code}/"


def _locked(review: ProgressReview, expected_version: int) -> ProgressReview:
    current = (
        ProgressReview.objects.select_for_update()
        .select_related("establishment", "stage")
        .get(pk=review.pk)
    )
    if current.version != expected_version:
        raise DomainError(
            "Someone else changed this progress review while you were looking at it. "
            "Read it again; nothing was changed."
        )
    return current


def do_report_progress(establishment, *, report: str, acting_user) -> ProgressReview:
    """The Governor reports progress at the establishment's current stage (only once it has
    one, i.e. after commencement) for its PGD to forward."""
    require(acting_user, REPORT_PROGRESS, establishment)
    if not report.strip():
        raise DomainError("Say how the establishment is progressing", field="report")
    with transaction.atomic():
        stage = queries.current_stage(establishment)
        if stage is None:
            raise DomainError(
                f"{establishment.name} has no stage recorded yet: progress is reported after "
                "commencement. Nothing was saved."
            )
        review = ProgressReview.objects.create(
            establishment=establishment,
            stage=stage,
            report=report.strip(),
            reported_by=_person(acting_user),
        )
        record_event(
            acting_user=acting_user,
            action="progression.report_progress",
            obj=review,
            summary=f"{establishment.name}: progress reported at stage {stage.number}",
            after={"status": review.status, "stage": stage.number, "report": review.report},
        )
        notify.tell(
            notify.people_holding([Role.PGD], establishment),
            notify.Message(
                subject=f"{establishment.name} reported its progress at stage {stage.number}",
                body="A progress report waits for you to forward it to the centre with your view.",
                link=_link(establishment),
            ),
            exclude=acting_user,
        )
        return review


def do_forward_progress(
    review: ProgressReview, *, pgd_view: str, expected_version: int, acting_user
) -> ProgressReview:
    """The PGD forwards the report to the centre with their view."""
    if not pgd_view.strip():
        raise DomainError("Give your view of the report", field="pgd_view")
    with transaction.atomic():
        current = _locked(review, expected_version)
        before, after = REVIEW_WORKFLOW.move(acting_user, current, "forward")
        current.pgd_view = pgd_view.strip()
        current.forwarded_at = timezone.now()
        current.forwarded_by = _person(acting_user)
        current.version += 1
        current.save()
        establishment = current.establishment
        record_event(
            acting_user=acting_user,
            action="progression.forward_progress",
            obj=current,
            summary=f"{establishment.name}: progress report forwarded to the centre",
            before={"status": before},
            after={"status": after, "pgd_view": current.pgd_view},
        )
        notify.tell(
            notify.people_holding([Role.CENTRAL_PANEL], establishment),
            notify.Message(
                subject=f"Progress review of {establishment.name} waits for a decision",
                body="The PGD forwarded a progress report: record progress, remain, slow or "
                "regress.",
                link=_link(establishment),
            ),
            exclude=acting_user,
        )
        return current


def do_decide_progress(
    review: ProgressReview, *, outcome: str, reasons: str, expected_version: int, acting_user
) -> ProgressReview:
    """The national panel records the outcome with its reasons. Regress moves the
    establishment one stage back at once, to be ratified; there is no stage back from
    lockdown."""
    if outcome not in ReviewOutcome.values:
        raise DomainError("Choose progress, remain, slow or regress", field="outcome")
    if not reasons.strip():
        raise DomainError("Give the reasons for the decision", field="reasons")
    with transaction.atomic():
        current = _locked(review, expected_version)
        before, after = REVIEW_WORKFLOW.move(acting_user, current, "decide")
        establishment = current.establishment
        if outcome == ReviewOutcome.REGRESS:
            _regress(current, reasons.strip(), acting_user)
        current.outcome = outcome
        current.reasons = reasons.strip()
        current.decided_at = timezone.now()
        current.decided_by = _person(acting_user)
        current.version += 1
        current.save()
        record_event(
            acting_user=acting_user,
            action="progression.decide_progress",
            obj=current,
            summary=(
                f"{establishment.name}: progress review decided: "
                f"{ReviewOutcome(outcome).label.lower()}"
            ),
            before={"status": before},
            after={"status": after, "outcome": outcome, "reasons": current.reasons},
        )
        notify.tell(
            notify.people_holding([Role.GOVERNOR, Role.PGD], establishment),
            notify.Message(
                subject=f"Progress review of {establishment.name}: "
                f"{ReviewOutcome(outcome).label.lower()}",
                body=f"The national panel decided: {ReviewOutcome(outcome).label}.\n\n"
                f"{current.reasons}",
                link=_link(establishment),
            ),
            exclude=acting_user,
        )
        return current


def _regress(review: ProgressReview, reasons: str, acting_user):
    establishment = review.establishment
    stage = queries.current_stage(establishment)
    back = queries.next_stage_back(stage) if stage else None
    if back is None:
        raise DomainError(
            f"{establishment.name} is at the lockdown stage: there is no stage to move back "
            "to. Nothing was changed.",
            field="outcome",
        )
    return record_change_in_transaction(
        establishment,
        back,
        kind=ChangeKind.REGRESSION,
        status=ChangeStatus.TO_BE_RATIFIED,
        reason=f"Progress review: regress. {reasons}",
        effective_from=timezone.localdate(),
        acting_user=acting_user,
        review=review,
    )
