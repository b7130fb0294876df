"""The estate in the API: establishments, prison groups, probation regions, PDUs and offices.

The same scope rules as the pages: a list holds only the rows within the caller's scope (403
when the caller may not see that part of the estate at all); a URL naming an object outside the
caller's scope answers 404, exactly as one naming nothing, so nothing about other organisations
leaks. Each endpoint makes a fixed number of queries whatever the size of the estate."""

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from recovery.core.api import UNIT_CODE_PATTERN, ClockTime, Page, answers, unit_code
from recovery.core.constants import UnitKind
from recovery.core.pages import page
from recovery.core.scope import allows, unit_filter
from recovery.core.views import scoped_get_or_404
from recovery.estate.constants import Category, EstablishmentStatus, EstablishmentType, Operator
from recovery.estate.models import Establishment, OrganisationUnit, ProbationOffice
from recovery.estate.queries import has_category

VIEW_PRISONS = "estate.view_prison_estate"
VIEW_PROBATION = "estate.view_probation_estate"

router = Router(tags=["Estate"])


# --- What the API answers ---------------------------------------------------------------------


class UnitRef(Schema):
    code: str = Field(description="The unit's code, as used in the API's URLs", examples=["GRP1"])
    name: str = Field(description="The unit's name")


class EstablishmentOut(Schema):
    code: str = Field(description="The establishment's code", examples=["EST1"])
    name: str = Field(description="The establishment's name", examples=["HMP Ashgrove"])
    type: EstablishmentType = Field(description="The kind of establishment")
    type_label: str = Field(description="The kind of establishment as people read it")
    status: EstablishmentStatus = Field(
        description="Open, or closed: a closed establishment keeps its history and plans but "
        "is left out of lists unless asked for"
    )
    categories: list[Category] = Field(
        description="Security categories it holds, in category order; empty when not recorded"
    )
    categories_label: str = Field(
        description="The categories as people read them", examples=["B, C"]
    )
    category: str = Field(
        description="Deprecated: the first of `categories`; empty when none is recorded"
    )
    operator: Operator = Field(description="Whether it is run publicly or privately")
    operational_capacity: int | None = Field(
        description="How many people it can safely hold; null when not known"
    )
    population: int | None = Field(description="How many people it holds now; null when not known")
    occupancy_percent: int | None = Field(
        description="Population as a percentage of capacity; null when either is not known"
    )
    youth_custody: bool = Field(description="Whether it is part of the youth secure estate")
    group: UnitRef = Field(description="The prison group it belongs to")
    version: int = Field(description="Goes up by one each time its details change")


class EstablishmentPage(Schema):
    count: int = Field(description="How many establishments match, across all pages")
    limit: int = Field(description="The most items this page may hold")
    offset: int = Field(description="How many matching establishments come before this page")
    items: list[EstablishmentOut] = Field(description="This page's establishments, by name")


class EstablishmentFilters(Page):
    group: str | None = Field(
        None, pattern=UNIT_CODE_PATTERN, description="Only this prison group's (its code)"
    )
    type: EstablishmentType | None = Field(None, description="Only this kind of establishment")
    category: Category | None = Field(None, description="Only those holding this category")
    operator: Operator | None = Field(None, description="Only publicly or privately run ones")
    include_closed: bool = Field(False, description="Closed establishments too")


EstablishmentCode = unit_code("establishment", "EST1")
GroupCode = unit_code("prison group", "GRP1")
RegionCode = unit_code("probation region", "REG1")
PduCode = unit_code("probation delivery unit", "PDU1")
OfficeCode = unit_code("probation office", "OFF1")


class PrisonGroupSummary(Schema):
    code: str = Field(description="The prison group's code", examples=["GRP1"])
    name: str = Field(description="The prison group's name")
    establishment_count: int = Field(description="How many open establishments it has")


class PrisonGroupOut(Schema):
    code: str = Field(description="The prison group's code", examples=["GRP1"])
    name: str = Field(description="The prison group's name")
    establishments: list[EstablishmentOut] = Field(
        description="Its open establishments, by name (closed ones are listed by "
        "/establishments?group=CODE&include_closed=true)"
    )


class PduSummary(Schema):
    code: str = Field(description="The probation delivery unit's code", examples=["PDU1"])
    name: str = Field(description="The probation delivery unit's name")
    office_count: int = Field(description="How many offices it has")


class ProbationRegionSummary(Schema):
    code: str = Field(description="The probation region's code", examples=["REG1"])
    name: str = Field(description="The probation region's name")
    pdu_count: int = Field(description="How many probation delivery units it has")


class ProbationRegionOut(Schema):
    code: str = Field(description="The probation region's code", examples=["REG1"])
    name: str = Field(description="The probation region's name")
    pdus: list[PduSummary] = Field(description="Its probation delivery units, by name")


class OfficeOut(Schema):
    code: str = Field(description="The office's code", examples=["OFF1"])
    name: str = Field(description="The office's name")
    interview_rooms: int = Field(description="Rooms available for supervision appointments")
    opens_at: ClockTime = Field(description="Opening time, local time (HH:MM:SS)")
    closes_at: ClockTime = Field(description="Closing time, local time (HH:MM:SS)")
    days_open: int = Field(description="Days open a week (1 to 7)")
    hours_open_a_week: float = Field(description="Opening hours a week")
    pdu: UnitRef = Field(description="The probation delivery unit it belongs to")
    region: UnitRef = Field(description="The probation region it belongs to")
    version: int = Field(description="Goes up by one each time its details change")


class PduOut(Schema):
    code: str = Field(description="The probation delivery unit's code", examples=["PDU1"])
    name: str = Field(description="The probation delivery unit's name")
    region: UnitRef = Field(description="The probation region it belongs to")
    offices: list[OfficeOut] = Field(description="Its offices, by name")


def _ref(unit: OrganisationUnit) -> UnitRef:
    return UnitRef(code=unit.code, name=unit.name)


def _establishment(e: Establishment, group: OrganisationUnit | None = None) -> EstablishmentOut:
    return EstablishmentOut(
        code=e.code,
        name=e.name,
        type=e.establishment_type,
        type_label=e.get_establishment_type_display(),
        status=e.status,
        categories=e.categories,
        categories_label=e.categories_label,
        category=e.categories[0] if e.categories else "",
        operator=e.operator,
        operational_capacity=e.operational_capacity,
        population=e.population,
        occupancy_percent=e.occupancy_percent,
        youth_custody=e.is_youth_custody,
        group=_ref(group or e.parent),
        version=e.version,
    )


def _office(
    o: ProbationOffice, pdu: OrganisationUnit | None = None, region: OrganisationUnit | None = None
) -> OfficeOut:
    pdu = pdu or o.parent
    return OfficeOut(
        code=o.code,
        name=o.name,
        interview_rooms=o.interview_rooms,
        opens_at=o.opens_at,
        closes_at=o.closes_at,
        days_open=o.days_open,
        hours_open_a_week=o.hours_open_a_week,
        pdu=_ref(pdu),
        region=_ref(region or pdu.parent),
        version=o.version,
    )


# --- Scoped reads -----------------------------------------------------------------------------


def _require(user, permission: str) -> None:
    """A list the caller may never see answers 403: that the list exists is no secret."""
    if not allows(user, permission):
        raise HttpError(403, "You do not have access to this part of the estate.")


def _units(user, permission: str, kind: str) -> QuerySet[OrganisationUnit]:
    return OrganisationUnit.objects.filter(unit_filter(user, permission), kind=kind)


def _establishments(user) -> QuerySet[Establishment]:
    return (
        Establishment.objects.filter(unit_filter(user, VIEW_PRISONS))
        .select_related("parent")
        .order_by("name", "code")
    )


# --- Endpoints --------------------------------------------------------------------------------


@router.get(
    "/establishments",
    response=answers(EstablishmentPage, 403, 422),
    operation_id="listEstablishments",
    summary="Establishments",
    description="The establishments within your scope, by name, a page at a time. Closed "
    "establishments only with include_closed=true.",
)
def list_establishments(
    request: HttpRequest, filters: Query[EstablishmentFilters]
) -> EstablishmentPage:
    _require(request.auth, VIEW_PRISONS)
    rows = _establishments(request.auth)
    if not filters.include_closed:
        rows = rows.filter(status=EstablishmentStatus.OPEN)
    if filters.category:
        rows = rows.filter(has_category([filters.category]))
    if filters.group:
        rows = rows.filter(parent__code=filters.group)
    if filters.type:
        rows = rows.filter(establishment_type=filters.type)
    if filters.operator:
        rows = rows.filter(operator=filters.operator)
    window = rows[filters.offset : filters.offset + filters.limit]
    return EstablishmentPage(
        count=rows.count(),
        limit=filters.limit,
        offset=filters.offset,
        items=[_establishment(e) for e in window],
    )


@router.get(
    "/establishments/{code}",
    response=answers(EstablishmentOut, 404, 422),
    operation_id="getEstablishment",
    summary="One establishment",
    description="404 when there is no such establishment or it is outside your scope.",
)
def get_establishment(request: HttpRequest, code: Path[EstablishmentCode]) -> EstablishmentOut:
    return _establishment(
        scoped_get_or_404(
            request.auth,
            VIEW_PRISONS,
            _establishments(request.auth),
            missing=f"No establishment with the code {code} in your scope.",
            code=code,
        )
    )


@router.get(
    "/prison-groups",
    response=answers(list[PrisonGroupSummary], 403),
    operation_id="listPrisonGroups",
    summary="Prison groups",
    description="The prison groups within your scope, by name.",
)
def list_prison_groups(request: HttpRequest) -> list[PrisonGroupSummary]:
    _require(request.auth, VIEW_PRISONS)
    groups = _units(request.auth, VIEW_PRISONS, UnitKind.PRISON_GROUP).annotate(
        establishment_count=Count(
            "children",
            filter=Q(children__establishment__status=EstablishmentStatus.OPEN),
        )
    )
    return [
        PrisonGroupSummary(code=g.code, name=g.name, establishment_count=g.establishment_count)
        for g in groups.order_by("name", "code")
    ]


@router.get(
    "/prison-groups/{code}",
    response=answers(PrisonGroupOut, 404, 422),
    operation_id="getPrisonGroup",
    summary="One prison group, with its establishments",
    description="404 when there is no such prison group or it is outside your scope.",
)
def get_prison_group(request: HttpRequest, code: Path[GroupCode]) -> PrisonGroupOut:
    group = scoped_get_or_404(
        request.auth,
        VIEW_PRISONS,
        OrganisationUnit.objects.filter(kind=UnitKind.PRISON_GROUP),
        missing=f"No prison group with the code {code} in your scope.",
        code=code,
    )
    establishments = Establishment.objects.filter(
        parent=group, status=EstablishmentStatus.OPEN
    ).order_by("name", "code")
    return PrisonGroupOut(
        code=group.code,
        name=group.name,
        establishments=[_establishment(e, group) for e in establishments],
    )


@router.get(
    "/probation-regions",
    response=answers(list[ProbationRegionSummary], 403),
    operation_id="listProbationRegions",
    summary="Probation regions",
    description="The probation regions within your scope, by name.",
)
def list_probation_regions(request: HttpRequest) -> list[ProbationRegionSummary]:
    _require(request.auth, VIEW_PROBATION)
    regions = _units(request.auth, VIEW_PROBATION, UnitKind.PROBATION_REGION).annotate(
        pdu_count=Count("children")
    )
    return [
        ProbationRegionSummary(code=r.code, name=r.name, pdu_count=r.pdu_count)
        for r in regions.order_by("name", "code")
    ]


@router.get(
    "/probation-regions/{code}",
    response=answers(ProbationRegionOut, 404, 422),
    operation_id="getProbationRegion",
    summary="One probation region, with its probation delivery units",
    description="404 when there is no such probation region or it is outside your scope.",
)
def get_probation_region(request: HttpRequest, code: Path[RegionCode]) -> ProbationRegionOut:
    region = scoped_get_or_404(
        request.auth,
        VIEW_PROBATION,
        OrganisationUnit.objects.filter(kind=UnitKind.PROBATION_REGION),
        missing=f"No probation region with the code {code} in your scope.",
        code=code,
    )
    pdus = (
        OrganisationUnit.objects.filter(parent=region, kind=UnitKind.PDU)
        .annotate(office_count=Count("children"))
        .order_by("name", "code")
    )
    return ProbationRegionOut(
        code=region.code,
        name=region.name,
        pdus=[PduSummary(code=p.code, name=p.name, office_count=p.office_count) for p in pdus],
    )


@router.get(
    "/pdus/{code}",
    response=answers(PduOut, 404, 422),
    operation_id="getPdu",
    summary="One probation delivery unit, with its offices",
    description="404 when there is no such probation delivery unit or it is outside your scope.",
)
def get_pdu(request: HttpRequest, code: Path[PduCode]) -> PduOut:
    pdu = scoped_get_or_404(
        request.auth,
        VIEW_PROBATION,
        OrganisationUnit.objects.filter(kind=UnitKind.PDU).select_related("parent"),
        missing=f"No probation delivery unit with the code {code} in your scope.",
        code=code,
    )
    offices = ProbationOffice.objects.filter(parent=pdu).order_by("name", "code")
    return PduOut(
        code=pdu.code,
        name=pdu.name,
        region=_ref(pdu.parent),
        offices=[_office(o, pdu, pdu.parent) for o in offices],
    )


@router.get(
    "/offices/{code}",
    response=answers(OfficeOut, 404, 422),
    operation_id="getOffice",
    summary="One probation office",
    description="404 when there is no such probation office or it is outside your scope.",
)
def get_office(request: HttpRequest, code: Path[OfficeCode]) -> OfficeOut:
    return _office(
        scoped_get_or_404(
            request.auth,
            VIEW_PROBATION,
            ProbationOffice.objects.select_related("parent__parent"),
            missing=f"No probation office with the code {code} in your scope.",
            code=code,
        )
    )


# Declared for the permission-matrix test, which tries every role against each of these.
page("api:GET /api/v1/establishments", VIEW_PRISONS)
page("api:GET /api/v1/establishments/{code}", VIEW_PRISONS, "establishment")
page("api:GET /api/v1/prison-groups", VIEW_PRISONS)
page("api:GET /api/v1/prison-groups/{code}", VIEW_PRISONS, "group")
page("api:GET /api/v1/probation-regions", VIEW_PROBATION)
page("api:GET /api/v1/probation-regions/{code}", VIEW_PROBATION, "region")
page("api:GET /api/v1/pdus/{code}", VIEW_PROBATION, "pdu")
page("api:GET /api/v1/offices/{code}", VIEW_PROBATION, "office")
