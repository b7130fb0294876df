"""The service navigation: the links a person sees depend on the permissions they hold."""

from dataclasses import dataclass

from django.urls import reverse

from recovery.core.constants import UnitKind
from recovery.core.scope import allows, matching_scopes


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    permission: str | None
    prefix: str
    # Show the link only to people who hold the permission at one of these kinds of unit
    # (e.g. a national page); None: anywhere.
    held_at: frozenset[str] | None = None


NAV: list[NavItem] = [
    NavItem("Home", "home", None, "/$"),
    NavItem("Prison estate", "estate:establishments", "estate.view_prison_estate", "/estate/"),
    NavItem(
        "Probation estate",
        "estate:probation",
        "estate.view_probation_estate",
        "/estate/probation/",
        held_at=frozenset({UnitKind.NATION}),
    ),
    NavItem("People", "accounts:people", "accounts.view_people", "/people/"),
    NavItem("Manage users", "accounts:users", "accounts.manage_users", "/manage/"),
    NavItem("Audit trail", "audit:trail", "audit.view_trail", "/audit/"),
]


def add(item: NavItem, *, before: str | None = None) -> None:
    """Later apps add their section to the navigation from their AppConfig.ready()."""
    if before:
        names = [n.url_name for n in NAV]
        NAV.insert(names.index(before), item)
    else:
        NAV.append(item)


def items_for(request) -> list[dict]:
    items = []
    path = request.path
    for item in NAV:
        if item.permission and not allows(request.user, item.permission):
            continue
        if item.held_at is not None and not any(
            s.unit_kind in item.held_at for s in matching_scopes(request.user, item.permission)
        ):
            continue
        url = reverse(item.url_name)
        active = path == "/" if item.prefix == "/$" else path.startswith(item.prefix)
        items.append({"text": item.text, "href": url, "active": active})
    # Only the longest matching prefix is current.
    active = [i for i in items if i["active"]]
    if len(active) > 1:
        keep = max(active, key=lambda i: len(i["href"]))
        for i in active:
            i["active"] = i is keep
    return items
