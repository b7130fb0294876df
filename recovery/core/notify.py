"""Telling people that something waits for them: by e-mail, through Django's e-mail API
(the console in development, SMTP in production: see settings), once the change is committed.

Who is told is found from the roles they hold: `people_holding(roles, unit)` is everyone active
who holds one of `roles` at `unit` or at a unit above it (the Governor of a prison, its group's
PGD, the national panel). Their home pages show the same work from the data itself, so an
e-mail that does not arrive loses nothing."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    link: str = ""  # a path in the service, e.g. /progression/assessments/12/

    def text(self) -> str:
        if not self.link:
            return self.body
        return f"{self.body}\n\n{settings.SITE_URL}{self.link}"


def people_holding(roles: Iterable[str], unit):
    """Active people holding one of `roles` at `unit` or above it."""
    from recovery.accounts.models import User

    ancestors = [unit.path[: i + 1] for i, ch in enumerate(unit.path) if ch == "/" and i > 0]
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role__in=list(roles),
            role_assignments__unit__path__in=ancestors,
        )
        .distinct()
        .order_by("email")
    )


def tell(people, message: Message, *, exclude=None) -> int:
    """E-mail `message` to each of `people` (not to `exclude`, the person acting) after the
    current transaction commits. Returns how many will be told."""
    exclude_id = getattr(exclude, "pk", None)
    addresses = sorted({p.email for p in people if p.pk != exclude_id and p.email})
    if not addresses:
        return 0
    mails = [(message.subject, message.text(), None, [a]) for a in addresses]
    transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    return len(addresses)
