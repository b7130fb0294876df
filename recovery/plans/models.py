"""Regime Recovery Plans: an establishment's local answer to every baseline of every published
EDM that applies to it, for one target stage.

A `Plan` answers a set of EDM versions (`PlanEdm`); each baseline of those versions has one
`Response`. Moving a plan to a new EDM version keeps every answer: unchanged ones carry over,
changed ones are flagged for review, and answers to removed baselines are archived, never
deleted."""

from django.conf import settings
from django.db import models

from recovery.core.models import VersionedModel
from recovery.plans.constants import EvidenceKind, ResponseStatus


class Plan(VersionedModel):
    """One establishment's Regime Recovery Plan for one target stage of the National
    Framework."""

    establishment = models.ForeignKey(
        "estate.Establishment", on_delete=models.PROTECT, related_name="recovery_plans"
    )
    stage = models.ForeignKey(
        "frameworks.Stage", on_delete=models.PROTECT, related_name="recovery_plans"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["establishment__name", "-stage__number"]
        constraints = [
            models.UniqueConstraint(fields=["establishment", "stage"], name="one_plan_per_stage")
        ]

    def __str__(self) -> str:
        return f"Regime Recovery Plan of {self.establishment.name} for stage {self.stage.number}"

    @property
    def scope_unit(self):
        return self.establishment


class PlanEdm(models.Model):
    """Which version of one EDM a plan answers."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="plan_edms")
    edm = models.ForeignKey("frameworks.Edm", on_delete=models.PROTECT, related_name="+")
    edm_version = models.ForeignKey(
        "frameworks.EdmVersion", on_delete=models.PROTECT, related_name="plan_edms"
    )
    moved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "edm__number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "edm"], name="plan_answers_one_version")
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.edm_version}"

    @property
    def scope_unit(self):
        return self.plan.establishment


class Response(VersionedModel):
    """The establishment's answer to one baseline.

    `status` (see `ResponseStatus`); `not_applicable_reason` is required with "not applicable",
    which a mandatory baseline never takes. `chosen_option` is one of a partial baseline's named
    options; `compliance_confirmed` records that a limited baseline is delivered as stipulated.
    `needs_review` is set when the baseline changed in a newer EDM version the plan moved to;
    `archived_at` when the baseline was removed (the answer is kept, read-only)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="responses")
    baseline = models.ForeignKey(
        "frameworks.Baseline", on_delete=models.PROTECT, related_name="plan_responses"
    )
    approach = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True)
    # The person with an account who owns the baseline; `owner` stays for someone without one.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_responses",
    )
    target_date = models.DateField("target date", null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.NOT_STARTED
    )
    not_applicable_reason = models.TextField("reason it does not apply", blank=True)
    chosen_option = models.CharField("option chosen", max_length=300, blank=True)
    compliance_confirmed = models.BooleanField("delivered as stipulated", default=False)
    needs_review = models.BooleanField(default=False)
    review_note = models.TextField(blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = [
            "plan",
            "baseline__edm_version__edm__number",
            "baseline__area__position",
            "baseline__position",
        ]
        constraints = [
            models.UniqueConstraint(fields=["plan", "baseline"], name="one_response_per_baseline"),
            models.CheckConstraint(
                condition=~models.Q(status=ResponseStatus.NOT_APPLICABLE)
                | ~models.Q(not_applicable_reason=""),
                name="not_applicable_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Baseline {self.baseline.number} of {self.plan}"

    @property
    def scope_unit(self):
        return self.plan.establishment


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"plans/evidence/{instance.response.plan.establishment.code}/{filename}"


class Evidence(models.Model):
    """Something that shows a baseline is (being) met: an uploaded document, a link or a
    note. Added and removed through actions; never edited in place."""

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(upload_to=evidence_path, blank=True, max_length=300)
    file_name = models.CharField(max_length=200, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    url = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.file_name or self.url or self.note[:60]

    @property
    def scope_unit(self):
        return self.response.plan.establishment


class ReminderSent(models.Model):
    """A reminder e-mailed to the person a baseline is assigned to: before its target date
    (`due_soon`) or once it has passed (`overdue`). Kept so that running the reminders again
    never sends the same one twice; a new target date gets new reminders."""

    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    KINDS = [(DUE_SOON, "Target date coming up"), (OVERDUE, "Target date passed")]

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField(max_length=10, choices=KINDS)
    target_date = models.DateField()
    sent_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "kind", "target_date"], name="one_reminder_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.target_date}) to {self.sent_to}"

    @property
    def scope_unit(self):
        return self.response.plan.establishment
