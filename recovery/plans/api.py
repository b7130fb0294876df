"""Regime Recovery Plans in the API: read the plans in your scope, and update answers with the
version each was read at (a stale one is refused, never overwritten).

The same scope rules as the pages: a list holds only plans within the caller's scope; a URL
naming an establishment outside it answers 404, exactly as one naming nothing."""

import datetime

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from recovery.core.api import (
    MAX_BIG_INTEGER,
    MAX_INTEGER,
    NO_NUL_PATTERN,
    Body,
    BodyBool,
    BodyDate,
    BodyInt,
    answers,
    error_response,
    problems_response,
    text,
    unit_code,
)
from recovery.core.edits import check_one_edit_each
from recovery.core.errors import DomainError, NotAllowed, StaleEditError
from recovery.core.scope import allows, unit_filter
from recovery.core.views import scoped_get_or_404
from recovery.estate.models import Establishment
from recovery.plans.actions import update_response_in_transaction
from recovery.plans.checks import TEXT_LIMITS
from recovery.plans.constants import ResponseStatus
from recovery.plans.models import Response
from recovery.plans.progress import Item
from recovery.plans.queries import (
    ProgressSummary,
    ResponseRow,
    establishment_progress,
    establishments_in_scope,
    plan_page,
    plans_of_establishment,
    weight_of,
)
from recovery.plans.rules import EDIT_PLAN, VIEW_PLAN

router = Router(tags=["Regime Recovery Plans"])

EstablishmentCode = unit_code("establishment", "EST1")
# A plan with 1,200 baselines can be answered in one request.
MAX_UPDATES = 2000


class ProgressOut(Schema):
    met_weight: int = Field(description="The weight of the baselines met")
    applicable_weight: int = Field(description="The weight of the baselines that apply")
    percent: int | None = Field(description="Met weight as a percentage; null if none applies")


class SummaryOut(Schema):
    mandatory: ProgressOut = Field(description="Weighted progress of the mandatory baselines")
    desirable: ProgressOut = Field(description="Weighted progress of the desirable baselines")
    overall: ProgressOut = Field(description="Weighted progress of all baselines")
    next: int = Field(description="Baselines to work on next")
    waiting_on_precursors: int = Field(description="Baselines waiting on weighting 3 ones")
    overdue: int = Field(description="Baselines not done by their target date")
    needs_review: int = Field(description="Answers to check against a newer EDM version")


class PlanSummaryOut(Schema):
    establishment_code: str = Field(description="The establishment's code", examples=["EST1"])
    establishment_name: str = Field(description="The establishment's name")
    stage: int | None = Field(description="The target stage of its latest plan; null if none")
    summary: SummaryOut | None = Field(description="Its latest plan's progress; null if none")


class ResponseOut(Schema):
    id: int = Field(description="The answer's id, for updates")
    version: int = Field(description="Send it back with an update: a stale one is refused")
    edm: int = Field(description="The EDM's number")
    baseline: str = Field(description="The baseline's number, as printed", examples=["3.1"])
    identifier: str = Field(description="The baseline's stable identifier across versions")
    requirement: str = Field(description="What the baseline requires")
    weighting: int | None = Field(
        description="3 a precursor, 2 part of wider work, 1 once others are done"
    )
    mandatory: bool = Field(description="Mandatory (true) or desirable (false)")
    autonomy: str = Field(description="total, partial or limited")
    options: list[str] = Field(description="The options a partial baseline offers")
    status: ResponseStatus = Field(description="Where the answer stands")
    not_applicable_reason: str = Field(description="Why it does not apply, when it does not")
    chosen_option: str = Field(description="The option chosen, for a partial baseline")
    compliance_confirmed: bool = Field(
        description="For a limited baseline: delivered as stipulated"
    )
    approach: str = Field(description="How the establishment will meet the baseline")
    owner: str = Field(description="Who is responsible")
    target_date: datetime.date | None = Field(description="When it should be met")
    sequence: str = Field(description="done, next, waiting (on precursors) or later")
    overdue: bool = Field(description="Not done and past its target date")
    needs_review: bool = Field(description="The baseline changed in a newer EDM version")
    review_note: str = Field(description="What changed, when it needs review")
    archived: bool = Field(description="The baseline was removed; the answer is kept")
    evidence_count: int = Field(description="How many pieces of evidence it has")


class PlanOut(Schema):
    stage: int = Field(description="The stage the plan is for")
    edms: list[str] = Field(description="The EDM versions the plan answers")
    summary: SummaryOut = Field(description="Weighted progress and counts")
    responses: list[ResponseOut] = Field(description="Every answer, archived ones last")


class EstablishmentPlansOut(Schema):
    establishment_code: str = Field(description="The establishment's code", examples=["EST1"])
    establishment_name: str = Field(description="The establishment's name")
    plans: list[PlanOut] = Field(description="Its plans, newest first")


class ResponseUpdate(Body):
    id: BodyInt = Field(ge=1, le=MAX_BIG_INTEGER, description="The answer to change")
    version: BodyInt = Field(ge=1, le=MAX_INTEGER, description="The version the answer was read at")
    status: ResponseStatus | None = Field(None, description="The new status")
    not_applicable_reason: str | None = text(
        "Why it does not apply (with status not_applicable)", TEXT_LIMITS["not_applicable_reason"]
    )
    chosen_option: str | None = text(
        "One of a partial baseline's options", TEXT_LIMITS["chosen_option"]
    )
    compliance_confirmed: BodyBool | None = Field(
        None, description="For a limited baseline: delivered as stipulated"
    )
    approach: str | None = text("How the baseline will be met", TEXT_LIMITS["approach"])
    owner: str | None = text("Who is responsible", TEXT_LIMITS["owner"])
    target_date: BodyDate | None = Field(None, description="When it should be met")
    clear_target_date: BodyBool = Field(False, description="Remove the target date")
    assignee: str | None = Field(
        None,
        max_length=254,
        pattern=NO_NUL_PATTERN,
        description="Assign the baseline to this person: the e-mail address they sign in with. "
        "They must have an active account and hold a role at the establishment itself "
        "(422 otherwise); they are told by e-mail.",
        examples=["erin.editing@example.org"],
    )
    clear_assignee: BodyBool = Field(False, description="Assign the baseline to nobody")
    needs_review: BodyBool | None = Field(None, description="false: the answer has been reviewed")


class ResponsesPatch(Body):
    updates: list[ResponseUpdate] = Field(
        max_length=MAX_UPDATES,
        description=f"Applied together, or not at all; at most {MAX_UPDATES}, one per answer",
    )


class ChangedAnswerOut(Schema):
    id: int = Field(description="The answer's id")
    version: int = Field(description="Its new version: send it with the next update")
    edm: int = Field(description="The EDM's number")
    baseline: str = Field(description="The baseline's number, as printed", examples=["3.1"])
    identifier: str = Field(description="The baseline's stable identifier across versions")
    status: ResponseStatus = Field(description="Where the answer stands")
    not_applicable_reason: str = Field(description="Why it does not apply, when it does not")
    chosen_option: str = Field(description="The option chosen, for a partial baseline")
    compliance_confirmed: bool = Field(
        description="For a limited baseline: delivered as stipulated"
    )
    approach: str = Field(description="How the establishment will meet the baseline")
    owner: str = Field(description="Who is responsible")
    target_date: datetime.date | None = Field(description="When it should be met")
    assignee: str | None = Field(
        description="The e-mail address of the person it is assigned to; null for nobody"
    )
    overdue: bool = Field(description="Not done and past its target date")
    needs_review: bool = Field(description="The baseline changed in a newer EDM version")
    review_note: str = Field(description="What changed, when it needs review")


class PatchResult(Schema):
    changed: list[ChangedAnswerOut] = Field(
        description="The answers the request changed, as stored now, in the order of the "
        "updates. An update that changed nothing is left out: the version you hold is still "
        "current. The order of work and the plan's progress can move for other answers too: "
        "read them with getEstablishmentPlans."
    )


def _progress(p) -> ProgressOut:
    return ProgressOut(
        met_weight=p.met_weight, applicable_weight=p.applicable_weight, percent=p.percent
    )


def _summary(s: ProgressSummary) -> SummaryOut:
    return SummaryOut(
        mandatory=_progress(s.mandatory),
        desirable=_progress(s.desirable),
        overall=_progress(s.overall),
        next=s.next_count,
        waiting_on_precursors=s.waiting_count,
        overdue=s.overdue_count,
        needs_review=s.review_count,
    )


def _response(row: ResponseRow) -> ResponseOut:
    return ResponseOut(
        id=row.id,
        version=row.version,
        edm=row.edm_number,
        baseline=row.number,
        identifier=row.identifier,
        requirement=row.text,
        weighting=row.weighting,
        mandatory=row.mandatory,
        autonomy=row.autonomy,
        options=row.options,
        status=row.status,
        not_applicable_reason=row.not_applicable_reason,
        chosen_option=row.chosen_option,
        compliance_confirmed=row.compliance_confirmed,
        approach=row.approach,
        owner=row.owner,
        target_date=row.target_date,
        sequence=row.sequence,
        overdue=row.overdue,
        needs_review=row.needs_review,
        review_note=row.review_note,
        archived=row.archived,
        evidence_count=row.evidence_count,
    )


@router.get(
    "/plans",
    response=answers(list[PlanSummaryOut], 403),
    operation_id="listPlans",
    summary="Plans in your scope",
    description="Each establishment within your scope, with its latest plan's progress.",
)
def list_plans(request: HttpRequest) -> list[PlanSummaryOut]:
    if not allows(request.auth, VIEW_PLAN):
        raise HttpError(403, "You do not have access to Regime Recovery Plans.")
    return [
        PlanSummaryOut(
            establishment_code=row.code,
            establishment_name=row.name,
            stage=row.stage,
            summary=_summary(row.summary) if row.summary else None,
        )
        for row in establishment_progress(establishments_in_scope(request.auth))
    ]


class PlanFilters(Schema):
    stage: int | None = Field(
        None, ge=0, le=32767, description="Only the plan for this target stage"
    )


@router.get(
    "/plans/{code}",
    response=answers(EstablishmentPlansOut, 404, 422),
    operation_id="getEstablishmentPlans",
    summary="An establishment's plans",
    description="Its plans with every answer, sequencing and weighted progress.",
)
def get_plans(
    request: HttpRequest, code: Path[EstablishmentCode], filters: Query[PlanFilters]
) -> EstablishmentPlansOut:
    establishment = scoped_get_or_404(
        request.auth,
        VIEW_PLAN,
        Establishment.objects.all(),
        missing=f"No establishment with the code {code} in your scope.",
        code=code,
    )
    plans = [
        p
        for p in plans_of_establishment(establishment)
        if filters.stage is None or p.stage.number == filters.stage
    ]
    out = []
    for plan in plans:
        page = plan_page(plan)
        out.append(
            PlanOut(
                stage=plan.stage.number,
                edms=[f"EDM {s.number} version {s.version}" for s in page.sections],
                summary=_summary(page.summary),
                responses=[
                    _response(r)
                    for r in [*(r for s in page.sections for r in s.rows), *page.archived_rows]
                ],
            )
        )
    return EstablishmentPlansOut(
        establishment_code=establishment.code, establishment_name=establishment.name, plans=out
    )


@router.patch(
    "/plans/{code}/responses",
    response=answers(PatchResult, 403, 404, 409, 422),
    operation_id="updatePlanResponses",
    summary="Update answers",
    description="Change answers of the establishment's plans. Each update names the version "
    "the answer was read at; if any answer has changed since, or any update is invalid, "
    "nothing is changed (409 or 422 with the reason). 404 when the establishment is not one "
    "whose plans you may change, or an answer is not in its plans.",
)
def update_responses(
    request: HttpRequest, code: Path[EstablishmentCode], payload: ResponsesPatch | None = None
):
    updates = payload.updates if payload else []  # no body: nothing to change
    responses = _answers_to_change(request.auth, code, [u.id for u in updates])
    at = None  # the update a refusal is about; None: the batch as a whole
    changed = []
    try:
        check_one_edit_each(
            [u.id for u in updates],
            describe=lambda pk: f"Answer {pk} (baseline {responses[pk].baseline.number})",
        )
        with transaction.atomic(durable=True):
            for index, update in enumerate(updates):
                at = index
                changes = update.dict(
                    exclude_none=True,
                    exclude={"id", "version", "clear_target_date", "clear_assignee"},
                )
                if update.clear_target_date:
                    changes["target_date"] = None
                if update.clear_assignee:
                    changes["assignee"] = None
                if update_response_in_transaction(
                    responses[update.id],
                    expected_version=update.version,
                    changes=changes,
                    acting_user=request.auth,
                    source="through the API",
                ):
                    changed.append(responses[update.id])
    except StaleEditError as error:
        raise HttpError(409, error.in_words()) from error
    except NotAllowed as error:
        return error_response(403, error.message)
    except DomainError as error:
        return problems_response(
            [_problem(at, error.field or "", error.message)], detail=error.message
        )
    today = timezone.localdate()
    return PatchResult(changed=[_changed_answer(r, today) for r in changed])


def _answers_to_change(user, code: str, ids: list[int]) -> dict[int, Response]:
    """The answers named, if all lie in the plans of the establishment `code` within the
    user's scope: one query, not one for the establishment and one for its answers (issue 12:
    the API stays light). Otherwise the 404 says which is missing, the establishment or an
    answer, in the same words as the pages use."""
    found = {
        r.pk: r
        for r in Response.objects.filter(
            unit_filter(user, EDIT_PLAN, path_field="plan__establishment__path"),
            plan__establishment__code=code,
            pk__in=ids,
        ).select_related(
            "baseline__edm_version__edm", "plan__establishment", "plan__stage", "assignee"
        )
    }
    if ids and len(found) == len(set(ids)):
        return found
    establishment = scoped_get_or_404(
        user,
        EDIT_PLAN,
        Establishment.objects.all(),
        missing=f"No establishment with the code {code} whose plans you may change.",
        code=code,
    )
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise HttpError(404, f"No answer {missing[0]} in the plans of {establishment.name}.")
    return found


def _changed_answer(response: Response, today: datetime.date) -> ChangedAnswerOut:
    """The answer as stored now, from what the update already holds: no re-reading of the plan.
    The order of work and the plan's progress are the plan's, not one answer's (finishing a
    precursor moves the rest of its EDM on): a client reads them with getEstablishmentPlans."""
    baseline = response.baseline
    return ChangedAnswerOut(
        id=response.pk,
        version=response.version,
        edm=baseline.edm_version.edm.number,
        baseline=baseline.number,
        identifier=baseline.identifier,
        status=response.status,
        not_applicable_reason=response.not_applicable_reason,
        chosen_option=response.chosen_option,
        compliance_confirmed=response.compliance_confirmed,
        approach=response.approach,
        owner=response.owner,
        target_date=response.target_date,
        assignee=response.assignee.email if response.assignee else None,
        overdue=Item(
            edm=baseline.edm_version.edm.number,
            weighting=weight_of(baseline.weighting),
            mandatory=baseline.mandatory,
            status=response.status,
            target_date=response.target_date,
        ).overdue(today),
        needs_review=response.needs_review,
        review_note=response.review_note,
    )


def _problem(index: int | None, field: str, message: str) -> dict:
    where = ["updates"] if index is None else ["updates", str(index), field]
    return {"location": "body", "field": ".".join(filter(None, where)), "message": message}
