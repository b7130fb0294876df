"""Generating the fortnightly report to ministers (re-exported by recovery.probation.actions).

`do_generate_report` (the probation centre, or the scheduler's command as the system): gathers
the figures as at today (recovery.probation.ministers.gather), works out what changed since the
previous stored report, and stores the report for the current fortnight, with its audit event,
in one transaction. One report a fortnight: a second is refused, naming the first."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from recovery.audit.actions import record_event
from recovery.core.constants import UnitKind
from recovery.core.errors import DomainError
from recovery.core.scope import is_system, require
from recovery.estate.models import OrganisationUnit
from recovery.probation.ministers import changes_between, demand, fortnight_of, gather
from recovery.probation.ministers_models import MinistersReport
from recovery.probation.ministers_rules import GENERATE_MINISTERS_REPORT

__all__ = ["do_generate_report", "report_of_fortnight"]


def report_of_fortnight(day: datetime.date) -> MinistersReport | None:
    """The stored report of the fortnight `day` falls in, if it has been generated."""
    return MinistersReport.objects.filter(fortnight_starts_on=fortnight_of(day)[0]).first()


def _already(report: MinistersReport) -> str:
    starts, ends = fortnight_of(report.fortnight_starts_on)
    made = timezone.localtime(report.generated_at)
    return (
        f"The report to ministers for the fortnight from {starts:%-d %B %Y} to {ends:%-d %B %Y} "
        f"was already generated on {made:%-d %B %Y at %H:%M} by {report.generated_by_name}: "
        "there is one report a fortnight, kept as it was made."
    )


def do_generate_report(*, acting_user, as_at: datetime.date | None = None) -> MinistersReport:
    """Generate and store the report of the current fortnight (of `as_at`, today when not
    given), its figures as at that day. Refused if the fortnight already has its report."""
    nation = OrganisationUnit.objects.get(kind=UnitKind.NATION)
    require(acting_user, GENERATE_MINISTERS_REPORT, nation)
    day = as_at or timezone.localdate()
    starts, _ = fortnight_of(day)
    with transaction.atomic(durable=True):
        existing = report_of_fortnight(day)
        if existing is not None:
            raise DomainError(_already(existing))
        snapshot = gather(day)
        previous = (
            MinistersReport.objects.filter(fortnight_starts_on__lt=starts)
            .order_by("-fortnight_starts_on")
            .first()
        )
        snapshot["changes"] = changes_between(previous.snapshot if previous else None, snapshot)
        try:
            with transaction.atomic():
                report = MinistersReport.objects.create(
                    fortnight_starts_on=starts,
                    as_at=day,
                    snapshot=snapshot,
                    generated_by=None if is_system(acting_user) else acting_user,
                    generated_by_name=acting_user.get_full_name() or str(acting_user),
                    generated_at=timezone.now(),
                )
        except IntegrityError:
            # Someone else generated it a moment ago.
            raise DomainError(_already(report_of_fortnight(day))) from None
        national = snapshot["national"]
        changes = snapshot["changes"]
        record_event(
            acting_user=acting_user,
            action="probation.generate_ministers_report",
            obj=report,
            summary=f"{report} generated",
            after={
                "fortnight_starts_on": starts.isoformat(),
                "as_at": day.isoformat(),
                "national_step": national["step"],
                "capacity": national["capacity"],
                "demand": demand(national),
                "regions_changed_step": len(changes.get("steps", [])),
                "rags_changed": len(changes.get("rags", [])),
            },
        )
        return report
