"""Reads of the audit trail, scoped."""

from django.core.paginator import Page, Paginator
from django.db import models

from recovery.audit.models import AuditEvent


def events_for_object(obj: models.Model, *, limit: int = 200) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).order_by("-occurred_at", "-id")[:limit]
    )


def events_since_version(obj: models.Model, version: int) -> list[AuditEvent]:
    """The changes saved to `obj` after `version`, oldest first: what a stale editor missed."""
    return list(
        AuditEvent.objects.filter(
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_version__gt=version,
        ).order_by("occurred_at", "id")
    )


def search_events(
    *, action: str = "", actor: str = "", object_text: str = "", page: int = 1, per_page: int = 50
) -> Page:
    """The whole trail, newest first, for administrators."""
    events = AuditEvent.objects.all()
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_name__icontains=actor)
    if object_text:
        events = events.filter(object_repr__icontains=object_text)
    return Paginator(events.order_by("-occurred_at", "-id"), per_page).get_page(page)


def action_names() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())
