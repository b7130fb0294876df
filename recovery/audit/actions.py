"""Recording audit events. Called by every other domain's actions, inside their transaction."""

from typing import Any

from django.db import models
from django.utils import timezone

from recovery.audit.models import AuditEvent
from recovery.core.bulk import insert_rows


def object_type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def unit_of(obj: models.Model):
    """The organisation unit an object belongs to, for scoping who may see its history."""
    if hasattr(obj, "path") and hasattr(obj, "kind"):
        return obj
    return getattr(obj, "scope_unit", None)


def build_event(
    *,
    acting_user,
    action: str,
    obj: models.Model,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """One event, not yet written (`record_event` saves it; `record_events` saves many).
    Every event has an actor: a person, or a named system actor."""
    if acting_user is None:
        raise ValueError("An audit event needs an actor: a person, or a named system actor.")
    unit = unit_of(obj)
    person = acting_user if getattr(acting_user, "pk", None) else None
    return AuditEvent(
        actor=person,
        actor_name=acting_user.get_full_name() or acting_user.get_username(),
        action=action,
        summary=summary[:500],
        object_type=object_type_of(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        object_version=getattr(obj, "version", None),
        unit=unit,
        unit_path=getattr(unit, "path", "") or "",
        before=before or {},
        after=after or {},
    )


def record_event(
    *,
    acting_user,
    action: str,
    obj: models.Model,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the transaction that made the change, so that the
    change and its record are written together or not at all."""
    event = build_event(
        acting_user=acting_user,
        action=action,
        obj=obj,
        summary=summary,
        before=before,
        after=after,
    )
    event.save()
    return event


def record_events(events: list[AuditEvent]) -> None:
    """Append many events built with `build_event` in a few statements (bulk imports: still one
    event per changed object). Same rule: inside the transaction that made the changes."""
    now = timezone.now()
    for event in events:
        event.occurred_at = now
    insert_rows(AuditEvent, events)
