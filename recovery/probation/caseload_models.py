"""The caseload of each PDU (pseudonymised references only), the waves in which its cases move
to face-to-face supervision, and the review tasks each move creates.

- `Case`: one person on probation, by pseudonymised reference, as the last import stated them
  (with the moves made since). A re-import replaces the PDU's cases.
- `CaseloadImport`: when a PDU's caseload was last loaded, by whom, how many cases.
- `AllocationWave`: one small group moved to face-to-face supervision; "awaiting review" until
  reviewed, which it may be from one week after it started; a PDU's next wave waits for it.
- `CaseMove`: one case a wave moved (reference, category, from which mode; whether doorstep
  supervision continues alongside). Kept by reference, so a re-import leaves history alone.
- `ReviewTask`: a risk-management-plan or sentence-plan review a move created: workload of the
  PDU until done."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from recovery.probation.caseload_constants import ContactMode, Rosh, TaskKind

__all__ = ["AllocationWave", "Case", "CaseMove", "CaseloadImport", "ReviewTask"]

USER = settings.AUTH_USER_MODEL
REFERENCE_MAX = 20


class Case(models.Model):
    """One person on probation in a PDU's caseload. `category` is worked out at import
    (recovery.probation.caseload.category_of); `contact_mode` is the current mode;
    `doorstep_alongside`: doorstep supervision continues alongside face to face."""

    pdu = models.ForeignKey(
        "estate.OrganisationUnit", on_delete=models.PROTECT, related_name="probation_cases"
    )
    reference = models.CharField("case reference", max_length=REFERENCE_MAX)
    rosh = models.CharField("risk of serious harm", max_length=10, choices=Rosh.choices)
    domestic_abuse = models.BooleanField(default=False)
    child_safeguarding = models.BooleanField(default=False)
    contact_mode = models.CharField(max_length=20, choices=ContactMode.choices)
    lives_with_victim = models.BooleanField(default=False)
    lives_with_children_at_risk = models.BooleanField(default=False)
    category = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    doorstep_alongside = models.BooleanField(default=False)

    class Meta:
        ordering = ["pdu", "category", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["pdu", "reference"], name="one_case_per_reference")
        ]
        indexes = [models.Index(fields=["pdu", "contact_mode"], name="case_pdu_mode")]

    def __str__(self) -> str:
        return self.reference

    @property
    def scope_unit(self):
        return self.pdu


class CaseloadImport(models.Model):
    """The last load of a PDU's caseload (one row per PDU, replaced by each import)."""

    pdu = models.OneToOneField(
        "estate.OrganisationUnit", on_delete=models.PROTECT, related_name="caseload_import"
    )
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    imported_by_name = models.CharField(max_length=200)
    file_name = models.CharField(max_length=255, blank=True)
    cases = models.PositiveIntegerField()
    national = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Caseload of {self.pdu.name}"

    @property
    def scope_unit(self):
        return self.pdu


class AllocationWave(models.Model):
    """One wave of cases moved to face-to-face supervision. Awaiting review until
    `reviewed_at`; the review may be recorded from `review_due_on` (one week after it
    started). `moved_by_category`: {"1": {"doorstep": n, "audio": n, "video": n}, ...}."""

    pdu = models.ForeignKey(
        "estate.OrganisationUnit", on_delete=models.PROTECT, related_name="allocation_waves"
    )
    number = models.PositiveIntegerField()
    starts_on = models.DateField("starts on")
    review_due_on = models.DateField("review due on")
    weekly_capacity = models.PositiveIntegerField("face-to-face appointments a week")
    face_to_face_before = models.PositiveIntegerField("cases seen face to face before the wave")
    moved = models.PositiveIntegerField("cases moved")
    moved_by_category = models.JSONField(default=dict)
    doorstep_alongside = models.PositiveIntegerField("doorstep supervision continues", default=0)
    national = models.BooleanField(default=False)
    made_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    made_by_name = models.CharField(max_length=200)
    made_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_by_name = models.CharField(max_length=200, blank=True)
    review_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["pdu", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["pdu", "number"], name="wave_number_per_pdu"),
            models.UniqueConstraint(
                fields=["pdu"],
                condition=models.Q(reviewed_at__isnull=True),
                name="one_wave_awaiting_review_per_pdu",
            ),
        ]

    def __str__(self) -> str:
        return f"Wave {self.number} of {self.pdu.name}"

    @property
    def scope_unit(self):
        return self.pdu

    @property
    def reviewed(self) -> bool:
        return self.reviewed_at is not None


class CaseMove(models.Model):
    """One case a wave moved to face-to-face supervision."""

    wave = models.ForeignKey(AllocationWave, on_delete=models.PROTECT, related_name="moves")
    reference = models.CharField("case reference", max_length=REFERENCE_MAX)
    category = models.PositiveSmallIntegerField()
    from_mode = models.CharField(max_length=20, choices=ContactMode.choices)
    to_mode = models.CharField(max_length=20, choices=ContactMode.choices)
    doorstep_alongside = models.BooleanField(default=False)

    class Meta:
        ordering = ["wave", "category", "reference"]

    def __str__(self) -> str:
        return f"{self.reference} in {self.wave}"


class ReviewTask(models.Model):
    """A review a change of contact mode needs: workload of the PDU until `completed_on`."""

    pdu = models.ForeignKey(
        "estate.OrganisationUnit", on_delete=models.PROTECT, related_name="review_tasks"
    )
    wave = models.ForeignKey(AllocationWave, on_delete=models.PROTECT, related_name="tasks")
    reference = models.CharField("case reference", max_length=REFERENCE_MAX)
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    created_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pdu", "created_on", "reference", "kind"]
        indexes = [models.Index(fields=["pdu", "completed_on"], name="review_task_open")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.reference}"

    @property
    def scope_unit(self):
        return self.pdu
