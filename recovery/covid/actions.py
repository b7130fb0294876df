"""Every write to Covid controls: declaring and ending an outbreak, the coverage figures and
plan review, PPE stock, and loading all of them from a spreadsheet. Each action checks the
permission first, validates (recovery.covid.checks), writes inside one transaction and records
its audit event in it.

Declaring an outbreak at an establishment above the lockdown stage proposes, in the same
transaction, a move one stage back and tells its PGD
(recovery.progression.stages.propose_emergency_move_in_transaction)."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from recovery.audit.actions import record_event
from recovery.core.concurrency import stale_edit_error, update_versioned
from recovery.core.errors import DomainError
from recovery.core.files import shown_file_name
from recovery.core.scope import is_system, require
from recovery.covid.checks import (
    NOTES_MAX,
    check_controls,
    check_count,
    check_outbreak_dates,
)
from recovery.covid.constants import PpeItem
from recovery.covid.models import CovidControls, Outbreak, PpeStock
from recovery.covid.rules import EDIT_COVID
from recovery.estate.models import Establishment


def _person(user):
    return None if is_system(user) else user


def _name(user) -> str:
    return user.get_full_name() or str(user)


def _today() -> datetime.date:
    return timezone.localdate()


def _lock(establishment: Establishment) -> None:
    """Hold the establishment's row until the transaction ends, so that two people declaring
    an outbreak at once are taken one after the other (the second is refused)."""
    Establishment.objects.select_for_update().filter(pk=establishment.pk).first()


# --- Outbreaks ----------------------------------------------------------------------------------


def overlapping(
    periods: list[tuple[datetime.date, datetime.date | None]],
    declared_on: datetime.date,
    ended_on: datetime.date | None,
) -> tuple[datetime.date, datetime.date | None] | None:
    """The first of `periods` (declared, ended) that shares a day with the outbreak from
    `declared_on` to `ended_on` (an end date is the first day out of outbreak; None: open)."""
    for start, end in periods:
        if (ended_on is None or start < ended_on) and (end is None or declared_on < end):
            return start, end
    return None


def overlap_message(establishment: Establishment, start, end) -> str:
    if end is None:
        return (
            f"{establishment.name} is already in outbreak (declared on {start:%-d %B %Y}). "
            "End that outbreak before declaring another."
        )
    return (
        f"This overlaps the outbreak at {establishment.name} declared on {start:%-d %B %Y} "
        f"and ended on {end:%-d %B %Y}"
    )


def check_outbreak(
    establishment: Establishment,
    *,
    declared_on: datetime.date,
    ended_on: datetime.date | None = None,
    cases_staff: int | None,
    cases_prisoners: int | None,
    notes: str,
    today: datetime.date,
) -> None:
    """Why this outbreak cannot be recorded, as a DomainError; nothing if it can: dates in
    the future or in the wrong order, negative counts, or a period that overlaps another
    outbreak of the establishment (so at most one is ever open)."""
    check_outbreak_dates(declared_on, ended_on, today)
    check_count("cases_staff", "Staff cases", cases_staff)
    check_count("cases_prisoners", "Prisoner cases", cases_prisoners)
    if len(notes) > NOTES_MAX:
        raise DomainError(f"The notes must be {NOTES_MAX:,} characters or fewer", field="notes")
    periods = list(
        Outbreak.objects.filter(establishment=establishment)
        .order_by("ended_on", "declared_on")
        .values_list("declared_on", "ended_on")
    )
    # An open outbreak first: it is the one to end.
    periods.sort(key=lambda p: p[1] is not None)
    found = overlapping(periods, declared_on, ended_on)
    if found is not None:
        raise DomainError(overlap_message(establishment, *found), field="declared_on")


def declare_outbreak_in_transaction(
    establishment: Establishment,
    *,
    declared_on: datetime.date,
    cases_staff: int | None = None,
    cases_prisoners: int | None = None,
    notes: str = "",
    acting_user,
    ended_on: datetime.date | None = None,
    source: str = "",
) -> Outbreak:
    """The body of `do_declare_outbreak`, for a caller that holds the transaction (an
    import), after the caller's permission check. `ended_on`: an outbreak recorded after it
    ended (from a spreadsheet): nothing is proposed for it."""
    from recovery.progression.stages import propose_emergency_move_in_transaction

    notes = (notes or "").strip()
    _lock(establishment)
    check_outbreak(
        establishment,
        declared_on=declared_on,
        ended_on=ended_on,
        cases_staff=cases_staff,
        cases_prisoners=cases_prisoners,
        notes=notes,
        today=_today(),
    )
    try:
        with transaction.atomic():
            outbreak = Outbreak.objects.create(
                establishment=establishment,
                declared_on=declared_on,
                declared_by=_person(acting_user),
                declared_by_name=_name(acting_user),
                cases_staff=cases_staff,
                cases_prisoners=cases_prisoners,
                notes=notes,
                ended_on=ended_on,
                ended_by=_person(acting_user) if ended_on else None,
                ended_by_name=_name(acting_user) if ended_on else "",
            )
    except IntegrityError as error:  # declared by someone else at the same moment
        raise DomainError(
            f"{establishment.name} is already in outbreak. End that outbreak before declaring "
            "another.",
            field="declared_on",
        ) from error
    record_event(
        acting_user=acting_user,
        action="covid.declare_outbreak",
        obj=outbreak,
        summary=f"Outbreak declared at {establishment.name} on {declared_on:%-d %B %Y}"
        + (f" ({source})" if source else ""),
        after={
            "declared_on": declared_on.isoformat(),
            "cases_staff": cases_staff,
            "cases_prisoners": cases_prisoners,
            "notes": notes,
            "ended_on": ended_on.isoformat() if ended_on else None,
        },
    )
    if ended_on is None:
        propose_emergency_move_in_transaction(
            establishment, outbreak=outbreak, acting_user=acting_user
        )
    return outbreak


def do_declare_outbreak(
    establishment: Establishment,
    *,
    declared_on: datetime.date,
    cases_staff: int | None = None,
    cases_prisoners: int | None = None,
    notes: str = "",
    acting_user,
) -> Outbreak:
    """Declare an outbreak at the establishment: refused while another is open, or for a date
    in the future. Above the lockdown stage, a move one stage back is proposed at once and the
    PGD is told."""
    require(acting_user, EDIT_COVID, establishment)
    with transaction.atomic(durable=True):
        return declare_outbreak_in_transaction(
            establishment,
            declared_on=declared_on,
            cases_staff=cases_staff,
            cases_prisoners=cases_prisoners,
            notes=notes,
            acting_user=acting_user,
        )


def end_outbreak_in_transaction(
    outbreak: Outbreak, *, ended_on: datetime.date, acting_user, source: str = ""
) -> Outbreak:
    current = (
        Outbreak.objects.select_for_update().select_related("establishment").get(pk=outbreak.pk)
    )
    if current.ended_on is not None:
        raise DomainError(
            f"This outbreak already ended on {current.ended_on:%-d %B %Y}.", field="ended_on"
        )
    check_outbreak_dates(current.declared_on, ended_on, _today())
    Outbreak.objects.filter(pk=current.pk).update(
        ended_on=ended_on,
        ended_by=_person(acting_user),
        ended_by_name=_name(acting_user),
        version=F("version") + 1,
    )
    current.refresh_from_db()
    record_event(
        acting_user=acting_user,
        action="covid.end_outbreak",
        obj=current,
        summary=f"Outbreak at {current.establishment.name} declared on "
        f"{current.declared_on:%-d %B %Y} ended on {ended_on:%-d %B %Y}"
        + (f" ({source})" if source else ""),
        before={"ended_on": None},
        after={"ended_on": ended_on.isoformat()},
    )
    return current


def do_end_outbreak(outbreak: Outbreak, *, ended_on: datetime.date, acting_user) -> Outbreak:
    """End an open outbreak: not before it was declared, not in the future."""
    require(acting_user, EDIT_COVID, outbreak)
    with transaction.atomic(durable=True):
        return end_outbreak_in_transaction(outbreak, ended_on=ended_on, acting_user=acting_user)


# --- Coverage, contact-tracing lead and plan review --------------------------------------------


def controls_of_establishment(establishment: Establishment) -> CovidControls:
    """The establishment's controls row, or a new unsaved one (version 1) when none has been
    recorded: an edit form opens on either, and the action creates the row when it saves."""
    found = CovidControls.objects.filter(establishment=establishment).first()
    return found or CovidControls(establishment=establishment)


def update_controls_in_transaction(
    controls: CovidControls,
    *,
    expected_version: int,
    changes: dict[str, Any],
    acting_user,
    source: str = "",
) -> dict[str, Any]:
    establishment = controls.establishment
    require(acting_user, EDIT_COVID, establishment)
    cleaned = check_controls(changes, _today())
    _lock(establishment)
    stored = CovidControls.objects.filter(establishment=establishment).first()
    if stored is None:
        blank = CovidControls(establishment=establishment)
        if expected_version == blank.version and all(
            getattr(blank, name) == value for name, value in cleaned.items()
        ):
            return {}  # nothing recorded, and nothing to record
        stored = CovidControls.objects.create(establishment=establishment)
    before, after = update_versioned(
        stored,
        expected_version=expected_version,
        changes=cleaned,
        label=f"The Covid controls of {establishment.name}",
    )
    if after:
        record_event(
            acting_user=acting_user,
            action="covid.update_controls",
            obj=stored,
            summary=f"Changed {', '.join(n.replace('_', ' ') for n in after)} of the Covid "
            f"controls of {establishment.name}" + (f" ({source})" if source else ""),
            before=before,
            after=after,
        )
    controls.pk, controls.version = stored.pk, stored.version
    for name in cleaned:
        setattr(controls, name, getattr(stored, name))
    return after


def do_update_controls(
    controls: CovidControls, *, expected_version: int, changes: dict[str, Any], acting_user
) -> dict[str, Any]:
    """Change the coverage figures, the contact-tracing lead or the date the outbreak and
    contingency plan was last reviewed. Refused if someone saved them after
    `expected_version`. Returns the fields that changed."""
    with transaction.atomic(durable=True):
        return update_controls_in_transaction(
            controls, expected_version=expected_version, changes=changes, acting_user=acting_user
        )


# --- PPE stock ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PpeCount:
    """What one PPE item's stock should be. `version`: the version the person read (0: it was
    not recorded yet); None: do not check (a spreadsheet states the stock as it is)."""

    item: str
    in_stock: int | None
    needed: int | None
    version: int | None = None


def check_ppe(counts: list[PpeCount]) -> None:
    items = set(PpeItem.values)
    for count in counts:
        if count.item not in items:
            raise DomainError(f"'{count.item}' is not an item of PPE counted here", field="item")
        label = PpeItem(count.item).label
        check_count(f"{count.item}_in_stock", f"{label} in stock", count.in_stock, required=True)
        check_count(f"{count.item}_needed", f"{label} needed", count.needed, required=True)


def set_ppe_in_transaction(
    establishment: Establishment,
    counts: list[PpeCount],
    *,
    counted_on: datetime.date | None,
    acting_user,
    source: str = "",
) -> list[str]:
    from recovery.covid.checks import check_not_future

    require(acting_user, EDIT_COVID, establishment)
    check_ppe(counts)
    check_not_future("counted_on", counted_on, _today())
    _lock(establishment)
    stored = {
        s.item: s for s in PpeStock.objects.select_for_update().filter(establishment=establishment)
    }
    changed = []
    for count in counts:
        row = stored.get(count.item)
        label = f"{PpeItem(count.item).label} at {establishment.name}"
        if count.version is not None and (row.version if row else 0) != count.version:
            if row is None:
                raise DomainError(f"{label} was removed while you were editing it.")
            raise stale_edit_error(row, expected_version=count.version, label=label)
        before = {"in_stock": row.in_stock, "needed": row.needed} if row else {}
        after = {"in_stock": count.in_stock, "needed": count.needed}
        if before == after:
            continue
        if row is None:
            row = PpeStock.objects.create(
                establishment=establishment,
                item=count.item,
                in_stock=count.in_stock,
                needed=count.needed,
                counted_on=counted_on or _today(),
            )
        else:
            PpeStock.objects.filter(pk=row.pk).update(
                in_stock=count.in_stock,
                needed=count.needed,
                counted_on=counted_on or _today(),
                version=F("version") + 1,
            )
            row.refresh_from_db()
        record_event(
            acting_user=acting_user,
            action="covid.set_ppe_stock",
            obj=row,
            summary=f"{label}: {count.in_stock:,} in stock, {count.needed:,} needed"
            + (f" ({source})" if source else ""),
            before=before,
            after=after,
        )
        changed.append(count.item)
    return changed


def do_set_ppe_stock(
    establishment: Establishment,
    counts: list[PpeCount],
    *,
    counted_on: datetime.date | None = None,
    acting_user,
) -> list[str]:
    """Record the stock of PPE items against what the establishment needs of each. Counts
    cannot be negative; an item someone else changed since it was read is refused. Returns the
    items that changed."""
    with transaction.atomic(durable=True):
        return set_ppe_in_transaction(
            establishment, counts, counted_on=counted_on, acting_user=acting_user
        )


# --- Loading from a spreadsheet -----------------------------------------------------------------


@dataclass
class CovidImportSummary:
    controls_changed: int = 0
    ppe_changed: int = 0
    outbreaks_declared: int = 0
    outbreaks_ended: int = 0
    outbreaks_changed: int = 0
    establishments: list[str] = field(default_factory=list)

    def describe(self) -> str:
        parts = [
            (self.controls_changed, "establishment's controls", "establishments' controls"),
            (self.ppe_changed, "PPE item", "PPE items"),
            (self.outbreaks_declared, "outbreak declared", "outbreaks declared"),
            (self.outbreaks_ended, "outbreak ended", "outbreaks ended"),
            (self.outbreaks_changed, "outbreak corrected", "outbreaks corrected"),
        ]
        said = [f"{n} {one if n == 1 else many}" for n, one, many in parts if n]
        if not said:
            return "The spreadsheet has been loaded: nothing changed."
        return "The spreadsheet has been loaded: " + ", ".join(said) + "."


def do_import_covid(establishment_or_scope, upload, *, acting_user) -> CovidImportSummary:
    """Load Covid controls, PPE stock and outbreaks from a workbook
    (recovery.covid.importer). `establishment_or_scope`: the one establishment the file may
    name, or None for every establishment whose controls the person may record. Every row is
    checked first (a row naming an establishment outside that scope is a problem); if any row
    has a problem, nothing is written and InvalidUpload lists them all."""
    from recovery.covid.importer import apply_covid_workbook, read_covid_workbook

    if establishment_or_scope is not None:
        require(acting_user, EDIT_COVID, establishment_or_scope)
    else:
        require(acting_user, EDIT_COVID)
    data = read_covid_workbook(upload, scope=establishment_or_scope, acting_user=acting_user)
    with transaction.atomic(durable=True):
        summary = apply_covid_workbook(data, acting_user=acting_user)
        anchor = establishment_or_scope or data.first_establishment()
        if anchor is not None:
            record_event(
                acting_user=acting_user,
                action="covid.import",
                obj=anchor,
                summary=summary.describe(),
                after={
                    "file_name": shown_file_name(getattr(upload, "name", "") or ""),
                    "controls_changed": summary.controls_changed,
                    "ppe_changed": summary.ppe_changed,
                    "outbreaks_declared": summary.outbreaks_declared,
                    "outbreaks_ended": summary.outbreaks_ended,
                    "outbreaks_changed": summary.outbreaks_changed,
                    "establishments": summary.establishments,
                },
            )
    return summary


def correct_outbreak_in_transaction(
    outbreak: Outbreak, changes: dict[str, Any], *, acting_user, source: str = ""
) -> dict[str, Any]:
    """Correct an outbreak's case counts or notes (a spreadsheet names them again), after the
    caller's permission check. Returns what changed."""
    current = (
        Outbreak.objects.select_for_update().select_related("establishment").get(pk=outbreak.pk)
    )
    before = {k: getattr(current, k) for k, v in changes.items() if getattr(current, k) != v}
    after = {k: changes[k] for k in before}
    if not after:
        return {}
    Outbreak.objects.filter(pk=current.pk).update(**after, version=F("version") + 1)
    current.refresh_from_db()
    record_event(
        acting_user=acting_user,
        action="covid.correct_outbreak",
        obj=current,
        summary=f"Corrected {', '.join(k.replace('_', ' ') for k in after)} of the outbreak at "
        f"{current.establishment.name} declared on {current.declared_on:%-d %B %Y}"
        + (f" ({source})" if source else ""),
        before=before,
        after=after,
    )
    return after
