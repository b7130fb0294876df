"""What changed between two versions of an EDM, baseline by baseline.

Baselines are matched by their stable identifier (the YAML `id`, which defaults to the number),
so a renumbered baseline is "changed", not "removed and added". The plans app uses
`diff_versions` to tell each plan which answers need another look."""

from dataclasses import dataclass, field
from typing import Any

from recovery.frameworks.edm_file import AreaData, BaselineData, EdmDocument

# The changes that alter what an establishment must do: an answer to the old baseline needs
# another look. The rest (number, area, comments, sources) change how it reads, not what it asks.
MATERIAL_FIELDS = ("text", "weighting", "mandatory", "autonomy", "options")
COMPARED_FIELDS = ("number", "area", *MATERIAL_FIELDS, "comments", "sources")
FIELD_LABELS = {
    "number": "Number",
    "area": "Area",
    "text": "Requirement",
    "weighting": "Weighting",
    "mandatory": "Mandatory",
    "autonomy": "Autonomy",
    "options": "Options",
    "comments": "Comments",
    "sources": "Sources",
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any

    @property
    def label(self) -> str:
        return FIELD_LABELS[self.field]

    @property
    def material(self) -> bool:
        return self.field in MATERIAL_FIELDS

    @property
    def is_list(self) -> bool:
        return self.field in ("options", "sources")

    @property
    def shown_before(self) -> str | list[str]:
        return _for_people(self.field, self.before)

    @property
    def shown_after(self) -> str | list[str]:
        return _for_people(self.field, self.after)


def _for_people(name: str, value: Any) -> str | list[str]:
    if name in ("options", "sources"):
        return list(value)
    if name == "mandatory":
        return "Mandatory" if value else "Desirable"
    if value is None or value == "":
        return "None"
    if name == "autonomy":
        return str(value).capitalize()
    return str(value)


@dataclass(frozen=True)
class BaselineSnapshot:
    """A baseline as one version states it, for comparing."""

    identifier: str
    number: str
    area: str
    text: str
    weighting: int | None
    mandatory: bool
    autonomy: str
    options: tuple[str, ...]
    comments: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class BaselineChange:
    """One baseline that differs between the versions.

    `kind` is "added", "removed" or "changed"; `before`/`after` are None when it did not exist
    in that version; `changes` lists the fields that differ (for "changed")."""

    kind: str
    identifier: str
    before: BaselineSnapshot | None
    after: BaselineSnapshot | None
    changes: tuple[FieldChange, ...] = ()

    @property
    def number(self) -> str:
        return (self.after or self.before).number

    @property
    def summary(self) -> str:
        """One line a person reads: "Baseline 2.2 changed: weighting 2 → 3; requirement"."""
        if self.kind == "added":
            return f"Baseline {self.number} added"
        if self.kind == "removed":
            return f"Baseline {self.number} removed"
        parts = [
            f"{c.label.lower()} {_shown(c.before)} → {_shown(c.after)}"
            if c.field in ("weighting", "mandatory", "autonomy", "number")
            else f"{c.label.lower()} changed"
            for c in self.changes
        ]
        return f"Baseline {self.number} changed: {'; '.join(parts)}"

    @property
    def needs_review(self) -> bool:
        """Whether an answer to the old baseline needs another look."""
        return self.kind != "changed" or any(c.material for c in self.changes)


@dataclass(frozen=True)
class VersionDiff:
    """Everything that changed from `old_version` (None: nothing published before) to
    `new_version`, in the new version's order (removed baselines last, in the old order)."""

    number: int
    old_version: str | None
    new_version: str
    changes: tuple[BaselineChange, ...] = ()
    unchanged: tuple[str, ...] = field(default=())  # identifiers

    @property
    def added(self) -> list[BaselineChange]:
        return [c for c in self.changes if c.kind == "added"]

    @property
    def removed(self) -> list[BaselineChange]:
        return [c for c in self.changes if c.kind == "removed"]

    @property
    def changed(self) -> list[BaselineChange]:
        return [c for c in self.changes if c.kind == "changed"]

    @property
    def needs_review(self) -> list[str]:
        """Identifiers (in the new version where they still exist) whose answers need a look."""
        return [c.identifier for c in self.changes if c.needs_review]

    @property
    def summary(self) -> str:
        if self.old_version is None:
            return f"First published version: {len(self.changes)} baselines"
        parts = [
            f"{len(self.added)} added",
            f"{len(self.removed)} removed",
            f"{len(self.changed)} changed",
            f"{len(self.unchanged)} unchanged",
        ]
        return f"Against version {self.old_version}: " + ", ".join(parts)


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def snapshot(baseline: BaselineData, area: AreaData) -> BaselineSnapshot:
    return BaselineSnapshot(
        identifier=baseline.identifier,
        number=baseline.number,
        area=f"{area.number}. {area.title}",
        text=baseline.text,
        weighting=baseline.weighting,
        mandatory=baseline.mandatory,
        autonomy=baseline.autonomy,
        options=tuple(baseline.options),
        comments=baseline.comments,
        sources=tuple(baseline.sources),
    )


def snapshots_of(document: EdmDocument) -> dict[str, BaselineSnapshot]:
    return {b.identifier: snapshot(b, area) for area in document.areas for b in area.baselines}


def diff_documents(old: EdmDocument | None, new: EdmDocument) -> VersionDiff:
    before = snapshots_of(old) if old else {}
    after = snapshots_of(new)
    changes: list[BaselineChange] = []
    unchanged: list[str] = []
    for identifier, now in after.items():
        then = before.get(identifier)
        if then is None:
            changes.append(BaselineChange("added", identifier, None, now))
            continue
        fields = tuple(
            FieldChange(name, getattr(then, name), getattr(now, name))
            for name in COMPARED_FIELDS
            if getattr(then, name) != getattr(now, name)
        )
        if fields:
            changes.append(BaselineChange("changed", identifier, then, now, fields))
        else:
            unchanged.append(identifier)
    for identifier, then in before.items():
        if identifier not in after:
            changes.append(BaselineChange("removed", identifier, then, None))
    return VersionDiff(
        number=new.number,
        old_version=old.version if old else None,
        new_version=new.version,
        changes=tuple(changes),
        unchanged=tuple(unchanged),
    )


def diff_versions(old, new) -> VersionDiff:
    """The diff between two `EdmVersion`s of the same EDM (`old` may be None)."""
    from recovery.frameworks.queries import document_of

    return diff_documents(document_of(old) if old is not None else None, document_of(new))
