"""Load EDM files into the framework library: `python manage.py load_edm FILE...`.

Each file is checked first and refused with every problem (line and key); a good file is
loaded and published (use --draft to leave it as a draft). Loading a file already held changes
nothing, so the command can run on every deploy. With --library, every file in library/edms/."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recovery.core.errors import DomainError
from recovery.core.scope import COMMAND_LINE
from recovery.frameworks.actions import do_load_edm, load_library
from recovery.frameworks.edm_file import MAX_EDM_FILE_BYTES, InvalidEdmFile


class Command(BaseCommand):
    help = "Check and load EDM YAML files into the framework library (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="EDM YAML files")
        parser.add_argument("--draft", action="store_true", help="Load as drafts; do not publish")
        parser.add_argument(
            "--library", action="store_true", help="Load and publish every file in library/edms/"
        )

    def handle(self, *args, **options):
        if options["library"]:
            for result in load_library(acting_user=COMMAND_LINE):
                self.stdout.write(result.message)
            return
        if not options["files"]:
            raise CommandError("Name at least one EDM file, or use --library.")
        failed = False
        for name in options["files"]:
            path = Path(name)
            try:
                with path.open("rb") as handle:
                    data = handle.read(MAX_EDM_FILE_BYTES + 1)
                text = data.decode("utf-8")
            except (OSError, UnicodeDecodeError) as error:
                self.stderr.write(f"{name}: cannot be read ({error}).")
                failed = True
                continue
            if len(data) > MAX_EDM_FILE_BYTES:
                # Refused before it is read whole, as the upload page refuses it.
                self.stderr.write(
                    f"{name}: the file is larger than {MAX_EDM_FILE_BYTES // 1024} KB; "
                    "nothing has been changed."
                )
                failed = True
                continue
            try:
                result = do_load_edm(text, acting_user=COMMAND_LINE, publish=not options["draft"])
            except InvalidEdmFile as error:
                self.stderr.write(f"{name}: {error.message}")
                for problem in error.problems:
                    self.stderr.write(f"  {problem}")
                failed = True
            except DomainError as error:
                self.stderr.write(f"{name}: {error.message}")
                failed = True
            else:
                self.stdout.write(f"{name}: {result.message}")
        if failed:
            raise CommandError("Some files were not loaded.")
