"""Recording audit events. Called by every other domain's actions, inside their transaction."""

from typing import Any

from django.db import models

from recovery.audit.models import AuditEvent


def object_type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def unit_of(obj: models.Model):
    """The organisation unit an object belongs to, for scoping who may see its history."""
    if hasattr(obj, "path") and hasattr(obj, "kind"):
        return obj
    return getattr(obj, "scope_unit", None)


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
    if acting_user is None:
        raise ValueError("An audit event needs an actor: a person, or a named system actor.")
    unit = unit_of(obj)
    person = acting_user if getattr(acting_user, "pk", None) else None
    return AuditEvent.objects.create(
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
