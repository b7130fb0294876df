"""E-mail the people baselines are assigned to before a target date and once it has passed.

    manage.py send_baseline_reminders [--days-before 7]

Safe to run again: what was sent is recorded, so nothing is sent twice. Run it daily (cron:
`15 7 * * * cd /srv/recovery && .venv/bin/python manage.py send_baseline_reminders`)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from recovery.core.scope import COMMAND_LINE
from recovery.plans.reminders import do_send_baseline_reminders


class Command(BaseCommand):
    help = "E-mail reminders of baselines' target dates (coming up, and passed); never twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days-before",
            type=int,
            default=7,
            help="Remind this many days before a target date (default 7)",
        )

    def handle(self, *args, days_before: int, **options):
        report = do_send_baseline_reminders(
            today=timezone.localdate(), days_before=days_before, acting_user=COMMAND_LINE
        )
        self.stdout.write(f"Sent {report.describe()}.")
