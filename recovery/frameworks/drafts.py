"""Building an EDM draft in the service, part by part: start a new EDM, or a new version from a
published one; change its details; add, change and remove its areas and baselines. Re-exported
from actions.py, which holds every other write of the library.

One set of rules: each change is made to the draft's content in the shape of its YAML file and
checked by the file's own checker (`edm_file.check_edm_data`), so what the service accepts is
exactly what an uploaded file may say. While it is a draft it may have no areas yet, or an area
no baselines yet; publishing needs both.

Each change names the draft's `version` it was made against (optimistic locking) and records
its audit event on the draft, so a person whose edit is refused sees what changed. After each
change the draft's `raw_yaml` is rewritten from its rows: export gives the same file back, and
publishing checks it as it checks any uploaded file."""

import hashlib
from typing import Any

from django.db import transaction
from django.db.models import F, Prefetch, prefetch_related_objects

from recovery.audit.actions import record_event
from recovery.core.concurrency import stale_edit_error
from recovery.core.errors import DomainError
from recovery.core.scope import require
from recovery.frameworks.constants import EdmStatus
from recovery.frameworks.edm_file import (
    BaselineData,
    EdmDocument,
    FileProblem,
    InvalidEdmFile,
    baseline_values,
    check_edm_data,
    document_to_data,
    to_yaml,
)
from recovery.frameworks.models import Baseline, Edm, EdmArea, EdmVersion, RegimeElement, Stage
from recovery.frameworks.queries import document_of, reference_numbers

AUTHOR = "frameworks.author"
# The details of a draft that may change; its number and version name it and do not.
DETAIL_KEYS = ("title", "issued", "stage", "element", "applies_to", "introduction")
NEW_DRAFT_KEYS = ("number", "version", *DETAIL_KEYS)


class InvalidDraft(DomainError):
    """A change the draft cannot take. `errors` are (key, sentence) pairs: the key is the
    file's key of the part being changed (a form field), or None for a problem elsewhere."""

    def __init__(self, errors: list[tuple[str | None, str]]):
        self.errors = errors
        super().__init__(errors[0][1], field=errors[0][0])


# --- Writing a version's content (shared with loading a file) ---------------------------------


def version_fields(document: EdmDocument, text: str) -> dict[str, Any]:
    """An EdmVersion's fields for `document`, loaded from the file `text`."""
    return {
        "title": document.title,
        "element": RegimeElement.objects.get(code=document.element),
        "stage": Stage.objects.get(number=document.stage),
        "applies_to": list(document.applies_to),
        "issued": document.issued,
        "introduction": document.introduction,
        "raw_yaml": text,
        "sha256": _sha256(text),
    }


def write_content(version: EdmVersion, document: EdmDocument) -> None:
    """Write the areas and baselines of `document` to a version that has none."""
    baselines = []
    for area_position, area_data in enumerate(document.areas, start=1):
        area = EdmArea(
            edm_version=version,
            number=area_data.number,
            title=area_data.title,
            position=area_position,
        )
        area.save()
        for position, b in enumerate(area_data.baselines, start=1):
            baselines.append(Baseline(edm_version=version, area=area, position=position))
            _set_baseline(baselines[-1], b)
    Baseline.objects.bulk_create(baselines)


def _set_baseline(row: Baseline, data: BaselineData) -> None:
    row.identifier, row.number, row.text = data.identifier, data.number, data.text
    row.weighting, row.mandatory, row.autonomy = data.weighting, data.mandatory, data.autonomy
    row.options, row.comments, row.sources = list(data.options), data.comments, list(data.sources)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- Helpers ----------------------------------------------------------------------------------


def _user_or_none(acting_user):
    return acting_user if getattr(acting_user, "pk", None) else None


def _name(version: EdmVersion) -> str:
    return f"EDM {version.edm.number} version {version.version_number}"


def _order(version_number: str) -> tuple[int, int]:
    major, _, minor = version_number.partition(".")
    return int(major), int(minor or 0)


def _check(data: dict[str, Any], *, edited: tuple, complete: bool = False) -> EdmDocument:
    """Check the whole content by the file's rules; problems of the part being changed come
    back against its keys, any others as they are."""
    stages, elements = reference_numbers()
    try:
        return check_edm_data(
            data, stages=stages, elements=elements, complete=complete, edited=edited
        )
    except InvalidEdmFile as error:
        raise InvalidDraft([_error_of(problem, edited) for problem in error.problems]) from None


def _error_of(problem: FileProblem, edited: tuple) -> tuple[str | None, str]:
    if problem.where == edited:
        return problem.key, problem.sentence
    return None, problem.sentence


def _locked_draft(version: EdmVersion, expected_version: int) -> EdmVersion:
    """The draft, locked for this transaction; refused if it is no longer a draft, or if
    someone changed it after `expected_version`."""
    current = (
        EdmVersion.objects.select_for_update()
        .select_related("edm", "element", "stage")
        .get(pk=version.pk)
    )
    if current.status != EdmStatus.DRAFT:
        raise DomainError(
            f"{_name(current)} is {current.get_status_display().lower()} and cannot be "
            "changed. Start a new version to change it."
        )
    if current.version != expected_version:
        raise stale_edit_error(
            current, expected_version=expected_version, label=f"The draft of {_name(current)}"
        )
    return current


def _content(version: EdmVersion) -> tuple[dict[str, Any], list[EdmArea]]:
    """The draft's content in the file's shape, and its area rows (baselines prefetched) in
    the same order, so that area i of the one is area i of the other."""
    prefetch_related_objects(
        [version],
        Prefetch(
            "areas",
            EdmArea.objects.order_by("position").prefetch_related(
                Prefetch("baselines", Baseline.objects.order_by("position"))
            ),
        ),
    )
    return document_to_data(document_of(version)), list(version.areas.all())


def _index_of_area(areas: list[EdmArea], area: EdmArea) -> int:
    for i, row in enumerate(areas):
        if row.pk == area.pk:
            return i
    raise DomainError(f"Area {area.number} is no longer in this draft: someone removed it.")


def _index_of_baseline(areas: list[EdmArea], baseline: Baseline) -> tuple[int, int]:
    for i, area in enumerate(areas):
        for j, row in enumerate(area.baselines.all()):
            if row.pk == baseline.pk:
                return i, j
    raise DomainError(f"Baseline {baseline.number} is no longer in this draft: someone removed it.")


def _saved(
    current: EdmVersion,
    *,
    acting_user,
    action: str,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    fields: dict[str, Any] | None = None,
) -> None:
    """Finish a change: write the draft's changed `fields`, rewrite its file from its rows,
    count the change on its lock and record the event (which names the new lock version, so
    a stale editor is shown it)."""
    if fields:
        EdmVersion.objects.filter(pk=current.pk).update(**fields)
    current.refresh_from_db()
    text = to_yaml(document_to_data(document_of(current)))
    EdmVersion.objects.filter(pk=current.pk).update(
        raw_yaml=text, sha256=_sha256(text), version=F("version") + 1
    )
    current.refresh_from_db()
    record_event(
        acting_user=acting_user,
        action=action,
        obj=current,
        summary=summary,
        before=before,
        after=after,
    )


def _details(document: EdmDocument) -> dict[str, Any]:
    return {
        "title": document.title,
        "issued": document.issued,
        "stage": document.stage,
        "element": document.element,
        "applies_to": list(document.applies_to),
        "introduction": document.introduction,
    }


def _baseline_data(data: dict[str, Any]) -> dict[str, Any]:
    """A baseline as the file would say it: the id is left out when none is given or it is the
    number, so that it defaults to the number."""
    data = dict(data)
    identifier = str(data.get("id") or "").strip()
    if not identifier or identifier == str(data.get("number") or "").strip():
        data.pop("id", None)
    return data


def _create_version(edm: Edm, document: EdmDocument, *, acting_user) -> EdmVersion:
    text = to_yaml(document_to_data(document))
    version = EdmVersion(
        edm=edm,
        version_number=document.version,
        status=EdmStatus.DRAFT,
        loaded_by=_user_or_none(acting_user),
        **version_fields(document, text),
    )
    version.save()
    write_content(version, document)
    return version


# --- Starting a draft -------------------------------------------------------------------------


def do_start_edm_draft(details: dict[str, Any], *, acting_user) -> EdmVersion:
    """Start a new EDM as an empty draft. `details` has the file's keys: number, version, title,
    issued, stage, element, applies_to and introduction."""
    require(acting_user, AUTHOR)
    unknown = set(details) - set(NEW_DRAFT_KEYS)
    if unknown:
        raise DomainError(f"These details cannot be given here: {', '.join(sorted(unknown))}.")
    document = _check({**details, "areas": []}, edited=())
    with transaction.atomic(durable=True):
        edm, created = Edm.objects.get_or_create(number=document.number)
        if not created:
            raise DomainError(
                f"There is already an EDM {document.number}. To change it, open it and start "
                "a new version.",
                field="number",
            )
        version = _create_version(edm, document, acting_user=acting_user)
        record_event(
            acting_user=acting_user,
            action="frameworks.start_edm_draft",
            obj=version,
            summary=f"Started a draft of {_name(version)} ({document.title})",
            after={"number": document.number, "version": document.version, **_details(document)},
        )
        return version


def do_start_edm_version(source: EdmVersion, *, version_number: str, acting_user) -> EdmVersion:
    """Start a new version of an EDM as a draft holding a copy of its published version
    `source`. The new version number must be higher than any version the EDM has."""
    require(acting_user, AUTHOR)
    with transaction.atomic(durable=True):
        # Locking the EDM makes "higher than any version it has" hold against a second author.
        Edm.objects.select_for_update().get(pk=source.edm_id)
        source = EdmVersion.objects.select_related("edm", "element", "stage").get(pk=source.pk)
        if source.status != EdmStatus.PUBLISHED:
            raise DomainError(
                f"{_name(source)} is {source.get_status_display().lower()}; only a published "
                "version can be the start of a new version."
            )
        data = document_to_data(document_of(source))
        data["version"] = version_number.strip()
        document = _check(data, edited=(), complete=True)
        highest = (
            EdmVersion.objects.filter(edm_id=source.edm_id)
            .order_by("-version_major", "-version_minor")
            .first()
        )
        if _order(document.version) <= (highest.version_major, highest.version_minor):
            raise DomainError(
                f"The version must be higher than {highest.version_number}, the highest version "
                f"of EDM {source.edm.number}",
                field="version",
            )
        version = _create_version(source.edm, document, acting_user=acting_user)
        record_event(
            acting_user=acting_user,
            action="frameworks.start_edm_version",
            obj=version,
            summary=f"Started a draft of {_name(version)} from version {source.version_number}",
            after={
                "version": document.version,
                "from_version": source.version_number,
                "baselines": len(document.baselines),
            },
        )
        return version


# --- The draft's details ----------------------------------------------------------------------


def do_update_edm_draft(
    version: EdmVersion, *, expected_version: int, changes: dict[str, Any], acting_user
) -> dict[str, Any]:
    """Change a draft's details (title, issue date, stage, regime element, the establishment
    types it applies to, introduction). Returns the details that changed."""
    require(acting_user, AUTHOR)
    unknown = set(changes) - set(DETAIL_KEYS)
    if unknown:
        raise DomainError(f"These details cannot be changed here: {', '.join(sorted(unknown))}.")
    with transaction.atomic(durable=True):
        current = _locked_draft(version, expected_version)
        data, _ = _content(current)
        old = _details(document_of(current))
        new = _details(_check({**data, **changes}, edited=()))
        after = {key: new[key] for key in changes if new[key] != old[key]}
        if not after:
            return {}
        fields = {key: value for key, value in after.items() if key not in ("stage", "element")}
        if "stage" in after:
            fields["stage"] = Stage.objects.get(number=after["stage"])
        if "element" in after:
            fields["element"] = RegimeElement.objects.get(code=after["element"])
        _saved(
            current,
            acting_user=acting_user,
            action="frameworks.update_edm_draft",
            summary=f"Changed {', '.join(after)} of the draft of {_name(current)}",
            before={key: old[key] for key in after},
            after=after,
            fields=fields,
        )
        return after


# --- Areas ------------------------------------------------------------------------------------


def do_add_edm_area(
    version: EdmVersion, *, expected_version: int, number: str, title: str, acting_user
) -> EdmArea:
    """Add an area, with no baselines yet, after the draft's other areas."""
    require(acting_user, AUTHOR)
    with transaction.atomic(durable=True):
        current = _locked_draft(version, expected_version)
        data, areas = _content(current)
        data["areas"].append({"number": number, "title": title, "baselines": []})
        new = _check(data, edited=("area", len(areas))).areas[-1]
        area = EdmArea(
            edm_version=current,
            number=new.number,
            title=new.title,
            position=max((a.position for a in areas), default=0) + 1,
        )
        area.save()
        _saved(
            current,
            acting_user=acting_user,
            action="frameworks.add_edm_area",
            summary=f"Added area {new.number}. {new.title} to the draft of {_name(current)}",
            after={"area": new.number, "title": new.title},
        )
        return area


def do_update_edm_area(
    area: EdmArea, *, expected_version: int, number: str, title: str, acting_user
) -> dict[str, Any]:
    """Renumber or rename an area. Returns what changed."""
    require(acting_user, AUTHOR)
    with transaction.atomic(durable=True):
        current = _locked_draft(area.edm_version, expected_version)
        data, areas = _content(current)
        i = _index_of_area(areas, area)
        old = {"number": data["areas"][i]["number"], "title": data["areas"][i]["title"]}
        data["areas"][i].update(number=number, title=title)
        checked = _check(data, edited=("area", i)).areas[i]
        new = {"number": checked.number, "title": checked.title}
        after = {key: new[key] for key in new if new[key] != old[key]}
        if not after:
            return {}
        row = areas[i]
        row.number, row.title = checked.number, checked.title
        row.save(update_fields=["number", "title"])
        _saved(
            current,
            acting_user=acting_user,
            action="frameworks.update_edm_area",
            summary=f"Changed area {old['number']} of the draft of {_name(current)}",
            before={key: old[key] for key in after},
            after=after,
        )
        return after


def do_remove_edm_area(area: EdmArea, *, expected_version: int, acting_user) -> None:
    """Remove an area and every baseline in it."""
    require(acting_user, AUTHOR)
    with transaction.atomic(durable=True):
        current = _locked_draft(area.edm_version, expected_version)
        _, areas = _content(current)
        row = areas[_index_of_area(areas, area)]
        before = {
            "area": row.number,
            "title": row.title,
            "baselines": [b.number for b in row.baselines.all()],
        }
        row.delete()
        _saved(
            current,
            acting_user=acting_user,
            action="frameworks.remove_edm_area",
            summary=f"Removed area {row.number}. {row.title} from the draft of {_name(current)}",
            before=before,
        )


# --- Baselines --------------------------------------------------------------------------------


def do_add_baseline(
    version: EdmVersion,
    *,
    expected_version: int,
    area: EdmArea,
    baseline: dict[str, Any],
    acting_user,
) -> Baseline:
    """Add a baseline at the end of `area`. `baseline` has the file's keys: number, id (blank:
    the number), text, weighting, mandatory, autonomy, options, comments, sources."""
    require(acting_user, AUTHOR)
    with transaction.atomic(durable=True):
        current = _locked_draft(version, expected_version)
        data, areas = _content(current)
        i = _index_of_area(areas, area)
        listed = data["areas"][i]["baselines"]
        listed.append(_baseline_data(baseline))
        new = _check(data, edited=("baseline", i, len(listed) - 1)).areas[i].baselines[-1]
        existing = list(areas[i].baselines.all())
        row = Baseline(
            edm_version=current,
            area=areas[i],
            position=max((b.position for b in existing), default=0) + 1,
        )
        _set_baseline(row, new)
        row.save()
        _saved(
            current,
            acting_user=acting_user,
            action="frameworks.add_baseline",
            summary=f"Added baseline {new.number} to the draft of {_name(current)}",
            after=baseline_values(new, areas[i].number),
        )
        return row


def do_update_baseline(
    baseline: Baseline,
    *,
    expected_version: int,
    area: EdmArea,
    changes: dict[str, Any],
    acting_user,
) -> dict[str, Any]:
    """Change a baseline, or move it to the end of another area. `changes` has the file's keys,
    as for do_add_baseline; keys left out keep their values. Returns what changed."""
    require(acting_user, AUTHOR)
    with transaction.atomic(durable=True):
        current = _locked_draft(baseline.edm_version, expected_version)
        data, areas = _content(current)
        i, j = _index_of_baseline(areas, baseline)
        k = _index_of_area(areas, area)
        old_data = data["areas"][i]["baselines"].pop(j)
        # Renumbered with no id given, a baseline keeps its identifier: it is still the same
        # requirement to the plans that answer it.
        old_data.setdefault("id", old_data["number"])
        changed = _baseline_data({**old_data, **changes})
        target = data["areas"][k]["baselines"]
        at = j if k == i else len(target)
        target.insert(at, changed)
        new = _check(data, edited=("baseline", k, at)).areas[k].baselines[at]
        row = areas[i].baselines.all()[j]
        old = baseline_values(document_of(current).areas[i].baselines[j], areas[i].number)
        new_values = baseline_values(new, areas[k].number)
        after = {key: value for key, value in new_values.items() if value != old[key]}
        if not after:
            return {}
        _set_baseline(row, new)
        if k != i:
            existing = list(areas[k].baselines.all())
            row.area = areas[k]
            row.position = max((b.position for b in existing), default=0) + 1
        row.save()
        _saved(
            current,
            acting_user=acting_user,
            action="frameworks.update_baseline",
            summary=f"Changed baseline {old['number']} of the draft of {_name(current)}",
            before={key: old[key] for key in after},
            after=after,
        )
        return after


def do_remove_baseline(baseline: Baseline, *, expected_version: int, acting_user) -> None:
    """Remove a baseline from the draft."""
    require(acting_user, AUTHOR)
    with transaction.atomic(durable=True):
        current = _locked_draft(baseline.edm_version, expected_version)
        _, areas = _content(current)
        i, j = _index_of_baseline(areas, baseline)
        before = baseline_values(document_of(current).areas[i].baselines[j], areas[i].number)
        areas[i].baselines.all()[j].delete()
        _saved(
            current,
            acting_user=acting_user,
            action="frameworks.remove_baseline",
            summary=f"Removed baseline {before['number']} from the draft of {_name(current)}",
            before=before,
        )
