"""Pinning decisions to what they decided on.

Submitting an assessment freezes an `AssessmentSnapshot`: the assessment's own fields, every
prerequisite as it stood, and the plan (the EDM versions it answers, every answer and its
evidence list). Every later step (`SignOff`) records the snapshot its signer saw. When the plan
changes materially after a step, `plan_changes_since(snapshot)` lists what moved, baseline by
baseline, so a re-sign-off sees exactly that.

These are helpers of the service functions in assessments.py and panel.py: they run inside
their transaction, after their permission check."""

from dataclasses import dataclass

from django.utils import timezone

from recovery.core.scope import is_system
from recovery.plans.models import Evidence, PlanEdm, Response
from recovery.progression.models import AssessmentSnapshot, ReadinessAssessment, SignOff
from recovery.progression.prerequisites import prerequisites_for
from recovery.progression.rules import ASSESSMENT_WORKFLOW

# What counts as a material change of an answer (its owner's name does not).
MATERIAL_FIELDS = {
    "status": "Status",
    "chosen_option": "Option chosen",
    "compliance_confirmed": "Delivered as stipulated",
    "not_applicable_reason": "Reason it does not apply",
    "approach": "Approach",
    "target_date": "Target date",
    "evidence": "Evidence",
}


def _answer_key(edm_number: int, identifier: str) -> str:
    return f"{edm_number}/{identifier}"


def plan_content(plan) -> dict:
    """The plan as data: its EDM versions and every live answer with its evidence list."""
    return plan_contents([plan])[plan.pk]


def plan_contents(plans) -> dict[int, dict]:
    """`plan_content` of several plans at once, in three queries whatever their number."""
    plans = {plan.pk: plan for plan in plans}
    edms: dict[int, list[dict]] = {pk: [] for pk in plans}
    for pe in (
        PlanEdm.objects.filter(plan_id__in=plans)
        .select_related("edm_version__edm")
        .order_by("edm__number")
    ):
        edms[pe.plan_id].append(
            {
                "edm": pe.edm_version.edm.number,
                "version": pe.edm_version.version_number,
                "title": pe.edm_version.title,
            }
        )
    evidence: dict[int, list[str]] = {}
    for e in Evidence.objects.filter(response__plan_id__in=plans, removed_at__isnull=True).order_by(
        "added_at", "pk"
    ):
        evidence.setdefault(e.response_id, []).append(str(e))
    answers: dict[int, dict] = {pk: {} for pk in plans}
    for r in (
        Response.objects.filter(plan_id__in=plans, archived_at__isnull=True)
        .select_related("baseline__edm_version__edm")
        .order_by(
            "baseline__edm_version__edm__number", "baseline__area__position", "baseline__position"
        )
    ):
        b = r.baseline
        answers[r.plan_id][_answer_key(b.edm_version.edm.number, b.identifier)] = {
            "edm": b.edm_version.edm.number,
            "number": b.number,
            "mandatory": b.mandatory,
            "weighting": b.weighting,
            "status": r.status,
            "approach": r.approach,
            "owner": r.owner,
            "target_date": r.target_date.isoformat() if r.target_date else None,
            "chosen_option": r.chosen_option,
            "compliance_confirmed": r.compliance_confirmed,
            "not_applicable_reason": r.not_applicable_reason,
            "evidence": evidence.get(r.pk, []),
        }
    return {
        pk: {"plan": pk, "stage": plan.stage.number, "edms": edms[pk], "answers": answers[pk]}
        for pk, plan in plans.items()
    }


def snapshot_content(assessment: ReadinessAssessment) -> dict:
    return {
        "assessment": {
            "from_stage": assessment.from_stage.number,
            "to_stage": assessment.to_stage.number,
            "staffing": assessment.staffing,
            "risk_assessments": assessment.risk_assessments,
            "safe_systems": assessment.safe_systems,
            "justification": assessment.justification,
        },
        "prerequisites": [p.as_dict() for p in prerequisites_for(assessment)],
        "plan": plan_content(assessment.plan),
    }


def take_snapshot_in_transaction(assessment: ReadinessAssessment) -> AssessmentSnapshot:
    number = assessment.snapshots.count() + 1
    return AssessmentSnapshot.objects.create(
        assessment=assessment, number=number, content=snapshot_content(assessment)
    )


def latest_snapshot(assessment: ReadinessAssessment) -> AssessmentSnapshot | None:
    return assessment.snapshots.order_by("-number").first()


def sign_in_transaction(
    assessment: ReadinessAssessment, step: str, *, acting_user, comments: str = "", **fields
) -> SignOff:
    """Record one step of the route, pinned to the latest snapshot (the one the signer saw)."""
    return SignOff.objects.create(
        assessment=assessment,
        step=step,
        comments=comments,
        by=None if is_system(acting_user) else acting_user,
        by_name=acting_user.get_full_name() or str(acting_user),
        snapshot=fields.pop("snapshot", None) or latest_snapshot(assessment),
        **fields,
    )


def move_in_transaction(assessment: ReadinessAssessment, name: str, *, acting_user):
    """Take transition `name` (checked against the workflow table, the role and the object
    rules) on a locked assessment; stamps when it reached its new state. Returns (before,
    after)."""
    before, after = ASSESSMENT_WORKFLOW.move(acting_user, assessment, name)
    assessment.status_since = timezone.now()
    assessment.version += 1
    return before, after


def lock(assessment: ReadinessAssessment) -> ReadinessAssessment:
    return (
        ReadinessAssessment.objects.select_for_update()
        .select_related("establishment", "plan__stage", "from_stage", "to_stage")
        .get(pk=assessment.pk)
    )


# --- What moved since a snapshot ---------------------------------------------------------------


@dataclass(frozen=True)
class AnswerChange:
    """One baseline whose answer changed materially since the snapshot (or that was added to
    or removed from the plan)."""

    edm: int
    number: str
    what: str  # "changed", "added", "removed"
    fields: tuple[tuple[str, object, object], ...] = ()  # (label, then, now)


def _value(field: str, value):
    if field == "evidence":
        return ", ".join(value) if value else "none"
    if value in (None, ""):
        return "—"
    return value


def plan_changes_since(snapshot: AssessmentSnapshot, now: dict | None = None) -> list[AnswerChange]:
    """Baseline by baseline, what moved in the plan since `snapshot` was taken, including EDM
    versions the plan moved to. Empty when nothing material changed. `now` is the plan's
    `plan_content` when the caller has already read it (see `plan_contents`)."""
    then = snapshot.content["plan"]
    if now is None:
        now = plan_content(snapshot.assessment.plan)
    changes: list[AnswerChange] = []
    then_versions = {e["edm"]: e["version"] for e in then["edms"]}
    for e in now["edms"]:
        if then_versions.get(e["edm"]) != e["version"]:
            changes.append(
                AnswerChange(
                    e["edm"],
                    "",
                    "changed",
                    (("EDM version", then_versions.get(e["edm"], "—"), e["version"]),),
                )
            )
    for key, answer in now["answers"].items():
        before = then["answers"].get(key)
        if before is None:
            changes.append(AnswerChange(answer["edm"], answer["number"], "added"))
            continue
        moved = tuple(
            (label, _value(f, before.get(f)), _value(f, answer.get(f)))
            for f, label in MATERIAL_FIELDS.items()
            if before.get(f) != answer.get(f)
        )
        if moved:
            changes.append(AnswerChange(answer["edm"], answer["number"], "changed", moved))
    for key, answer in then["answers"].items():
        if key not in now["answers"]:
            changes.append(AnswerChange(answer["edm"], answer["number"], "removed"))
    return changes
