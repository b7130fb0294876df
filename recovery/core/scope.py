"""The scope engine: the one place that decides what a user may see and do.

A permission is declared once, as data, by the app that owns it (in its `rules.py`): which
roles hold it and at which kinds of organisation unit it applies. A user holds roles *at*
organisation units; a permission applies to a unit when the user holds one of its roles at that
unit or at an ancestor of it (the unit's materialised path starts with the holder's path).

The same answer serves object checks (`allows`, and `user.has_perm` through django-rules),
querysets (`unit_filter`) and the permission-matrix test, which walks `PERMISSIONS`."""

from collections.abc import Iterable
from dataclasses import dataclass

import rules
from django.db.models import Q

from recovery.core.constants import ALL_ROLES, Role


@dataclass(frozen=True)
class Permission:
    name: str
    roles: frozenset[str]
    unit_kinds: frozenset[str] | None  # None: not tied to a kind of unit
    description: str


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
) -> Permission:
    unknown = set(roles) - ALL_ROLES
    if unknown:
        raise ValueError(f"{name}: unknown roles {sorted(unknown)}")
    permission = Permission(
        name=name,
        roles=frozenset(roles),
        unit_kinds=frozenset(unit_kinds) if unit_kinds is not None else None,
        description=description,
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
    if not getattr(user, "is_authenticated", False) or not user.is_active:
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


def allows(user, permission_name: str, obj=None) -> bool:
    """May `user` exercise `permission_name` on `obj` (an organisation unit, or an object with a
    `scope_unit`)? With no object: does the user hold the permission anywhere?"""
    permission = PERMISSIONS[permission_name]
    scopes = matching_scopes(user, permission_name)
    if obj is None:
        return bool(scopes)
    unit = unit_of(obj)
    if unit is None:
        return False
    if permission.unit_kinds is not None and unit.kind not in permission.unit_kinds:
        return False
    return any(s.covers(unit.path) for s in scopes)


def unit_filter(user, permission_name: str, *, path_field: str = "path") -> Q:
    """A filter for querysets: rows whose unit lies within the user's scope for the permission.

    `path_field` names the unit's path from the queried model, e.g. "establishment__path"."""
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
