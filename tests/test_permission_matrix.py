"""The permission matrix: every page and API endpoint x every method it accepts x every role x
in scope / out of scope.

The cases come from the written access policy (docs/access-policy.yaml, read by
tests/access_policy.py) and the page registry (recovery.core.pages.PAGES); the EXPECTED ANSWERS
come from the policy alone, never from the permissions the service enforces
(recovery.core.scope.PERMISSIONS), so loosening or tightening a rule in a rules.py without
changing the written policy fails here. A URL that is not in the registry fails
`test_every_url_is_declared`; a registered page missing from the policy (or the other way round)
fails `test_the_policy_names_every_page`.

What each case expects, from the policy:
- allowed = the policy lists the role for that page and method, and (when the URL names an
  object) the object lies within the unit where the person holds the role; a person (the people
  directory) must also be of a side the role sees;
- allowed GET: the page answers (200, or a redirect within the service that ends on a page);
- allowed POST/PATCH: sent with a valid form (VALID_FORMS), the answer is 2xx/3xx and the change
  is made (an audit event is recorded);
- refused, URL names an object: 404, whether or not the object exists;
- refused, URL names none: 403;
- refused POST/PATCH: nothing changes (no audit event, no row added, changed or removed);
- in every answer, no name from outside the person's scope appears.

The people: each case signs in one person holding one role at that role's home unit in the
`small_estate` fixture (conftest.py): `*_1` units are in scope for people held at `*_1`, `*_2`
units are elsewhere. HTML pages sign in with the session; API endpoints use a bearer token."""

import functools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

# The registry is filled by each app's rules.py (loaded by django-rules at start-up) and by the
# API modules the URLconf imports; import both explicitly so collection never depends on order.
import recovery.accounts.rules  # noqa: F401
import recovery.audit.rules  # noqa: F401
import recovery.estate.rules  # noqa: F401
from recovery.accounts.actions import do_create_api_token
from recovery.accounts.models import RoleAssignment
from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.pages import PAGES, PUBLIC_URL_NAMES, Page
from recovery.core.scope import PERMISSIONS  # only to check the registry names real ones
from recovery.frameworks.factories import edm_text
from tests import access_policy

POLICY = access_policy.load()

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
    role: str = ""
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
        if self.role and not POLICY.roles[self.role].sees_side(PERSON_SIDE):
            # The other side's people never appear, wherever they work.
            names += [self.person_1.get_full_name(), self.person_2.get_full_name()]
        return sorted(set(names))

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
    """An EDM version in the library: a draft for the pages that publish or build one, else
    published."""
    from recovery.frameworks.factories import DraftEdmVersionFactory, PublishedEdmVersionFactory

    draft = world.page in DRAFT_PAGES
    if "edm" not in world.made:
        factory = DraftEdmVersionFactory if draft else PublishedEdmVersionFactory
        world.made["edm"] = factory(number=950, version="1.0")
    return world.made["edm"]


DRAFT_PAGES = {
    "frameworks:publish",
    "frameworks:draft-details",
    "frameworks:area-new",
    "frameworks:area-edit",
    "frameworks:area-remove",
    "frameworks:baseline-new",
    "frameworks:baseline-edit",
    "frameworks:baseline-remove",
}

# The state an assessment must be in for each page's step to reach the action's own check
# (every other assessment page gets a draft).
ASSESSMENT_PAGE_STATES = {
    "progression:assessment": "awaiting_panel",
    "progression:assessment-consult": "awaiting_union",
    "progression:assessment-endorse": "awaiting_pgd",
    "progression:assessment-return": "awaiting_pgd",
}


def _assessment_at(world: World, establishment):
    """A readiness assessment of `establishment`, walked through the real route by invented
    people to the state the page needs; made once per case."""
    from recovery.progression.factories import assessment_in

    key = f"assessment:{establishment.code}"
    if key not in world.made:
        state = ASSESSMENT_PAGE_STATES.get(world.page, "draft")
        world.made[key] = assessment_in(state, establishment)
    return world.made[key]


def _ready_to_start(world: World, establishment) -> "Form":
    from recovery.progression.factories import plan_for, site_at_stage

    site_at_stage(establishment, 4)
    plan_for(establishment, 3)
    return Form()


def _step_form(**data):
    def make(world: World, target) -> "Form":
        return Form(data={"version": _assessment_at(world, target).version, **data})

    return make


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
    # The defensible decision log (decisions)
    "draft_id": lambda world, target: _decision_draft_at(world, target).pk,
    "sequence": lambda world, target: _decision_entry_at(world, target).sequence,
    # Covid controls (covid)
    # Readiness assessments and the sign-off chain (progression)
    "assessment_id": lambda world, target: _assessment_at(world, target).pk,
    # Panel sittings and the panel queue (progression)
    "sitting_id": lambda world, target: _panel_sitting(world).pk,
    # Stage history, progress reviews and ratification (progression)
    # The national and group stage views (progression)
    # The catalogue, settings, Local Recovery Plans and returns (backlogs)
    # (and the dashboards: the metric has a figure at both establishments)
    "metric_code": lambda world, target: _metric_with_figures(world).code,
    "period_start": lambda world, target: _last_week().isoformat(),
    # Backlogs: data calls, releases and feeds (backlogs)
    "release_number": lambda world, target: _backlog_release(world).number,
    "call_id": lambda world, target: _backlog_data_call(world).pk,
    # Probation recovery (probation)
    "request_id": lambda world, target: _step_request_at(world, target).pk,
    # Case prioritisation and allocation (caseload)
    "wave_id": lambda world, target: _wave_at(world, target).pk,
    "job_id": lambda world, target: _caseload_job(world).pk,
}
# Where one page gives an argument a meaning of its own.
PAGE_ARGUMENT_MAKERS: dict[tuple[str, str], Maker] = {
    ("frameworks:stage-edit", "number"): lambda world, target: 3,  # a stage of the default ladder
    # Probation recovery (probation): a government step of the reference data
    ("probation:government-step", "number"): lambda world, target: 2,
    # Panel sittings and the panel queue (progression)
    ("progression:panel-decide", "assessment_id"): lambda world, target: (
        _awaiting_panel_at(world, target).pk
    ),
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
    if page.name in PAGE_QUERIES:
        path += PAGE_QUERIES[page.name](world)
    return path


def request_method(page: Page) -> str:
    return api_entry_parts(page.name)[0] if is_api(page.name) else page.method.upper()


# --- A valid form for every page that takes a write ------------------------------------------


@dataclass
class Form:
    """What a page's write is sent with: valid, so that an allowed person's write is made and a
    refused person's reaches the permission check rather than a form error.

    `url`: the URL to send it to, when the page needs a query (`?area=3`); `changes`: whether
    an allowed write changes something (signing out changes no record)."""

    data: dict = field(default_factory=dict)
    json: object = None
    url: str | None = None
    changes: bool = True


def _xlsx_file(content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def _plan_at(world: World, establishment):
    """A started plan at `establishment` (one EDM of two baselines), made once per case."""
    from recovery.plans.factories import B, make_edm_version, start_plan

    key = f"plan:{establishment.code}"
    if key not in world.made:
        if "plan-edm" not in world.made:
            world.made["plan-edm"] = make_edm_version(960, [B("1.1"), B("1.2", weighting=2)])
        world.made[key] = start_plan(establishment)
    return world.made[key]


def _answer_at(world: World, establishment):
    from recovery.plans.factories import response_for

    return response_for(_plan_at(world, establishment), "1.1")


def _plan_url(world: World, establishment, name: str, query: str = "") -> str:
    from django.urls import reverse

    return reverse(name, args=[establishment.code]) + query


def _evidence_at(world: World, establishment):
    from recovery.plans.actions import do_add_evidence
    from recovery.plans.constants import EvidenceKind

    return do_add_evidence(
        _answer_at(world, establishment),
        kind=EvidenceKind.NOTE,
        note="Visits booked by phone since May.",
        acting_user=(
            world.person_1 if establishment == world.estate.establishment_1 else world.person_2
        ),
    )


def _establishment_form(world: World, target) -> Form:
    return Form(
        data={
            "version": target.version,
            "name": target.name,
            "status": target.status,
            "establishment_type": target.establishment_type,
            "categories": target.categories,
            "operator": target.operator,
            "operational_capacity": target.operational_capacity or "",
            "population": 123,
        }
    )


def _office_form(world: World, target) -> Form:
    return Form(
        data={
            "version": target.version,
            "name": target.name,
            "interview_rooms": 9,
            "opens_at": "08:30",
            "closes_at": "18:00",
            "days_open": target.days_open,
        }
    )


def _estate_workbook_form(world: World, target) -> Form:
    from recovery.estate.tests.test_import import make_workbook

    return Form(data={"file": _xlsx_file(make_workbook(), "estate.xlsx")})


def _plan_workbook_form(world: World, target) -> Form:
    import io

    from openpyxl import load_workbook

    from recovery.plans.spreadsheet import COLUMNS, export_plan

    plan = _plan_at(world, target)
    workbook = load_workbook(io.BytesIO(export_plan(plan)))
    sheet = next(ws for ws in workbook.worksheets if ws.title.startswith("EDM"))
    sheet.cell(row=2, column=COLUMNS.index("Approach") + 1, value="Booking by telephone")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Form(
        data={"stage": plan.stage.number, "file": _xlsx_file(buffer.getvalue(), "plan.xlsx")}
    )


def _response_form(world: World, target) -> Form:
    answer = _answer_at(world, target)
    return Form(
        data={
            "response": answer.pk,
            "version": answer.version,
            "status": "in_progress",
            "chosen_option": "",
            "approach": "Visits booked by telephone, two sessions a day.",
            "owner": "Head of residence",
            # "Save and go to the next" through the baselines assigned to the person (issue 12).
            "next": "mine",
            "then": "next",
        }
    )


def _draft_url(world: World, name: str, query: str = "") -> str:
    from django.urls import reverse

    version = _edm_version(world)
    return reverse(name, args=[version.edm.number, version.version_number]) + query


def _area_query(world: World) -> str:
    return f"?area={_edm_version(world).areas.order_by('position').first().pk}"


def _baseline_query(world: World) -> str:
    from recovery.frameworks.models import Baseline

    baseline = Baseline.objects.filter(edm_version=_edm_version(world)).order_by("pk").first()
    return f"?baseline={baseline.pk}"


def _draft_details(world: World) -> dict:
    version = _edm_version(world)
    return {
        "version": version.version,
        "title": "Test visits, revised",
        "issued_day": "1",
        "issued_month": "6",
        "issued_year": "2020",
        "element": version.element.code if hasattr(version, "element") else "visits",
        "stage": version.stage.number,
        "applies_to": ["local"],
        "introduction": "An invented EDM for tests.",
    }


def _baseline_data(world: World) -> dict:
    version = _edm_version(world)
    return {
        "version": version.version,
        "area": version.areas.order_by("position").first().pk,
        "number": "1.9",
        "identifier": "",
        "text": "Clean the hall between sessions.",
        "mandatory": "mandatory",
        "weighting": "2",
        "autonomy": "total",
        "options": "",
        "comments": "",
        "sources": "",
    }


def _open_outbreak_at(establishment) -> bool:
    import datetime

    from recovery.covid.models import Outbreak

    Outbreak.objects.create(
        establishment=establishment,
        declared_on=datetime.date(2021, 3, 1),
        declared_by_name="Matrix test",
    )
    return True


def _covid_workbook_form(world: World, target) -> Form:
    from recovery.covid.factories import workbook

    upload = workbook(
        {
            "PPE stock": [
                ["Establishment code", "Item", "In stock", "Needed"],
                [target.code, "Disposable gloves (pairs)", 100, 200],
            ]
        }
    )
    return Form(data={"file": upload})


# Backlog dashboards and comparisons (backlogs: figures)
def _metric_with_figures(world: World):
    """The catalogue's OASys metric with a figure at both establishments, once per case."""
    if "backlog-metric" not in world.made:
        import datetime

        from recovery.backlogs import factories as backlog_factories

        metric = _backlog_metric()
        week = datetime.date(2026, 11, 2)
        for site in (world.estate.establishment_1, world.estate.establishment_2):
            backlog_factories.series(site, metric, {week: 12})
        world.made["backlog-metric"] = metric
    return world.made["backlog-metric"]


# Pages that name their object in the query string (`?area=3`), for every method.
PAGE_QUERIES: dict[str, Callable[[World], str]] = {
    "frameworks:area-edit": lambda world: _area_query(world),
    "frameworks:area-remove": lambda world: _area_query(world),
    "frameworks:baseline-edit": lambda world: _baseline_query(world),
    "frameworks:baseline-remove": lambda world: _baseline_query(world),
    # Covid controls (covid)
    # Readiness assessments and the sign-off chain (progression)
    # Panel sittings and the panel queue (progression)
    # Stage history, progress reviews and ratification (progression)
    # The national and group stage views (progression)
    # Backlog dashboards and comparisons (backlogs: figures): the comparison of both
    # establishments; rows outside the person's scope must not show.
    "backlogs:compare": lambda world: (
        f"?metric={_metric_with_figures(world).code}&establishments="
        f"{world.estate.establishment_1.code}&establishments={world.estate.establishment_2.code}"
    ),
}

VALID_FORMS: dict[str, Callable[[World, object], Form]] = {
    "accounts:switch": lambda world, target: Form(
        data={"assignment": RoleAssignment.objects.get(user=world.viewer).pk}, changes=False
    ),
    "accounts:tokens": lambda world, target: Form(data={"name": "Weekly extract", "days": 30}),
    "accounts:token-revoke": lambda world, target: Form(),
    "accounts:sign-out": lambda world, target: Form(changes=False),
    "accounts:user-new": lambda world, target: Form(
        data={"email": "nia@example.org", "first_name": "Nia", "last_name": "Newcombe"}
    ),
    "accounts:user-role-new": lambda world, target: Form(
        data={"role": Role.GOVERNOR, "unit": world.estate.establishment_2.code}
    ),
    "accounts:user-role-remove": lambda world, target: Form(),
    "accounts:user-status": lambda world, target: Form(data={"active": "false"}),
    "estate:establishment-edit": _establishment_form,
    "estate:office-edit": _office_form,
    "estate:import": _estate_workbook_form,
    "frameworks:upload": lambda world, target: Form(
        data={"file": _xlsx_file(edm_text(951, "1.0").encode(), "edm-951.yaml")}
    ),
    "frameworks:publish": lambda world, target: Form(),
    "frameworks:withdraw": lambda world, target: Form(),
    "frameworks:stage-edit": lambda world, target: Form(
        data={"version": 1, "name": "Reduce", "colour": "yellow", "meaning": "Fewer limits."}
    ),
    "frameworks:element-new": lambda world, target: Form(
        data={"name": "Library visits", "description": "Time in the library."}
    ),
    "frameworks:draft-new": lambda world, target: Form(
        data={**_draft_details(world), "version": 0, "number": 952, "edm_version": "1.0"}
    ),
    "frameworks:version-new": lambda world, target: Form(data={"edm_version": "2.0"}),
    "frameworks:draft-details": lambda world, target: Form(data=_draft_details(world)),
    "frameworks:area-new": lambda world, target: Form(
        data={"version": _edm_version(world).version, "number": "9", "title": "Leaving"}
    ),
    "frameworks:area-edit": lambda world, target: Form(
        data={"version": _edm_version(world).version, "number": "1", "title": "Booking a visit"},
    ),
    "frameworks:area-remove": lambda world, target: Form(
        data={"version": _edm_version(world).version},
    ),
    "frameworks:baseline-new": lambda world, target: Form(data=_baseline_data(world)),
    "frameworks:baseline-edit": lambda world, target: Form(
        data={**_baseline_data(world), "number": "1.1"},
    ),
    "frameworks:baseline-remove": lambda world, target: Form(
        data={"version": _edm_version(world).version},
    ),
    "plans:start": lambda world, target: Form(
        data={"stage": 3} if _published_edm_for_plans(world) else {}
    ),
    "plans:response": _response_form,
    "plans:evidence-add": lambda world, target: Form(
        data={
            "response": _answer_at(world, target).pk,
            "kind": "note",
            "note": "Booking line staffed from 8am.",
        }
    ),
    "plans:evidence-remove": lambda world, target: Form(
        data={"evidence": _evidence_at(world, target).pk}
    ),
    "plans:import": _plan_workbook_form,
    "api:PATCH /api/v1/plans/{code}/responses": lambda world, target: Form(
        json=_api_answers(world, target)
    ),
    # Covid controls (covid)
    "covid:declare": lambda world, target: Form(
        data={
            "declared_day": "1",
            "declared_month": "3",
            "declared_year": "2021",
            "cases_staff": "3",
        }
    ),
    "covid:end": lambda world, target: Form(
        data={"ended_day": "20", "ended_month": "3", "ended_year": "2021"}
        if _open_outbreak_at(target)
        else {}
    ),
    "covid:edit": lambda world, target: Form(
        data={"version": 1, "staff_tested_percent": "80", "contact_tracing_lead": "Duty nurse"}
    ),
    "covid:ppe": lambda world, target: Form(
        data={"gloves_in_stock": "100", "gloves_needed": "200", "gloves_version": "0"}
    ),
    "covid:import": _covid_workbook_form,
    "api:POST /api/v1/covid/{code}/outbreaks": lambda world, target: Form(
        json={"declared_on": "2021-03-01", "cases_staff": 3}
    ),
    # The defensible decision log (decisions)
    "decisions:draft-new": lambda world, target: Form(data=_decision_data(world, target)),
    "decisions:draft": lambda world, target: Form(
        data={
            **_decision_data(world, target, title="Pause C&R refreshers for six weeks"),
            "version": _decision_draft_at(world, target).version,
        }
    ),
    "decisions:draft-delete": lambda world, target: Form(
        data={"version": _decision_draft_at(world, target).version}
    ),
    "decisions:draft-record": lambda world, target: Form(
        data={"version": _decision_draft_at(world, target).version}
    ),
    "decisions:supersede": lambda world, target: Form(
        data=_decision_data(world, target, title="Resume C&R refreshers")
    ),
    # Readiness assessments and the sign-off chain (progression)
    "progression:assessments": _ready_to_start,
    "progression:assessment-edit": _step_form(
        opened="",
        staffing="Detailing shows 97% of the hours the regime needs.",
        risk_assessments="All signed.",
        safe_systems="Reissued.",
        justification="",
    ),
    "progression:assessment-submit": _step_form(justification="Figures are due this week."),
    "progression:assessment-consult": _step_form(position="agreed"),
    "progression:assessment-endorse": _step_form(comments="Supported by the group."),
    "progression:assessment-return": _step_form(reasons="Attach the staffing detail."),
    "progression:assessment-withdraw": _step_form(reason="Outbreak expected."),
    # Panel sittings and the panel queue (progression)
    "progression:panel-sitting-new": lambda world, target: Form(
        data={
            "sits_on_day": "7",
            "sits_on_month": "12",
            "sits_on_year": "2026",
            "members": [_panel_person(world).pk],
            "title": "Weekly sitting",
        }
    ),
    "progression:panel-sitting-close": lambda world, target: Form(),
    "progression:panel-ratify": lambda world, target: Form(
        data={
            "change": _to_be_ratified_at(world, world.estate.establishment_1).pk,
            "note": "Agreed",
        }
    ),
    "progression:panel-decide": lambda world, target: Form(
        data={
            "version": _awaiting_panel_at(world, target).version,
            "decision": "defer",
            "reasons": "Wait for the outbreak to end",
        }
    ),
    # Stage history, progress reviews and ratification (progression)
    "progression:stage-record": lambda world, target: Form(
        data={"stage": 4, "effective_from": "1/6/2026", "reason": "From the weekly record"}
    ),
    "progression:stage-confirm": lambda world, target: Form(
        data={"change": _proposed_move_at(target).pk, "note": "Cases on two wings"}
    ),
    "progression:stage-dismiss": lambda world, target: Form(
        data={"change": _proposed_move_at(target).pk, "reason": "One case, isolated"}
    ),
    "progression:stage-ratify": lambda world, target: Form(
        data={"change": _move_to_ratify_at(target).pk, "note": "Agreed at the panel"}
    ),
    "progression:progress-report": lambda world, target: Form(
        data={"report": "Visits and education running"} if _at_stage(target) else {}
    ),
    "progression:progress-forward": lambda world, target: _review_form(
        _reported_at(target), pgd_view="Steady progress"
    ),
    "progression:progress-decide": lambda world, target: _review_form(
        _forwarded_at(target), outcome="remain", reasons="Not yet ready for the next stage"
    ),
    # The national and group stage views (progression)
    # Backlogs: data calls, releases and feeds (backlogs)
    "backlogs:feeds": lambda world, target: Form(data={"action": "create"}),
    "backlogs:data-call-new": lambda world, target: Form(
        data={
            "title": "Parole reports outstanding",
            "kind": "ad_hoc",
            "metrics": [str(_release_metric(world).pk)],
            "period_day": "5",
            "period_month": "10",
            "period_year": "2026",
            "deadline_day": "31",
            "deadline_month": "12",
            "deadline_year": "2099",
        }
    ),
    "backlogs:data-call-remind": lambda world, target: Form(),
    "backlogs:data-call-close": lambda world, target: Form(),
    # Probation recovery (probation)
    "probation:gateway": lambda world, target: Form(
        data={
            "step": "2",
            "decided_day": "10",
            "decided_month": "6",
            "decided_year": "2020",
            "staff_told_day": "12",
            "staff_told_month": "6",
            "staff_told_year": "2020",
            "takes_effect_day": "29",
            "takes_effect_month": "6",
            "takes_effect_year": "2020",
            "reasons": "Infection rate falling",
        }
    ),
    "probation:government-step": lambda world, target: Form(
        data={
            "version": 1,
            "starts_day": "1",
            "starts_month": "6",
            "starts_year": "2020",
            "summary": "No earlier than 1 June",
        }
    ),
    "probation:settings": lambda world, target: Form(
        data={"version": 1, "risk_assessment_valid_days": "60"}
    ),
    "probation:request-new": lambda world, target: Form(
        data={"unit": target.code, "kind": "hold_back", "reasons": "Cases rising locally"}
    ),
    "probation:request-decide": lambda world, target: Form(
        data={
            "version": _step_request_at(world, target).version,
            "decision": "agree",
            "reasons": "Agreed for four weeks",
            "takes_effect_day": "1",
            "takes_effect_month": "7",
            "takes_effect_year": "2020",
        }
    ),
    "probation:office-capacity": lambda world, target: Form(
        data={
            "version": 1,
            "usable_rooms": "2",
            "appointment_minutes": "45",
            "cleaning_minutes": "15",
            "max_on_site": "10",
            **{f"staff_{day}": "3" for day in ("monday", "tuesday", "wednesday", "thursday")},
            **{f"staff_{day}": "0" for day in ("friday", "saturday", "sunday")},
        }
    ),
    "probation:office-risk": lambda world, target: Form(
        data={
            "assessed_day": "1",
            "assessed_month": "11",
            "assessed_year": "2026",
            **dict.fromkeys(
                ["distancing", "screens", "one_way_routes", "rotas", "ppe_stock"], "on"
            ),
            "outcome": "safe",
        }
    ),
    "probation:individual-risk": lambda world, target: Form(
        data={
            "completed_day": "2",
            "completed_month": "11",
            "completed_year": "2026",
            "outcome": "return_adjusted",
        }
    ),
    # Case prioritisation and allocation (caseload)
    "probation:caseload-import": lambda world, target: Form(
        data={"file": _caseload_csv(target.code)}
    ),
    "probation:allocation": lambda world, target: _allocation_form(world, target),
    "probation:wave-review": lambda world, target: Form(
        data={"notes": "All attended"} if _wave_at(world, target) else {}
    ),
    "probation:wave-tasks": lambda world, target: Form() if _wave_at(world, target) else None,
    "probation:caseload-national-import": lambda world, target: Form(
        data={"file": _caseload_csv(world.estate.pdu_1.code)}
    ),
    "probation:allocation-national": lambda world, target: Form(),
    # The public status page (public)
    "public:note": lambda world, target: Form(
        data={"version": 1, "text": "Visits are booked by telephone."}
    ),
    # The catalogue, settings, Local Recovery Plans and returns (backlogs)
    "backlogs:metric-new": lambda world, target: Form(
        data=_backlog_metric_data(code="segregation-reviews-overdue", version=1)
    ),
    "backlogs:metric-edit": lambda world, target: Form(
        data=_backlog_metric_data(code="oasys-outstanding", version=_backlog_metric().version)
    ),
    "backlogs:metric-retire": lambda world, target: Form(
        data={"version": _backlog_metric().version}
    ),
    "backlogs:settings": lambda world, target: Form(
        data={
            "version": 1,
            "period_days": 7,
            "deadline_days": 4,
            "release_delay_hours": 24,
            "trend_window": 8,
            "suppression_threshold": 5,
        }
    ),
    "backlogs:plan-line": lambda world, target: Form(
        data={
            "version": 1,
            "target_value": "40",
            "owner_name": "Head of OMU",
            "approach": "Overtime",
        }
    ),
    "backlogs:return": lambda world, target: Form(
        data={"version": 0, f"m{_backlog_metric().pk}": "40"}
    ),
    "backlogs:returns-upload": lambda world, target: Form(data={"file": _backlog_workbook(target)}),
    "api:POST /api/v1/establishments/{code}/returns": lambda world, target: Form(
        json={
            "period_start": _last_week().isoformat(),
            "version": 0,
            "figures": [{"metric": "toil-hours", "value": 12}],
        }
    ),
}


# The catalogue, settings, Local Recovery Plans and returns (backlogs)
def _last_week():
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday() + 7)


def _backlog_metric():
    from recovery.backlogs.models import Metric

    return Metric.objects.get(code="oasys-outstanding")


def _backlog_metric_data(**fields) -> dict:
    data = {
        "name": "Segregation reviews overdue",
        "description": "",
        "area": "offender_management",
        "unit": "cases",
        "direction": "lower",
        "aggregation": "sum",
        "weight_metric": "",
        "national_target": "",
        "amber_weeks": 4,
        "amber_percent": 10,
        "standard": "on",
    }
    data.update(fields)
    return data


def _backlog_workbook(target):
    from recovery.backlogs.tests.helpers import workbook

    return workbook([[target.code, _last_week(), "toil-hours", "TOIL", 12, ""]])


# Case prioritisation and allocation (caseload)
def _caseload_csv(code: str):
    from recovery.probation.caseload_factories import csv_upload, row

    return csv_upload([row("X000001", code), row("X000002", code, rosh="Low")])


def _wave_at(world: World, pdu, *, due: bool = False):
    """A wave of `pdu` awaiting its review (due today when `due`); made once per case."""
    import datetime

    from django.utils import timezone

    from recovery.probation.caseload_models import AllocationWave

    key = f"wave:{pdu.code}"
    if key not in world.made:
        today = timezone.localdate()
        world.made[key] = AllocationWave.objects.create(
            pdu=pdu,
            number=1,
            starts_on=today - datetime.timedelta(days=7),
            review_due_on=today,
            weekly_capacity=4,
            face_to_face_before=0,
            moved=1,
            made_by_name="Matrix",
        )
        world.made[key].tasks.create(pdu=pdu, reference="X000001", kind="rmp", created_on=today)
    return world.made[key]


def _caseload_job(world: World):
    from recovery.core.models import Job
    from recovery.probation import jobs

    if "caseload-job" not in world.made:
        world.made["caseload-job"] = Job.objects.create(
            kind=jobs.allocate_national.job_kind,
            status="done",
            progress=100,
            message="National allocation: 0 PDUs started a wave.",
            unit=world.estate.nation,
            created_by_name="Matrix",
        )
    return world.made["caseload-job"]


def _allocation_form(world: World, pdu) -> Form:
    from recovery.probation.caseload_factories import make_case, weekly_capacity

    office = world.estate.office_1 if pdu == world.estate.pdu_1 else world.estate.office_2
    weekly_capacity(office, 2)
    make_case(pdu, "X000001")
    return Form(data={"limit": ""})


def _step_request_at(world: World, region):
    """A region's request to hold back, waiting for a decision; made once per case."""
    from recovery.probation.factories import WaitingRequestFactory

    key = f"step-request:{region.code}"
    if key not in world.made:
        world.made[key] = WaitingRequestFactory(unit=region)
    return world.made[key]


def _at_stage(establishment, number: int = 3):
    """`establishment` at stage `number` for the last two months (recorded by the system)."""
    import datetime

    from django.utils import timezone

    from recovery.core.scope import TEST_DATA
    from recovery.frameworks.models import Stage
    from recovery.progression.actions import do_record_stage

    return do_record_stage(
        establishment,
        Stage.objects.get(number=number),
        reason="Commenced",
        effective_from=timezone.localdate() - datetime.timedelta(days=60),
        acting_user=TEST_DATA,
    )


def _proposed_move_at(establishment):
    from django.db import transaction
    from django.utils import timezone

    from recovery.core.scope import TEST_DATA
    from recovery.covid.models import Outbreak
    from recovery.progression.stages import propose_emergency_move_in_transaction

    _at_stage(establishment)
    outbreak = Outbreak.objects.create(
        establishment=establishment, declared_on=timezone.localdate(), declared_by_name="Test"
    )
    with transaction.atomic():
        return propose_emergency_move_in_transaction(
            establishment, outbreak=outbreak, acting_user=TEST_DATA
        )


def _move_to_ratify_at(establishment):
    from recovery.core.scope import TEST_DATA
    from recovery.progression.actions import do_confirm_stage_move

    return do_confirm_stage_move(_proposed_move_at(establishment), note="", acting_user=TEST_DATA)


def _reported_at(establishment):
    from recovery.core.scope import TEST_DATA
    from recovery.progression.actions import do_report_progress

    _at_stage(establishment)
    return do_report_progress(establishment, report="Visits running", acting_user=TEST_DATA)


def _forwarded_at(establishment):
    from recovery.core.scope import TEST_DATA
    from recovery.progression.actions import do_forward_progress

    review = _reported_at(establishment)
    return do_forward_progress(
        review, pgd_view="Steady", expected_version=review.version, acting_user=TEST_DATA
    )


def _review_form(review, **data) -> Form:
    return Form(data={"review": review.pk, "version": review.version, **data})


# The defensible decision log (decisions)
def _decider_at(world: World, establishment):
    """The establishment's editor (person_1 or person_2), who may be named as deciding."""
    return world.person_1 if establishment == world.estate.establishment_1 else world.person_2


def _decision_data(world: World, establishment, **overrides) -> dict:
    return {
        "title": "Pause C&R refresher training for four weeks",
        "decision": "Run no C&R refreshers until the detail recovers.",
        "rationale": "Staffing at 82% of the regime's need.",
        "concerns_kind": "priority",
        "priority": "staff",
        "decided_by_id": _decider_at(world, establishment).pk,
        "decided_day": "1",
        "decided_month": "3",
        "decided_year": "2021",
        **overrides,
    }


def _decision_draft_at(world: World, establishment):
    from recovery.decisions.factories import draft

    key = f"decision-draft:{establishment.code}"
    if key not in world.made:
        world.made[key] = draft(establishment, _decider_at(world, establishment))
    return world.made[key]


def _decision_entry_at(world: World, establishment):
    from recovery.decisions.factories import recorded

    key = f"decision-entry:{establishment.code}"
    if key not in world.made:
        world.made[key] = recorded(establishment, _decider_at(world, establishment))
    return world.made[key]


# Panel sittings and the panel queue (progression)
def _panel_person(world: World):
    from recovery.progression.tests.panel_factories import panel_member

    if "panel-person" not in world.made:
        world.made["panel-person"] = panel_member(world.estate.nation, "Pat", "Panelist")
    return world.made["panel-person"]


def _panel_sitting(world: World):
    from recovery.progression.tests.panel_factories import open_sitting

    if "panel-sitting" not in world.made:
        world.made["panel-sitting"] = open_sitting(
            world.estate.nation, members=[_panel_person(world)]
        )
    return world.made["panel-sitting"]


def _awaiting_panel_at(world: World, establishment):
    """An assessment of `establishment` that came the route and awaits the national panel."""
    from recovery.progression.tests.panel_factories import awaiting_panel

    key = f"awaiting-panel:{establishment.code}"
    if key not in world.made:
        world.made[key] = awaiting_panel(establishment, plan=_plan_at(world, establishment))
    return world.made[key]


def _to_be_ratified_at(world: World, establishment):
    from recovery.progression.tests.panel_factories import to_be_ratified

    key = f"to-be-ratified:{establishment.code}"
    if key not in world.made:
        world.made[key] = to_be_ratified(establishment)
    return world.made[key]


def _published_edm_for_plans(world: World) -> bool:
    from recovery.plans.factories import B, make_edm_version

    if "plan-edm" not in world.made:
        world.made["plan-edm"] = make_edm_version(960, [B("1.1"), B("1.2", weighting=2)])
    return True


def _api_answers(world: World, target) -> dict:
    answer = _answer_at(world, target)
    return {
        "updates": [
            {
                "id": answer.pk,
                "version": answer.version,
                "status": "in_progress",
                "approach": "Visits booked by telephone.",
            }
        ]
    }


# Backlogs: data calls, releases and feeds (backlogs)
def _release_metric(world: World):
    """A metric with figures at both establishments for the week from 5 October 2026."""
    import datetime

    from recovery.backlogs import factories as backlog_factories

    if "release-metric" not in world.made:
        metric = backlog_factories.metric(name="Parole reports outstanding (released)")
        period = datetime.date(2026, 10, 5)
        backlog_factories.series(world.estate.establishment_1, metric, {period: 12})
        backlog_factories.series(world.estate.establishment_2, metric, {period: 7})
        world.made["release-metric"] = metric
    return world.made["release-metric"]


def _backlog_release(world: World):
    import datetime

    from recovery.backlogs.releases import do_publish_release
    from recovery.core.scope import TEST_DATA

    if "backlog-release" not in world.made:
        _release_metric(world)
        world.made["backlog-release"] = do_publish_release(
            datetime.date(2026, 10, 5), acting_user=TEST_DATA
        )
    return world.made["backlog-release"]


def _backlog_data_call(world: World):
    import datetime

    from django.utils import timezone

    from recovery.backlogs.datacalls import do_create_data_call
    from recovery.core.scope import TEST_DATA

    if "backlog-data-call" not in world.made:
        world.made["backlog-data-call"] = do_create_data_call(
            title="Parole reports outstanding",
            period_start=datetime.date(2026, 10, 5),
            deadline=timezone.now() + datetime.timedelta(days=7),
            metrics=[_release_metric(world)],
            establishments=[world.estate.establishment_1, world.estate.establishment_2],
            acting_user=TEST_DATA,
        )
    return world.made["backlog-data-call"]


# --- What the written policy says should happen ----------------------------------------------

# The people of the matrix (person_1, person_2) are establishment editors: prison-side people.
PERSON_SIDE = "prison"


def is_allowed(page: Page, method: str, role: str, home, target_unit, target_is_person) -> bool:
    if not POLICY.allows(page.name, method, role):
        return False
    if target_unit is None:
        return True
    if target_is_person and not POLICY.roles[role].sees_side(PERSON_SIDE):
        return False
    return target_unit.path.startswith(home.path)


def _scopes_for(page: Page) -> tuple[str, ...]:
    # A page naming no object has no "out of scope" variant (its rows are checked instead), nor
    # does the national page (there is one nation).
    return ("in", "out") if page.target not in (None, "nation") else ("in",)


def _methods_of(page: Page) -> tuple[str, ...]:
    if page.name in POLICY.pages:
        return POLICY.pages[page.name].methods
    return (request_method(page),)


def _cases():
    for page in sorted(PAGES.values(), key=lambda p: p.name):
        for method in _methods_of(page):
            for role in Role.values:
                for where in _scopes_for(page):
                    yield pytest.param(
                        page.name, method, role, where, id=f"{page.name}|{method}|{role}|{where}"
                    )


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


def _send(client, method: str, url: str, *, api_secret=None, follow=False, form=None):
    headers = {"Authorization": f"Bearer {api_secret}"} if api_secret else {}
    if method == "GET":
        # client.generic() ignores `follow`; get() follows redirects within the service.
        return client.get(url, headers=headers, follow=follow)
    if form is not None and form.json is not None:
        return client.generic(
            method, url, json.dumps(form.json), content_type="application/json", headers=headers
        )
    if method == "POST":
        return client.post(url, data=form.data if form else {}, headers=headers)
    return client.generic(method, url, headers=headers)


def _body(response) -> str:
    return response.content.decode(errors="replace") if hasattr(response, "content") else ""


def sign_in(client, user) -> None:
    """What `client.force_login` leaves behind (a session naming the person), without the
    sign-in signals (last login, the lock-out log) that the matrix does not test and that cost
    a third of each case."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend

    backend = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


# --- What a write may change ------------------------------------------------------------------

# Fields that change when a person merely signs in or uses a token, not by any page's action.
VOLATILE_FIELDS = {"last_login", "last_used_at", "session_key", "session_data", "expire_date"}


@functools.cache
def _fingerprinted_tables() -> tuple[tuple[str, str], ...]:
    """(model label, SELECT) for every table of the service, without the volatile columns."""
    tables = []
    for model in apps.get_models():
        if not model.__module__.startswith("recovery.") or model._meta.proxy:
            continue
        quote_name = connection.ops.quote_name
        columns = sorted(
            quote_name(f.column)
            for f in model._meta.local_concrete_fields
            if f.attname not in VOLATILE_FIELDS
        )
        select = (
            f"SELECT {', '.join(columns)} FROM {quote_name(model._meta.db_table)} "
            f"ORDER BY {quote_name(model._meta.pk.column)}"
        )
        tables.append((model._meta.label, select))
    return tuple(tables)


def database_fingerprint() -> dict[str, int]:
    """Every row of every table of the service, as one hash per table: any row added, changed
    or removed changes it."""
    fingerprint = {}
    with connection.cursor() as cursor:
        for label, select in _fingerprinted_tables():
            cursor.execute(select)
            fingerprint[label] = hash(repr(cursor.fetchall()))
    return fingerprint


def _changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


def test_the_fingerprint_sees_a_change_to_any_row(small_estate, person_with_role):
    """Guards the probe the refused writes rely on: a changed field of an inherited model, a
    new row and a removed row each change the fingerprint of their table."""
    from recovery.estate.models import Establishment

    person = person_with_role(Role.GOVERNOR)
    before = database_fingerprint()
    Establishment.objects.filter(pk=small_estate.establishment_1.pk).update(population=1)
    assert _changed_tables(before, database_fingerprint()) == ["estate.Establishment"]

    before = database_fingerprint()
    Establishment.objects.filter(pk=small_estate.establishment_1.pk).update(name="HMP Elsewhere")
    assert _changed_tables(before, database_fingerprint()) == ["estate.OrganisationUnit"]

    before = database_fingerprint()
    RoleAssignment.objects.filter(user=person).delete()
    assert _changed_tables(before, database_fingerprint()) == ["accounts.RoleAssignment"]


# --- The matrix -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "method", "role", "where"), list(_cases()))
def test_permission_matrix(client, small_estate, person_with_role, name, method, role, where):
    page = PAGES[name]
    _skip_unless_triable(page)
    world = build_world(small_estate, person_with_role)
    world.viewer = person_with_role(role, first_name="Vera", last_name="Viewing")
    world.home = RoleAssignment.objects.get(user=world.viewer).unit
    world.role = role
    target = world.target(page.target, where)
    target_unit = world.unit_of(target)
    url = url_for(page, world, target)
    allowed = is_allowed(
        page, method, role, world.home, target_unit, target_is_person=page.target == "person"
    )
    form = None
    if method != "GET":
        maker = VALID_FORMS.get(name)
        assert maker is not None, f"{name} accepts {method} but has no valid form in VALID_FORMS"
        form = maker(world, target)
        url = form.url or url

    secret = None
    if is_api(name):
        _, secret = do_create_api_token(name="Matrix", acting_user=world.viewer)
    else:
        sign_in(client, world.viewer)
    if method != "GET":
        events_before = AuditEvent.objects.count()
        before = database_fingerprint()
    response = _send(client, method, url, api_secret=secret, form=form)

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
            if form.changes:
                assert AuditEvent.objects.count() > events_before, (
                    f"{what}: allowed, but the valid form changed nothing"
                )
    else:
        # The policy: 404 where the URL names an object (existence not disclosed), else 403.
        expected = 404 if page.target is not None else 403
        assert response.status_code == expected, (
            f"{what}: refused, expected {expected}, got {response.status_code}"
        )
        if target is not None and (
            page.target == "person" or not world.is_own_or_above(target_unit)
        ):
            assert world.name_of(target) not in _body(response), (
                f"{what}: the refusal names the object it refused"
            )
        if method != "GET":
            changed = _changed_tables(before, database_fingerprint())
            assert not changed, f"{what}: refused, but it changed {changed}"
            assert AuditEvent.objects.count() == events_before

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
    assert {c.values[2] for c in cases} == set(Role.values)


# --- The written policy itself ----------------------------------------------------------------


def test_the_policy_names_every_page():
    """Adding a page means adding its line to docs/access-policy.yaml, and a page that is gone
    leaves no line behind."""
    registered = set(PAGES)
    written = set(POLICY.pages)
    assert sorted(registered - written) == [], "pages missing from docs/access-policy.yaml"
    assert sorted(written - registered) == [], "the policy names pages the service does not have"


def test_the_policy_names_every_public_page():
    """A page open without signing in is a policy decision too."""
    assert sorted(PUBLIC_URL_NAMES) == sorted(POLICY.public)


def test_the_policy_names_every_role_as_the_service_does():
    assert {name: r.label for name, r in POLICY.roles.items()} == dict(Role.choices)


def test_each_page_method_in_the_policy_is_one_the_page_takes():
    """The registry's own method (the one its view needs) is among those the policy lists."""
    wrong = [
        name
        for name, page in PAGES.items()
        if name in POLICY.pages and request_method(page) not in POLICY.pages[name].methods
    ]
    assert not wrong


def test_every_page_that_takes_a_write_has_a_valid_form():
    missing = sorted(
        name
        for name, entry in POLICY.pages.items()
        if set(entry.methods) - {"GET"} and name not in VALID_FORMS
    )
    assert not missing, f"add a valid form to VALID_FORMS for {missing}"


def test_the_document_is_rendered_from_the_policy():
    """docs/access-policy.md is the policy for readers: it must say what the data says.
    Regenerate it with `python -m tests.access_policy > docs/access-policy.md`."""
    assert access_policy.DOCUMENT_FILE.read_text(encoding="utf-8") == access_policy.render()


def test_a_policy_naming_an_unknown_role_is_refused():
    with pytest.raises(access_policy.PolicyError, match="'governer' is neither a role nor a group"):
        access_policy.parse(
            {
                "roles": {"governor": {"label": "G", "side": "prison", "held_at": ["nation"]}},
                "pages": {"home": {"what": "Home", "methods": ["GET"], "who": ["governer"]}},
            }
        )


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
def test_public_pages_open_without_signing_in(client, small_estate, name):
    route = route_of(name)
    if route is None:
        pytest.skip(f"{name} has no URL yet: see test_every_declared_page_exists")
    url = api_entry_parts(name)[1] if is_api(name) else "/" + route.route
    # A public page naming an establishment (the public status page of a prison).
    url = url.replace("<str:code>", small_estate.establishment_1.code)

    assert client.get(url).status_code == 200


# --- A write the policy does not list ---------------------------------------------------------


def _unlisted_post_cases():
    for name in sorted(PAGES):
        entry = POLICY.pages.get(name)
        if entry is None or is_api(name) or "POST" in entry.methods:
            continue
        allowed_roles = sorted(entry.who("GET"))
        if allowed_roles:
            yield pytest.param(name, allowed_roles[0], id=name)


@pytest.mark.parametrize(("name", "role"), list(_unlisted_post_cases()))
def test_a_page_changes_nothing_on_a_method_the_policy_does_not_list(
    client, small_estate, person_with_role, name, role
):
    """The matrix tries the methods the policy lists; a page that quietly took a POST the policy
    does not list would escape it. Sent by someone who may open the page, such a POST must
    change nothing."""
    page = PAGES[name]
    _skip_unless_triable(page)
    world = build_world(small_estate, person_with_role)
    world.viewer = person_with_role(role, first_name="Vera", last_name="Viewing")
    world.home = RoleAssignment.objects.get(user=world.viewer).unit
    url = url_for(page, world, world.target(page.target, "in"))
    sign_in(client, world.viewer)
    events_before = AuditEvent.objects.count()
    before = database_fingerprint()

    client.post(url, data={"name": "Anything", "version": 1})

    assert _changed_tables(before, database_fingerprint()) == []
    assert AuditEvent.objects.count() == events_before
