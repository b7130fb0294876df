"""The service navigation: the links a person sees depend on the permissions they hold."""

from dataclasses import dataclass

from django.urls import reverse

from recovery.core.scope import allows


@dataclass(frozen=True)
class NavItem:
    text: str
    url_name: str
    permission: str | None
    prefix: str


NAV: list[NavItem] = [
    NavItem("Home", "home", None, "/$"),
    NavItem("Prison estate", "estate:establishments", "estate.view_prison_estate", "/estate/"),
    NavItem("Probation estate", "estate:probation", "estate.view_probation_estate",
            "/estate/probation/"),
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
