"""The scope engine: the one place that decides what a user may see and do.

A permission is declared once, as data, by the app that owns it (in its `rules.py`): which
roles hold it and at which kinds of organisation unit it applies. A user holds roles *at*
organisation units; a permission applies to a unit when the user holds one of its roles at that
unit or at an ancestor of it (the unit's materialised path starts with the holder's path).

A permission may also depend on the object itself: its status, who submitted it, who signed an
earlier step. Those are `ObjectRule`s registered with the permission; `allows` checks them after
the scope, and `require` (which every action calls first) raises `NotAllowed` with the rule's
own message when one fails.

Work that no signed-in person does (management commands, the demo data, data migrations) runs
as a named `SystemActor`: it holds every permission's scope, still obeys every object rule, and
is recorded in the audit trail by its name, e.g. "System (command line)". No check is ever
skipped because no user was passed: `require(None, ...)` refuses.

The same answer serves object checks (`allows`, and `user.has_perm` through django-rules),
querysets (`unit_filter`) and the actions (`require`). The permission-matrix test takes its
expected answers from the written policy (docs/access-policy.yaml), not from `PERMISSIONS`."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import rules
from django.db.models import Q

from recovery.core.constants import ALL_ROLES, Role
from recovery.core.errors import NotAllowed

NOT_ALLOWED_HERE = "You do not have permission to do that here."


@dataclass(frozen=True)
class ObjectRule:
    """A condition on the object a permission is exercised on. `test(user, obj)` answers
    whether it holds; `message` tells the person why they were refused when it does not."""

    name: str
    test: Callable[[object, object], bool]
    message: str


def status_is(*statuses: str, field: str = "status", message: str | None = None) -> ObjectRule:
    """The object's `field` is one of `statuses`."""
    allowed = frozenset(str(s) for s in statuses)
    return ObjectRule(
        name=f"{field} in {sorted(allowed)}",
        test=lambda user, obj: str(getattr(obj, field)) in allowed,
        message=message or "That cannot be done at this stage.",
    )


def not_submitted_by_actor(field: str = "submitted_by", message: str | None = None) -> ObjectRule:
    """The person acting is not the one who submitted the object (segregation of duties)."""
    return ObjectRule(
        name=f"not {field}",
        test=lambda user, obj: (
            getattr(obj, f"{field}_id") is None
            or getattr(obj, f"{field}_id") != getattr(user, "pk", None)
        ),
        message=message or "You cannot decide something you submitted.",
    )


def not_an_earlier_signer(
    signers: Callable[[object], Iterable[int]], message: str | None = None
) -> ObjectRule:
    """The person acting signed no earlier step of the object: `signers(obj)` gives the ids of
    those who did."""
    return ObjectRule(
        name="not an earlier signer",
        test=lambda user, obj: (
            getattr(user, "pk", None) is None or getattr(user, "pk", None) not in set(signers(obj))
        ),
        message=message or "You have already signed an earlier step of this.",
    )


@dataclass(frozen=True)
class SystemActor:
    """Work done by the service itself, not by a signed-in person: named, so the audit trail
    says who ("System (command line)"), and never a user row, so it can never sign in."""

    name: str
    pk = None
    is_active = True
    is_authenticated = True
    is_system = True

    def get_full_name(self) -> str:
        return self.name

    def get_username(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


COMMAND_LINE = SystemActor("System (command line)")
DEMO_DATA = SystemActor("System (demo data)")
DATA_MIGRATION = SystemActor("System (data migration)")
TEST_DATA = SystemActor("System (test data)")


def is_system(user) -> bool:
    return isinstance(user, SystemActor)


@dataclass(frozen=True)
class Permission:
    name: str
    roles: frozenset[str]
    unit_kinds: frozenset[str] | None  # None: not tied to a kind of unit
    description: str
    object_rules: tuple[ObjectRule, ...] = ()


@dataclass(frozen=True)
class Scope:
    """One role held at one organisation unit."""

    assignment_id: int
    role: str
    unit_id: int
    unit_code: str
    unit_name: str
    unit_kind: str
    unit_path: str

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    def covers(self, path: str) -> bool:
        return path.startswith(self.unit_path)


PERMISSIONS: dict[str, Permission] = {}


def register(
    name: str,
    roles: Iterable[str],
    *,
    unit_kinds: Iterable[str] | None = None,
    description: str,
    object_rules: Iterable[ObjectRule] = (),
) -> Permission:
    unknown = set(roles) - ALL_ROLES
    if unknown:
        raise ValueError(f"{name}: unknown roles {sorted(unknown)}")
    permission = Permission(
        name=name,
        roles=frozenset(roles),
        unit_kinds=frozenset(unit_kinds) if unit_kinds is not None else None,
        description=description,
        object_rules=tuple(object_rules),
    )
    PERMISSIONS[name] = permission
    rules.set_perm(name, _predicate_for(name))
    return permission


def _predicate_for(name: str):
    @rules.predicate(name=name)
    def check(user, obj=None) -> bool:
        return allows(user, name, obj)

    return check


def scopes_of(user) -> tuple[Scope, ...]:
    """Every role the user holds, with its unit; read once per request and kept on the user."""
    if is_system(user) or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached = getattr(user, "_recovery_scopes", None)
    if cached is None:
        from recovery.accounts.models import RoleAssignment

        cached = tuple(
            Scope(
                assignment_id=a.pk,
                role=a.role,
                unit_id=a.unit_id,
                unit_code=a.unit.code,
                unit_name=a.unit.name,
                unit_kind=a.unit.kind,
                unit_path=a.unit.path,
            )
            for a in RoleAssignment.objects.filter(user=user)
            .select_related("unit")
            .order_by("unit__path", "role")
        )
        user._recovery_scopes = cached
    return cached


def forget_scopes(user) -> None:
    if hasattr(user, "_recovery_scopes"):
        del user._recovery_scopes


def unit_of(obj):
    if obj is None:
        return None
    if hasattr(obj, "path") and hasattr(obj, "kind"):
        return obj
    return getattr(obj, "scope_unit", None)


def matching_scopes(user, permission_name: str) -> list[Scope]:
    permission = PERMISSIONS[permission_name]
    return [s for s in scopes_of(user) if s.role in permission.roles]


def _in_scope(user, permission: Permission, obj) -> bool:
    if is_system(user):
        return True
    scopes = matching_scopes(user, permission.name)
    if obj is None:
        return bool(scopes)
    unit = unit_of(obj)
    if unit is None:
        return False
    if permission.unit_kinds is not None and unit.kind not in permission.unit_kinds:
        return False
    return any(s.covers(unit.path) for s in scopes)


def failed_rule(user, permission_name: str, obj=None) -> ObjectRule | None:
    """The first of the permission's object rules that `obj` fails for `user`, if any."""
    if obj is None:
        return None
    return next(
        (r for r in PERMISSIONS[permission_name].object_rules if not r.test(user, obj)), None
    )


def allows(user, permission_name: str, obj=None) -> bool:
    """May `user` exercise `permission_name` on `obj` (an organisation unit, or an object with a
    `scope_unit`)? With no object: does the user hold the permission anywhere? The permission's
    object rules must hold too."""
    if user is None:
        return False
    permission = PERMISSIONS[permission_name]
    return _in_scope(user, permission, obj) and failed_rule(user, permission_name, obj) is None


def require(user, permission_name: str, obj=None, *, message: str = NOT_ALLOWED_HERE) -> None:
    """The one check every action makes first: raise NotAllowed unless `user` may exercise
    `permission_name` on `obj`. Out of scope: `message`; an object rule failing: the rule's
    own message. Nobody (None) is never allowed: system work passes a SystemActor."""
    if user is None:
        raise NotAllowed(
            "No one is acting: pass the signed-in person, or a system actor for system work."
        )
    permission = PERMISSIONS[permission_name]
    if not _in_scope(user, permission, obj):
        raise NotAllowed(message)
    rule = failed_rule(user, permission_name, obj)
    if rule is not None:
        raise NotAllowed(rule.message)


def require_person(user) -> None:
    """For what only a signed-in person may do for themselves (their own API tokens)."""
    if user is None or is_system(user) or not getattr(user, "is_authenticated", False):
        raise NotAllowed("Only a signed-in person can do that.")


def unit_filter(user, permission_name: str, *, path_field: str = "path") -> Q:
    """A filter for querysets: rows whose unit lies within the user's scope for the permission.

    `path_field` names the unit's path from the queried model, e.g. "establishment__path"."""
    if is_system(user):
        return Q()
    scopes = matching_scopes(user, permission_name)
    if not scopes:
        return Q(pk__in=[])
    condition = Q()
    for s in scopes:
        condition |= Q(**{f"{path_field}__startswith": s.unit_path})
    permission = PERMISSIONS[permission_name]
    if permission.unit_kinds is not None:
        kind_field = path_field.removesuffix("path") + "kind"
        condition &= Q(**{f"{kind_field}__in": sorted(permission.unit_kinds)})
    return condition
