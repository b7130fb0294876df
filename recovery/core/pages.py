"""Every page and API endpoint declares what it needs, as data.

The permission-matrix test (tests/test_permission_matrix.py) walks this registry and tries
every role against every entry and every method it accepts, in scope and out of scope, expecting
what the written policy (docs/access-policy.yaml) says; another test fails if a URL exists that
no entry declares, or an entry the policy does not name. A later app adds its pages to the same
registry from its `rules.py`, and one line per page to docs/access-policy.yaml."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """One page or endpoint.

    - `permission`: the scope-engine permission it needs; None means any signed-in person.
    - `target`: the kind of object its URL names ("establishment", "group", ...), or None for a
      page that names no object (a list or a form); its rows are scoped instead.
    - `denied_status`: what a person without the permission gets for a page that names no
      object (403: the page's existence is no secret). A page that names an object always
      answers 404 when the object is out of the person's scope, so existence is not disclosed.
    """

    name: str  # URL name, or "api:<METHOD> <path>" for the API
    permission: str | None
    target: str | None = None
    denied_status: int = 403
    method: str = "GET"


PAGES: dict[str, Page] = {}
PUBLIC_URL_NAMES: set[str] = set()


def page(name: str, permission: str | None, target: str | None = None, **kwargs) -> Page:
    entry = Page(name=name, permission=permission, target=target, **kwargs)
    PAGES[name] = entry
    return entry


def public(*names: str) -> None:
    """Pages anyone may open without signing in."""
    PUBLIC_URL_NAMES.update(names)
