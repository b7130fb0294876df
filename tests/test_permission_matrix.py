"""The permission matrix: every page and API endpoint x every role x in scope / out of scope.

Generated from the page registry (recovery.core.pages.PAGES) and the permissions
(recovery.core.scope.PERMISSIONS), so a page added to the registry is tried against every role
without anyone writing a test for it, and a URL that is not in the registry fails
`test_every_url_is_declared`.

What each case expects, from the registry alone:
- allowed = the page needs no permission, or the role holds it and (when the URL names an
  object) the object lies within the person's unit and is of a kind the permission covers;
- allowed: the page answers (200, or a redirect within the service that ends on a page);
- refused, URL names an object: 404, whether or not the object exists;
- refused, URL names none: the page's `denied_status` (403);
- in every answer, no name from outside the person's scope appears.

The people: each case signs in one person holding one role at that role's home unit in the
`small_estate` fixture (conftest.py): `*_1` units are in scope for people held at `*_1`, `*_2`
units are elsewhere. HTML pages sign in with the session; API endpoints use a bearer token."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# The registry is filled by each app's rules.py (loaded by django-rules at start-up) and by the
# API modules the URLconf imports; import both explicitly so collection never depends on order.
import recovery.accounts.rules  # noqa: F401
import recovery.audit.rules  # noqa: F401
import recovery.estate.rules  # noqa: F401
from recovery.accounts.actions import do_create_api_token
from recovery.accounts.models import RoleAssignment
from recovery.core.constants import Role
from recovery.core.pages import PAGES, PUBLIC_URL_NAMES, Page
from recovery.core.scope import PERMISSIONS

# Ninja's own URL that is not an endpoint: the API's root, which always answers 404.
NINJA_INTERNAL_URL_NAMES = {"api:api-root"}

SIGN_IN = "/sign-in/"


# --- The URLs the project has ------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # "estate/groups/<str:code>/"
    arguments: tuple[str, ...]


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            pattern = entry.pattern
            arguments = tuple(getattr(pattern, "converters", {}) or pattern.regex.groupindex)
            qualified = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield Route(qualified, prefix + str(pattern), arguments)


def project_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def _normalise(route: str) -> str:
    """'api/v1/establishments/<code>' and '/api/v1/establishments/{code}' read the same."""
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return route.strip("/")


def api_entry_parts(name: str) -> tuple[str, str]:
    """'api:GET /api/v1/establishments/{code}' -> ('GET', '/api/v1/establishments/{code}')."""
    method, _, path = name.removeprefix("api:").partition(" ")
    return method.upper(), path


def is_api(name: str) -> bool:
    return name.startswith("api:") and " " in name


ROUTES = project_routes()  # also imports the URLconf, and with it the API's page declarations
ROUTES_BY_NAME = {r.name: r for r in ROUTES}
API_ROUTES = {_normalise(r.route): r for r in ROUTES if r.name.startswith("api:")}


def route_of(page_name: str) -> Route | None:
    if is_api(page_name):
        return API_ROUTES.get(_normalise(api_entry_parts(page_name)[1]))
    return ROUTES_BY_NAME.get(page_name)


# --- The world each case runs in --------------------------------------------------------------


@dataclass
class World:
    estate: object
    person_1: object  # holds a role at establishment_1
    person_2: object  # holds a role at establishment_2
    viewer: object | None = None
    home: object | None = None
    page: str = ""
    made: dict = field(default_factory=dict)  # objects a URL argument needed, made once

    def target(self, kind: str | None, where: str):
        if kind is None:
            return None
        if kind == "nation":
            return self.estate.nation
        if kind == "person":
            return self.person_1 if where == "in" else self.person_2
        attribute = {
            "group": "group",
            "establishment": "establishment",
            "region": "region",
            "pdu": "pdu",
            "office": "office",
        }[kind]
        return getattr(self.estate, f"{attribute}_{1 if where == 'in' else 2}")

    def unit_of(self, obj):
        if obj is None:
            return None
        if obj is self.person_1:
            return self.estate.establishment_1
        if obj is self.person_2:
            return self.estate.establishment_2
        return obj

    def name_of(self, obj) -> str:
        return obj.get_full_name() if obj in (self.person_1, self.person_2) else obj.name

    def outsiders(self) -> list[str]:
        """Names from outside the viewer's scope: none of them may ever appear to the viewer."""
        estate = self.estate
        units = [
            estate.group_2,
            estate.establishment_2,
            estate.region_2,
            estate.pdu_2,
            estate.office_2,
        ]
        names = [u.name for u in units if not self._covers(u)]
        if not self._covers(estate.establishment_2):
            names.append(self.person_2.get_full_name())
        return names

    def _covers(self, unit) -> bool:
        return self.home is not None and unit.path.startswith(self.home.path)

    def is_own_or_above(self, unit) -> bool:
        """The viewer's own unit or one above it: its name is on their own pages anyway."""
        return self.home is not None and self.home.path.startswith(unit.path)


def _token_of(world: World) -> int:
    owner = world.viewer or world.person_1
    token, _ = do_create_api_token(name="Matrix token", acting_user=owner)
    return token.pk


def _code(world: World, target) -> str:
    if target is None or not hasattr(target, "code"):
        raise LookupError("the page names a unit code but declares no unit target")
    return target.code


def _user_id(world: World, target) -> int:
    return (target if target in (world.person_1, world.person_2) else world.person_1).pk


def _assignment_id(world: World, target) -> int:
    person = target if target in (world.person_1, world.person_2) else world.person_1
    return RoleAssignment.objects.get(user=person).pk


def _edm_version(world: World):
    """An EDM version in the library: a draft for the page that publishes one, else published."""
    from recovery.frameworks.factories import DraftEdmVersionFactory, PublishedEdmVersionFactory

    draft = world.page == "frameworks:publish"
    if "edm" not in world.made:
        factory = DraftEdmVersionFactory if draft else PublishedEdmVersionFactory
        world.made["edm"] = factory(number=950, version="1.0")
    return world.made["edm"]


Maker = Callable[[World, object], object]

# How to fill each URL argument. A page whose URL takes an argument not listed here cannot be
# tried: `test_every_url_argument_has_a_maker` fails until a maker is added.
URL_ARGUMENT_MAKERS: dict[str, Maker] = {
    "code": _code,
    "user_id": _user_id,
    "assignment_id": _assignment_id,
    "token_id": lambda world, target: _token_of(world),
    "number": lambda world, target: _edm_version(world).edm.number,
    "version": lambda world, target: _edm_version(world).version_number,
}
# Where one page gives an argument a meaning of its own.
PAGE_ARGUMENT_MAKERS: dict[tuple[str, str], Maker] = {
    ("frameworks:stage-edit", "number"): lambda world, target: 3,  # a stage of the default ladder
}


def maker_for(page_name: str, argument: str) -> Maker | None:
    return PAGE_ARGUMENT_MAKERS.get((page_name, argument)) or URL_ARGUMENT_MAKERS.get(argument)


def build_world(small_estate, person_with_role) -> World:
    return World(
        estate=small_estate,
        person_1=person_with_role(
            Role.ESTABLISHMENT_EDITOR,
            small_estate.establishment_1,
            first_name="Ines",
            last_name="Inman",
        ),
        person_2=person_with_role(
            Role.ESTABLISHMENT_EDITOR,
            small_estate.establishment_2,
            first_name="Otto",
            last_name="Outram",
        ),
    )


def url_for(page: Page, world: World, target) -> str:
    route = route_of(page.name)
    assert route is not None, f"{page.name} is declared but no URL has that name"
    world.page = page.name
    values = {
        argument: maker_for(page.name, argument)(world, target) for argument in route.arguments
    }
    if is_api(page.name):
        path = api_entry_parts(page.name)[1]
        for argument, value in values.items():
            path = path.replace("{" + argument + "}", str(value))
        return path
    path = "/" + route.route
    for argument, value in values.items():
        path = re.sub(r"<(?:\w+:)?" + argument + ">", str(value), path)
    return path


def request_method(page: Page) -> str:
    return api_entry_parts(page.name)[0] if is_api(page.name) else page.method.upper()


# --- What the registry says should happen ----------------------------------------------------


def is_allowed(page: Page, role: str, home, target_unit) -> bool:
    if page.permission is None:
        return True
    permission = PERMISSIONS[page.permission]
    if role not in permission.roles:
        return False
    if target_unit is None:
        return True
    if permission.unit_kinds is not None and target_unit.kind not in permission.unit_kinds:
        return False
    return target_unit.path.startswith(home.path)


def _scopes_for(page: Page) -> tuple[str, ...]:
    # A page naming no object has no "out of scope" variant (its rows are checked instead), nor
    # does the national page (there is one nation).
    return ("in", "out") if page.target not in (None, "nation") else ("in",)


def _cases():
    for page in sorted(PAGES.values(), key=lambda p: p.name):
        for role in Role.values:
            for where in _scopes_for(page):
                yield pytest.param(page.name, role, where, id=f"{page.name}|{role}|{where}")


def _unmakeable(page: Page) -> list[str]:
    route = route_of(page.name)
    if route is None:
        return []
    return [a for a in route.arguments if maker_for(page.name, a) is None]


def _skip_unless_triable(page: Page) -> None:
    if route_of(page.name) is None:
        pytest.skip(f"{page.name} has no URL yet: see test_every_declared_page_exists")
    missing = _unmakeable(page)
    if missing:
        pytest.skip(f"no maker for URL arguments {missing}: see the test of URL argument makers")


def _send(client, method: str, url: str, *, api_secret: str | None = None, follow=False):
    headers = {"Authorization": f"Bearer {api_secret}"} if api_secret else {}
    if method == "GET":
        # client.generic() ignores `follow`; get() follows redirects within the service.
        return client.get(url, headers=headers, follow=follow)
    return client.generic(method, url, headers=headers)


def _body(response) -> str:
    return response.content.decode(errors="replace") if hasattr(response, "content") else ""


# --- The matrix -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "role", "where"), list(_cases()))
def test_permission_matrix(client, small_estate, person_with_role, name, role, where):
    page = PAGES[name]
    _skip_unless_triable(page)
    world = build_world(small_estate, person_with_role)
    world.viewer = person_with_role(role, first_name="Vera", last_name="Viewing")
    world.home = RoleAssignment.objects.get(user=world.viewer).unit
    target = world.target(page.target, where)
    target_unit = world.unit_of(target)
    url = url_for(page, world, target)
    method = request_method(page)
    allowed = is_allowed(page, role, world.home, target_unit)

    if is_api(name):
        _, secret = do_create_api_token(name="Matrix", acting_user=world.viewer)
        response = _send(client, method, url, api_secret=secret)
    else:
        client.force_login(world.viewer)
        response = _send(client, method, url)

    what = f"{Role(role).label} at {world.home.name} -> {method} {url}"
    if allowed:
        if method == "GET" and not is_api(name) and response.status_code in (301, 302):
            location = response["Location"]
            assert location.startswith("/") and not location.startswith(SIGN_IN), (
                f"{what}: allowed, but sent to {location}"
            )
            response = _send(client, method, url, follow=True)
        if method == "GET":
            assert response.status_code == 200, f"{what}: allowed, got {response.status_code}"
        else:
            assert response.status_code < 400, f"{what}: allowed, got {response.status_code}"
    else:
        expected = 404 if page.target is not None else page.denied_status
        assert response.status_code == expected, (
            f"{what}: refused, expected {expected}, got {response.status_code}"
        )
        if target is not None and (
            page.target == "person" or not world.is_own_or_above(target_unit)
        ):
            assert world.name_of(target) not in _body(response), (
                f"{what}: the refusal names the object it refused"
            )

    body = _body(response)
    leaked = [n for n in world.outsiders() if n in body]
    assert not leaked, f"{what}: shows {leaked}, which are outside the person's scope"


# --- Guards on the registry itself ------------------------------------------------------------


def test_every_url_is_declared():
    """A URL that is neither a page of the registry nor public cannot be checked by the matrix,
    so it cannot exist: declare it with `page(...)` or `public(...)` in its app's rules.py."""
    declared = set(PAGES) | PUBLIC_URL_NAMES
    declared_api = {_normalise(api_entry_parts(name)[1]) for name in declared if is_api(name)}

    def is_declared(route: Route) -> bool:
        if route.name in NINJA_INTERNAL_URL_NAMES or route.name in declared:
            return True
        return route.name.startswith("api:") and _normalise(route.route) in declared_api

    undeclared = [
        f"{route.name or 'an unnamed URL'} ({route.route})"
        for route in ROUTES
        if not route.name or route.name.endswith(":None") or not is_declared(route)
    ]
    assert not undeclared, f"URLs missing from the page registry: {undeclared}"


def test_every_declared_page_exists():
    """A declaration whose URL is gone (or not yet built) means the matrix checks nothing."""
    missing = sorted(name for name in set(PAGES) | PUBLIC_URL_NAMES if route_of(name) is None)
    assert not missing, f"Declared but no such URL: {missing}"


def test_every_url_argument_has_a_maker():
    missing = {name: _unmakeable(page) for name, page in PAGES.items() if _unmakeable(page)}
    assert not missing, (
        "These pages' URLs take arguments the matrix cannot fill; add a maker to "
        f"URL_ARGUMENT_MAKERS in tests/test_permission_matrix.py: {missing}"
    )


def test_every_page_names_a_known_permission_and_target():
    targets = {None, "nation", "group", "establishment", "region", "pdu", "office", "person"}
    problems = [
        name
        for name, page in PAGES.items()
        if (page.permission is not None and page.permission not in PERMISSIONS)
        or page.target not in targets
    ]
    assert not problems, f"Unknown permission or target in: {problems}"


def test_the_matrix_covers_every_page_and_role():
    cases = list(_cases())
    assert {c.values[0] for c in cases} == set(PAGES)
    assert {c.values[1] for c in cases} == set(Role.values)


def test_ninja_internal_url_answers_nothing(client, db):
    assert client.get("/api/v1/").status_code == 404


# --- Signed out -------------------------------------------------------------------------------


def _anonymous_cases():
    for page in sorted(PAGES.values(), key=lambda p: p.name):
        if page.name not in PUBLIC_URL_NAMES:
            yield pytest.param(page.name, id=page.name)


@pytest.mark.parametrize("name", list(_anonymous_cases()))
def test_signed_out_person_is_sent_to_sign_in(client, small_estate, person_with_role, name):
    page = PAGES[name]
    _skip_unless_triable(page)
    world = build_world(small_estate, person_with_role)
    target = world.target(page.target, "in")
    url = url_for(page, world, target)

    response = _send(client, request_method(page), url)

    if is_api(name):
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
    else:
        assert response.status_code == 302
        assert response["Location"] == f"{SIGN_IN}?next={quote(url, safe='/')}"
    if target is not None:
        assert world.name_of(target) not in _body(response)


@pytest.mark.parametrize("name", sorted(PUBLIC_URL_NAMES))
def test_public_pages_open_without_signing_in(client, db, name):
    route = route_of(name)
    if route is None:
        pytest.skip(f"{name} has no URL yet: see test_every_declared_page_exists")
    url = api_entry_parts(name)[1] if is_api(name) else "/" + route.route

    assert client.get(url).status_code == 200
