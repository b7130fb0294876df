"""Every write to the estate. Each function checks permission, validates, writes inside a
transaction and records its audit event in the same transaction.

`acting_user=None` means the system itself (a management command run by an operator on the
server, such as `seed_demo`); every web and API caller passes the signed-in user."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from recovery.audit.actions import record_event
from recovery.core.concurrency import update_versioned
from recovery.core.constants import UnitKind
from recovery.core.errors import DomainError, NotAllowed
from recovery.core.scope import allows
from recovery.estate.models import PARENT_KIND, Establishment, OrganisationUnit, ProbationOffice

ESTABLISHMENT_FIELDS = (
    "name",
    "establishment_type",
    "category",
    "operator",
    "operational_capacity",
    "population",
)
OFFICE_FIELDS = ("name", "interview_rooms", "opens_at", "closes_at", "days_open")


def _check_allowed(acting_user, permission: str, obj=None) -> None:
    if acting_user is None:
        return
    if not allows(acting_user, permission, obj):
        raise NotAllowed("You do not have permission to do that here.")


def _check_parent(kind: str, parent: OrganisationUnit | None) -> None:
    expected = PARENT_KIND[kind]
    if expected is None:
        if parent is not None:
            raise DomainError("The nation has no parent.")
        return
    if parent is None or parent.kind != expected:
        raise DomainError(
            f"A {UnitKind(kind).label.lower()} must belong to a "
            f"{UnitKind(expected).label.lower()}.",
            field="parent",
        )


def _validate(unit: OrganisationUnit) -> None:
    try:
        unit.full_clean(exclude=["path", "parent", "organisationunit_ptr"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=field) from error


def _snapshot(obj, fields) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def create_unit_in_transaction(
    *, kind: str, code: str, name: str, parent: OrganisationUnit | None, acting_user,
    details: dict[str, Any] | None = None,
) -> OrganisationUnit:
    """The body of `do_create_unit`, for callers that are already inside a transaction (the
    estate import creates many units in one)."""
    _check_allowed(acting_user, "estate.import_estate")
    _check_parent(kind, parent)
    model = {
        UnitKind.ESTABLISHMENT: Establishment,
        UnitKind.OFFICE: ProbationOffice,
    }.get(kind, OrganisationUnit)
    unit = model(kind=kind, code=code, name=name, parent=parent, **(details or {}))
    _validate(unit)
    unit.save()
    fields = {"kind", "code", "name", *(details or {})}
    record_event(
        acting_user=acting_user,
        action="estate.create_unit",
        obj=unit,
        summary=f"Added {unit.kind_label.lower()} {unit.name} ({unit.code})",
        after={**_snapshot(unit, sorted(fields)), "parent": parent.code if parent else None},
    )
    return unit


def do_create_unit(
    *, kind: str, code: str, name: str, parent: OrganisationUnit | None, acting_user,
    details: dict[str, Any] | None = None,
) -> OrganisationUnit:
    with transaction.atomic(durable=True):
        return create_unit_in_transaction(
            kind=kind, code=code, name=name, parent=parent, acting_user=acting_user,
            details=details,
        )


def update_unit_in_transaction(
    unit: OrganisationUnit,
    *,
    expected_version: int,
    changes: dict[str, Any],
    acting_user,
    permission: str,
    allowed_fields: tuple[str, ...],
) -> dict[str, Any]:
    _check_allowed(acting_user, permission, unit)
    unknown = set(changes) - set(allowed_fields)
    if unknown:
        raise DomainError(f"These details cannot be changed here: {', '.join(sorted(unknown))}.")
    candidate = type(unit).objects.get(pk=unit.pk)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _validate(candidate)
    before, after = update_versioned(
        unit, expected_version=expected_version, changes=changes, label=unit.name
    )
    if after:
        record_event(
            acting_user=acting_user,
            action=f"estate.update_{unit.kind}",
            obj=unit,
            summary=f"Changed {', '.join(n.replace('_', ' ') for n in after)} of {unit.name}",
            before=before,
            after=after,
        )
    return after


def do_update_establishment(
    establishment: Establishment, *, expected_version: int, changes: dict[str, Any], acting_user
) -> dict[str, Any]:
    """Correct an establishment's details. Refused if someone saved it after
    `expected_version`. Returns the fields that changed (empty if nothing did)."""
    with transaction.atomic(durable=True):
        return update_unit_in_transaction(
            establishment,
            expected_version=expected_version,
            changes=changes,
            acting_user=acting_user,
            permission="estate.change_establishment",
            allowed_fields=ESTABLISHMENT_FIELDS,
        )


def do_update_office(
    office: ProbationOffice, *, expected_version: int, changes: dict[str, Any], acting_user
) -> dict[str, Any]:
    with transaction.atomic(durable=True):
        return update_unit_in_transaction(
            office,
            expected_version=expected_version,
            changes=changes,
            acting_user=acting_user,
            permission="estate.change_office",
            allowed_fields=OFFICE_FIELDS,
        )
