"""Load the estate from a workbook, or write the workbook's format.

    python manage.py import_estate FILE.xlsx           import (as the system)
    python manage.py import_estate --template FILE.xlsx write an empty workbook with the headings
    python manage.py import_estate --export FILE.xlsx   write the current estate in that format

The format is described in recovery/estate/importer.py and docs/estate-import.md."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recovery.core.errors import InvalidUpload
from recovery.core.scope import COMMAND_LINE
from recovery.core.xlsx import workbook_bytes
from recovery.estate.actions import do_import_estate
from recovery.estate.importer import export_sheets, template_sheets


def problem_line(problem) -> str:
    text = str(problem)
    return text[:1].upper() + text[1:]


class Command(BaseCommand):
    help = (
        "Load prison groups, establishments, probation regions, PDUs and offices from an .xlsx "
        "workbook. Every problem is listed (sheet, row, column, reason) and nothing is written "
        "unless the whole file is right. Importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="The estate workbook to import (.xlsx)")
        what = parser.add_mutually_exclusive_group()
        what.add_argument(
            "--template", metavar="FILE", help="Write an empty workbook showing the format"
        )
        what.add_argument(
            "--export", metavar="FILE", help="Write the current estate in the import format"
        )

    def handle(self, *args, file=None, template=None, export=None, **options):
        if template or export:
            if file:
                raise CommandError("Give either a file to import or --template/--export, not both.")
            target = Path(template or export)
            target.write_bytes(workbook_bytes(template_sheets() if template else export_sheets()))
            what = "an empty estate workbook" if template else "the current estate"
            self.stdout.write(f"Wrote {what} to {target}")
            return
        if not file:
            raise CommandError("Name the workbook to import, or use --template FILE.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        try:
            summary = do_import_estate(path, acting_user=COMMAND_LINE, source=path.name)
        except InvalidUpload as error:
            for problem in error.problems:
                self.stderr.write(problem_line(problem))
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(summary.describe()))
