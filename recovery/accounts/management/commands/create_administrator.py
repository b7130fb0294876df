"""The first administrator of a new installation, who then adds everyone else in the service.

    ADMIN_PASSWORD=... python manage.py create_administrator EMAIL --first-name F --last-name L

Without ADMIN_PASSWORD the password is asked for twice. The administrator holds the role at the
nation ("England and Wales"), which is created if the estate has not been loaded yet. Runs as
the system, through the same actions as Manage users, so the audit trail records it."""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from recovery.accounts.actions import do_assign_role, do_create_user
from recovery.core.constants import Role, UnitKind
from recovery.core.errors import DomainError
from recovery.core.scope import COMMAND_LINE
from recovery.estate.actions import do_create_unit
from recovery.estate.importer import NATION_CODE, NATION_NAME
from recovery.estate.models import OrganisationUnit


class Command(BaseCommand):
    help = "Add an administrator (at the nation) who can sign in and add everyone else."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)

    def _password(self) -> str:
        password = os.environ.get("ADMIN_PASSWORD")
        if password:
            return password
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords are not the same.")
        return password

    def handle(self, *args, email, first_name, last_name, **options):
        password = self._password()
        try:
            nation = OrganisationUnit.objects.filter(kind=UnitKind.NATION).first()
            if nation is None:
                nation = do_create_unit(
                    kind=UnitKind.NATION,
                    code=NATION_CODE,
                    name=NATION_NAME,
                    parent=None,
                    acting_user=COMMAND_LINE,
                )
            user = do_create_user(
                email=email,
                first_name=first_name,
                last_name=last_name,
                password=password,
                acting_user=COMMAND_LINE,
            )
            do_assign_role(user, role=Role.ADMINISTRATOR, unit=nation, acting_user=COMMAND_LINE)
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{user.email} is an administrator at {nation.name}.")
