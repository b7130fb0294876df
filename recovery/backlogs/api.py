"""Returns in the API: read an establishment's recent return periods with their status and
figures, and send or correct one period's return.

A return sent here goes through the same action as the return form
(recovery.backlogs.actions.do_enter_return), so it is checked the same way: a bad body answers
422 listing every problem, each where it is, and nothing is written; a return changed since the
`version` it was read at answers 409. The same scope as the returns pages: an establishment
outside the caller's scope answers 404, exactly as one that does not exist."""

import datetime

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import StrictFloat

from recovery.backlogs.actions import ReturnRefused, do_enter_return
from recovery.backlogs.constants import MetricUnit, ValueSource
from recovery.backlogs.queries import STATUS_LABELS, PeriodReturn, metrics_reported_by
from recovery.backlogs.queries import period_returns as read_period_returns
from recovery.backlogs.rules import EDIT_RETURNS, VIEW_BACKLOGS
from recovery.core.api import (
    MAX_INTEGER,
    NO_NUL_PATTERN,
    Body,
    BodyDate,
    BodyInt,
    answers,
    error_response,
    problems_response,
    unit_code,
)
from recovery.core.errors import DomainError, NotAllowed, StaleEditError
from recovery.core.views import scoped_get_or_404
from recovery.estate.models import Establishment

router = Router(tags=["Returns"])

EstablishmentCode = unit_code("establishment", "EST1")
# Every metric of the catalogue fits in one return (the catalogue holds about 60).
MAX_FIGURES = 500
STATUSES = ", ".join(f"`{key}` ({label.lower()})" for key, label in STATUS_LABELS.items())


class MetricOut(Schema):
    code: str = Field(description="The metric's code, as a figure names it")
    name: str = Field(description="The metric's name")
    unit: str = Field(description="What it counts: " + ", ".join(MetricUnit.values))


class FigureOut(Schema):
    metric: str = Field(description="The metric's code")
    value: float = Field(description="The figure")
    revision: int = Field(description="1 as first sent; one more for each correction")
    note: str = Field(description="The note sent with it; empty if none")


class PeriodOut(Schema):
    period_start: datetime.date = Field(description="The first day of the period")
    period_end: datetime.date = Field(description="The last day of the period")
    deadline: datetime.date = Field(description="The last day on which its return is on time")
    status: str = Field(description=f"What became of its return: {STATUSES}")
    version: int = Field(
        description="The return's version: send it back to change this period's return (0: "
        "none sent yet)"
    )
    submitted_at: datetime.datetime | None = Field(
        description="When the return was first sent; null if not sent"
    )
    figures: list[FigureOut] = Field(description="Its current figures, in catalogue order")


class ReturnsOut(Schema):
    establishment_code: str = Field(description="The establishment's code", examples=["EST1"])
    establishment_name: str = Field(description="The establishment's name")
    metrics: list[MetricOut] = Field(description="The metrics it reports, in catalogue order")
    periods: list[PeriodOut] = Field(description="The periods that have ended, newest first")


class ReturnsQuery(Schema):
    periods: int = Field(26, ge=1, le=520, description="How many periods to answer (1 to 520)")


class FigureIn(Body):
    metric: str = Field(
        max_length=60, pattern=NO_NUL_PATTERN, description="The code of a metric it reports"
    )
    value: StrictFloat = Field(
        description="The figure: 0 or more, at most 999,999,999,999.99, with no more than 2 "
        "decimal places; a percentage at most 100; people and cases whole numbers"
    )


class ReturnIn(Body):
    period_start: BodyDate = Field(
        description="The first day of a return period that has started, not before the first"
    )
    version: BodyInt = Field(
        ge=0,
        le=MAX_INTEGER,
        description="The version of the period's return you read (0 when none was sent)",
    )
    figures: list[FigureIn] = Field(
        max_length=MAX_FIGURES,
        description="The figures to send or correct, each metric once; a figure already sent "
        "and left out stays as it is",
    )


class ReturnWriteOut(Schema):
    period_start: datetime.date = Field(description="The first day of the period")
    version: int = Field(description="The return's version now (0: still none sent)")
    added: int = Field(description="How many figures were sent for the first time")
    corrected: int = Field(description="How many figures were corrected (a new revision each)")


def _period(row: PeriodReturn) -> PeriodOut:
    status = row.status
    return PeriodOut(
        period_start=status.period_start,
        period_end=status.period_end,
        deadline=status.deadline,
        status=status.status,
        version=row.version,
        submitted_at=status.submitted_at,
        figures=[
            FigureOut(metric=f.metric, value=float(f.value), revision=f.revision, note=f.note)
            for f in row.figures
        ],
    )


@router.get(
    "/establishments/{code}/returns",
    response=answers(ReturnsOut, 404, 422),
    operation_id="getReturns",
    summary="An establishment's returns",
    description="The metrics it reports and its last periods (26 unless `periods` says), "
    "newest first, each with its return's status, version and current figures. 404 when it "
    "is outside your scope.",
)
def get_returns(
    request: HttpRequest, code: Path[EstablishmentCode], query: Query[ReturnsQuery]
) -> ReturnsOut:
    establishment = scoped_get_or_404(
        request.auth,
        VIEW_BACKLOGS,
        Establishment.objects.all(),
        missing=f"No establishment with the code {code} in your scope.",
        code=code,
    )
    return ReturnsOut(
        establishment_code=establishment.code,
        establishment_name=establishment.name,
        metrics=[
            MetricOut(code=m.code, name=m.name, unit=m.unit)
            for m in metrics_reported_by(establishment)
        ],
        periods=[_period(row) for row in read_period_returns(establishment, count=query.periods)],
    )


def _problem(problem) -> dict:
    if problem.about == "period":
        return {"location": "body", "field": "period_start", "message": problem.message}
    return {
        "location": "body",
        "field": f"figures.{problem.index}.{problem.about}",
        "message": problem.message,
    }


@router.post(
    "/establishments/{code}/returns",
    response=answers(ReturnWriteOut, 403, 404, 409, 422),
    operation_id="sendReturn",
    summary="Send or correct a return",
    description="Send figures for one period, or correct figures already sent (each correction "
    "a new revision; the old figure is kept). Checked as the return form checks them: if "
    "anything is wrong, 422 lists every problem and nothing is written; if the period's return "
    "changed since the `version` you read, 409 and nothing is written. 404 when it is not an "
    "establishment whose returns you may send.",
)
def send_return(request: HttpRequest, code: Path[EstablishmentCode], payload: ReturnIn):
    establishment = scoped_get_or_404(
        request.auth,
        EDIT_RETURNS,
        Establishment.objects.all(),
        missing=f"No establishment with the code {code} whose returns you may send.",
        code=code,
    )
    try:
        write = do_enter_return(
            establishment,
            payload.period_start,
            [(figure.metric, figure.value) for figure in payload.figures],
            expected_version=payload.version,
            acting_user=request.auth,
            source=ValueSource.API,
        )
    except StaleEditError as error:
        raise HttpError(409, error.in_words()) from error
    except NotAllowed as error:
        return error_response(403, error.message)
    except ReturnRefused as error:
        return problems_response([_problem(p) for p in error.problems], detail=error.message)
    except DomainError as error:
        return problems_response(
            [{"location": "body", "field": error.field or "", "message": error.message}],
            detail=error.message,
        )
    record = write.record
    return ReturnWriteOut(
        period_start=payload.period_start,
        version=record.version if record.pk else 0,
        added=write.added,
        corrected=write.corrected,
    )
