"""Readiness assessments, their sign-off chain, panel sittings, stage history and progress
reviews.

An establishment asks to move from its current stage to the next with a `ReadinessAssessment`
and its Regime Recovery Plan. Submitting freezes an `AssessmentSnapshot` (the assessment, its
prerequisites and the plan: versions, answers, evidence list); every `SignOff` on the route
records the snapshot it saw, so a decision stays pinned to what it decided on. The allowed
moves are the workflow table in `rules.py` (recovery.core.workflow).

`StageChange` rows are the stage history: an establishment's current stage is its latest
effective change (see `queries.current_stages`). Stages come from the ladder
(`frameworks.Stage`), never from numbers in code."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from recovery.core.models import VersionedModel
from recovery.progression.constants import (
    AssessmentStatus,
    ChangeKind,
    ChangeStatus,
    ReviewOutcome,
    ReviewStatus,
    SittingStatus,
    Step,
    UnionPosition,
)

USER = settings.AUTH_USER_MODEL


class ProgressionSettings(VersionedModel):
    """What the centre sets for readiness (one row): how recently the outbreak and
    contingency plan must have been reviewed, and the testing coverage a site needs."""

    contingency_review_days = models.PositiveSmallIntegerField(
        "contingency plan reviewed within (days)", default=28, validators=[MinValueValidator(1)]
    )
    min_staff_testing_percent = models.PositiveSmallIntegerField(
        "staff testing coverage needed (%)", default=80, validators=[MaxValueValidator(100)]
    )
    min_prisoner_testing_percent = models.PositiveSmallIntegerField(
        "prisoner testing coverage needed (%)", default=50, validators=[MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = "readiness settings"
        verbose_name_plural = "readiness settings"

    @classmethod
    def current(cls) -> "ProgressionSettings":
        return cls.objects.order_by("pk").first() or cls()


class PanelSitting(VersionedModel):
    """One sitting of the national Recovery Committee: its date and members, and the decisions
    taken in it (the `SignOff` rows that point at it)."""

    sits_on = models.DateField("date of the sitting")
    title = models.CharField(max_length=200, blank=True)
    members = models.ManyToManyField(USER, related_name="panel_sittings")
    status = models.CharField(
        max_length=10, choices=SittingStatus.choices, default=SittingStatus.OPEN
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    # The national unit: the sitting belongs to the centre (for the scope engine).
    unit = models.ForeignKey("estate.OrganisationUnit", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-sits_on", "-pk"]

    def __str__(self) -> str:
        return self.title or f"Panel sitting of {self.sits_on:%-d %B %Y}"

    @property
    def scope_unit(self):
        return self.unit


class ReadinessAssessment(VersionedModel):
    """An establishment's case to move from `from_stage` to `to_stage`, with its plan for
    `to_stage`. Editable while draft or returned; after submission only the route moves it."""

    establishment = models.ForeignKey(
        "estate.Establishment", on_delete=models.PROTECT, related_name="readiness_assessments"
    )
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, related_name="readiness_assessments"
    )
    from_stage = models.ForeignKey("frameworks.Stage", on_delete=models.PROTECT, related_name="+")
    to_stage = models.ForeignKey("frameworks.Stage", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
        db_index=True,
    )
    # What the service cannot know, attested by the establishment with evidence (free text
    # naming it; documents go on the plan's answers).
    staffing = models.TextField("staffing against the regime", blank=True)
    risk_assessments = models.TextField("local risk assessments", blank=True)
    safe_systems = models.TextField("safe systems of work", blank=True)
    # Required when submitting with a prerequisite that fails.
    justification = models.TextField("why submit with a failing prerequisite", blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    submitted_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When the assessment reached its current state (how long it has waited there).
    status_since = models.DateTimeField(null=True, blank=True)
    # The national decision: commencement date and order among the sites approved together.
    decided_at = models.DateTimeField(null=True, blank=True)
    commencement_date = models.DateField(null=True, blank=True)
    panel_order = models.PositiveSmallIntegerField(null=True, blank=True)
    sitting = models.ForeignKey(
        PanelSitting, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return (
            f"Readiness assessment of {self.establishment.name}: stage "
            f"{self.from_stage.number} to {self.to_stage.number}"
        )

    @property
    def scope_unit(self):
        return self.establishment

    def signer_ids(self) -> set[int]:
        """Who may not sign a further step: everyone who ever submitted it, and everyone who
        signed a step since it was last submitted (consulted, endorsed, decided). Returning
        and deferring are not signatures: the PGD who returned it may endorse it when it comes
        back, and a panel member who deferred it may decide it later."""
        steps = list(self.sign_offs.exclude(by__isnull=True).values_list("step", "by_id", "pk"))
        submissions = [pk for step, _, pk in steps if step == Step.SUBMITTED]
        last = max(submissions, default=0)
        signing = {Step.CONSULTED, Step.ENDORSED, Step.APPROVED, Step.REJECTED}
        return {by for step, by, _ in steps if step == Step.SUBMITTED} | {
            by for step, by, pk in steps if step in signing and pk > last
        }


class AssessmentSnapshot(models.Model):
    """What was submitted, frozen: the assessment's fields, each prerequisite with its result
    and evidence, and the plan (EDM versions, every answer, its evidence list). Never changed;
    a resubmission takes a new one (`number` 2, 3...)."""

    assessment = models.ForeignKey(
        ReadinessAssessment, on_delete=models.PROTECT, related_name="snapshots"
    )
    number = models.PositiveSmallIntegerField()
    taken_at = models.DateTimeField(auto_now_add=True)
    content = models.JSONField()

    class Meta:
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="snapshot_number")
        ]

    def __str__(self) -> str:
        return f"Snapshot {self.number} of {self.assessment}"

    @property
    def scope_unit(self):
        return self.assessment.establishment


class SignOff(models.Model):
    """One step of an assessment's route: who, when, what they said and which snapshot they
    saw. Kept for ever, so a returned assessment goes back with every comment."""

    assessment = models.ForeignKey(
        ReadinessAssessment, on_delete=models.PROTECT, related_name="sign_offs"
    )
    step = models.CharField(max_length=20, choices=Step.choices)
    union_position = models.CharField(max_length=20, choices=UnionPosition.choices, blank=True)
    comments = models.TextField(blank=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    by_name = models.CharField(max_length=200, help_text="As shown, kept if the person changes")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    snapshot = models.ForeignKey(
        AssessmentSnapshot, on_delete=models.PROTECT, null=True, related_name="sign_offs"
    )
    sitting = models.ForeignKey(
        PanelSitting, on_delete=models.PROTECT, null=True, blank=True, related_name="sign_offs"
    )
    commencement_date = models.DateField(null=True, blank=True)
    panel_order = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_step_display()} by {self.by_name}"

    @property
    def scope_unit(self):
        return self.assessment.establishment


class StageChange(VersionedModel):
    """One entry of an establishment's stage history: the stage it moved to, from which, from
    when, why, who decided and the decision behind it."""

    establishment = models.ForeignKey(
        "estate.Establishment", on_delete=models.PROTECT, related_name="stage_changes"
    )
    stage = models.ForeignKey("frameworks.Stage", on_delete=models.PROTECT, related_name="+")
    previous_stage = models.ForeignKey(
        "frameworks.Stage", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    effective_from = models.DateField(db_index=True)
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    status = models.CharField(
        max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.IN_EFFECT, db_index=True
    )
    reason = models.TextField()
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by_name = models.CharField(max_length=200)
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The decision behind it (at most one of these).
    assessment = models.ForeignKey(
        ReadinessAssessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stage_changes",
    )
    review = models.ForeignKey(
        "ProgressReview",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stage_changes",
    )
    outbreak = models.ForeignKey(
        "covid.Outbreak",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stage_changes",
    )
    # Confirmation of a proposed move, and its ratification by the panel.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ratified_at = models.DateTimeField(null=True, blank=True)
    ratified_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ratified_in = models.ForeignKey(
        PanelSitting, on_delete=models.PROTECT, null=True, blank=True, related_name="ratified"
    )
    ratification_note = models.TextField(blank=True)

    class Meta:
        ordering = ["establishment", "-effective_from", "-pk"]
        indexes = [
            models.Index(fields=["establishment", "effective_from"], name="stage_change_when")
        ]

    def __str__(self) -> str:
        return f"{self.establishment.name}: stage {self.stage.number} from {self.effective_from}"

    @property
    def scope_unit(self):
        return self.establishment


class ProgressReview(VersionedModel):
    """After commencement: the establishment reports progress through its PGD; the centre
    records progress, remain, slow or regress with reasons."""

    establishment = models.ForeignKey(
        "estate.Establishment", on_delete=models.PROTECT, related_name="progress_reviews"
    )
    stage = models.ForeignKey("frameworks.Stage", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.REPORTED
    )
    report = models.TextField("progress report")
    reported_at = models.DateTimeField(auto_now_add=True)
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    pgd_view = models.TextField("the PGD's view", blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    forwarded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices, blank=True)
    reasons = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-reported_at", "-pk"]

    def __str__(self) -> str:
        return f"Progress review of {self.establishment.name} at stage {self.stage.number}"

    @property
    def scope_unit(self):
        return self.establishment
