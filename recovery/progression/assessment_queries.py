"""What the readiness assessment pages show, as plain data: an establishment's assessments,
what starting one needs, and one assessment with where it waits, its prerequisites (as things
stand while it is with the establishment, as submitted once it is on its way), the route as a
timeline of sign-offs, the snapshot each step saw and what moved in the plan since a step."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode

from recovery.core.scope import allows
from recovery.plans.models import Plan
from recovery.progression import queries
from recovery.progression.assessments import EDITABLE_FIELDS
from recovery.progression.constants import OPEN_ASSESSMENT_STATUSES, Step
from recovery.progression.constants import AssessmentStatus as A
from recovery.progression.models import AssessmentSnapshot, ReadinessAssessment, SignOff
from recovery.progression.prerequisites import Prerequisite, failing, prerequisites_for
from recovery.progression.rules import ASSESSMENT_WORKFLOW, PREPARE
from recovery.progression.signing import AnswerChange, plan_changes_since

STATUS_TAGS = {
    A.DRAFT: "govuk-tag--grey",
    A.AWAITING_UNION: "govuk-tag--blue",
    A.AWAITING_PGD: "govuk-tag--blue",
    A.AWAITING_PANEL: "govuk-tag--purple",
    A.DEFERRED: "govuk-tag--yellow",
    A.RETURNED: "govuk-tag--orange",
    A.APPROVED: "govuk-tag--green",
    A.REJECTED: "govuk-tag--red",
    A.WITHDRAWN: "govuk-tag--grey",
}

WAITING_ON = {
    A.DRAFT: "With the establishment: to be completed, then submitted by the Governor",
    A.AWAITING_UNION: "Waiting for the local trade union's consultation",
    A.AWAITING_PGD: "Waiting for the PGD (regional Silver) to endorse or return it",
    A.AWAITING_PANEL: "Waiting for a decision of the national panel",
    A.DEFERRED: "Deferred by the national panel: waiting for a later sitting",
    A.RETURNED: "Returned to the establishment: to be changed and submitted again",
    A.APPROVED: "Approved by the national panel",
    A.REJECTED: "Rejected by the national panel",
    A.WITHDRAWN: "Withdrawn by the establishment",
}

# The page of each step of the route (the panel's steps add theirs).
STEP_URL_NAMES = {
    "submit": "progression:assessment-submit",
    "consult": "progression:assessment-consult",
    "endorse": "progression:assessment-endorse",
    "return": "progression:assessment-return",
    "withdraw": "progression:assessment-withdraw",
    # The national panel's three decisions are one form (panel_views.decide).
    "approve": "progression:panel-decide",
    "defer": "progression:panel-decide",
    "reject": "progression:panel-decide",
}
DECISIONS = {"approve", "defer", "reject"}

DONE = {
    "submit": "The readiness assessment has been submitted. The local trade union has been told.",
    "consult": "The union's consultation has been recorded. The PGD has been told.",
    "endorse": "The readiness assessment has been endorsed. The national panel has been told.",
    "return": "The readiness assessment has been returned to the establishment.",
    "withdraw": "The readiness assessment has been withdrawn.",
}

# Steps that vouch for the plan: if it moved after one of them, the page says so.
VOUCHING_STEPS = {Step.ENDORSED, Step.APPROVED}


def done_message(name: str, assessment) -> str:
    return DONE.get(name, f"The readiness assessment has been {ASSESSMENT_WORKFLOW[name].past}.")


def not_editable_message(assessment) -> str:
    return (
        f"This readiness assessment is {assessment.get_status_display().lower()}: it can no "
        "longer be changed. It can be changed again only if the PGD returns it."
    )


def assessment_url(assessment) -> str:
    return reverse("progression:assessment", args=[assessment.pk])


# --- An establishment's assessments ------------------------------------------------------------


@dataclass
class AssessmentRow:
    assessment: ReadinessAssessment
    url: str
    tag: str
    waiting_on: str


def assessments_of(establishment) -> list[AssessmentRow]:
    found = ReadinessAssessment.objects.filter(establishment=establishment).select_related(
        "from_stage", "to_stage"
    )
    return [
        AssessmentRow(a, assessment_url(a), STATUS_TAGS[a.status], WAITING_ON[a.status])
        for a in found
    ]


@dataclass
class Starting:
    """What starting an assessment needs, said before the person presses the button."""

    current: object = None
    target: object = None
    plan_url: str = ""
    has_plan: bool = False
    open_one: ReadinessAssessment | None = None

    @property
    def possible(self) -> bool:
        return bool(self.current and self.target and self.has_plan and not self.open_one)


def what_starting_needs(establishment) -> Starting:
    current = queries.current_stage(establishment)
    target = queries.next_stage_up(current) if current else None
    open_one = ReadinessAssessment.objects.filter(
        establishment=establishment, status__in=OPEN_ASSESSMENT_STATUSES
    ).first()
    has_plan = bool(
        target and Plan.objects.filter(establishment=establishment, stage=target).exists()
    )
    plan_url = reverse("plans:plan", args=[establishment.code])
    if target:
        plan_url += "?" + urlencode({"stage": target.number})
    return Starting(current, target, plan_url, has_plan, open_one)


# --- One assessment ---------------------------------------------------------------------------


@dataclass
class RouteStep:
    sign_off: SignOff
    tag: str
    snapshot_number: int | None


STEP_TAGS = {
    Step.SUBMITTED: "govuk-tag--blue",
    Step.CONSULTED: "govuk-tag--blue",
    Step.ENDORSED: "govuk-tag--green",
    Step.RETURNED: "govuk-tag--orange",
    Step.APPROVED: "govuk-tag--green",
    Step.DEFERRED: "govuk-tag--yellow",
    Step.REJECTED: "govuk-tag--red",
    Step.WITHDRAWN: "govuk-tag--grey",
}


def route_of(assessment) -> list[RouteStep]:
    sign_offs = SignOff.objects.filter(assessment=assessment).select_related("snapshot")
    return [
        RouteStep(s, STEP_TAGS.get(s.step, "govuk-tag--grey"), getattr(s.snapshot, "number", None))
        for s in sign_offs.order_by("at", "pk")
    ]


@dataclass
class SnapshotView:
    snapshot: AssessmentSnapshot
    prerequisites: list[Prerequisite]
    attested: list[tuple[str, str]]
    edms: list[dict]
    answers: int
    met: int


@dataclass
class PlanMoved:
    """The plan changed after a step that vouched for it: what moved, baseline by baseline."""

    sign_off: SignOff
    changes: list[AnswerChange]


@dataclass
class AssessmentPage:
    status_tag: str
    waiting_on: str
    prerequisites: list[Prerequisite]
    prerequisites_as_submitted: AssessmentSnapshot | None
    failing: int
    attested: list[tuple[str, str]]
    route: list[RouteStep]
    snapshots: list[SnapshotView]
    plan_moved: list[PlanMoved]
    steps: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    may_edit: bool = False
    plan_url: str = ""


ATTESTED_LABELS = (
    ("staffing", "Staffing against the regime"),
    ("risk_assessments", "Local risk assessments"),
    ("safe_systems", "Safe systems of work"),
    ("justification", "Why go ahead with a prerequisite not met"),
)


def _attested(values: dict) -> list[tuple[str, str]]:
    return [(label, values.get(name) or "") for name, label in ATTESTED_LABELS]


def prerequisites_now(assessment) -> list[Prerequisite]:
    return prerequisites_for(assessment)


def _snapshot_view(snapshot: AssessmentSnapshot) -> SnapshotView:
    content = snapshot.content
    answers = content["plan"]["answers"].values()
    return SnapshotView(
        snapshot=snapshot,
        prerequisites=[Prerequisite.from_dict(p) for p in content["prerequisites"]],
        attested=_attested(content["assessment"]),
        edms=content["plan"]["edms"],
        answers=len(answers),
        met=sum(1 for a in answers if a["status"] == "met"),
    )


def _plan_moved(route: list[RouteStep]) -> list[PlanMoved]:
    """Each vouching step since the last submission whose snapshot the plan has moved on
    from (the changes of one snapshot worked out once)."""
    last_submission = max(
        (i for i, r in enumerate(route) if r.sign_off.step == Step.SUBMITTED), default=-1
    )
    changes_of: dict[int, list[AnswerChange]] = {}
    moved = []
    for step in route[last_submission + 1 :]:
        snapshot = step.sign_off.snapshot
        if step.sign_off.step not in VOUCHING_STEPS or snapshot is None:
            continue
        if snapshot.pk not in changes_of:
            changes_of[snapshot.pk] = plan_changes_since(snapshot)
        if changes_of[snapshot.pk]:
            moved.append(PlanMoved(step.sign_off, changes_of[snapshot.pk]))
    return moved


def _steps_for(user, assessment) -> list[tuple[str, str]]:
    steps = {}
    for t in ASSESSMENT_WORKFLOW.available(user, assessment):
        if t.name not in STEP_URL_NAMES:
            continue
        label = "Record the national decision" if t.name in DECISIONS else t.label
        steps.setdefault(reverse(STEP_URL_NAMES[t.name], args=[assessment.pk]), label)
    return [(label, url) for url, label in steps.items()]


def assessment_page(assessment: ReadinessAssessment, user) -> AssessmentPage:
    snapshots = list(assessment.snapshots.order_by("number"))
    with_establishment = assessment.status in EDITABLE_FIELDS
    if with_establishment or not snapshots:
        prerequisites, as_submitted = prerequisites_for(assessment), None
    else:
        as_submitted = snapshots[-1]
        prerequisites = [Prerequisite.from_dict(p) for p in as_submitted.content["prerequisites"]]
    route = route_of(assessment)
    plan_url = reverse("plans:plan", args=[assessment.establishment.code])
    return AssessmentPage(
        status_tag=STATUS_TAGS[assessment.status],
        waiting_on=WAITING_ON[assessment.status],
        prerequisites=prerequisites,
        prerequisites_as_submitted=as_submitted,
        failing=len(failing(prerequisites)),
        attested=_attested({n: getattr(assessment, n) for n, _ in ATTESTED_LABELS}),
        route=route,
        snapshots=[_snapshot_view(s) for s in reversed(snapshots)],
        plan_moved=_plan_moved(route),
        steps=_steps_for(user, assessment),
        may_edit=with_establishment and allows(user, PREPARE, assessment),
        plan_url=f"{plan_url}?{urlencode({'stage': assessment.to_stage.number})}",
    )
