"""Probation recovery: probation's own three steps and the government's wider steps (reference
data), the ministers' gateway decisions that open a step nationally, regions' requests to hold
back or step back (decided by the Probation Business Recovery Programme), and each office's
capacity for face-to-face supervision with its risk assessments."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from recovery.core.models import VersionedModel
from recovery.probation.constants import (
    DEFAULT_RISK_ASSESSMENT_VALID_DAYS,
    IndividualRiskOutcome,
    OfficeRiskOutcome,
    RequestKind,
    RequestStatus,
)

USER = settings.AUTH_USER_MODEL


class ProbationStep(models.Model):
    """One of probation's three steps, in the roadmap's words (loaded by migration 0002)."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100)
    meaning = models.TextField("what it means")

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Step {self.number}"


class GovernmentStep(VersionedModel):
    """One of the government's wider steps ("Our Plan to Rebuild", Annex A of the roadmap):
    the date it starts, no earlier than which the probation step of the same number may start.
    `starts_on` is empty while the government has not set it."""

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100)
    starts_on = models.DateField("starts on", null=True, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Government step {self.number}"


class ProbationSettings(VersionedModel):
    """What the centre sets for probation recovery (one row)."""

    risk_assessment_valid_days = models.PositiveSmallIntegerField(
        "office risk assessments stay current for (days)",
        default=DEFAULT_RISK_ASSESSMENT_VALID_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
    )

    class Meta:
        verbose_name = "probation settings"
        verbose_name_plural = "probation settings"

    @classmethod
    def current(cls) -> "ProbationSettings":
        return cls.objects.order_by("pk").first() or cls()

    @property
    def scope_unit(self):
        from recovery.estate.models import OrganisationUnit

        return OrganisationUnit.objects.filter(parent__isnull=True).first()


class GatewayDecision(models.Model):
    """Ministers' "gateway" decision, at national level, to open a probation step: when they
    decided, their reasons, when staff were told and when it takes effect. Step one is the
    position the roadmap starts from; a decision opens step two or three, once each."""

    step = models.OneToOneField(ProbationStep, on_delete=models.PROTECT, related_name="gateway")
    decided_on = models.DateField("decided on")
    reasons = models.TextField()
    staff_told_on = models.DateField("staff told on")
    takes_effect_on = models.DateField("takes effect on")
    exceptional = models.BooleanField(default=False)
    exceptional_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_by_name = models.CharField(max_length=200)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["step__number"]

    def __str__(self) -> str:
        return f"Gateway to step {self.step.number}"

    @property
    def scope_unit(self):
        from recovery.estate.models import OrganisationUnit

        return OrganisationUnit.objects.filter(parent__isnull=True).first()


class StepRequest(VersionedModel):
    """A region's request, for itself or one of its PDUs, to hold back, step back or move
    forward again. `step` is the step the unit would be at. Once agreed, the unit stays at
    `step` from `takes_effect_on` (below the step of its region or the country), unless
    `follows_parent`: a move forward that reaches its region's (or the country's) step, after
    which it moves with them again."""

    unit = models.ForeignKey(
        "estate.OrganisationUnit", on_delete=models.PROTECT, related_name="step_requests"
    )
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    step = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3)])
    from_step = models.PositiveSmallIntegerField("step when asked")
    reasons = models.TextField()
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    requested_by_name = models.CharField(max_length=200)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by_name = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    takes_effect_on = models.DateField("takes effect on", null=True, blank=True)
    staff_told_on = models.DateField("staff told on", null=True, blank=True)
    exceptional = models.BooleanField(default=False)
    exceptional_reason = models.TextField(blank=True)
    follows_parent = models.BooleanField(default=False)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=models.Q(status="requested"),
                name="one_waiting_step_request_per_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.unit.name}"

    @property
    def scope_unit(self):
        return self.unit

    @property
    def kind_short(self) -> str:
        return {
            RequestKind.HOLD_BACK: "Hold back",
            RequestKind.STEP_BACK: "Step back",
            RequestKind.MOVE_FORWARD: "Move forward",
        }[self.kind]


class OfficeCapacity(VersionedModel):
    """What an office can offer for face-to-face supervision with distancing. Its opening hours
    and days are the office's own (recovery.estate.ProbationOffice); the extended hours are a
    scenario, never the office's hours. Staff available: people who can see someone face to
    face at the office on that day of the week."""

    office = models.OneToOneField(
        "estate.ProbationOffice", on_delete=models.PROTECT, related_name="capacity"
    )
    usable_rooms = models.PositiveSmallIntegerField(
        "interview rooms usable with 2 m distancing", default=0
    )
    appointment_minutes = models.PositiveSmallIntegerField(
        "appointment length (minutes)",
        default=45,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    cleaning_minutes = models.PositiveSmallIntegerField(
        "cleaning gap between appointments (minutes)",
        default=15,
        validators=[MaxValueValidator(240)],
    )
    max_on_site = models.PositiveSmallIntegerField(
        "maximum people on site at once for appointments", default=0
    )
    staff_monday = models.PositiveSmallIntegerField("staff available on Monday", default=0)
    staff_tuesday = models.PositiveSmallIntegerField("staff available on Tuesday", default=0)
    staff_wednesday = models.PositiveSmallIntegerField("staff available on Wednesday", default=0)
    staff_thursday = models.PositiveSmallIntegerField("staff available on Thursday", default=0)
    staff_friday = models.PositiveSmallIntegerField("staff available on Friday", default=0)
    staff_saturday = models.PositiveSmallIntegerField("staff available on Saturday", default=0)
    staff_sunday = models.PositiveSmallIntegerField("staff available on Sunday", default=0)
    extended_opens_at = models.TimeField("extended hours: opens at", null=True, blank=True)
    extended_closes_at = models.TimeField("extended hours: closes at", null=True, blank=True)

    class Meta:
        verbose_name_plural = "office capacities"

    def __str__(self) -> str:
        return f"Capacity of {self.office.name}"

    @property
    def scope_unit(self):
        return self.office


class OfficeRiskAssessment(models.Model):
    """An office's COVID-19 risk assessment: what it covered and its outcome. The latest one
    counts; it is current for the period the centre sets (ProbationSettings)."""

    office = models.ForeignKey(
        "estate.ProbationOffice", on_delete=models.PROTECT, related_name="risk_assessments"
    )
    assessed_on = models.DateField("assessed on")
    distancing = models.BooleanField(default=False)
    screens = models.BooleanField(default=False)
    one_way_routes = models.BooleanField(default=False)
    rotas = models.BooleanField(default=False)
    ppe_stock = models.BooleanField(default=False)
    outcome = models.CharField(max_length=20, choices=OfficeRiskOutcome.choices)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_by_name = models.CharField(max_length=200)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["office", "-assessed_on", "-pk"]
        indexes = [models.Index(fields=["office", "assessed_on"], name="office_risk_when")]

    def __str__(self) -> str:
        return f"Risk assessment of {self.office.name} on {self.assessed_on}"

    @property
    def scope_unit(self):
        return self.office


class IndividualRiskAssessment(models.Model):
    """That an individual risk assessment of a vulnerable member of staff was completed before
    they returned to the office, and its outcome: no name, no health details."""

    office = models.ForeignKey(
        "estate.ProbationOffice", on_delete=models.PROTECT, related_name="individual_assessments"
    )
    completed_on = models.DateField("completed on")
    outcome = models.CharField(max_length=20, choices=IndividualRiskOutcome.choices)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    recorded_by_name = models.CharField(max_length=200)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["office", "-completed_on", "-pk"]

    def __str__(self) -> str:
        return f"Individual risk assessment at {self.office.name} on {self.completed_on}"

    @property
    def scope_unit(self):
        return self.office


from recovery.probation.caseload_models import *  # noqa: E402,F401,F403
from recovery.probation.ministers_models import *  # noqa: E402,F401,F403
from recovery.probation.staffing_models import *  # noqa: E402,F401,F403
from recovery.probation.workstream_models import *  # noqa: E402,F401,F403
