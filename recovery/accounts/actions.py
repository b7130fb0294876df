"""Every write to people, their roles and their API tokens, each with its audit event."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from recovery.accounts.models import ApiToken, RoleAssignment, User
from recovery.audit.actions import record_event
from recovery.core.constants import ROLE_UNIT_KINDS, Role, UnitKind
from recovery.core.errors import DomainError
from recovery.core.scope import forget_scopes, require, require_person
from recovery.estate.models import OrganisationUnit

TOKEN_PREFIX = "rcv_"


MANAGE_USERS = "accounts.manage_users"
ONLY_ADMINISTRATORS = "Only an administrator can manage people and their roles."


def _check_admin(acting_user) -> None:
    require(acting_user, MANAGE_USERS, message=ONLY_ADMINISTRATORS)


# How each kind of unit reads after "held at" in a sentence, with its article.
HELD_AT = {
    UnitKind.NATION: "national level",
    UnitKind.PRISON_GROUP: "a prison group",
    UnitKind.ESTABLISHMENT: "an establishment",
    UnitKind.PROBATION_REGION: "a probation region",
    UnitKind.PDU: "a probation delivery unit",
    UnitKind.OFFICE: "a probation office",
}


def _or_list(phrases: list[str]) -> str:
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " or " + phrases[-1]


def where_role_is_held(role: str) -> str:
    """E.g. "an establishment", or "national level, a prison group or a probation region"."""
    kinds = ROLE_UNIT_KINDS[role]
    return _or_list([HELD_AT[k] for k in UnitKind.values if k in kinds])


def check_role_at_unit(role: str, unit: OrganisationUnit) -> None:
    """A role can only be held at the kind of unit it belongs to."""
    if role not in Role.values:
        raise DomainError(f"'{role}' is not a role.", field="role")
    if unit.kind not in ROLE_UNIT_KINDS[role]:
        raise DomainError(
            f"{Role(role).label} is held at {where_role_is_held(role)}, "
            f"not at {HELD_AT[unit.kind]}.",
            field="unit",
        )


def do_create_user(
    *,
    email: str,
    first_name: str,
    last_name: str,
    job_title: str = "",
    password: str | None = None,
    acting_user,
) -> User:
    _check_admin(acting_user)
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError("Someone already has an account with this email address.", field="email")
    user = User(
        username=email,
        email=email,
        first_name=first_name,
        last_name=last_name,
        job_title=job_title,
    )
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise DomainError(" ".join(error.messages), field="password") from error
        user.set_password(password)
    else:
        user.set_unusable_password()
    with transaction.atomic(durable=True):
        user.save()
        record_event(
            acting_user=acting_user,
            action="accounts.create_user",
            obj=user,
            summary=f"Added {user.get_full_name()} ({email})",
            after={
                "email": email,
                "first_name": first_name,
                "last_name": last_name,
                "job_title": job_title,
            },
        )
    return user


def do_set_user_active(user: User, *, active: bool, acting_user) -> None:
    _check_admin(acting_user)
    if user.pk == acting_user.pk and not active:
        raise DomainError("You cannot deactivate your own account.")
    with transaction.atomic(durable=True):
        before = User.objects.select_for_update().get(pk=user.pk).is_active
        if before == active:
            return
        User.objects.filter(pk=user.pk).update(is_active=active)
        user.is_active = active
        record_event(
            acting_user=acting_user,
            action="accounts.reactivate_user" if active else "accounts.deactivate_user",
            obj=user,
            summary=f"{'Reactivated' if active else 'Deactivated'} {user}",
            before={"is_active": before},
            after={"is_active": active},
        )


def do_assign_role(user: User, *, role: str, unit: OrganisationUnit, acting_user) -> RoleAssignment:
    _check_admin(acting_user)
    check_role_at_unit(role, unit)
    with transaction.atomic(durable=True):
        if RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
            raise DomainError(f"{user} is already {Role(role).label} at {unit.name}.", field="role")
        assignment = RoleAssignment.objects.create(user=user, role=role, unit=unit)
        record_event(
            acting_user=acting_user,
            action="accounts.assign_role",
            obj=assignment,
            summary=f"Gave {user} the role {Role(role).label} at {unit.name}",
            after={"user": user.email, "role": role, "unit": unit.code},
        )
    forget_scopes(user)
    return assignment


def do_remove_role(assignment: RoleAssignment, *, acting_user) -> None:
    _check_admin(acting_user)
    if assignment.user_id == acting_user.pk and assignment.role == Role.ADMINISTRATOR:
        # Otherwise the last administrator could lock everyone out of managing access.
        raise DomainError(
            "You cannot take away your own administrator role. Ask another administrator."
        )
    with transaction.atomic(durable=True):
        record_event(
            acting_user=acting_user,
            action="accounts.remove_role",
            obj=assignment,
            summary=f"Took away {assignment.get_role_display()} at {assignment.unit.name} "
            f"from {assignment.user}",
            before={
                "user": assignment.user.email,
                "role": assignment.role,
                "unit": assignment.unit.code,
            },
        )
        RoleAssignment.objects.filter(pk=assignment.pk).delete()
    forget_scopes(assignment.user)


def do_create_api_token(*, name: str, days: int | None = None, acting_user) -> tuple[ApiToken, str]:
    """Make a token for the acting user. Returns the token and its secret, which is shown once
    and never stored. Only a person has tokens: a system actor is refused."""
    require_person(acting_user)
    name = name.strip()
    if not name:
        raise DomainError("Enter a name for the token", field="name")
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise DomainError("Token name must be 100 characters or fewer", field="name")
    if days is None:
        days = settings.API_TOKEN_DEFAULT_DAYS
    if not 1 <= days <= 365:
        raise DomainError("A token must last between 1 and 365 days", field="days")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic(durable=True):
        token = ApiToken.objects.create(
            user=acting_user,
            name=name,
            prefix=secret[:12],
            key_hash=ApiToken.hash_secret(secret),
            expires_at=timezone.now() + timedelta(days=days),
        )
        record_event(
            acting_user=acting_user,
            action="accounts.create_api_token",
            obj=token,
            summary=f"Made API token '{name}' lasting {days} days",
            after={"name": name, "prefix": token.prefix, "expires_at": token.expires_at},
        )
    return token, secret


def do_revoke_api_token(token: ApiToken, *, acting_user) -> None:
    if token.user_id != getattr(acting_user, "pk", None):
        require(acting_user, MANAGE_USERS, message="You can only revoke your own tokens.")
    with transaction.atomic(durable=True):
        current = ApiToken.objects.select_for_update().get(pk=token.pk)
        if current.revoked_at:
            raise DomainError("This token has already been revoked.")
        now = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=now)
        token.revoked_at = now
        record_event(
            acting_user=acting_user,
            action="accounts.revoke_api_token",
            obj=token,
            summary=f"Revoked API token '{token.name}'",
            before={"revoked_at": None},
            after={"revoked_at": now},
        )
