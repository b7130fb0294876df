"""Fill an empty service with the national-scale demo estate and one demo account per role."""

import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand

from recovery.accounts.actions import do_assign_role, do_create_user
from recovery.accounts.models import RoleAssignment, User
from recovery.core.scope import DEMO_DATA
from recovery.estate.actions import do_load_estate
from recovery.estate.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_SOURCE, build_demo_estate
from recovery.estate.models import OrganisationUnit


class Command(BaseCommand):
    help = (
        "Load the invented, national-scale demo estate (about 120 establishments in 20 prison "
        "groups; 12 probation regions with about 110 PDUs and their offices) and one demo "
        f"account per role, all with the password '{DEMO_PASSWORD}' (for example "
        "admin@demo.example, governor@demo.example, editor@demo.example). The same data every "
        "run; running it again changes nothing, and puts back any demo unit or role that was "
        "changed or removed. Everything is recorded in the audit trail as done by the system. "
        "Never run it against a live service."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the service already has any organisation unit",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and OrganisationUnit.objects.exists():
            self.stdout.write("The service already has an estate: no demo data was added.")
            return
        summary = do_load_estate(build_demo_estate(), acting_user=DEMO_DATA, source=DEMO_SOURCE)
        self.stdout.write(f"Estate: {summary.describe()}")
        users_added, roles_added = self._accounts()
        self.stdout.write(f"Accounts: {users_added} added, {roles_added} roles given.")
        for line in self._other_apps():
            self.stdout.write(line)
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
        width = max(len(a.email) for a in DEMO_ACCOUNTS)
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.email.ljust(width)}  {account.description}")

    def _other_apps(self) -> list[str]:
        """Each later app may ship demo data as `<app>.demo.load_demo()`; they run in the order
        of INSTALLED_APPS, after the estate and the accounts they build on."""
        lines = []
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if config.name == "recovery.estate" or not config.name.startswith("recovery."):
                continue
            if importlib.util.find_spec(module_name) is None:
                continue
            module = importlib.import_module(module_name)
            if hasattr(module, "load_demo"):
                lines.append(module.load_demo())
        return lines

    def _accounts(self) -> tuple[int, int]:
        units = {
            u.code: u
            for u in OrganisationUnit.objects.filter(
                code__in={r.unit_code for a in DEMO_ACCOUNTS for r in a.roles}
            )
        }
        existing = {
            u.email: u for u in User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS])
        }
        held = set(
            RoleAssignment.objects.filter(user__in=existing.values()).values_list(
                "user__email", "role", "unit__code"
            )
        )
        users_added = roles_added = 0
        for account in DEMO_ACCOUNTS:
            user = existing.get(account.email)
            if user is None:
                user = do_create_user(
                    email=account.email,
                    first_name=account.first_name,
                    last_name=account.last_name,
                    job_title=account.job_title,
                    password=DEMO_PASSWORD,
                    acting_user=DEMO_DATA,
                )
                users_added += 1
            for role in account.roles:
                if (account.email, role.role, role.unit_code) in held:
                    continue
                do_assign_role(
                    user, role=role.role, unit=units[role.unit_code], acting_user=DEMO_DATA
                )
                roles_added += 1
        return users_added, roles_added
