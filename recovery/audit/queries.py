"""Reads of the audit trail, scoped."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format

from recovery.audit.labels import action_label, model_of, object_type_label, sentence_case
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


def action_choices() -> list[tuple[str, str]]:
    """Every action recorded so far, as (code, label), in the order of their labels."""
    return sorted(((code, action_label(code)) for code in action_names()), key=lambda c: c[1])


# --- One object's history, shown on the object's own page ----------------------------------
#
# These reads are not scoped: the page that shows an object has already checked that the person
# may see it, and an object's history is shown only beside the object.

HISTORY_LIMIT = 200
BLANK = "(blank)"


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    """One event as a person reads it: labels for the action, the object's kind and each field,
    values in words (choices by their label, dates as dates)."""

    occurred_at: datetime.datetime
    actor_name: str
    summary: str
    changes: list[FieldChange]
    action: str = ""
    action_label: str = ""
    object_repr: str = ""
    object_type_label: str = ""

    @property
    def change_lines(self) -> list[str]:
        return [f"{c.label}: {c.before} → {c.after}" for c in self.changes]


@dataclass(frozen=True)
class History:
    """The newest changes to an object, at most `limit` of them; `more` when older ones were left
    out (the whole trail is on the audit page)."""

    entries: list[HistoryEntry]
    more: bool = False
    limit: int = HISTORY_LIMIT

    def __bool__(self) -> bool:
        return bool(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)


def about(*objects: models.Model) -> Q:
    """Events whose object is one of `objects`."""
    ids_by_type: dict[str, list[str]] = {}
    for obj in objects:
        ids_by_type.setdefault(obj._meta.label_lower, []).append(str(obj.pk))
    condition = Q(pk__in=[])
    for object_type, ids in ids_by_type.items():
        condition |= Q(object_type=object_type, object_id__in=ids)
    return condition


def about_any_of(model: type[models.Model], ids: Iterable | models.QuerySet) -> Q:
    """Events whose object is a `model` with one of `ids`: a list, or a queryset of rows (read
    as a subquery, so the query count stays the same however many there are)."""
    if isinstance(ids, models.QuerySet):
        ids = ids.annotate(_object_id=Cast("pk", output_field=CharField())).values("_object_id")
    else:
        ids = [str(pk) for pk in ids]
    return Q(object_type=model._meta.label_lower, object_id__in=ids)


def events_matching(condition: Q, *, limit: int = HISTORY_LIMIT) -> list[AuditEvent]:
    """The newest events matching `condition`, in one query."""
    return list(AuditEvent.objects.filter(condition).order_by("-occurred_at", "-id")[:limit])


def history(condition: Q, *, limit: int = HISTORY_LIMIT) -> History:
    """The changes matching `condition`, newest first, ready to show: who, when, what, and each
    field's value before and after in words. One query."""
    events = events_matching(condition, limit=limit + 1)
    return History(
        entries=[entry_of(event) for event in events[:limit]], more=len(events) > limit, limit=limit
    )


def object_history(
    *objects: models.Model, also: Q | None = None, limit: int = HISTORY_LIMIT
) -> History:
    """The history of `objects` (say an answer) and of whatever else `also` matches (say its
    evidence), newest first, in one query."""
    condition = about(*objects)
    if also is not None:
        condition |= also
    return history(condition, limit=limit)


def person_history(user_id: int, email: str, *, limit: int = HISTORY_LIMIT) -> History:
    """A person's account and the roles they were given or lost, in one query. A removed role
    assignment is gone from the database, so its events are found by the email address they
    name (every assignment event records it); current assignments are matched by id as well."""
    from django.contrib.auth import get_user_model

    from recovery.accounts.models import RoleAssignment

    named = Q(object_type=RoleAssignment._meta.label_lower) & (
        Q(after__user=email) | Q(before__user=email)
    )
    held = about_any_of(RoleAssignment, RoleAssignment.objects.filter(user_id=user_id))
    return history(about_any_of(get_user_model(), [user_id]) | named | held, limit=limit)


def token_history(user_id: int, *, limit: int = HISTORY_LIMIT) -> History:
    """The API tokens a person made, and their revoking, in one query."""
    from recovery.accounts.models import ApiToken

    return history(about_any_of(ApiToken, ApiToken.objects.filter(user_id=user_id)), limit=limit)


def entry_of(event: AuditEvent) -> HistoryEntry:
    model = model_of(event.object_type)
    changes = []
    for name, before, after in event.changes:
        shown_before = shown_value(model, name, before)
        shown_after = shown_value(model, name, after)
        if shown_before == shown_after:  # recorded, but nothing a person would see changed
            continue
        changes.append(FieldChange(_label(model, name), shown_before, shown_after))
    return HistoryEntry(
        occurred_at=event.occurred_at,
        actor_name=event.actor_name or "System",
        summary=event.summary,
        changes=changes,
        action=event.action,
        action_label=action_label(event.action),
        object_repr=event.object_repr,
        object_type_label=object_type_label(event.object_type),
    )


def _field(model: type[models.Model] | None, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a recorded name that is not a field keeps its own name
        return None


def _label(model: type[models.Model] | None, name: str) -> str:
    field = _field(model, name)
    verbose = getattr(field, "verbose_name", None)
    return sentence_case(str(verbose)) if verbose else sentence_case(name.replace("_", " "))


def shown_value(model: type[models.Model] | None, name: str, value) -> str:
    """A recorded value as a person reads it: choices by their label, dates as dates, yes or
    no, lists joined, blanks named."""
    if value is None or value == "" or value == [] or value == {}:
        return BLANK
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(shown_value(None, name, item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {shown_value(None, key, item)}" for key, item in value.items())
    field = _field(model, name)
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
    if value in choices:
        return str(choices[value])
    if isinstance(value, str) and isinstance(field, models.DateTimeField):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "j F Y H:i")
    elif isinstance(value, str) and isinstance(field, models.DateField):
        day = parse_date(value)
        if day is not None:
            return date_format(day, "j F Y")
    return str(value)
