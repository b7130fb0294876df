"""Every write to the framework library. Each function checks permission, validates, writes
inside one transaction and records its audit event in the same transaction.

Every caller names who acts: the signed-in person, or a system actor
(`recovery.core.scope.COMMAND_LINE` for `load_edm`, `DEMO_DATA` for `seed_demo`)."""

from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from recovery.audit.actions import record_event
from recovery.core.concurrency import update_versioned
from recovery.core.errors import DomainError
from recovery.core.scope import require
from recovery.frameworks.constants import EdmStatus, TagColour
from recovery.frameworks.diff import VersionDiff, diff_documents
from recovery.frameworks.drafts import (  # noqa: F401 - building a draft in the service
    InvalidDraft,
    do_add_baseline,
    do_add_edm_area,
    do_remove_baseline,
    do_remove_edm_area,
    do_start_edm_draft,
    do_start_edm_version,
    do_update_baseline,
    do_update_edm_area,
    do_update_edm_draft,
    version_fields,
    write_content,
)
from recovery.frameworks.edm_file import EdmDocument, document_to_data, parse_edm
from recovery.frameworks.models import (
    Edm,
    EdmVersion,
    RegimeElement,
    Stage,
)
from recovery.frameworks.queries import document_of, previous_published, reference_numbers
from recovery.frameworks.rules import EDM_WORKFLOW

AUTHOR = "frameworks.author"
STAGE_FIELDS = ("name", "colour", "meaning", "visits", "education", "work", "rotl")
# What a stage means for the people the public status page serves (families and voluntary
# organisations), each at most this long.
PUBLIC_MEANING_FIELDS = ("visits", "education", "work", "rotl")
PUBLIC_MEANING_MAX = 500


def _user_or_none(acting_user):
    return acting_user if getattr(acting_user, "pk", None) else None


# --- Loading EDM files ------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    """What loading one file did. `outcome` is "created", "replaced" (a draft's content was
    replaced) or "unchanged" (the same content was already loaded)."""

    edm_version: EdmVersion
    outcome: str
    published: bool = False
    diff: VersionDiff | None = None

    @property
    def message(self) -> str:
        name = f"EDM {self.edm_version.edm.number} version {self.edm_version.version_number}"
        done = {
            "created": "loaded as a draft",
            "replaced": "draft replaced",
            "unchanged": "already loaded; nothing changed",
        }[self.outcome]
        text = f"{name}: {done}{', and published' if self.published else ''}"
        consequences = getattr(self.diff, "consequences", ())
        return " ".join([text + ("." if consequences else ""), *consequences])


def check_edm_file(text: str) -> EdmDocument:
    """Read and check an EDM file against the current stage ladder and element catalogue.
    Raises InvalidEdmFile with every problem."""
    stages, elements = reference_numbers()
    return parse_edm(text, stages=stages, elements=elements)


def do_load_edm(text: str, *, acting_user, publish: bool = False) -> LoadResult:
    """Load one EDM file: check everything first, then write the version in one transaction.

    Idempotent: loading content already held changes nothing. A draft of the same number and
    version is replaced; a published or withdrawn one is never changed (a correction needs a new
    version number). With `publish`, the loaded draft is then published."""
    require(acting_user, AUTHOR)
    document = check_edm_file(text)
    with transaction.atomic(durable=True):
        edm, _ = Edm.objects.get_or_create(number=document.number)
        existing = (
            EdmVersion.objects.select_for_update()
            .filter(edm=edm, version_number=document.version)
            .select_related("edm", "element", "stage")
            .first()
        )
        name = f"EDM {document.number} version {document.version}"
        if existing is not None and document_to_data(document_of(existing)) == document_to_data(
            document
        ):
            result = LoadResult(existing, "unchanged")
        elif existing is not None and existing.status != EdmStatus.DRAFT:
            raise DomainError(
                f"{name} is {existing.get_status_display().lower()} and cannot be changed. "
                "Give the changed file a new version number."
            )
        elif existing is not None:
            before = {"sha256": existing.sha256}
            for key, value in version_fields(document, text).items():
                setattr(existing, key, value)
            existing.loaded_by = _user_or_none(acting_user)
            # Replacing a draft is a change to it: anyone editing it in the service meanwhile
            # is told so rather than writing over the new file.
            existing.version += 1
            existing.save()
            existing.areas.all().delete()
            write_content(existing, document)
            record_event(
                acting_user=acting_user,
                action="frameworks.replace_edm_draft",
                obj=existing,
                summary=f"Replaced the draft of {name}",
                before=before,
                after={"sha256": existing.sha256},
            )
            result = LoadResult(existing, "replaced")
        else:
            version = EdmVersion(
                edm=edm,
                version_number=document.version,
                status=EdmStatus.DRAFT,
                loaded_by=_user_or_none(acting_user),
                **version_fields(document, text),
            )
            version.save()
            write_content(version, document)
            record_event(
                acting_user=acting_user,
                action="frameworks.load_edm",
                obj=version,
                summary=f"Loaded {name} ({document.title}) as a draft",
                after={
                    "status": EdmStatus.DRAFT,
                    "sha256": version.sha256,
                    "baselines": len(document.baselines),
                },
            )
            result = LoadResult(version, "created")
        if publish and result.edm_version.status == EdmStatus.DRAFT:
            diff = _publish(result.edm_version, acting_user=acting_user)
            return LoadResult(result.edm_version, result.outcome, published=True, diff=diff)
        return result


def load_library(directory: str | Path | None = None, *, acting_user) -> list[LoadResult]:
    """Load and publish every EDM file in `directory` (default: the repository's library/edms/),
    lowest EDM number and version first. Idempotent: files already loaded change nothing."""
    from django.conf import settings

    folder = Path(directory) if directory else Path(settings.BASE_DIR) / "library" / "edms"
    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.yaml"))]
    documents = sorted(
        ((check_edm_file(text), text) for text in texts),
        key=lambda pair: (pair[0].number, *(int(p) for p in pair[0].version.split("."))),
    )
    return [do_load_edm(text, acting_user=acting_user, publish=True) for _, text in documents]


# --- Publishing and withdrawing ---------------------------------------------------------------

# What other apps do when a version of an EDM is published, without this app importing
# them: plans register the move of every plan to the new version and the adding of a new EDM
# to every plan it applies to (recovery/plans/apps.py). A handler is called inside the publish
# transaction as `handler(previous_version, new_version, acting_user)`; `previous_version` is
# the version published before (withdrawn ones included), or None when this is the EDM's first
# published version. It returns one sentence for the publisher (or None). If it raises, nothing
# is published.
PublishHandler = Callable[[EdmVersion | None, EdmVersion, Any], str | None]
_publish_handlers: list[PublishHandler] = []


def register_publish_handler(handler: PublishHandler) -> None:
    """Call `handler` whenever a version of an EDM is published. Registering twice is
    harmless (an app's ready() may run more than once)."""
    if handler not in _publish_handlers:
        _publish_handlers.append(handler)


@dataclass(frozen=True)
class PublishResult(VersionDiff):
    """What publishing did: the diff against the previous published version, and one sentence
    from each after-publish handler, such as how many plans moved to the new version."""

    consequences: tuple[str, ...] = ()


def _locked(version: EdmVersion) -> EdmVersion:
    return (
        EdmVersion.objects.select_for_update()
        .select_related("edm", "element", "stage")
        .get(pk=version.pk)
    )


def _publish(version: EdmVersion, *, acting_user) -> PublishResult:
    current = _locked(version)
    before, after = EDM_WORKFLOW.move(acting_user, current, "publish")
    # Publishing checks the file again, against today's stage ladder and element catalogue.
    document = check_edm_file(current.raw_yaml)
    newer = (
        EdmVersion.objects.filter(edm_id=current.edm_id, published_at__isnull=False)
        .order_by("-version_major", "-version_minor")
        .first()
    )
    if newer and (newer.version_major, newer.version_minor) > (
        current.version_major,
        current.version_minor,
    ):
        raise DomainError(
            f"Version {newer.version_number} of EDM {current.edm.number} is already "
            f"published; give this file a higher version number than {newer.version_number}."
        )
    old = previous_published(current)
    diff = diff_documents(document_of(old) if old else None, document)
    now = timezone.now()
    EdmVersion.objects.filter(pk=current.pk).update(
        status=after, published_at=now, published_by=_user_or_none(acting_user)
    )
    current.refresh_from_db()
    record_event(
        acting_user=acting_user,
        action="frameworks.publish_edm",
        obj=current,
        summary=(
            f"Published EDM {current.edm.number} version {current.version_number}. {diff.summary}"
        ),
        before={"status": before},
        after={
            "status": after,
            "added": [c.number for c in diff.added],
            "removed": [c.number for c in diff.removed],
            "changed": [c.number for c in diff.changed],
        },
    )
    consequences = []
    for handler in list(_publish_handlers):
        sentence = handler(old, current, acting_user)
        if sentence:
            consequences.append(sentence)
    version.status, version.published_at = current.status, current.published_at
    version.published_by = current.published_by
    return PublishResult(
        **{f.name: getattr(diff, f.name) for f in fields(VersionDiff)},
        consequences=tuple(consequences),
    )


def do_publish_edm_version(version: EdmVersion, *, acting_user) -> PublishResult:
    """Publish a draft: from now on it is national guidance and its content never changes.
    Whatever other apps registered runs in the same transaction (plans move to it). Returns what
    changed against the previous published version, and what that set off."""
    # Scope first, on the version as the caller has it; the state is checked on the locked row.
    require(acting_user, EDM_WORKFLOW["publish"].permission, version)
    with transaction.atomic(durable=True):
        return _publish(version, acting_user=acting_user)


def do_withdraw_edm_version(version: EdmVersion, *, acting_user) -> None:
    """Withdraw a published version: it stops being guidance but stays readable."""
    # Scope first, on the version as the caller has it; the state is checked on the locked row.
    require(acting_user, EDM_WORKFLOW["withdraw"].permission, version)
    with transaction.atomic(durable=True):
        current = _locked(version)
        before, after = EDM_WORKFLOW.move(acting_user, current, "withdraw")
        EdmVersion.objects.filter(pk=current.pk).update(status=after, withdrawn_at=timezone.now())
        current.refresh_from_db()
        record_event(
            acting_user=acting_user,
            action="frameworks.withdraw_edm",
            obj=current,
            summary=f"Withdrew EDM {current.edm.number} version {current.version_number}",
            before={"status": before},
            after={"status": after},
        )
        version.status, version.withdrawn_at = current.status, current.withdrawn_at


# --- Reference data ---------------------------------------------------------------------------


def stage_shown_to_public_changed() -> None:
    """The public status pages show every stage's name and meanings: forget them all once the
    change is committed (recovery.public caches them)."""
    from recovery.public.cache import forget_all_public_pages

    transaction.on_commit(forget_all_public_pages)


def check_stage_changes(changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(STAGE_FIELDS)
    if unknown:
        raise DomainError(f"These details cannot be changed here: {', '.join(sorted(unknown))}.")
    if "name" in changes and not str(changes["name"]).strip():
        raise DomainError("Enter a name for the stage", field="name")
    if "name" in changes and len(str(changes["name"])) > 60:
        raise DomainError("The name must be 60 characters or fewer", field="name")
    if "colour" in changes and changes["colour"] not in TagColour.values:
        raise DomainError("Choose a colour from the list", field="colour")
    if "meaning" in changes and not str(changes["meaning"]).strip():
        raise DomainError("Say what the stage means", field="meaning")
    for name in PUBLIC_MEANING_FIELDS:
        if len(str(changes.get(name, ""))) > PUBLIC_MEANING_MAX:
            raise DomainError(f"Say it in {PUBLIC_MEANING_MAX} characters or fewer", field=name)


def do_update_stage(
    stage: Stage, *, expected_version: int, changes: dict[str, Any], acting_user
) -> dict[str, Any]:
    """Rename a stage, recolour it or reword its meaning. Refused if someone saved it after
    `expected_version`. Returns the fields that changed."""
    require(acting_user, AUTHOR)
    check_stage_changes(changes)
    with transaction.atomic(durable=True):
        before, after = update_versioned(
            stage,
            expected_version=expected_version,
            changes=changes,
            label=f"Stage {stage.number}",
        )
        if after:
            if set(after) & {"name", "colour", *PUBLIC_MEANING_FIELDS}:
                stage_shown_to_public_changed()
            record_event(
                acting_user=acting_user,
                action="frameworks.update_stage",
                obj=stage,
                summary=f"Changed {', '.join(after)} of stage {stage.number}",
                before=before,
                after=after,
            )
        return after


def do_add_regime_element(*, name: str, description: str = "", acting_user) -> RegimeElement:
    """Add an element to the regime element catalogue; its code is made from its name."""
    require(acting_user, AUTHOR)
    name = name.strip()
    if not name:
        raise DomainError("Enter a name for the regime element", field="name")
    if len(name) > 120:
        raise DomainError("The name must be 120 characters or fewer", field="name")
    code = slugify(name)[:60]
    if not code:
        raise DomainError("The name must contain letters or digits", field="name")
    with transaction.atomic(durable=True):
        clash = RegimeElement.objects.filter(name__iexact=name).exists() or (
            RegimeElement.objects.filter(code=code).exists()
        )
        if clash:
            raise DomainError(f"There is already a regime element called {name}", field="name")
        position = (RegimeElement.objects.aggregate(top=Max("position"))["top"] or 0) + 1
        element = RegimeElement(
            code=code, name=name, description=description.strip(), position=position
        )
        element.save()
        record_event(
            acting_user=acting_user,
            action="frameworks.add_regime_element",
            obj=element,
            summary=f"Added the regime element {name}",
            after={"code": code, "name": name, "description": element.description},
        )
        return element
