"""Generate the fortnightly report to ministers for the current fortnight.

    manage.py generate_ministers_report [--if-due] [--date 2026-12-07]

Without --if-due, a fortnight that already has its report is an error (exit status 1). With
--if-due (for a scheduler), it does nothing and says so: safe to run daily, e.g. cron
`30 6 * * * cd /srv/recovery && .venv/bin/python manage.py generate_ministers_report --if-due`;
the report is made on the first run of each fortnight (fortnights run from Monday 1 June 2020).
Recorded in the audit trail as done by "System (command line)"."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from recovery.core.errors import DomainError
from recovery.core.scope import COMMAND_LINE
from recovery.probation.ministers import fortnight_of
from recovery.probation.ministers_actions import do_generate_report, report_of_fortnight


class Command(BaseCommand):
    help = "Generate the fortnightly report to ministers for the current fortnight (once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-due",
            action="store_true",
            help="Only if the current fortnight has no report yet; otherwise do nothing",
        )
        parser.add_argument(
            "--date",
            help="Act as if today were this day (YYYY-MM-DD); default: today",
        )

    def handle(self, *args, if_due: bool = False, date: str | None = None, **options):
        day = timezone.localdate()
        if date:
            try:
                day = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
        starts, ends = fortnight_of(day)
        if if_due and report_of_fortnight(day) is not None:
            self.stdout.write(
                f"The report for the fortnight from {starts:%-d %B %Y} to {ends:%-d %B %Y} has "
                "already been generated: nothing to do."
            )
            return
        try:
            report = do_generate_report(acting_user=COMMAND_LINE, as_at=day)
        except DomainError as error:
            if if_due and report_of_fortnight(day) is not None:
                self.stdout.write(f"{error.message} Nothing to do.")  # made a moment ago
                return
            raise CommandError(error.message) from error
        self.stdout.write(f"Generated: {report} (figures as at {report.as_at:%-d %B %Y}).")
