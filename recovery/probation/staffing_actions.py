"""Every write of the staffing hierarchy (re-exported by recovery.probation.actions).

- `do_record_staffing_week` (a PDU's head, their own PDU): a week's hours needed and the hours
  each rung of the hierarchy can give, through the one edit door (stale edits refused). The
  first save of a week creates it. Refused: a week not starting on a Monday, before 2020 or more
  than a year ahead; negative hours, or more than 99,999.9."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from recovery.audit.actions import record_event
from recovery.core.concurrency import update_versioned
from recovery.core.errors import DomainError
from recovery.core.scope import require
from recovery.estate.models import OrganisationUnit
from recovery.probation.queries import today
from recovery.probation.staffing import cover
from recovery.probation.staffing_constants import (
    FIRST_WEEK_YEAR,
    HOURS_PLACES,
    MAX_HOURS,
    RUNG_FIELDS,
    RUNGS,
    WEEKS_AHEAD,
)
from recovery.probation.staffing_models import StaffingWeek
from recovery.probation.staffing_rules import RECORD_STAFFING

__all__ = ["do_record_staffing_week", "staffing_week_of", "check_week_start"]

HOURS_FIELDS = ("hours_needed", *RUNG_FIELDS)
STAFFING_FIELDS = (*HOURS_FIELDS, "notes")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def staffing_week_of(pdu: OrganisationUnit, week_start: datetime.date) -> StaffingWeek:
    """The PDU's week, or a new unsaved one (version 1, every figure 0) when none is recorded:
    the week's form opens on either, and the action creates the row when it saves."""
    return StaffingWeek.objects.filter(pdu=pdu, week_start=week_start).select_related(
        "pdu"
    ).first() or StaffingWeek(pdu=pdu, week_start=week_start)


def check_week_start(week_start: datetime.date, *, on: datetime.date | None = None) -> None:
    """A week is recorded by its Monday, from 2020 up to a year ahead of the current week."""
    if week_start.weekday() != 0:
        monday = week_start - datetime.timedelta(days=week_start.weekday())
        raise DomainError(
            f"A week starts on a Monday: {week_start:%-d %B %Y} is a "
            f"{WEEKDAY_NAMES[week_start.weekday()]}. Its week starts on Monday "
            f"{monday:%-d %B %Y}.",
            field="week_start",
        )
    if week_start.year < FIRST_WEEK_YEAR:
        raise DomainError(
            f"Staffing is recorded from {FIRST_WEEK_YEAR}: {week_start:%-d %B %Y} is too early.",
            field="week_start",
        )
    now = on or today()
    latest = now - datetime.timedelta(days=now.weekday()) + datetime.timedelta(weeks=WEEKS_AHEAD)
    if week_start > latest:
        raise DomainError(
            f"Staffing can be planned up to {WEEKS_AHEAD} weeks ahead: the latest week you can "
            f"record now starts on {latest:%-d %B %Y}.",
            field="week_start",
        )


def _label(name: str) -> str:
    return str(StaffingWeek._meta.get_field(name).verbose_name)


def check_hours(changes: dict[str, Any]) -> dict[str, Any]:
    """The hours given (only the fields in `changes`), each a number from 0 to 99,999.9 to a
    tenth of an hour; the notes as text. Raises DomainError naming the field."""
    cleaned: dict[str, Any] = {}
    for name in HOURS_FIELDS:
        if name not in changes:
            continue
        value = changes[name]
        what = _label(name)
        what = what[0].upper() + what[1:]
        try:
            hours = Decimal(str(value)) if value is not None and value != "" else None
        except InvalidOperation:
            hours = None
        if hours is None or not hours.is_finite():
            raise DomainError(f"{what} must be a number, like 37.5", field=name)
        if hours < 0:
            raise DomainError(f"{what} cannot be negative: enter 0 or more", field=name)
        if hours > MAX_HOURS:
            raise DomainError(f"{what} must be {MAX_HOURS:,} or fewer", field=name)
        if hours != hours.quantize(HOURS_PLACES):
            raise DomainError(f"{what} can have one decimal place at most, like 37.5", field=name)
        cleaned[name] = hours.quantize(HOURS_PLACES)
    if "notes" in changes:
        cleaned["notes"] = str(changes["notes"] or "").strip()[:5000]
    return cleaned


def _shown(value) -> str:
    return str(value) if isinstance(value, Decimal) else value


def do_record_staffing_week(
    week: StaffingWeek, *, expected_version: int, changes: dict[str, Any], acting_user
) -> dict[str, Any]:
    """Record a PDU's week: the hours needed and the hours each rung can give (and notes); a
    field not in `changes` keeps its value. Refused if someone saved the week after
    `expected_version`. Returns the fields that changed."""
    pdu = week.pdu
    require(acting_user, RECORD_STAFFING, pdu)
    check_week_start(week.week_start)
    cleaned = check_hours({k: v for k, v in changes.items() if k in STAFFING_FIELDS})
    with transaction.atomic(durable=True):
        # One writer of the PDU's weeks at a time, so that two first saves of one week are
        # told apart (the second is refused as stale) rather than failing on the unique key.
        OrganisationUnit.objects.select_for_update().filter(pk=pdu.pk).first()
        stored = StaffingWeek.objects.filter(pdu=pdu, week_start=week.week_start).first()
        created = stored is None
        if created:
            stored = StaffingWeek.objects.create(pdu=pdu, week_start=week.week_start)
            # A first record is made against version 1, like the blank the form opened on.
            if expected_version != 1:
                expected_version = -1
        before, after = update_versioned(
            stored,
            expected_version=expected_version,
            changes=cleaned,
            label=f"The staffing of {pdu.name} for the week starting {week.week_start:%-d %B %Y}",
        )
        if after or created:
            result = cover(stored.hours_needed, stored.available())
            record_event(
                acting_user=acting_user,
                action="probation.record_staffing_week",
                obj=stored,
                summary=f"Staffing of {pdu.name} for the week starting "
                f"{week.week_start:%-d %B %Y}: {result.covered} of {stored.hours_needed} hours "
                f"covered"
                + (f", {result.gap} short" if result.gap else "")
                + (
                    f" (up to {_deepest(result.taken)})"
                    if result.covered and _deepest(result.taken)
                    else ""
                ),
                before={k: _shown(v) for k, v in before.items()},
                after={k: _shown(v) for k, v in after.items()},
            )
        week.pk, week.version = stored.pk, stored.version
        for name in cleaned:
            setattr(week, name, getattr(stored, name))
        return after


def _deepest(taken: dict) -> str:
    """The last rung that gave any hours, in words ("agency staff"), or "" for existing staff
    alone."""
    used = [r for r in RUNGS if taken[r.key] > 0]
    if not used or used[-1] is RUNGS[0]:
        return ""
    return used[-1].label.lower()
