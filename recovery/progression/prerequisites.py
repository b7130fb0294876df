"""The prerequisites of a readiness assessment: what the service knows (filled in, with its
evidence) and what the establishment attests (staffing, local risk assessments, safe systems of
work). A prerequisite that fails says why; submitting with one failing needs a recorded
justification (see assessments.py).

The thresholds come from `ProgressionSettings` (the centre sets them). Results are plain data,
so a snapshot freezes them as they were when the assessment was submitted."""

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from recovery.covid.models import CovidControls, Outbreak, PpeStock
from recovery.plans.constants import ResponseStatus
from recovery.plans.models import Response
from recovery.progression.constants import PrerequisiteKind
from recovery.progression.models import ProgressionSettings

PRECURSOR = 3


@dataclass(frozen=True)
class Prerequisite:
    key: str
    title: str
    kind: str  # PrerequisiteKind
    met: bool
    why: str  # what the service found, or what was attested, in one sentence
    evidence: list[str] = field(default_factory=list)

    @property
    def attested(self) -> bool:
        return self.kind == PrerequisiteKind.ATTESTED

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Prerequisite":
        return cls(**data)


def _percent(value) -> str:
    return "not recorded" if value is None else f"{value}%"


def mandatory_precursors(plan) -> Prerequisite:
    answers = list(
        Response.objects.filter(
            plan=plan,
            archived_at__isnull=True,
            baseline__mandatory=True,
            baseline__weighting=PRECURSOR,
        )
        .select_related("baseline__edm_version__edm")
        .order_by(
            "baseline__edm_version__edm__number", "baseline__area__position", "baseline__position"
        )
    )
    missing = [a for a in answers if a.status != ResponseStatus.MET]
    met = len(answers) - len(missing)
    title = "Every mandatory weight-3 baseline of the plan is met"
    if not answers:
        return Prerequisite(
            "precursors",
            title,
            PrerequisiteKind.KNOWN,
            False,
            "The plan has no mandatory weight-3 baseline to show.",
        )
    evidence = [
        f"EDM {a.baseline.edm_version.edm.number} baseline {a.baseline.number}: "
        f"{a.get_status_display().lower()}"
        for a in missing
    ]
    why = f"{met} of {len(answers)} met" + ("" if not missing else f"; {len(missing)} not met")
    return Prerequisite("precursors", title, PrerequisiteKind.KNOWN, not missing, why, evidence)


def no_open_outbreak(establishment) -> Prerequisite:
    title = "No open outbreak"
    outbreak = Outbreak.objects.filter(establishment=establishment, ended_on__isnull=True).first()
    if outbreak is None:
        last = Outbreak.objects.filter(establishment=establishment).order_by("-ended_on").first()
        why = (
            f"No open outbreak; the last ended on {last.ended_on:%-d %B %Y}"
            if last
            else "No outbreak recorded"
        )
        return Prerequisite("outbreak", title, PrerequisiteKind.KNOWN, True, why)
    return Prerequisite(
        "outbreak",
        title,
        PrerequisiteKind.KNOWN,
        False,
        f"In outbreak since {outbreak.declared_on:%-d %B %Y}",
    )


def ppe_stock(establishment) -> Prerequisite:
    title = "PPE stock at or above need"
    stock = list(PpeStock.objects.filter(establishment=establishment).order_by("item"))
    if not stock:
        return Prerequisite("ppe", title, PrerequisiteKind.KNOWN, False, "No PPE stock recorded")
    short = [s for s in stock if s.in_stock < s.needed]
    evidence = [
        f"{s.get_item_display()}: {s.in_stock:,} in stock, {s.needed:,} needed" for s in short
    ]
    why = (
        f"All {len(stock)} items at or above need"
        if not short
        else f"{len(short)} of {len(stock)} items below need"
    )
    return Prerequisite("ppe", title, PrerequisiteKind.KNOWN, not short, why, evidence)


def contingency_plan(controls, settings: ProgressionSettings, today: date) -> Prerequisite:
    days = settings.contingency_review_days
    title = f"Outbreak and contingency plan reviewed in the last {days} days"
    reviewed = controls.contingency_plan_reviewed_on if controls else None
    if reviewed is None:
        return Prerequisite(
            "contingency", title, PrerequisiteKind.KNOWN, False, "No review recorded"
        )
    met = reviewed >= today - timedelta(days=days)
    why = f"Last reviewed on {reviewed:%-d %B %Y} ({(today - reviewed).days} days ago)"
    return Prerequisite("contingency", title, PrerequisiteKind.KNOWN, met, why)


def testing_coverage(controls, settings: ProgressionSettings) -> Prerequisite:
    staff_needed = settings.min_staff_testing_percent
    prisoners_needed = settings.min_prisoner_testing_percent
    title = (
        f"Testing coverage: staff at least {staff_needed}%, prisoners at least {prisoners_needed}%"
    )
    staff = controls.staff_tested_percent if controls else None
    prisoners = controls.prisoners_tested_percent if controls else None
    met = (
        staff is not None
        and prisoners is not None
        and staff >= staff_needed
        and prisoners >= prisoners_needed
    )
    why = f"Staff tested: {_percent(staff)}; prisoners tested: {_percent(prisoners)}"
    return Prerequisite("testing", title, PrerequisiteKind.KNOWN, met, why)


ATTESTED = (
    ("staffing", "Staffing is enough to deliver the regime", "staffing"),
    ("risk_assessments", "Local risk assessments are complete", "risk_assessments"),
    ("safe_systems", "Safe systems of work are in place", "safe_systems"),
)


def attested(assessment) -> list[Prerequisite]:
    found = []
    for key, title, field_name in ATTESTED:
        text = (getattr(assessment, field_name, "") or "").strip()
        found.append(
            Prerequisite(
                key,
                title,
                PrerequisiteKind.ATTESTED,
                bool(text),
                text or "Not attested yet",
            )
        )
    return found


def prerequisites_for(assessment, *, today: date | None = None) -> list[Prerequisite]:
    """Every prerequisite of `assessment` as things stand now (the snapshot keeps them as they
    stood at submission)."""
    today = today or timezone.localdate()
    settings = ProgressionSettings.current()
    establishment = assessment.establishment
    controls = CovidControls.objects.filter(establishment=establishment).first()
    return [
        mandatory_precursors(assessment.plan),
        no_open_outbreak(establishment),
        ppe_stock(establishment),
        contingency_plan(controls, settings, today),
        testing_coverage(controls, settings),
        *attested(assessment),
    ]


def failing(prerequisites: list[Prerequisite]) -> list[Prerequisite]:
    return [p for p in prerequisites if not p.met]
