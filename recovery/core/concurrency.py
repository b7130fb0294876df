"""Optimistic locking: an edit names the version it was made against; a stale one is refused,
and the refusal shows what the other person changed (read from the audit trail)."""

from typing import Any

from django.db import models
from django.db.models import F

from recovery.core.errors import FieldChange, StaleEditError, object_key


def field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except Exception:  # noqa: BLE001 - a name that is not a model field keeps its own name
        return name.replace("_", " ").capitalize()


def stale_edit_error(obj: models.Model, *, expected_version: int, label: str) -> StaleEditError:
    from recovery.audit.queries import events_since_version

    events = events_since_version(obj, expected_version)
    changes: list[FieldChange] = []
    for event in events:
        for name, before, after in event.changes:
            changes.append(FieldChange(name, field_label(type(obj), name), before, after))
    last = events[-1] if events else None
    return StaleEditError(
        object_label=label,
        changes=changes,
        changed_by=last.actor_name if last else "",
        changed_at=last.occurred_at if last else None,
        object_key=object_key(obj),
    )


def update_versioned(
    obj: models.Model,
    *,
    expected_version: int,
    changes: dict[str, Any],
    label: str,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write `changes` to `obj` only if its stored version is still `expected_version`.

    Returns (before, after) of the fields that really changed; `obj` is refreshed. Raises
    StaleEditError when the stored version has moved on. Runs inside the caller's transaction
    and locks the row while it compares."""
    model = type(obj)
    current = model.objects.select_for_update().get(pk=obj.pk)
    if current.version != expected_version:
        raise stale_edit_error(current, expected_version=expected_version, label=label)
    before = {
        name: getattr(current, name)
        for name, value in changes.items()
        if getattr(current, name) != value
    }
    after = {name: changes[name] for name in before}
    if after:
        model.objects.filter(pk=obj.pk, version=expected_version).update(
            **after, version=F("version") + 1
        )
        # The row is locked until the transaction ends, so what was written is what is stored.
        for name, value in after.items():
            setattr(current, name, value)
        current.version = expected_version + 1
    for name in [*changes, "version"]:
        setattr(obj, name, getattr(current, name))
    return before, after
