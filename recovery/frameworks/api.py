"""The framework library in the API: the EDMs, their versions, each version's full structure
and what a version changed against the one published before it.

Anyone who may read the library reads all of it; drafts only framework authors see (to anyone
else a draft answers 404, as one that does not exist). Reads make a fixed number of queries."""

import datetime
from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema
from ninja.errors import HttpError

from recovery.core.api import MAX_INTEGER, answers
from recovery.core.scope import allows
from recovery.frameworks import queries
from recovery.frameworks.constants import Autonomy, EdmStatus
from recovery.frameworks.diff import VersionDiff, diff_versions
from recovery.frameworks.edm_file import VERSION_PATTERN

router = Router(tags=["Framework library"])


class EdmSummaryOut(Schema):
    number: int = Field(description="The EDM's number", examples=[18])
    title: str = Field(description="Its title, from its current version")
    element: str = Field(description="The regime element it serves (its code)")
    element_name: str = Field(description="The regime element as people read it")
    stage: int = Field(description="The framework stage it serves")
    applies_to: list[str] = Field(description="The establishment types it applies to")
    current_version: str | None = Field(description="Its latest published version, if any")
    latest_version: str = Field(description="Its latest version you may see")
    latest_status: EdmStatus = Field(description="The status of that latest version")


class VersionSummaryOut(Schema):
    number: int = Field(description="The EDM's number", examples=[18])
    version: str = Field(description="The version, as printed", examples=["1.0"])
    title: str = Field(description="The EDM's title in this version")
    status: EdmStatus = Field(description="draft, published or withdrawn")
    issued: datetime.date = Field(description="The date the version was issued")
    published_at: datetime.datetime | None = Field(description="When it was published")
    sha256: str = Field(description="SHA-256 of the file it was loaded from")


class BaselineOut(Schema):
    id: str = Field(description="Stable identifier: matches the same baseline across versions")
    number: str = Field(description="As printed; gaps are kept", examples=["3.1"])
    text: str = Field(description="The requirement")
    weighting: int | None = Field(
        description="3 a precursor to other tasks, 2 part of wider work, 1 once others are "
        "done; null for a desirable baseline with none"
    )
    mandatory: bool = Field(description="Mandatory (true) or desirable (false)")
    autonomy: Autonomy = Field(
        description="total: the establishment designs the product; partial: it chooses from "
        "the options; limited: it delivers as stipulated"
    )
    options: list[str] = Field(description="For partial autonomy: the options to choose from")
    comments: str = Field(description="Notes on the baseline; empty when there are none")
    sources: list[str] = Field(description="Where the requirement comes from")


class AreaOut(Schema):
    number: str = Field(description="The area's number, as printed", examples=["1"])
    title: str = Field(description="The area or process", examples=["Start of sentence"])
    baselines: list[BaselineOut] = Field(description="Its baselines, in order")


class VersionOut(VersionSummaryOut):
    element: str = Field(description="The regime element it serves (its code)")
    element_name: str = Field(description="The regime element as people read it")
    stage: int = Field(description="The framework stage it serves")
    stage_name: str = Field(description="That stage's name")
    applies_to: list[str] = Field(description="The establishment types it applies to")
    introduction: str = Field(description="What the EDM is for; may be empty")
    areas: list[AreaOut] = Field(description="Its areas, in order")


class FieldChangeOut(Schema):
    field: str = Field(description="number, area, text, weighting, mandatory, autonomy, ...")
    before: str | int | bool | list[str] | None = Field(description="The earlier value")
    after: str | int | bool | list[str] | None = Field(description="The new value")


class BaselineChangeOut(Schema):
    kind: str = Field(description="added, removed or changed")
    id: str = Field(description="The baseline's stable identifier")
    number: str = Field(description="Its number in the new version (old one if removed)")
    needs_review: bool = Field(description="Whether answers to it need another look")
    changes: list[FieldChangeOut] = Field(description="For a changed one: what changed")


class DiffOut(Schema):
    number: int = Field(description="The EDM's number")
    old_version: str | None = Field(description="The version compared against; null if none")
    new_version: str = Field(description="The version whose changes these are")
    summary: str = Field(description="The counts, in words")
    changes: list[BaselineChangeOut] = Field(description="Each baseline that differs")
    unchanged: list[str] = Field(description="Identifiers of the baselines that did not change")


EdmNumber = Annotated[
    int,
    Field(ge=1, le=MAX_INTEGER, description="The EDM's number", json_schema_extra={"example": 18}),
]
VersionNumber = Annotated[
    str,
    Field(
        pattern=VERSION_PATTERN.pattern,
        description="The version, as printed",
        json_schema_extra={"example": "1.0"},
    ),
]


def _require(user) -> None:
    if not allows(user, queries.VIEW):
        raise HttpError(403, "You do not have access to the framework library.")


def _version(request: HttpRequest, number: int, version: str, **kwargs):
    _require(request.auth)
    try:
        return queries.get_version(request.auth, number, version, **kwargs)
    except Http404 as error:
        raise Http404(f"EDM {number} has no version {version} that you may see.") from error


def _summary(v) -> VersionSummaryOut:
    return VersionSummaryOut(
        number=v.edm.number,
        version=v.version_number,
        title=v.title,
        status=v.status,
        issued=v.issued,
        published_at=v.published_at,
        sha256=v.sha256,
    )


def _diff_out(diff: VersionDiff) -> DiffOut:
    def plain(value):
        return list(value) if isinstance(value, tuple) else value

    return DiffOut(
        number=diff.number,
        old_version=diff.old_version,
        new_version=diff.new_version,
        summary=diff.summary,
        changes=[
            BaselineChangeOut(
                kind=c.kind,
                id=c.identifier,
                number=c.number,
                needs_review=c.needs_review,
                changes=[
                    FieldChangeOut(field=f.field, before=plain(f.before), after=plain(f.after))
                    for f in c.changes
                ],
            )
            for c in diff.changes
        ],
        unchanged=list(diff.unchanged),
    )


@router.get(
    "/edms",
    response=answers(list[EdmSummaryOut], 403),
    operation_id="listEdms",
    summary="EDMs",
    description="Every EDM in the library, by number. Drafts only for framework authors.",
)
def list_edms(request: HttpRequest) -> list[EdmSummaryOut]:
    _require(request.auth)
    return [
        EdmSummaryOut(
            number=row.number,
            title=row.title,
            element=row.element_code,
            element_name=row.element,
            stage=row.stage_number,
            applies_to=row.applies_to_codes,
            current_version=row.current_version,
            latest_version=row.latest_version,
            latest_status=row.latest_status,
        )
        for row in queries.library(request.auth)
    ]


@router.get(
    "/edms/{number}/versions",
    response=answers(list[VersionSummaryOut], 403, 404, 422),
    operation_id="listEdmVersions",
    summary="Versions of one EDM",
    description="Its versions you may see, oldest first.",
)
def list_versions(request: HttpRequest, number: Path[EdmNumber]) -> list[VersionSummaryOut]:
    _require(request.auth)
    try:
        versions = queries.versions_of(request.auth, number)
    except Http404 as error:
        raise Http404(f"There is no EDM {number} in the library that you may see.") from error
    return [_summary(v) for v in versions]


@router.get(
    "/edms/{number}/versions/{version}",
    response=answers(VersionOut, 403, 404, 422),
    operation_id="getEdmVersion",
    summary="One version of an EDM, in full",
    description="Its areas and their baselines, in order, numbered as printed.",
)
def get_version(
    request: HttpRequest, number: Path[EdmNumber], version: Path[VersionNumber]
) -> VersionOut:
    v = _version(request, number, version)
    return VersionOut(
        **_summary(v).dict(),
        element=v.element.code,
        element_name=v.element.name,
        stage=v.stage.number,
        stage_name=v.stage.name,
        applies_to=list(v.applies_to),
        introduction=v.introduction,
        areas=[
            AreaOut(
                number=a.number,
                title=a.title,
                baselines=[
                    BaselineOut(
                        id=b.identifier,
                        number=b.number,
                        text=b.text,
                        weighting=b.weighting,
                        mandatory=b.mandatory,
                        autonomy=b.autonomy,
                        options=list(b.options),
                        comments=b.comments,
                        sources=list(b.sources),
                    )
                    for b in a.baselines.all()
                ],
            )
            for a in v.areas.all()
        ],
    )


@router.get(
    "/edms/{number}/versions/{version}/diff",
    response=answers(DiffOut, 403, 404, 422),
    operation_id="getEdmVersionDiff",
    summary="What a version changed",
    description="Baseline by baseline, against the version published before it (matched by "
    "identifier).",
)
def get_diff(
    request: HttpRequest, number: Path[EdmNumber], version: Path[VersionNumber]
) -> DiffOut:
    v = _version(request, number, version)
    return _diff_out(diff_versions(queries.previous_published(v), v))
