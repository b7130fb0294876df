"""Move every plan that answers one version of an EDM to a newer published version.

    manage.py move_plans_to_version 901 1.0 1.1

Run by an operator on the server (recorded in the audit trail as the system)."""

from django.core.management.base import BaseCommand, CommandError

from recovery.core.errors import DomainError
from recovery.core.scope import COMMAND_LINE
from recovery.frameworks.models import EdmVersion
from recovery.plans.actions import do_move_plans_to_version


class Command(BaseCommand):
    help = "Move every plan answering one EDM version to another, keeping every answer."

    def add_arguments(self, parser):
        parser.add_argument("edm", type=int, help="The EDM's number, e.g. 18")
        parser.add_argument("old", help="The version plans answer now, e.g. 1.0")
        parser.add_argument("new", help="The published version to move them to, e.g. 1.1")

    def handle(self, *args, edm: int, old: str, new: str, **options):
        versions = {
            v.version_number: v
            for v in EdmVersion.objects.filter(
                edm__number=edm, version_number__in=[old, new]
            ).select_related("edm")
        }
        for wanted in (old, new):
            if wanted not in versions:
                raise CommandError(f"EDM {edm} has no version {wanted}.")
        try:
            report = do_move_plans_to_version(
                versions[old], versions[new], acting_user=COMMAND_LINE
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Moved {report.plans_moved} plans from EDM {edm} version {old} to {new}: "
            f"{report.carried_over} answers carried over, {report.needs_review} to review, "
            f"{report.archived} archived, {report.added} new baselines."
        )
