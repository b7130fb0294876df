"""Estate pages: the home page made for each role, the prison estate (nation, groups,
establishments), the probation estate (regions, PDUs, offices), the two edit forms and each
unit's history. Reads come from queries.py, writes go through actions.py."""

from types import SimpleNamespace

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from recovery.audit.queries import object_history
from recovery.backlogs.datacalls import open_calls_for
from recovery.backlogs.queries import return_due_for
from recovery.backlogs.rules import ESTABLISHMENT_KEEPERS
from recovery.core.constants import PROBATION_ROLES, Role, UnitKind
from recovery.core.context_processors import current_scope
from recovery.core.edits import edit_versioned
from recovery.core.scope import allows, unit_filter
from recovery.core.views import require_permission, scoped_get_or_404
from recovery.core.xlsx import Sheet, xlsx_response
from recovery.estate.actions import do_update_establishment, do_update_office
from recovery.estate.forms import (
    INCLUDE_CLOSED,
    EstablishmentFilterForm,
    EstablishmentForm,
    OfficeForm,
)
from recovery.estate.models import MODEL_BY_KIND, Establishment, OrganisationUnit, ProbationOffice
from recovery.estate.queries import (
    ESTABLISHMENT_SORTS,
    GROUP_SORTS,
    VIEW_PRISON,
    VIEW_PROBATION,
    EstablishmentRow,
    administrators,
    ancestor_paths,
    establishment_rows,
    group_options,
    may_view_path,
    office_rows,
    pdu_rows,
    prison_summary,
    region_rows,
    sort_rows,
    totals_of,
    visible_unit,
)
from recovery.plans.queries import my_baselines
from recovery.probation.home import probation_home
from recovery.progression import home as home_pages
from recovery.public.rules import EDIT_NOTE

CHANGE_ESTABLISHMENT = "estate.change_establishment"
CHANGE_OFFICE = "estate.change_office"

ESTABLISHMENT_HEADERS = [
    "Code",
    "Name",
    "Prison group",
    "Status",
    "Type",
    "Categories",
    "Public or private",
    "Operational capacity",
    "Population",
    "Occupancy (%)",
]


# The columns of the establishment and group tables: (sort key, heading, numeric).
ESTABLISHMENT_COLUMNS = [
    ("name", "Name", False),
    ("group", "Prison group", False),
    ("type", "Type", False),
    ("capacity", "Capacity", True),
    ("population", "Population", True),
    ("occupancy", "Occupancy", True),
]
TABLE_COLUMNS = {
    "establishment_columns": ESTABLISHMENT_COLUMNS,
    "columns_without_group": [c for c in ESTABLISHMENT_COLUMNS if c[0] != "group"],
    "group_columns": [
        ("code", "Code", False),
        ("name", "Prison group", False),
        ("establishments", "Establishments", True),
        ("capacity", "Operational capacity", True),
        ("population", "Population", True),
        ("occupancy", "Occupancy", True),
    ],
}


def _establishment_sheet(title: str, rows: list[EstablishmentRow]) -> Sheet:
    return Sheet(
        title,
        ESTABLISHMENT_HEADERS,
        [
            [
                r.code,
                r.name,
                r.group_name,
                r.status_label,
                r.type_label,
                r.categories_label,
                r.operator_label,
                r.operational_capacity,
                r.population,
                r.occupancy_percent,
            ]
            for r in rows
        ],
    )


def _wants_xlsx(request) -> bool:
    return request.GET.get("format") == "xlsx"


def _sorting(request, sorts: dict, default: str = "name") -> tuple[str, bool]:
    sort = request.GET.get("sort", default)
    if sort not in sorts:
        sort = default
    return sort, request.GET.get("dir") == "desc"


def _unit_url(kind: str, code: str, *, prison: bool = True) -> str:
    if kind == UnitKind.NATION:
        return reverse("estate:nation" if prison else "estate:probation")
    name = {
        UnitKind.PRISON_GROUP: "estate:group",
        UnitKind.ESTABLISHMENT: "estate:establishment",
        UnitKind.PROBATION_REGION: "estate:region",
        UnitKind.PDU: "estate:pdu",
        UnitKind.OFFICE: "estate:office",
    }[kind]
    return reverse(name, args=[code])


def _breadcrumbs(user, permission: str, unit, ancestors) -> list[tuple[str, str]]:
    """Home, then each ancestor of `unit` the user may view. `ancestors` are (kind, code,
    text) from the nation down, already loaded, so this costs no query."""
    prison = permission == VIEW_PRISON
    crumbs = [("Home", reverse("home"))]
    for path, (kind, code, text) in zip(ancestor_paths(unit.path), ancestors, strict=True):
        if may_view_path(user, permission, kind, path):
            crumbs.append((text, _unit_url(kind, code, prison=prison)))
    return crumbs


def _nation_crumb(unit, permission: str) -> tuple[str, str, str]:
    text = "Prison estate" if permission == VIEW_PRISON else "Probation estate"
    return (UnitKind.NATION, unit.path.strip("/").split("/")[0], text)


# --- Home ----------------------------------------------------------------------------------


def _establishment_progression(user, scope, establishment) -> dict:
    """Where the establishment stands for the people who run it (editor, Governor), and the
    consultations waiting for its trade union representative."""
    if establishment is None:
        return {}
    if scope.role == Role.TRADE_UNION_REP:
        return {
            "consultations": home_pages.consultations_waiting(user, scope.unit_path),
            "stage_now": home_pages.establishment_stage(establishment),
        }
    if scope.role in (Role.ESTABLISHMENT_EDITOR, Role.GOVERNOR):
        return {"where_we_stand": home_pages.establishment_home(establishment)}
    return {}


@require_GET
def home(request):
    """The page made for the role the person is working in now."""
    user = request.user
    scope = current_scope(request)
    context: dict = {"scope": scope, **TABLE_COLUMNS}
    if scope is None:
        context["administrators"] = administrators()
        return render(request, "estate/home.html", {**context, "section": "no_access"})

    context["my_baselines"] = my_baselines(user)
    context["probation"] = probation_home(user, scope)
    within = SimpleNamespace(path=scope.unit_path)
    kind = scope.unit_kind
    if kind == UnitKind.ESTABLISHMENT:
        context["section"] = "establishment"
        context["establishment"] = (
            Establishment.objects.filter(unit_filter(user, VIEW_PRISON), pk=scope.unit_id)
            .select_related("parent")
            .first()
        )
        context["can_edit"] = allows(user, CHANGE_ESTABLISHMENT, context["establishment"])
        context.update(_establishment_progression(user, scope, context["establishment"]))
        # Backlogs: the return asked for now, due or late (backlogs part).
        context["return_due"] = return_due_for(user, context["establishment"])
        # Open data calls (backlogs: data calls and releases)
        if context["establishment"] is not None and scope.role in ESTABLISHMENT_KEEPERS:
            context["data_calls"] = open_calls_for(context["establishment"])
    elif kind == UnitKind.PRISON_GROUP:
        context.update(
            section="group",
            group_home=home_pages.group_home(
                user,
                SimpleNamespace(path=scope.unit_path, code=scope.unit_code),
                waiting=scope.role == Role.PGD,
            ),
        )
    elif kind == UnitKind.NATION and scope.role in PROBATION_ROLES:
        context.update(section="probation_nation", regions=region_rows(user, within))
    elif kind == UnitKind.NATION:
        context.update(
            section="nation",
            summary=prison_summary(user, within),
            centre=home_pages.centre_home(user, within),
            is_panel=scope.role == Role.CENTRAL_PANEL,
        )
    elif kind == UnitKind.PROBATION_REGION:
        context.update(section="region", pdus=pdu_rows(user, within))
    elif kind == UnitKind.PDU:
        context.update(section="pdu", offices=office_rows(user, within))
    else:
        context["section"] = "other"

    here = SimpleNamespace(kind=kind, path=scope.unit_path)
    context["links"] = [
        (text, reverse(url_name))
        for text, url_name, shown in (
            (
                "National prison estate",
                "estate:nation",
                allows(user, VIEW_PRISON, here) and kind == UnitKind.NATION,
            ),
            ("All establishments", "estate:establishments", allows(user, VIEW_PRISON)),
            (
                "National probation estate",
                "estate:probation",
                allows(user, VIEW_PROBATION, here) and kind == UnitKind.NATION,
            ),
        )
        if shown
    ]
    context["admin_links"] = [
        (text, reverse(url_name))
        for text, url_name, permission in (
            ("Manage users", "accounts:users", "accounts.manage_users"),
            ("Load the estate", "estate:import", "estate.import_estate"),
            ("Audit trail", "audit:trail", "audit.view_trail"),
        )
        if allows(user, permission)
    ]
    return render(request, "estate/home.html", context)


# --- Prison estate -------------------------------------------------------------------------


GROUP_HEADERS = [
    "Code",
    "Prison group",
    "Establishments",
    "Operational capacity",
    "Population",
    "Occupancy (%)",
    "Capacity not known (establishments)",
    "Population not known (establishments)",
]


@require_GET
def nation(request):
    """The national prison estate: only for people who hold the estate at the nation."""
    nation_unit = scoped_get_or_404(
        request.user, VIEW_PRISON, OrganisationUnit.objects.filter(kind=UnitKind.NATION)
    )
    summary = prison_summary(request.user, nation_unit)
    sort, descending = _sorting(request, GROUP_SORTS)
    groups = sort_rows(summary.groups, GROUP_SORTS, sort, descending)
    if _wants_xlsx(request):
        return xlsx_response(
            "prison-estate.xlsx",
            [
                Sheet(
                    "Prison groups",
                    GROUP_HEADERS,
                    [
                        [
                            g.code,
                            g.name,
                            g.establishments,
                            g.operational_capacity,
                            g.population,
                            g.occupancy_percent,
                            g.capacity_unknown,
                            g.population_unknown,
                        ]
                        for g in groups
                    ],
                ),
                Sheet("By type", ["Type", "Establishments"], summary.by_type),
            ],
        )
    return render(
        request,
        "estate/nation.html",
        {
            **TABLE_COLUMNS,
            "nation": nation_unit,
            "summary": summary,
            "groups": groups,
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


@require_GET
def group(request, code: str):
    group_unit = scoped_get_or_404(
        request.user,
        VIEW_PRISON,
        OrganisationUnit.objects.filter(kind=UnitKind.PRISON_GROUP),
        code=code,
    )
    sort, descending = _sorting(request, ESTABLISHMENT_SORTS)
    rows = establishment_rows(request.user, within=group_unit, sort=sort, descending=descending)
    if _wants_xlsx(request):
        return xlsx_response(
            f"{group_unit.code.lower()}-establishments.xlsx",
            [_establishment_sheet("Establishments", rows)],
        )
    return render(
        request,
        "estate/group.html",
        {
            **TABLE_COLUMNS,
            "group": group_unit,
            "rows": rows,
            "totals": totals_of(rows),
            "breadcrumbs": _breadcrumbs(
                request.user, VIEW_PRISON, group_unit, [_nation_crumb(group_unit, VIEW_PRISON)]
            ),
        },
    )


@require_GET
@require_permission(VIEW_PRISON)
def establishments(request):
    """Every establishment in the person's scope, filtered the MoJ way and sortable."""
    user = request.user
    groups = group_options(user)
    form = EstablishmentFilterForm(request.GET, groups=groups)
    filters = form.filters()
    sort, descending = _sorting(request, ESTABLISHMENT_SORTS)
    rows = establishment_rows(user, filters=filters, sort=sort, descending=descending)
    if _wants_xlsx(request):
        return xlsx_response("establishments.xlsx", [_establishment_sheet("Establishments", rows)])
    return render(
        request,
        "estate/establishments.html",
        {
            **TABLE_COLUMNS,
            "filter_form": form,
            "filters": filters,
            "group_choices": groups,
            "selected": _selected_filters(request, form, filters),
            "clear_href": _without_filters(request),
            "rows": rows,
            "totals": totals_of(rows),
            "sort": sort,
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


def _without_filters(request) -> str:
    params = request.GET.copy()
    for name in ("group", "type", "category", "operator", "q", "include_closed", "format"):
        params.pop(name, None)
    return "?" + params.urlencode() if params else request.path


def _selected_filters(request, form, filters) -> list[dict]:
    """The MoJ filter panel's "Selected filters": each a tag whose link removes it."""

    def without(name: str, value: str) -> str:
        params = request.GET.copy()
        params.setlist(name, [v for v in params.getlist(name) if v != value])
        params.pop("format", None)
        return "?" + params.urlencode()

    categories = []
    for name, heading, chosen in (
        ("group", "Prison group", filters.groups),
        ("type", "Type", filters.types),
        ("category", "Category", filters.categories),
        ("operator", "Public or private", filters.operators),
    ):
        labels = dict(form.fields[name].choices)
        items = [{"text": labels.get(v, v), "href": without(name, v)} for v in chosen]
        if items:
            categories.append({"heading": heading, "items": items})
    if filters.text:
        categories.append(
            {
                "heading": "Name or code",
                "items": [{"text": filters.text, "href": without("q", request.GET.get("q", ""))}],
            }
        )
    if filters.include_closed:
        categories.append(
            {
                "heading": "Closed establishments",
                "items": [{"text": "Included", "href": without("include_closed", INCLUDE_CLOSED)}],
            }
        )
    return categories


@require_GET
def establishment(request, code: str):
    est = scoped_get_or_404(
        request.user, VIEW_PRISON, Establishment.objects.select_related("parent"), code=code
    )
    return render(
        request,
        "estate/establishment.html",
        {
            "establishment": est,
            "can_edit": allows(request.user, CHANGE_ESTABLISHMENT, est),
            "may_see_covid": allows(request.user, "covid.view", est),
            "can_publish_note": allows(request.user, EDIT_NOTE, est),
            "breadcrumbs": _establishment_crumbs(request.user, est),
        },
    )


def _establishment_crumbs(user, est) -> list[tuple[str, str]]:
    return _breadcrumbs(
        user,
        VIEW_PRISON,
        est,
        [
            _nation_crumb(est, VIEW_PRISON),
            (UnitKind.PRISON_GROUP, est.parent.code, est.parent.name),
        ],
    )


def _edit(request, obj, *, form_class, action, template: str, object_url: str, extra: dict):
    """The edit page of a versioned unit, through the one door for edits (recovery.core.edits):
    a stale edit is refused and shown with what the other person changed, the person's own
    changes kept and every other field refreshed; a domain error is shown against its field."""
    outcome = edit_versioned(request, obj, form_class=form_class, action=action)
    if outcome.saved:
        if outcome.result:
            messages.success(request, f"The details of {obj.name} have been saved.")
        else:
            messages.info(request, f"You did not change any details of {obj.name}.")
        return redirect(object_url)
    return render(
        request,
        template,
        {**extra, "form": outcome.form, "stale": outcome.stale, "object_url": object_url},
    )


@require_http_methods(["GET", "POST"])
def establishment_edit(request, code: str):
    est = scoped_get_or_404(
        request.user,
        CHANGE_ESTABLISHMENT,
        Establishment.objects.select_related("parent"),
        code=code,
    )
    object_url = reverse("estate:establishment", args=[est.code])
    crumbs = _establishment_crumbs(request.user, est) + [(est.name, object_url)]
    return _edit(
        request,
        est,
        form_class=EstablishmentForm,
        action=do_update_establishment,
        template="estate/establishment_edit.html",
        object_url=object_url,
        extra={"establishment": est, "breadcrumbs": crumbs},
    )


# --- Probation estate ----------------------------------------------------------------------


@require_GET
def probation(request):
    """The national probation estate, for people who hold it at the nation."""
    nation_unit = scoped_get_or_404(
        request.user, VIEW_PROBATION, OrganisationUnit.objects.filter(kind=UnitKind.NATION)
    )
    regions = region_rows(request.user, nation_unit)
    if _wants_xlsx(request):
        return xlsx_response(
            "probation-estate.xlsx",
            [
                Sheet(
                    "Probation regions",
                    ["Code", "Region", "PDUs", "Offices", "Interview rooms"],
                    [[r.code, r.name, r.pdus, r.offices, r.interview_rooms] for r in regions],
                )
            ],
        )
    return render(
        request,
        "estate/probation.html",
        {
            "nation": nation_unit,
            "regions": regions,
            "totals": {
                "pdus": sum(r.pdus for r in regions),
                "offices": sum(r.offices for r in regions),
                "interview_rooms": sum(r.interview_rooms for r in regions),
            },
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


@require_GET
def region(request, code: str):
    region_unit = scoped_get_or_404(
        request.user,
        VIEW_PROBATION,
        OrganisationUnit.objects.filter(kind=UnitKind.PROBATION_REGION),
        code=code,
    )
    pdus = pdu_rows(request.user, region_unit)
    if _wants_xlsx(request):
        return xlsx_response(
            f"{region_unit.code.lower()}-pdus.xlsx",
            [
                Sheet(
                    "PDUs",
                    ["Code", "PDU", "Offices", "Interview rooms"],
                    [[p.code, p.name, p.offices, p.interview_rooms] for p in pdus],
                )
            ],
        )
    return render(
        request,
        "estate/region.html",
        {
            "region": region_unit,
            "pdus": pdus,
            "breadcrumbs": _breadcrumbs(
                request.user,
                VIEW_PROBATION,
                region_unit,
                [_nation_crumb(region_unit, VIEW_PROBATION)],
            ),
        },
    )


OFFICE_HEADERS = [
    "Code",
    "Office",
    "Interview rooms",
    "Opening hours",
    "Days open a week",
    "Hours open a week",
]


@require_GET
def pdu(request, code: str):
    pdu_unit = scoped_get_or_404(
        request.user,
        VIEW_PROBATION,
        OrganisationUnit.objects.filter(kind=UnitKind.PDU).select_related("parent"),
        code=code,
    )
    offices = office_rows(request.user, pdu_unit)
    if _wants_xlsx(request):
        return xlsx_response(
            f"{pdu_unit.code.lower()}-offices.xlsx",
            [
                Sheet(
                    "Offices",
                    OFFICE_HEADERS,
                    [
                        [
                            o.code,
                            o.name,
                            o.interview_rooms,
                            o.opening_hours,
                            o.days_open,
                            o.hours_open_a_week,
                        ]
                        for o in offices
                    ],
                )
            ],
        )
    region_unit = pdu_unit.parent
    return render(
        request,
        "estate/pdu.html",
        {
            "pdu": pdu_unit,
            "offices": offices,
            "interview_rooms": sum(o.interview_rooms for o in offices),
            "breadcrumbs": _breadcrumbs(
                request.user,
                VIEW_PROBATION,
                pdu_unit,
                [
                    _nation_crumb(pdu_unit, VIEW_PROBATION),
                    (UnitKind.PROBATION_REGION, region_unit.code, region_unit.name),
                ],
            ),
        },
    )


def _office_crumbs(user, office) -> list[tuple[str, str]]:
    pdu_unit = office.parent
    return _breadcrumbs(
        user,
        VIEW_PROBATION,
        office,
        [
            _nation_crumb(office, VIEW_PROBATION),
            (UnitKind.PROBATION_REGION, pdu_unit.parent.code, pdu_unit.parent.name),
            (UnitKind.PDU, pdu_unit.code, pdu_unit.name),
        ],
    )


@require_GET
def office(request, code: str):
    office_unit = scoped_get_or_404(
        request.user,
        VIEW_PROBATION,
        ProbationOffice.objects.select_related("parent__parent"),
        code=code,
    )
    return render(
        request,
        "estate/office.html",
        {
            "office": office_unit,
            "can_edit": allows(request.user, CHANGE_OFFICE, office_unit),
            "breadcrumbs": _office_crumbs(request.user, office_unit),
        },
    )


@require_http_methods(["GET", "POST"])
def office_edit(request, code: str):
    office_unit = scoped_get_or_404(
        request.user,
        CHANGE_OFFICE,
        ProbationOffice.objects.select_related("parent__parent"),
        code=code,
    )
    object_url = reverse("estate:office", args=[office_unit.code])
    crumbs = _office_crumbs(request.user, office_unit) + [(office_unit.name, object_url)]
    return _edit(
        request,
        office_unit,
        form_class=OfficeForm,
        action=do_update_office,
        template="estate/office_edit.html",
        object_url=object_url,
        extra={"office": office_unit, "breadcrumbs": crumbs},
    )


# --- History -------------------------------------------------------------------------------


@require_GET
def unit_history(request, code: str):
    """Every recorded change to one unit, newest first, wherever the unit itself is visible."""
    unit = visible_unit(request.user, code)
    if unit is None:
        raise Http404
    model = MODEL_BY_KIND.get(unit.kind)
    obj = model.objects.get(pk=unit.pk) if model else unit
    prison = allows(request.user, VIEW_PRISON, unit)
    unit_url = _unit_url(unit.kind, unit.code, prison=prison)
    return render(
        request,
        "estate/unit_history.html",
        {
            "unit": unit,
            "unit_url": unit_url,
            "history": object_history(obj),
            "breadcrumbs": [("Home", reverse("home")), (unit.name, unit_url)],
        },
    )
