"""Domain errors. Their messages are written for the person who will read them."""

from dataclasses import dataclass, field


class DomainError(Exception):
    """A request the service refuses, with a message a user can act on."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The acting user may not do this here."""


@dataclass
class FieldChange:
    field: str
    label: str
    before: object
    after: object


def object_key(obj) -> str:
    """Which object a snapshot or a refusal is about: "plans.response:12"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


@dataclass
class StaleEditError(DomainError):
    """Someone else saved the object after the user opened it: their edit is refused."""

    object_label: str
    changes: list[FieldChange] = field(default_factory=list)
    changed_by: str = ""
    changed_at: object = None
    # "<app_label.model>:<pk>" of the object whose versions moved on (and whose audit events
    # `changes` come from): for a part of a draft, the draft.
    object_key: str = ""

    def __post_init__(self) -> None:
        who = f" by {self.changed_by}" if self.changed_by else ""
        super().__init__(
            f"{self.object_label} was changed{who} while you were editing it. "
            "Your changes have not been saved. Check the current values and make your "
            "changes again."
        )

    def in_words(self) -> str:
        """The refusal with what changed, for readers without the page's table (the API)."""
        if not self.changes:
            return self.message
        changed = "; ".join(
            f"{c.label}: {_shown(c.before)} → {_shown(c.after)}" for c in self.changes
        )
        return f"{self.message} What changed: {changed}."


def _shown(value: object) -> str:
    return "(blank)" if value in (None, "") else str(value)


@dataclass(frozen=True)
class Problem:
    """One problem in an uploaded file: where it is and why it is wrong."""

    sheet: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = [f"sheet '{self.sheet}'"] if self.sheet else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


class InvalidUpload(DomainError):
    """An upload with problems: rejected as a whole, every problem listed."""

    def __init__(self, problems: list[Problem], *, total: int | None = None):
        # `problems` may be the first of many (the import engine keeps a bounded number);
        # `total` counts them all.
        self.problems = problems
        self.total = len(problems) if total is None else total
        count = self.total
        super().__init__(
            f"The file has {count:,} problem{'s' if count != 1 else ''}. Nothing has been changed."
        )
