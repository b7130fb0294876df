"""Declared workflows: the one mechanism for objects that move from state to state.

A workflow is data: the states (a TextChoices) and a table of named transitions, each with the
states it may start from, the state it leads to, and the scope permission (see
`recovery.core.scope`) that whoever takes it must hold on the object. The permission carries the
object rules too (segregation of duties: not the submitter, not an earlier signer), so one
`workflow.require(user, obj, "endorse")` answers "may this person take this step now?".

The service function of each transition (in the owning app's actions.py) locks the object, calls
`move`, saves, records the audit event and tells the next people. Nothing else changes a
workflow field: the table is the whole truth about what may follow what, and
`docs/access-policy.yaml` says who.

Both the EDM library (draft → published → withdrawn) and the sign-off chain of readiness
assessments use it (docs/decisions/0014-workflows.md)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models

from recovery.core import scope
from recovery.core.errors import DomainError


def _in_sentence(label: str) -> str:
    """A state's label inside a sentence: "Awaiting PGD endorsement" → "awaiting PGD
    endorsement" (only the first letter lowered, and not an initialism's)."""
    if label[:2].isupper():
        return label
    return label[:1].lower() + label[1:]


@dataclass(frozen=True)
class Transition:
    """One allowed step: `name` (its code, used by actions and audit events), the states it may
    be taken from, the state it leads to, the permission it needs, `label`, the words on its
    button ("Endorse"), and `past`, the same in a sentence ("endorsed")."""

    name: str
    sources: frozenset[str]
    target: str
    permission: str
    label: str
    past: str  # "endorsed": for messages ("it can be endorsed only when...")
    only_when: str | None = None  # "a draft": the sources in words, if their labels read badly


def transition(
    name: str,
    sources: Iterable[str] | str,
    target: str,
    *,
    permission: str,
    label: str,
    past: str,
    only_when: str | None = None,
) -> Transition:
    sources = (sources,) if isinstance(sources, str) else tuple(sources)
    return Transition(
        name=name,
        sources=frozenset(str(s) for s in sources),
        target=str(target),
        permission=permission,
        label=label,
        past=past,
        only_when=only_when,
    )


class Workflow:
    """The states of one kind of object and the transitions allowed between them."""

    def __init__(
        self,
        name: str,
        states: type[models.TextChoices],
        transitions: Iterable[Transition],
        *,
        field: str = "status",
        noun: str = "it",
        subject: Callable[[object], str] | None = None,
    ):
        """`noun` names the kind of object in refusals ("This stage change is ..."); `subject`,
        if given, names the one object instead ("EDM 950 version 1.0 is ...")."""
        self.name = name
        self.states = states
        self.field = field
        self.noun = noun
        self.subject = subject or (lambda obj: f"This {self.noun}")
        self.transitions: dict[str, Transition] = {}
        for t in transitions:
            unknown = (t.sources | {t.target}) - set(states.values)
            if unknown:
                raise ValueError(f"{name}.{t.name}: unknown states {sorted(unknown)}")
            if t.name in self.transitions:
                raise ValueError(f"{name}: transition {t.name} declared twice")
            self.transitions[t.name] = t

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def state_of(self, obj) -> str:
        return str(getattr(obj, self.field))

    def label_of(self, state: str) -> str:
        return self.states(state).label

    def targets_from(self, state: str) -> frozenset[str]:
        """Every state one step away from `state`."""
        return frozenset(t.target for t in self.transitions.values() if str(state) in t.sources)

    def table(self) -> dict[str, frozenset[str]]:
        """{state: the states it may move to}: the table as a whole, for documents and tests."""
        return {s: self.targets_from(s) for s in self.states.values}

    def from_state(self, state: str) -> list[Transition]:
        return [t for t in self.transitions.values() if str(state) in t.sources]

    def check(self, obj, name: str) -> Transition:
        """The transition `name`, if the object's state allows it; DomainError (in words) if
        not."""
        t = self.transitions[name]
        state = self.state_of(obj)
        if state not in t.sources:
            allowed = t.only_when or " or ".join(
                _in_sentence(self.label_of(s)) for s in self.states.values if s in t.sources
            )
            raise DomainError(
                f"{self.subject(obj)} is {_in_sentence(self.label_of(state))}: it can be "
                f"{t.past} only when it is {allowed}. Nothing was changed."
            )
        return t

    def require(self, user, obj, name: str) -> Transition:
        """May `user` take transition `name` on `obj` now? Scope and object rules first (so a
        person out of scope learns nothing about the object's state), then the state."""
        t = self.transitions[name]
        scope.require(user, t.permission, obj)
        return self.check(obj, name)

    def allows(self, user, obj, name: str) -> bool:
        t = self.transitions[name]
        return self.state_of(obj) in t.sources and scope.allows(user, t.permission, obj)

    def available(self, user, obj) -> list[Transition]:
        """The transitions `user` may take on `obj` now (for the buttons on its page)."""
        return [t for t in self.from_state(self.state_of(obj)) if self.allows(user, obj, t.name)]

    def move(self, user, obj, name: str) -> tuple[str, str]:
        """Check, then set the object's state field (the caller saves it, inside its
        transaction, with the object locked). Returns (before, after)."""
        t = self.require(user, obj, name)
        before = self.state_of(obj)
        setattr(obj, self.field, t.target)
        return before, t.target
