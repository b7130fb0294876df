"""Who may see people and manage access."""

from recovery.core.constants import ALL_ROLES, PRISON_ROLES, PROBATION_ROLES, Role, UnitKind
from recovery.core.pages import page, public
from recovery.core.scope import register

register(
    "accounts.view_people",
    ALL_ROLES,
    description="See the people of your own side who hold roles within your scope",
)

# The people directory keeps to each side (docs/access-policy.yaml): a role held at a unit sees
# the people holding, at that unit or beneath it, a role of these kinds. The prison side never
# sees probation staff and the other way round; viewers see both sides; administrators see all.
PEOPLE_SEEN_BY: dict[str, frozenset[str]] = {
    **{role: PRISON_ROLES for role in PRISON_ROLES},
    **{role: PROBATION_ROLES for role in PROBATION_ROLES},
    Role.VIEWER: PRISON_ROLES | PROBATION_ROLES,
    Role.ADMINISTRATOR: ALL_ROLES,
}
register(
    "accounts.manage_users",
    {Role.ADMINISTRATOR},
    unit_kinds={UnitKind.NATION},
    description="Add people, give and take away roles, deactivate accounts",
)

public("accounts:sign-in", "healthz", "status")
page("home", None)
page("accounts:switch", None)
page("accounts:tokens", None)
page("accounts:people", "accounts.view_people")
page("accounts:person", "accounts.view_people", "person")
page("accounts:users", "accounts.manage_users")
page("accounts:user-new", "accounts.manage_users")
page("accounts:user", "accounts.manage_users")
page("accounts:user-role-new", "accounts.manage_users")
page("accounts:user-role-remove", "accounts.manage_users")
page("accounts:user-status", "accounts.manage_users")
# Anyone signed in may revoke a token of their own; anyone else's answers 404.
page("accounts:token-revoke", None, method="POST")
page("accounts:sign-out", None, method="POST")
