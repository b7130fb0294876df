"""The service functions that change an establishment's stage: recording a stage (the first
entry of a history), proposing an emergency move back after an outbreak, confirming or
dismissing it, and ratifying a move that took effect at once.

Moves decided by the national panel (commencement) and by a progress review (regress) call
`record_change_in_transaction` from their own actions, inside their transaction."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from recovery.audit.actions import record_event
from recovery.core import notify
from recovery.core.constants import Role
from recovery.core.errors import DomainError
from recovery.core.scope import is_system, require
from recovery.frameworks.models import Stage
from recovery.progression import queries
from recovery.progression.constants import ChangeKind, ChangeStatus
from recovery.progression.models import StageChange
from recovery.progression.rules import RATIFY, STAGE_CHANGE_WORKFLOW


def _person(user):
    return None if is_system(user) else user


def _name(user) -> str:
    return user.get_full_name() or str(user)


def public_cache_changed(establishment) -> None:
    """Hook for the public status page: forget its cached page of `establishment` (set by
    recovery.public when it is installed; after commit)."""
    from django.core.cache import cache

    keys = [f"public-status:{establishment.code}", "public-status:index"]
    transaction.on_commit(lambda: cache.delete_many(keys))


def record_change_in_transaction(
    establishment,
    stage: Stage,
    *,
    kind: str,
    reason: str,
    effective_from: date,
    acting_user,
    status: str = ChangeStatus.IN_EFFECT,
    **links,
) -> StageChange:
    """Append one entry to the establishment's stage history (inside the caller's transaction,
    after the caller's own permission check) and record its audit event."""
    if not reason.strip():
        raise DomainError("Say why the stage changes", field="reason")
    previous = queries.current_stage(establishment)
    change = StageChange.objects.create(
        establishment=establishment,
        stage=stage,
        previous_stage=previous,
        effective_from=effective_from,
        kind=kind,
        status=status,
        reason=reason,
        decided_by=_person(acting_user),
        decided_by_name=_name(acting_user),
        **links,
    )
    record_event(
        acting_user=acting_user,
        action="progression.change_stage",
        obj=change,
        summary=(
            f"{establishment.name}: stage {stage.number} ({stage.name}) from "
            f"{effective_from:%-d %B %Y}"
            + (f", was stage {previous.number}" if previous else "")
            + ("; to be ratified" if status == ChangeStatus.TO_BE_RATIFIED else "")
            + ("; proposed" if status == ChangeStatus.PROPOSED else "")
        ),
        before={"stage": previous.number if previous else None},
        after={
            "stage": stage.number,
            "kind": kind,
            "status": status,
            "effective_from": effective_from.isoformat(),
        },
    )
    if status != ChangeStatus.PROPOSED:
        public_cache_changed(establishment)
    return change


def do_record_stage(
    establishment, stage: Stage, *, reason: str, effective_from: date, acting_user
) -> StageChange:
    """Record the stage an establishment is at (the start of its history, or a correction by
    the national panel). Only the national panel (or the system) does this."""
    require(acting_user, RATIFY, establishment)
    with transaction.atomic():
        return record_change_in_transaction(
            establishment,
            stage,
            kind=ChangeKind.INITIAL,
            reason=reason,
            effective_from=effective_from,
            acting_user=acting_user,
        )


def propose_emergency_move_in_transaction(establishment, *, outbreak, acting_user):
    """An outbreak was declared (inside its transaction): if the establishment is above the
    lockdown stage, propose moving it one stage back at once and tell its PGD. Returns the
    proposal, or None when there is nothing to propose (no stage yet, already at lockdown,
    or a proposal already waiting)."""
    current = queries.current_stage(establishment)
    if current is None:
        return None
    back = queries.next_stage_back(current)
    if back is None:
        return None
    waiting = StageChange.objects.filter(
        establishment=establishment, status=ChangeStatus.PROPOSED
    ).first()
    if waiting is not None:
        return waiting
    change = record_change_in_transaction(
        establishment,
        back,
        kind=ChangeKind.EMERGENCY,
        status=ChangeStatus.PROPOSED,
        reason=(
            f"Outbreak declared on {outbreak.declared_on:%-d %B %Y}: proposed move from stage "
            f"{current.number} back to stage {back.number}"
        ),
        effective_from=outbreak.declared_on,
        acting_user=acting_user,
        outbreak=outbreak,
    )
    notify.tell(
        notify.people_holding([Role.PGD], establishment),
        notify.Message(
            subject=f"Outbreak at {establishment.name}: a move back to stage {back.number} "
            "is proposed",
            body=(
                f"An outbreak was declared at {establishment.name} on "
                f"{outbreak.declared_on:%-d %B %Y}. It is at stage {current.number}; a move "
                f"back to stage {back.number} is proposed and waits for you to confirm or "
                "dismiss it."
            ),
            link=f"/progression/{establishment.code}/",
        ),
        exclude=acting_user,
    )
    return change


def _locked(change: StageChange) -> StageChange:
    return (
        StageChange.objects.select_for_update()
        .select_related("establishment", "stage")
        .get(pk=change.pk)
    )


def do_confirm_stage_move(change: StageChange, *, note: str, acting_user) -> StageChange:
    """Confirm a proposed move back: it takes effect today and is "to be ratified"."""
    with transaction.atomic():
        current = _locked(change)
        before, after = STAGE_CHANGE_WORKFLOW.move(acting_user, current, "confirm")
        current.effective_from = timezone.localdate()
        current.previous_stage = queries.current_stage(current.establishment)
        current.confirmed_at = timezone.now()
        current.confirmed_by = _person(acting_user)
        if note.strip():
            current.reason = f"{current.reason}\n\nConfirmed: {note.strip()}"
        current.version += 1
        current.save()
        record_event(
            acting_user=acting_user,
            action="progression.confirm_stage_move",
            obj=current,
            summary=(
                f"{current.establishment.name}: move back to stage {current.stage.number} "
                "confirmed; in effect, to be ratified"
            ),
            before={"status": before},
            after={"status": after, "effective_from": current.effective_from.isoformat()},
        )
        public_cache_changed(current.establishment)
        notify.tell(
            notify.people_holding([Role.CENTRAL_PANEL], current.establishment),
            notify.Message(
                subject=f"{current.establishment.name} moved back to stage "
                f"{current.stage.number}: to be ratified",
                body="An emergency move back a stage took effect and waits for ratification.",
                link=f"/progression/{current.establishment.code}/",
            ),
            exclude=acting_user,
        )
        return current


def do_dismiss_stage_move(change: StageChange, *, reason: str, acting_user) -> StageChange:
    """Dismiss a proposed move back, with the reason."""
    if not reason.strip():
        raise DomainError("Say why the move is not needed", field="reason")
    with transaction.atomic():
        current = _locked(change)
        before, after = STAGE_CHANGE_WORKFLOW.move(acting_user, current, "dismiss")
        current.reason = f"{current.reason}\n\nDismissed: {reason.strip()}"
        current.version += 1
        current.save()
        record_event(
            acting_user=acting_user,
            action="progression.dismiss_stage_move",
            obj=current,
            summary=f"{current.establishment.name}: proposed move back dismissed",
            before={"status": before},
            after={"status": after, "reason": reason.strip()},
        )
        return current


def do_ratify_stage_change(
    change: StageChange, *, note: str, acting_user, sitting=None
) -> StageChange:
    """The national panel ratifies a move that took effect at once."""
    with transaction.atomic():
        current = _locked(change)
        before, after = STAGE_CHANGE_WORKFLOW.move(acting_user, current, "ratify")
        current.ratified_at = timezone.now()
        current.ratified_by = _person(acting_user)
        current.ratified_in = sitting
        current.ratification_note = note.strip()
        current.version += 1
        current.save()
        record_event(
            acting_user=acting_user,
            action="progression.ratify_stage_change",
            obj=current,
            summary=(
                f"{current.establishment.name}: move to stage {current.stage.number} ratified"
            ),
            before={"status": before},
            after={"status": after, "sitting": sitting.pk if sitting else None},
        )
        return current
