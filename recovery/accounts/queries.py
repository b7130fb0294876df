"""Reads of people, their roles and their API tokens, already scoped for the person asking.

Each function runs a fixed number of queries whatever the number of people or units."""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from recovery.accounts.models import ApiToken, RoleAssignment, User
from recovery.accounts.rules import PEOPLE_SEEN_BY
from recovery.core.constants import Role
from recovery.core.scope import Scope, matching_scopes, scopes_of
from recovery.estate.models import OrganisationUnit

VIEW_PEOPLE = "accounts.view_people"
PER_PAGE = 50

# Sort keys a page may ask for, and the columns they order by (ties broken by id).
PEOPLE_SORTS = {
    "name": ("last_name", "first_name"),
    "email": ("email",),
    "job_title": ("job_title", "last_name", "first_name"),
}


@dataclass(frozen=True)
class RoleHeld:
    assignment_id: int
    role: str
    role_label: str
    unit_code: str
    unit_name: str

    def __str__(self) -> str:
        return f"{self.role_label} at {self.unit_name}"


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    email: str
    job_title: str
    is_active: bool
    roles: list[RoleHeld]


@dataclass(frozen=True)
class Listing:
    """One page of a table: its rows and the paginator's page (for page links and counts)."""

    rows: list[PersonRow]
    page: Page


@dataclass(frozen=True)
class PersonDetail:
    id: int
    name: str
    email: str
    job_title: str
    is_active: bool
    last_login: datetime | None
    date_joined: datetime
    roles: list[RoleHeld]


@dataclass(frozen=True)
class TokenRow:
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    status: str


def _role_held(assignment: RoleAssignment) -> RoleHeld:
    return RoleHeld(
        assignment_id=assignment.pk,
        role=assignment.role,
        role_label=assignment.get_role_display(),
        unit_code=assignment.unit.code,
        unit_name=assignment.unit.name,
    )


def _row(user: User) -> PersonRow:
    return PersonRow(
        id=user.pk,
        name=user.get_full_name() or user.email,
        email=user.email,
        job_title=user.job_title,
        is_active=user.is_active,
        roles=[_role_held(a) for a in user.roles_shown],
    )


def _order(queryset: QuerySet, sort: str, direction: str) -> QuerySet:
    columns = PEOPLE_SORTS.get(sort, PEOPLE_SORTS["name"])
    prefix = "-" if direction == "desc" else ""
    return queryset.order_by(*(prefix + c for c in columns), prefix + "id")


def _name_search(text: str) -> Q:
    """Every word must appear in the first name, last name or email address."""
    condition = Q()
    for word in text.split():
        condition &= (
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return condition


def _paginate(queryset: QuerySet, page: int | str | None) -> Listing:
    page_obj = Paginator(queryset, PER_PAGE).get_page(page)
    return Listing(rows=[_row(u) for u in page_obj.object_list], page=page_obj)


def _roles_in_scope_of(viewer) -> Q:
    """Role assignments the viewer may see: at a unit within one of their scopes, and of a role
    of the side that scope's role sees (PEOPLE_SEEN_BY)."""
    condition = Q(pk__in=[])
    for scope in matching_scopes(viewer, VIEW_PEOPLE):
        condition |= Q(
            unit__path__startswith=scope.unit_path, role__in=sorted(PEOPLE_SEEN_BY[scope.role])
        )
    return condition


def _people_in_scope_of(viewer) -> QuerySet:
    """People holding at least one role at a unit within the viewer's scope. Their roles are
    limited to those in scope too: the viewer learns nothing about other organisations."""
    in_scope = RoleAssignment.objects.filter(user=OuterRef("pk")).filter(_roles_in_scope_of(viewer))
    return User.objects.filter(Exists(in_scope)).prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.filter(_roles_in_scope_of(viewer))
            .select_related("unit")
            .order_by("unit__name", "role"),
            to_attr="roles_shown",
        )
    )


def people_directory(
    viewer, *, search: str = "", sort: str = "name", direction: str = "asc", page=1
) -> Listing:
    """The people directory: who holds roles within the viewer's organisations."""
    people = _people_in_scope_of(viewer)
    if search.strip():
        people = people.filter(_name_search(search))
    return _paginate(_order(people, sort, direction), page)


def person_in_scope(viewer, user_id: int) -> PersonDetail | None:
    """One person from the directory, or None if they hold no role within the viewer's scope
    (or do not exist: the caller cannot tell the difference, and neither can the viewer)."""
    user = _people_in_scope_of(viewer).filter(pk=user_id).first()
    return _detail(user) if user else None


def _detail(user: User) -> PersonDetail:
    return PersonDetail(
        id=user.pk,
        name=user.get_full_name() or user.email,
        email=user.email,
        job_title=user.job_title,
        is_active=user.is_active,
        last_login=user.last_login,
        date_joined=user.date_joined,
        roles=[_role_held(a) for a in user.roles_shown],
    )


# Administrators: every person, whatever their roles.


def _all_people() -> QuerySet:
    return User.objects.prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.select_related("unit").order_by("unit__name", "role"),
            to_attr="roles_shown",
        )
    )


def all_users(
    *,
    search: str = "",
    role: str = "",
    unit: str = "",
    status: str = "",
    sort: str = "name",
    direction: str = "asc",
    page=1,
) -> Listing:
    """Every account, for administrators. `role` and `unit` (a code, or part of a name) must
    match the same role assignment; `status` is "active", "deactivated" or "" for both."""
    people = _all_people()
    if search.strip():
        people = people.filter(_name_search(search))
    if role or unit.strip():
        held = RoleAssignment.objects.filter(user=OuterRef("pk"))
        if role:
            held = held.filter(role=role)
        if unit.strip():
            text = unit.strip()
            held = held.filter(Q(unit__code__iexact=text) | Q(unit__name__icontains=text))
        people = people.filter(Exists(held))
    if status == "active":
        people = people.filter(is_active=True)
    elif status == "deactivated":
        people = people.filter(is_active=False)
    return _paginate(_order(people, sort, direction), page)


def user_for_admin(user_id: int) -> PersonDetail | None:
    user = _all_people().filter(pk=user_id).first()
    return _detail(user) if user else None


def assignment_of(user_id: int, assignment_id: int) -> RoleAssignment | None:
    """A role assignment, only if it belongs to the person named in the URL."""
    return (
        RoleAssignment.objects.select_related("user", "unit")
        .filter(pk=assignment_id, user_id=user_id)
        .first()
    )


def where_roles_are_held() -> list[tuple[str, str]]:
    """Each role, with the kind of organisation it is held at, for the give-a-role page."""
    from recovery.accounts.actions import where_role_is_held

    return [(label, where_role_is_held(value)) for value, label in Role.choices]


def unit_by_code(code: str) -> OrganisationUnit | None:
    return OrganisationUnit.objects.filter(code__iexact=code.strip()).first()


# The organisation switcher.


def own_scopes(user) -> tuple[Scope, ...]:
    return scopes_of(user)


def own_scope(user, assignment_id) -> Scope | None:
    """The user's own role assignment with this id, or None for anyone else's (or nonsense)."""
    return next((s for s in scopes_of(user) if str(s.assignment_id) == str(assignment_id)), None)


# API tokens: a person only ever sees their own.


def tokens_of(user) -> list[TokenRow]:
    return [
        TokenRow(
            id=t.pk,
            name=t.name,
            prefix=t.prefix,
            created_at=t.created_at,
            expires_at=t.expires_at,
            last_used_at=t.last_used_at,
            status=t.status,
        )
        for t in ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
    ]


def own_token(user, token_id: int) -> ApiToken | None:
    return ApiToken.objects.filter(pk=token_id, user=user).first()


def account(user_id: int) -> User | None:
    """Any account, for administrators acting on it."""
    return User.objects.filter(pk=user_id).first()
