"""Reads of the framework library for pages, the API and other apps.

The library is national: anyone who may read it reads all of it, except drafts, which only
framework authors see. Every function makes a fixed number of queries whatever the size of the
library."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.http import Http404

from recovery.core.scope import allows
from recovery.estate.constants import EstablishmentType
from recovery.frameworks.constants import EdmStatus
from recovery.frameworks.edm_file import (
    AreaData,
    BaselineData,
    EdmDocument,
    InvalidEdmFile,
    check_edm_data,
    document_to_data,
)
from recovery.frameworks.models import Baseline, EdmArea, EdmVersion, RegimeElement, Stage

VIEW = "frameworks.view_library"
AUTHOR = "frameworks.author"
READER_STATUSES = (EdmStatus.PUBLISHED, EdmStatus.WITHDRAWN)


def can_author(user) -> bool:
    return allows(user, AUTHOR)


def visible_statuses(user) -> tuple[str, ...]:
    return tuple(EdmStatus.values) if can_author(user) else READER_STATUSES


def applies_to_labels(types) -> list[str]:
    labels = dict(EstablishmentType.choices)
    return [labels.get(t, t) for t in types]


# --- The library list -------------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryRow:
    number: int
    title: str
    element: str
    element_code: str
    stage_number: int
    stage_name: str
    stage_colour: str
    applies_to: list[str]
    applies_to_codes: list[str]
    current_version: str | None  # the latest published version, if any
    latest_version: str
    latest_status: str
    version_count: int
    has_draft: bool

    @property
    def latest_status_label(self) -> str:
        return EdmStatus(self.latest_status).label


def library(user) -> list[LibraryRow]:
    """One row per EDM the user may see, described by its current published version (or, for
    an author, its latest draft when nothing is published yet). Two queries at most."""
    versions = list(
        EdmVersion.objects.filter(status__in=visible_statuses(user))
        .select_related("edm", "element", "stage")
        .order_by("edm__number", "version_major", "version_minor")
    )
    by_edm: dict[int, list[EdmVersion]] = defaultdict(list)
    for version in versions:
        by_edm[version.edm.number].append(version)
    rows = []
    for number, edm_versions in by_edm.items():
        published = [v for v in edm_versions if v.status == EdmStatus.PUBLISHED]
        latest = edm_versions[-1]
        shown = published[-1] if published else latest
        rows.append(
            LibraryRow(
                number=number,
                title=shown.title,
                element=shown.element.name,
                element_code=shown.element.code,
                stage_number=shown.stage.number,
                stage_name=shown.stage.name,
                stage_colour=shown.stage.colour,
                applies_to=applies_to_labels(shown.applies_to),
                applies_to_codes=list(shown.applies_to),
                current_version=published[-1].version_number if published else None,
                latest_version=latest.version_number,
                latest_status=latest.status,
                version_count=len(edm_versions),
                has_draft=any(v.status == EdmStatus.DRAFT for v in edm_versions),
            )
        )
    return rows


# --- One EDM and its versions -----------------------------------------------------------------


SUPERSEDED = "superseded"


def shown_status(version: EdmVersion, newer_published: EdmVersion | None) -> tuple[str, str]:
    """The status a page shows, as (code, label): a published version that a newer published
    version of the same EDM replaced reads "Superseded", so that only the current one reads
    "Published". Superseded is not stored: withdraw the newer one and the older is current
    again."""
    if version.status == EdmStatus.PUBLISHED and newer_published is not None:
        return SUPERSEDED, "Superseded"
    return version.status, version.get_status_display()


def _number(version: EdmVersion) -> tuple[int, int]:
    return (version.version_major, version.version_minor)


def newer_published(version: EdmVersion) -> EdmVersion | None:
    """The newest published version of the same EDM above `version`, if any (one query)."""
    return (
        EdmVersion.objects.filter(edm_id=version.edm_id, status=EdmStatus.PUBLISHED)
        .exclude(_below(version.version_major, version.version_minor))
        .exclude(pk=version.pk)
        .order_by("-version_major", "-version_minor")
        .first()
    )


def versions_of(user, number: int) -> list[EdmVersion]:
    """The versions of EDM `number` the user may see, oldest first, each with the status its
    page shows (`shown_status`, `shown_label`); 404 if there are none."""
    versions = list(
        EdmVersion.objects.filter(edm__number=number, status__in=visible_statuses(user))
        .select_related("edm", "element", "stage", "published_by", "loaded_by")
        .order_by("version_major", "version_minor")
    )
    if not versions:
        raise Http404
    for version in versions:
        newer = [
            v for v in versions if v.status == EdmStatus.PUBLISHED and _number(v) > _number(version)
        ]
        version.shown_status, version.shown_label = shown_status(
            version, newer[-1] if newer else None
        )
    return versions


# --- What answers a version (other apps say: the plans) -----------------------------------------


@dataclass(frozen=True)
class VersionUse:
    """What answers a version, as one person may see it: the names in their scope (such as
    the establishments whose plans answer it) and how many more lie outside their scope."""

    what: str
    names: list[str]
    elsewhere: int = 0

    @property
    def total(self) -> int:
        return len(self.names) + self.elsewhere


VersionUseReader = Callable[[EdmVersion, object], VersionUse]
_use_readers: list[VersionUseReader] = []


def register_version_use(reader: VersionUseReader) -> None:
    """For apps whose records answer an EDM version (plans): say what would be affected when
    the version is withdrawn. The framework library does not know those apps."""
    if reader not in _use_readers:
        _use_readers.append(reader)


def uses_of(version: EdmVersion, user) -> list[VersionUse]:
    return [use for use in (read(version, user) for read in _use_readers) if use.total]


def get_version(user, number: int, version: str, *, with_content: bool = True) -> EdmVersion:
    """One version the user may see, with its areas and baselines loaded (three queries); 404
    when it does not exist or is a draft the user may not see."""
    queryset = EdmVersion.objects.filter(
        edm__number=number, version_number=version, status__in=visible_statuses(user)
    ).select_related("edm", "element", "stage")
    if with_content:
        queryset = queryset.prefetch_related(
            Prefetch(
                "areas",
                EdmArea.objects.order_by("position").prefetch_related(
                    Prefetch("baselines", Baseline.objects.order_by("position"))
                ),
            )
        )
    found = queryset.first()
    if found is None:
        raise Http404
    return found


def previous_published(version: EdmVersion) -> EdmVersion | None:
    """The version a diff compares `version` against: the highest-numbered version below it
    that was ever published (withdrawn ones included: plans may still answer them)."""
    return (
        EdmVersion.objects.filter(edm_id=version.edm_id, published_at__isnull=False)
        .exclude(pk=version.pk)
        .filter(_below(version.version_major, version.version_minor))
        .order_by("-version_major", "-version_minor")
        .first()
    )


def _below(major: int, minor: int) -> Q:
    return Q(version_major__lt=major) | Q(version_major=major, version_minor__lt=minor)


def latest_published(edm_id: int) -> EdmVersion | None:
    return (
        EdmVersion.objects.filter(edm_id=edm_id, status=EdmStatus.PUBLISHED)
        .order_by("-version_major", "-version_minor")
        .first()
    )


def current_published_versions() -> list[EdmVersion]:
    """For other apps (plans): the current version of every EDM, that is its highest published
    version, with edm, element and stage loaded. Withdrawn versions are never current."""
    versions = EdmVersion.objects.filter(status=EdmStatus.PUBLISHED).select_related(
        "edm", "element", "stage"
    )
    current: dict[int, EdmVersion] = {}
    for version in versions:
        held = current.get(version.edm_id)
        if held is None or (version.version_major, version.version_minor) > (
            held.version_major,
            held.version_minor,
        ):
            current[version.edm_id] = version
    return sorted(current.values(), key=lambda v: v.edm.number)


def document_of(version: EdmVersion) -> EdmDocument:
    """A stored version as the document its file describes (for export and diffs). Uses
    prefetched areas and baselines when present; otherwise two queries."""
    cache = getattr(version, "_prefetched_objects_cache", {})
    if "areas" in cache:
        areas = list(version.areas.all())
        baselines_by_area = {area.pk: list(area.baselines.all()) for area in areas}
    else:
        areas = list(EdmArea.objects.filter(edm_version=version).order_by("position"))
        baselines_by_area = defaultdict(list)
        for baseline in Baseline.objects.filter(edm_version=version).order_by("position"):
            baselines_by_area[baseline.area_id].append(baseline)
    return EdmDocument(
        number=version.edm.number,
        title=version.title,
        version=version.version_number,
        issued=version.issued,
        stage=version.stage.number,
        element=version.element.code,
        applies_to=tuple(version.applies_to),
        introduction=version.introduction,
        areas=tuple(
            AreaData(
                number=area.number,
                title=area.title,
                baselines=tuple(
                    BaselineData(
                        identifier=b.identifier,
                        number=b.number,
                        text=b.text,
                        weighting=b.weighting,
                        mandatory=b.mandatory,
                        autonomy=b.autonomy,
                        options=tuple(b.options),
                        comments=b.comments,
                        sources=tuple(b.sources),
                    )
                    for b in baselines_by_area[area.pk]
                ),
            )
            for area in areas
        ),
    )


# --- Reference data ---------------------------------------------------------------------------


def stages() -> list[Stage]:
    return list(Stage.objects.order_by("-number"))


def elements() -> list[RegimeElement]:
    return list(RegimeElement.objects.order_by("position", "name"))


def reference_numbers() -> tuple[list[int], list[str]]:
    """What an EDM file may name: stage numbers and element codes."""
    return (
        list(Stage.objects.values_list("number", flat=True)),
        list(RegimeElement.objects.values_list("code", flat=True)),
    )


# --- Drafts -----------------------------------------------------------------------------------


def draft_problems(version: EdmVersion) -> list[str]:
    """What stops a draft being published, in sentences for its author: an EDM needs at least
    one area and every area at least one baseline; every other rule of the file format already
    held when each part was saved. Empty for a version that is not a draft."""
    if version.status != EdmStatus.DRAFT:
        return []
    document = document_of(version)
    stages, elements = reference_numbers()
    try:
        check_edm_data(document_to_data(document), stages=stages, elements=elements)
    except InvalidEdmFile as error:
        sentences = []
        for problem in error.problems:
            if problem.where == () and problem.key == "areas":
                sentences.append("Add at least one area")
            elif problem.where[:1] == ("area",) and problem.key == "baselines":
                area = document.areas[problem.where[1]]
                sentences.append(f"Add at least one baseline to area {area.number}. {area.title}")
            else:
                sentences.append(problem.sentence)
        return sentences
    return []


def areas_of(version: EdmVersion) -> list[EdmArea]:
    return list(EdmArea.objects.filter(edm_version=version).order_by("position"))


def area_of(version: EdmVersion, area_id: str | None) -> EdmArea:
    """The area of `version` a page names by its id (a query parameter); 404 if it has none."""
    found = None
    if area_id and area_id.isdigit():
        found = EdmArea.objects.filter(edm_version=version, pk=int(area_id)).first()
    if found is None:
        raise Http404
    return found


def baseline_of(version: EdmVersion, baseline_id: str | None) -> Baseline:
    """The baseline of `version` a page names by its id (a query parameter); 404 if it has
    none."""
    found = None
    if baseline_id and baseline_id.isdigit():
        found = (
            Baseline.objects.filter(edm_version=version, pk=int(baseline_id))
            .select_related("area")
            .first()
        )
    if found is None:
        raise Http404
    return found
