"""Covid controls in the API: the establishments in your scope with their outbreak status, one
establishment's controls (outbreak register, coverage, PPE stock against need), and declaring
an outbreak.

The same scope rules as the pages: a list holds only establishments within the caller's scope
(403 when the caller may not read Covid controls anywhere); a URL naming an establishment
outside it answers 404, exactly as one naming nothing."""

import datetime

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from recovery.core.api import (
    MAX_INTEGER,
    Body,
    BodyDate,
    BodyInt,
    Page,
    answers,
    error_response,
    problems_response,
    text,
    unit_code,
)
from recovery.core.errors import DomainError, NotAllowed
from recovery.core.scope import allows
from recovery.core.views import scoped_get_or_404
from recovery.covid.actions import do_declare_outbreak
from recovery.covid.checks import NOTES_MAX
from recovery.covid.models import Outbreak
from recovery.covid.queries import CovidPicture, controls_of, covid_rows, establishments_in_scope
from recovery.covid.rules import EDIT_COVID, VIEW_COVID
from recovery.estate.models import Establishment

router = Router(tags=["Covid controls"])

EstablishmentCode = unit_code("establishment", "EST1")


class OutbreakOut(Schema):
    id: int = Field(description="The outbreak's id")
    declared_on: datetime.date = Field(description="When it was declared")
    declared_by: str = Field(description="Who declared it")
    ended_on: datetime.date | None = Field(
        description="The first day out of outbreak; null while it is open"
    )
    ended_by: str = Field(description="Who ended it; empty while it is open")
    cases_staff: int | None = Field(description="Staff cases; null when not known")
    cases_prisoners: int | None = Field(description="Prisoner cases; null when not known")
    notes: str = Field(description="Notes")


class PpeOut(Schema):
    item: str = Field(description="The item's code")
    label: str = Field(description="The item as people read it")
    in_stock: int | None = Field(description="How many are in stock; null when not counted")
    needed: int | None = Field(description="How many are needed; null when not counted")
    short_by: int = Field(description="How far stock is below need (0 when it is not)")
    counted_on: datetime.date | None = Field(description="When it was counted")


class CoverageOut(Schema):
    as_of: datetime.date | None = Field(description="The date of the figures")
    staff_tested_percent: int | None = Field(description="Staff tested (%), null if not known")
    prisoners_tested_percent: int | None = Field(description="Prisoners tested (%)")
    staff_vaccinated_percent: int | None = Field(description="Staff vaccinated (%)")
    prisoners_vaccinated_percent: int | None = Field(description="Prisoners vaccinated (%)")


class CovidControlsOut(Schema):
    establishment_code: str = Field(description="The establishment's code", examples=["EST1"])
    establishment_name: str = Field(description="The establishment's name")
    in_outbreak: bool = Field(description="Whether an outbreak is open")
    open_outbreak: OutbreakOut | None = Field(description="The open outbreak, if any")
    outbreaks: list[OutbreakOut] = Field(description="The outbreak register, newest first")
    coverage: CoverageOut = Field(description="Testing and vaccination coverage")
    contact_tracing_lead: str = Field(description="Who leads contact tracing; empty if not given")
    contingency_plan_reviewed_on: datetime.date | None = Field(
        description="When the outbreak and contingency plan was last reviewed"
    )
    ppe: list[PpeOut] = Field(description="Every PPE item, counted or not")
    ppe_items_short: int = Field(description="How many items are below need")


class CovidSummaryOut(Schema):
    establishment_code: str = Field(description="The establishment's code", examples=["EST1"])
    establishment_name: str = Field(description="The establishment's name")
    group_name: str = Field(description="Its prison group")
    in_outbreak_since: datetime.date | None = Field(
        description="When its open outbreak was declared; null when not in outbreak"
    )
    ppe_items_short: int = Field(description="How many PPE items are below need")
    contingency_plan_reviewed_on: datetime.date | None = Field(
        description="When the outbreak and contingency plan was last reviewed"
    )


class CovidPage(Schema):
    count: int = Field(description="How many establishments match, across all pages")
    limit: int = Field(description="The most items this page may hold")
    offset: int = Field(description="How many matching establishments come before this page")
    items: list[CovidSummaryOut] = Field(description="This page's establishments, by name")


class OutbreakIn(Body):
    declared_on: BodyDate = Field(description="When it was declared: today or earlier")
    cases_staff: BodyInt | None = Field(None, ge=0, le=MAX_INTEGER, description="Staff cases")
    cases_prisoners: BodyInt | None = Field(
        None, ge=0, le=MAX_INTEGER, description="Prisoner cases"
    )
    notes: str | None = text("Notes", NOTES_MAX)


def _outbreak(o: Outbreak) -> OutbreakOut:
    return OutbreakOut(
        id=o.pk,
        declared_on=o.declared_on,
        declared_by=o.declared_by_name,
        ended_on=o.ended_on,
        ended_by=o.ended_by_name,
        cases_staff=o.cases_staff,
        cases_prisoners=o.cases_prisoners,
        notes=o.notes,
    )


def _controls(picture: CovidPicture) -> CovidControlsOut:
    c = picture.coverage
    return CovidControlsOut(
        establishment_code=picture.establishment.code,
        establishment_name=picture.establishment.name,
        in_outbreak=picture.in_outbreak,
        open_outbreak=_outbreak(picture.open_outbreak) if picture.open_outbreak else None,
        outbreaks=[_outbreak(o) for o in picture.outbreaks],
        coverage=CoverageOut(
            as_of=c.as_of,
            staff_tested_percent=c.staff_tested,
            prisoners_tested_percent=c.prisoners_tested,
            staff_vaccinated_percent=c.staff_vaccinated,
            prisoners_vaccinated_percent=c.prisoners_vaccinated,
        ),
        contact_tracing_lead=picture.contact_tracing_lead,
        contingency_plan_reviewed_on=picture.contingency_plan_reviewed_on,
        ppe=[
            PpeOut(
                item=line.item,
                label=line.label,
                in_stock=line.in_stock,
                needed=line.needed,
                short_by=line.short_by,
                counted_on=line.counted_on,
            )
            for line in picture.ppe
        ],
        ppe_items_short=len(picture.ppe_short),
    )


@router.get(
    "/covid",
    response=answers(CovidPage, 403, 422),
    operation_id="listCovidControls",
    summary="Covid controls in your scope",
    description="The open establishments within your scope, by name, a page at a time: whether "
    "each is in outbreak, how many PPE items are below need, when its plan was last reviewed.",
)
def list_covid(request: HttpRequest, page: Query[Page]) -> CovidPage:
    if not allows(request.auth, VIEW_COVID):
        raise HttpError(403, "You do not have access to Covid controls.")
    rows = establishments_in_scope(request.auth)
    window = list(rows[page.offset : page.offset + page.limit])
    return CovidPage(
        count=rows.count(),
        limit=page.limit,
        offset=page.offset,
        items=[
            CovidSummaryOut(
                establishment_code=r.code,
                establishment_name=r.name,
                group_name=r.group_name,
                in_outbreak_since=r.open_outbreak_declared_on,
                ppe_items_short=r.ppe_items_short,
                contingency_plan_reviewed_on=r.contingency_plan_reviewed_on,
            )
            for r in covid_rows(window)
        ],
    )


@router.get(
    "/covid/{code}",
    response=answers(CovidControlsOut, 404, 422),
    operation_id="getCovidControls",
    summary="An establishment's Covid controls",
    description="Its outbreak register, testing and vaccination coverage, PPE stock against "
    "need, contact-tracing lead and plan review. 404 when it is outside your scope.",
)
def get_covid(request: HttpRequest, code: Path[EstablishmentCode]) -> CovidControlsOut:
    establishment = scoped_get_or_404(
        request.auth,
        VIEW_COVID,
        Establishment.objects.all(),
        missing=f"No establishment with the code {code} in your scope.",
        code=code,
    )
    return _controls(controls_of(establishment))


@router.post(
    "/covid/{code}/outbreaks",
    response=answers(OutbreakOut, 403, 404, 422),
    operation_id="declareOutbreak",
    summary="Declare an outbreak",
    description="Declare an outbreak at the establishment. Refused (422) while another is open, "
    "or for a date in the future. Above the lockdown stage, a move back one stage is proposed "
    "and the Prison Group Director is told. 404 when it is not an establishment whose Covid "
    "controls you may record.",
)
def declare_outbreak(request: HttpRequest, code: Path[EstablishmentCode], payload: OutbreakIn):
    establishment = scoped_get_or_404(
        request.auth,
        EDIT_COVID,
        Establishment.objects.all(),
        missing=f"No establishment with the code {code} whose Covid controls you may record.",
        code=code,
    )
    try:
        outbreak = do_declare_outbreak(
            establishment,
            declared_on=payload.declared_on,
            cases_staff=payload.cases_staff,
            cases_prisoners=payload.cases_prisoners,
            notes=payload.notes or "",
            acting_user=request.auth,
        )
    except NotAllowed as error:
        return error_response(403, error.message)
    except DomainError as error:
        return problems_response(
            [{"location": "body", "field": error.field or "", "message": error.message}],
            detail=error.message,
        )
    return _outbreak(outbreak)
