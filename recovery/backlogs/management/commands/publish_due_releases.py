"""Publish the release of every period that is due and not yet released.

    manage.py publish_due_releases [--now 2026-10-23T01:00:00+01:00]

Safe to run again, and at once from two machines: a period is released once (the second
publisher is refused and says so). Run it hourly, e.g. cron
`5 * * * * cd /srv/recovery && .venv/bin/python manage.py publish_due_releases`; with Celery
beat, schedule the same command hourly instead."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from recovery.backlogs.releases import do_publish_release, due_periods
from recovery.core.errors import DomainError
from recovery.core.scope import COMMAND_LINE


class Command(BaseCommand):
    help = "Publish the backlog figures of every period whose release is due; never twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help="Act as if it were this moment (ISO 8601 with a time zone); default: now",
        )

    def handle(self, *args, now: str | None = None, **options):
        moment = None
        if now:
            try:
                moment = datetime.datetime.fromisoformat(now)
            except ValueError as error:
                raise CommandError(f"--now: {error}") from error
            if moment.tzinfo is None:
                raise CommandError("--now needs a time zone, e.g. 2026-10-23T01:00:00+01:00")
        periods = due_periods(moment)
        if not periods:
            self.stdout.write("No release is due.")
            return
        for period in periods:
            try:
                release = do_publish_release(period, acting_user=COMMAND_LINE)
            except DomainError as error:
                self.stdout.write(f"Skipped the period from {period:%-d %B %Y}: {error.message}.")
                continue
            self.stdout.write(
                f"Published release {release.number} (period from {period:%-d %B %Y}): "
                f"{release.new_figures} figures, {release.revised_figures} revised."
            )
