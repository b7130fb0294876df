"""Walk the hash chains of the decision logs and report the first broken link of each."""

from django.core.management.base import BaseCommand, CommandError

from recovery.decisions.queries import verify_logs
from recovery.estate.models import Establishment


class Command(BaseCommand):
    help = (
        "Verify the defensible decision logs: recompute every recorded entry's SHA-256 hash, "
        "check each entry follows the one before it, and check each log ends where its head "
        "record and the audit trail say. Prints one line per log; exits with status 1 if any "
        "log is broken (naming the first broken link), 0 if every log is intact."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--establishment", metavar="CODE", help="Verify only this establishment's log"
        )

    def handle(self, *args, establishment=None, **options):
        establishments = None
        if establishment:
            found = Establishment.objects.filter(code=establishment).first()
            if found is None:
                raise CommandError(f"There is no establishment with the code {establishment}.")
            establishments = [found]
        verification = verify_logs(establishments)
        for chain in verification.chains:
            self.stdout.write(chain.describe())
        if not verification.chains:
            self.stdout.write("There are no decision logs to verify.")
        if not verification.intact:
            broken = verification.broken
            raise CommandError(
                f"{len(broken)} decision log{'s are' if len(broken) != 1 else ' is'} broken. "
                + " ".join(f"{c.name} ({c.code}): {c.problem}" for c in broken)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(verification.chains)} log(s), {verification.entries:,} entries: "
                "every chain is intact."
            )
        )
