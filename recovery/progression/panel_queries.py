"""What the national panel reads: its queue (assessments awaiting a national decision, oldest
first, each with its prerequisites at a glance, the union's position, the PGD's endorsement and
whether the plan changed since), the moves to be ratified, its sittings, and a sitting's
decision record (the same rows for the page, the PDF and the spreadsheet)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from recovery.core.scope import unit_filter
from recovery.core.xlsx import Sheet
from recovery.progression.constants import (
    PANEL_QUEUE_STATUSES,
    ChangeStatus,
    SittingStatus,
    Step,
)
from recovery.progression.models import (
    AssessmentSnapshot,
    PanelSitting,
    ReadinessAssessment,
    SignOff,
    StageChange,
)
from recovery.progression.prerequisites import Prerequisite
from recovery.progression.rules import DECIDE, RATIFY
from recovery.progression.signing import AnswerChange, plan_changes_since, plan_contents

DECISION_STEPS = (Step.APPROVED, Step.DEFERRED, Step.REJECTED)


@dataclass
class QueueItem:
    """One assessment awaiting the panel, as the queue shows it."""

    assessment: ReadinessAssessment
    waiting_days: int
    prerequisites: list[Prerequisite]
    union: SignOff | None
    endorsement: SignOff | None
    changed_since_endorsement: list[AnswerChange] = field(default_factory=list)
    earlier_decisions: list[SignOff] = field(default_factory=list)

    @property
    def met(self) -> int:
        return sum(1 for p in self.prerequisites if p.met)

    @property
    def failing(self) -> list[Prerequisite]:
        return [p for p in self.prerequisites if not p.met]


def _since_last_submission(sign_offs: list[SignOff]) -> list[SignOff]:
    submitted = [i for i, s in enumerate(sign_offs) if s.step == Step.SUBMITTED]
    return sign_offs[submitted[-1] + 1 :] if submitted else sign_offs


def _last(sign_offs: list[SignOff], step: str) -> SignOff | None:
    return next((s for s in reversed(sign_offs) if s.step == step), None)


def queue_item(
    assessment: ReadinessAssessment,
    today: datetime.date | None = None,
    plan_now: dict | None = None,
) -> QueueItem:
    today = today or timezone.localdate()
    sign_offs = _since_last_submission(list(assessment.sign_offs.all()))
    snapshots = list(assessment.snapshots.all())
    latest = snapshots[-1] if snapshots else None
    endorsement = _last(sign_offs, Step.ENDORSED)
    submitted = assessment.submitted_at or assessment.created_at
    changed = []
    if endorsement is not None and endorsement.snapshot is not None:
        changed = plan_changes_since(endorsement.snapshot, plan_now)
    return QueueItem(
        assessment=assessment,
        waiting_days=(today - timezone.localdate(submitted)).days,
        prerequisites=[
            Prerequisite.from_dict(p)
            for p in (latest.content.get("prerequisites", []) if latest else [])
        ],
        union=_last(sign_offs, Step.CONSULTED),
        endorsement=endorsement,
        changed_since_endorsement=changed,
        earlier_decisions=[s for s in sign_offs if s.step in DECISION_STEPS],
    )


def _queue_assessments(user):
    return (
        ReadinessAssessment.objects.filter(status__in=PANEL_QUEUE_STATUSES)
        .filter(unit_filter(user, DECIDE, path_field="establishment__path"))
        .select_related("establishment", "plan__stage", "from_stage", "to_stage")
        .prefetch_related(
            Prefetch("sign_offs", queryset=SignOff.objects.select_related("snapshot")),
            Prefetch("snapshots", queryset=AssessmentSnapshot.objects.order_by("number")),
        )
        .order_by("submitted_at", "pk")
    )


def panel_queue(user, today: datetime.date | None = None) -> list[QueueItem]:
    """Assessments awaiting a national decision (and deferred ones), oldest submission first.
    A fixed number of queries however many wait: the plans are read all at once."""
    assessments = list(_queue_assessments(user))
    contents = plan_contents([a.plan for a in assessments])
    return [queue_item(a, today, contents[a.plan_id]) for a in assessments]


def to_be_ratified(user):
    """Moves that took effect at once and wait for the panel to ratify them, oldest first."""
    return (
        StageChange.objects.filter(status=ChangeStatus.TO_BE_RATIFIED)
        .filter(unit_filter(user, RATIFY, path_field="establishment__path"))
        .select_related("establishment", "stage", "previous_stage")
        .order_by("effective_from", "pk")
    )


def sittings():
    return PanelSitting.objects.prefetch_related("members").order_by("-sits_on", "-pk")


def open_sittings():
    return PanelSitting.objects.filter(status=SittingStatus.OPEN).order_by("-sits_on", "-pk")


# --- The decision record of a sitting ---------------------------------------------------------


@dataclass(frozen=True)
class DecisionRow:
    establishment: str
    code: str
    from_stage: str
    to_stage: str
    decision: str
    commencement_date: datetime.date | None
    order: int | None
    reasons: str
    by: str
    at: datetime.datetime
    # For an approval: the baselines whose answers moved since the snapshot it decided on.
    changed_since: tuple[AnswerChange, ...] = ()


@dataclass(frozen=True)
class RatificationRow:
    establishment: str
    code: str
    from_stage: str
    to_stage: str
    effective_from: datetime.date
    why: str
    note: str
    by: str
    at: datetime.datetime | None


@dataclass
class SittingRecord:
    sitting: PanelSitting
    members: list[str]
    decisions: list[DecisionRow]
    ratifications: list[RatificationRow]


def _stage(stage) -> str:
    return f"Stage {stage.number}: {stage.name}" if stage else "—"


def _name(user) -> str:
    return (user.get_full_name() or str(user)) if user else ""


def _changed_since_approval(sign_off: SignOff) -> tuple[AnswerChange, ...]:
    if sign_off.step != Step.APPROVED or sign_off.snapshot is None:
        return ()
    return tuple(plan_changes_since(sign_off.snapshot))


def sitting_record(sitting: PanelSitting) -> SittingRecord:
    """What the sitting decided: approvals in their order first, then deferrals and
    rejections as they were taken; and the moves it ratified."""
    decisions = [
        DecisionRow(
            establishment=s.assessment.establishment.name,
            code=s.assessment.establishment.code,
            from_stage=_stage(s.assessment.from_stage),
            to_stage=_stage(s.assessment.to_stage),
            decision=s.get_step_display(),
            commencement_date=s.commencement_date,
            order=s.panel_order,
            reasons=s.comments,
            by=s.by_name,
            at=s.at,
            changed_since=_changed_since_approval(s),
        )
        for s in SignOff.objects.filter(sitting=sitting, step__in=DECISION_STEPS)
        .select_related(
            "assessment__establishment",
            "assessment__from_stage",
            "assessment__to_stage",
            "assessment__plan",
            "snapshot__assessment__plan",
        )
        .order_by("at", "pk")
    ]
    decisions.sort(key=lambda d: (d.order is None, d.order or 0))
    ratifications = [
        RatificationRow(
            establishment=c.establishment.name,
            code=c.establishment.code,
            from_stage=_stage(c.previous_stage),
            to_stage=_stage(c.stage),
            effective_from=c.effective_from,
            why=c.reason,
            note=c.ratification_note,
            by=_name(c.ratified_by),
            at=c.ratified_at,
        )
        for c in sitting.ratified.select_related(
            "establishment", "stage", "previous_stage", "ratified_by"
        ).order_by("ratified_at", "pk")
    ]
    members = sorted(_name(m) for m in sitting.members.all())
    return SittingRecord(sitting, members, decisions, ratifications)


DECISION_HEADERS = [
    "Order",
    "Establishment",
    "Code",
    "From stage",
    "To stage",
    "Decision",
    "Commencement date",
    "Reasons",
    "Decided by",
    "Decided at",
    "Plan changed since (baselines)",
]
RATIFICATION_HEADERS = [
    "Establishment",
    "Code",
    "From stage",
    "To stage",
    "In effect from",
    "Why it moved",
    "Ratification note",
    "Ratified by",
    "Ratified at",
]


def _changes_in_words(changes: tuple[AnswerChange, ...]) -> str | None:
    if not changes:
        return None
    return "; ".join(
        f"EDM {c.edm}" + (f" baseline {c.number}" if c.number else "") + f" {c.what}"
        for c in changes
    )


def record_sheets(record: SittingRecord) -> list[Sheet]:
    """The decision record as spreadsheet sheets: the sitting, its decisions, its
    ratifications."""
    sitting = record.sitting
    return [
        Sheet(
            "Sitting",
            ["Sitting", "Date", "Members", "Status"],
            [
                [
                    str(sitting),
                    sitting.sits_on,
                    ", ".join(record.members),
                    sitting.get_status_display(),
                ]
            ],
        ),
        Sheet(
            "Decisions",
            DECISION_HEADERS,
            [
                [
                    d.order,
                    d.establishment,
                    d.code,
                    d.from_stage,
                    d.to_stage,
                    d.decision,
                    d.commencement_date,
                    d.reasons,
                    d.by,
                    d.at,
                    _changes_in_words(d.changed_since),
                ]
                for d in record.decisions
            ],
        ),
        Sheet(
            "Ratifications",
            RATIFICATION_HEADERS,
            [
                [
                    r.establishment,
                    r.code,
                    r.from_stage,
                    r.to_stage,
                    r.effective_from,
                    r.why,
                    r.note,
                    r.by,
                    r.at,
                ]
                for r in record.ratifications
            ],
        ),
    ]
