"""Every write to the estate. Each function checks permission, validates, writes inside a
transaction and records its audit event in the same transaction.

Every caller names who acts: the signed-in person, or a system actor
(`recovery.core.scope.COMMAND_LINE` for a management command such as `import_estate`)."""

import os
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from recovery.audit.actions import build_event, record_event, record_events
from recovery.core.bulk import insert_rows, update_rows
from recovery.core.concurrency import stale_edit_error, update_versioned
from recovery.core.constants import UnitKind
from recovery.core.errors import DomainError
from recovery.core.scope import require
from recovery.estate.constants import ordered_categories
from recovery.estate.importer import (
    KINDS_IN_ORDER,
    NATION_CODE,
    NATION_NAME,
    EstateData,
    ImportSummary,
    read_estate_workbook,
)
from recovery.estate.models import (
    MODEL_BY_KIND,
    PARENT_KIND,
    Establishment,
    OrganisationUnit,
    ProbationOffice,
)

ESTABLISHMENT_FIELDS = (
    "name",
    "status",
    "establishment_type",
    "categories",
    "operator",
    "operational_capacity",
    "population",
)
OFFICE_FIELDS = ("name", "interview_rooms", "opens_at", "closes_at", "days_open")


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


def _unit_added(unit: OrganisationUnit, fields, *, acting_user):
    """The event of a new unit, added one at a time or by an import: the arguments of
    `record_event`, or of `build_event` for `record_events` in bulk."""
    return dict(
        acting_user=acting_user,
        action="estate.create_unit",
        obj=unit,
        summary=f"Added {unit.kind_label.lower()} {unit.name} ({unit.code})",
        after={
            **_snapshot(unit, sorted(fields)),
            "parent": unit.parent.code if unit.parent_id else None,
        },
    )


def _unit_changed(unit: OrganisationUnit, before, after, *, acting_user):
    return dict(
        acting_user=acting_user,
        action=f"estate.update_{unit.kind}",
        obj=unit,
        summary=f"Changed {', '.join(n.replace('_', ' ') for n in after)} of {unit.name}",
        before=before,
        after=after,
    )


def public_pages_changed() -> None:
    """The public status pages show establishments' names and list the open ones: forget them
    once the change is committed (recovery.public keeps them in the cache)."""
    from recovery.public.cache import forget_all_public_pages

    transaction.on_commit(forget_all_public_pages)


def create_unit_in_transaction(
    *,
    kind: str,
    code: str,
    name: str,
    parent: OrganisationUnit | None,
    acting_user,
    details: dict[str, Any] | None = None,
) -> OrganisationUnit:
    """The body of `do_create_unit`, for callers that are already inside a transaction (the
    estate import creates many units in one)."""
    require(acting_user, "estate.import_estate")
    _check_parent(kind, parent)
    model = MODEL_BY_KIND.get(kind, OrganisationUnit)
    details = dict(details or {})
    if isinstance(details.get("categories"), list | tuple):
        details["categories"] = ordered_categories(details["categories"])
    unit = model(kind=kind, code=code, name=name, parent=parent, **details)
    _validate(unit)
    unit.save()
    fields = {"kind", "code", "name", *details}
    record_event(**_unit_added(unit, fields, acting_user=acting_user))
    if kind == UnitKind.ESTABLISHMENT:
        public_pages_changed()
    return unit


def do_create_unit(
    *,
    kind: str,
    code: str,
    name: str,
    parent: OrganisationUnit | None,
    acting_user,
    details: dict[str, Any] | None = None,
) -> OrganisationUnit:
    with transaction.atomic(durable=True):
        return create_unit_in_transaction(
            kind=kind,
            code=code,
            name=name,
            parent=parent,
            acting_user=acting_user,
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
    require(acting_user, permission, unit)
    unknown = set(changes) - set(allowed_fields)
    if unknown:
        raise DomainError(f"These details cannot be changed here: {', '.join(sorted(unknown))}.")
    if isinstance(changes.get("categories"), list | tuple):
        # One set of categories is one list, whatever order it was given in.
        changes = {**changes, "categories": ordered_categories(changes["categories"])}
    candidate = type(unit).objects.get(pk=unit.pk)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _validate(candidate)
    before, after = update_versioned(
        unit, expected_version=expected_version, changes=changes, label=unit.name
    )
    if after:
        record_event(**_unit_changed(unit, before, after, acting_user=acting_user))
        if {"name", "status"} & set(after):
            public_pages_changed()
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


# --- Moving units and importing the estate -----------------------------------------------------


def move_unit_in_transaction(
    unit: OrganisationUnit, *, new_parent: OrganisationUnit, expected_version: int, acting_user
) -> bool:
    """Give `unit` a new parent: its path and the paths of everything inside it follow. Only an
    administrator may restructure the tree (the import permission). Returns False if the unit
    already had that parent. Refused if someone saved the unit after `expected_version`."""
    require(acting_user, "estate.import_estate")
    _check_parent(unit.kind, new_parent)
    model = type(unit)
    current = model.objects.select_for_update().get(pk=unit.pk)
    if current.version != expected_version:
        raise stale_edit_error(current, expected_version=expected_version, label=unit.name)
    if current.parent_id == new_parent.pk:
        return False
    old_parent, old_path = OrganisationUnit.objects.get(pk=current.parent_id), current.path
    new_path = f"{new_parent.path}{current.code}/"
    OrganisationUnit.objects.filter(pk=unit.pk, version=expected_version).update(
        parent=new_parent, path=new_path, version=F("version") + 1
    )
    # Descendants keep their version: their own details did not change, only where they sit.
    OrganisationUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
    )
    unit.refresh_from_db()
    record_event(
        acting_user=acting_user,
        action="estate.move_unit",
        obj=unit,
        summary=f"Moved {unit.name} from {old_parent.name} to {new_parent.name}",
        before={"parent": old_parent.code, "path": old_path},
        after={"parent": new_parent.code, "path": new_path},
    )
    return True


# What an import may change on an existing unit of each kind, and the permission that covers
# that change. Prison groups, regions and PDUs have only a name: no narrower write permission
# exists for them, so the check confirms they lie within the actor's scope; the import itself
# has already been checked against `estate.import_estate` (administrators at the nation).
IMPORT_UPDATES = {
    UnitKind.PRISON_GROUP: ("estate.view_prison_estate", ("name",)),
    UnitKind.ESTABLISHMENT: ("estate.change_establishment", ESTABLISHMENT_FIELDS),
    UnitKind.PROBATION_REGION: ("estate.view_probation_estate", ("name",)),
    UnitKind.PDU: ("estate.view_probation_estate", ("name",)),
    UnitKind.OFFICE: ("estate.change_office", OFFICE_FIELDS),
}


def _nation_in_transaction(acting_user) -> OrganisationUnit:
    nation = OrganisationUnit.objects.filter(kind=UnitKind.NATION).first()
    if nation is None:
        nation = create_unit_in_transaction(
            kind=UnitKind.NATION,
            code=NATION_CODE,
            name=NATION_NAME,
            parent=None,
            acting_user=acting_user,
        )
    return nation


def _bulk_create_units(rows, parents: dict[str, OrganisationUnit]) -> list[OrganisationUnit]:
    """Create the units of `rows` (all of one kind, their parents already in `parents`) in a
    few statements. Establishments and offices are two tables (the unit and its details);
    their detail rows are inserted apart, once the unit rows exist."""
    kind = rows[0].kind
    model = MODEL_BY_KIND.get(kind, OrganisationUnit)
    bases = []
    for row in rows:
        parent = parents[row.parent_code] if row.parent_code else parents[NATION_CODE]
        bases.append(
            OrganisationUnit(
                kind=kind,
                code=row.code,
                name=row.name,
                parent=parent,
                path=f"{parent.path}{row.code}/",
            )
        )
    insert_rows(OrganisationUnit, bases, assign_ids=True)
    if model is OrganisationUnit:
        return bases
    units = [
        model(
            organisationunit_ptr_id=base.pk,
            pk=base.pk,
            kind=kind,
            code=base.code,
            name=base.name,
            parent=base.parent,
            path=base.path,
            version=base.version,
            **row.details,
        )
        for base, row in zip(bases, rows, strict=True)
    ]
    insert_rows(model, units, local_only=True)
    return units


def load_estate_in_transaction(data: EstateData, *, acting_user, source: str) -> ImportSummary:
    """Apply checked estate data: create the units that are new, update the ones whose details
    or parent differ, leave the rest. One locking read of every unit the file names, bulk
    inserts and updates kind by kind (parents first), one audit event per change written in
    bulk, plus one `estate.import` event with the counts when anything changed."""
    summary = ImportSummary()
    nation = _nation_in_transaction(acting_user)
    codes = {u.code for u in data.units} | {u.parent_code for u in data.units if u.parent_code}
    locked = {
        unit.code: unit
        for unit in OrganisationUnit.objects.select_for_update().filter(code__in=codes)
    }
    by_code: dict[str, OrganisationUnit] = {NATION_CODE: nation, nation.code: nation}
    by_code.update(locked)
    detailed = [
        code
        for code, unit in locked.items()
        if unit.kind in (UnitKind.ESTABLISHMENT, UnitKind.OFFICE)
    ]
    if detailed:
        # The child tables' rows (locked through their unit rows) replace the bare units.
        for model in (Establishment, ProbationOffice):
            for unit in model.objects.filter(code__in=detailed):
                by_code[unit.code] = unit

    events = []
    for kind in KINDS_IN_ORDER:
        rows = data.of_kind(kind)
        if not rows:
            continue
        new_rows = [row for row in rows if row.code not in by_code]
        if new_rows:
            for unit, row in zip(_bulk_create_units(new_rows, by_code), new_rows, strict=True):
                by_code[unit.code] = unit
                fields = sorted({"kind", "code", "name", *row.details})
                events.append(build_event(**_unit_added(unit, fields, acting_user=acting_user)))
            summary.created[kind] += len(new_rows)
        permission, allowed = IMPORT_UPDATES[kind]
        changed_units, changed_fields, moves = [], set(), []
        new_codes = {row.code for row in new_rows}
        for row in rows:
            if row.code in new_codes:
                continue
            unit = by_code[row.code]
            wanted = {"name": row.name, **row.details}
            after = {f: v for f, v in wanted.items() if f in allowed and getattr(unit, f) != v}
            parent = by_code[row.parent_code] if row.parent_code else nation
            if after:
                require(acting_user, permission, unit)
                before = {f: getattr(unit, f) for f in after}
                for name, value in after.items():
                    setattr(unit, name, value)
                unit.version += 1
                changed_units.append(unit)
                changed_fields.update(after)
                events.append(
                    build_event(**_unit_changed(unit, before, after, acting_user=acting_user))
                )
            if unit.parent_id != parent.pk:
                moves.append((unit, parent))
            if after or unit.parent_id != parent.pk:
                summary.updated[kind] += 1
            else:
                summary.unchanged[kind] += 1
        if changed_units:
            model = type(changed_units[0])
            update_rows(model, changed_units, [*sorted(changed_fields), "version"])
        for unit, parent in moves:
            # Rare: a move rewrites the paths of everything inside the unit, one unit at a time.
            move_unit_in_transaction(
                unit, new_parent=parent, expected_version=unit.version, acting_user=acting_user
            )
        if moves:
            # Units already read lie inside what moved: their paths are now elsewhere.
            paths = dict(
                OrganisationUnit.objects.filter(code__in=list(by_code)).values_list("code", "path")
            )
            for code, unit in by_code.items():
                unit.path = paths.get(code, unit.path)
    record_events(events)
    if summary.changed_anything:
        record_event(
            acting_user=acting_user,
            action="estate.import",
            obj=nation,
            summary=f"Imported the estate from {source}: {summary.describe()}"[:500],
            after={"source": source, **summary.as_dict()},
        )
    return summary


def do_load_estate(data: EstateData, *, acting_user, source: str) -> ImportSummary:
    """Apply estate data already checked by the importer (or built by the demo generator)."""
    require(acting_user, "estate.import_estate")
    with transaction.atomic(durable=True):
        public_pages_changed()
        return load_estate_in_transaction(data, acting_user=acting_user, source=source)


def _file_name(file) -> str:
    if isinstance(file, str) or hasattr(file, "__fspath__"):
        return os.path.basename(os.fspath(file))
    return getattr(file, "name", None) or "an uploaded file"


def do_import_estate(file, *, acting_user, source: str | None = None) -> ImportSummary:
    """Load the estate from a workbook (a path, bytes or an uploaded file; format in
    `recovery.estate.importer`). Everything is checked first: any problem raises
    `InvalidUpload` listing them all, and nothing is written. Then every change is made in one
    transaction."""
    require(acting_user, "estate.import_estate")
    if source is None:
        source = _file_name(file)
    with transaction.atomic(durable=True):
        # Checked inside the transaction, so the checks and the writes see the same estate.
        data = read_estate_workbook(file)
        public_pages_changed()
        return load_estate_in_transaction(data, acting_user=acting_user, source=source)
