"""Covid controls of an establishment: its outbreak register, testing and vaccination
coverage, PPE stock against need, contact-tracing lead and the last review of its outbreak and
contingency plan. They feed readiness (recovery.progression) and an outbreak declared above the
lockdown stage proposes a regression."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from recovery.core.models import VersionedModel
from recovery.covid.constants import PpeItem

USER = settings.AUTH_USER_MODEL


class Outbreak(VersionedModel):
    """One outbreak: declared on a date, ended on a later one. An establishment is "in
    outbreak" while one of its outbreaks has no end date."""

    establishment = models.ForeignKey(
        "estate.Establishment", on_delete=models.PROTECT, related_name="outbreaks"
    )
    declared_on = models.DateField("declared on", db_index=True)
    declared_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    declared_by_name = models.CharField(max_length=200)
    ended_on = models.DateField("ended on", null=True, blank=True, db_index=True)
    ended_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_by_name = models.CharField(max_length=200, blank=True)
    cases_staff = models.PositiveIntegerField("staff cases", null=True, blank=True)
    cases_prisoners = models.PositiveIntegerField("prisoner cases", null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["establishment", "-declared_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("declared_on")),
                name="outbreak_ends_after_declared",
            ),
            # At most one open outbreak per establishment.
            models.UniqueConstraint(
                fields=["establishment"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_outbreak",
            ),
        ]

    def __str__(self) -> str:
        return f"Outbreak at {self.establishment.name} declared {self.declared_on}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    @property
    def scope_unit(self):
        return self.establishment


class CovidControls(VersionedModel):
    """The establishment's current coverage figures (percentages, empty when not known), its
    contact-tracing lead and when its outbreak and contingency plan was last reviewed. One row
    per establishment; every change is in the audit trail."""

    establishment = models.OneToOneField(
        "estate.Establishment", on_delete=models.PROTECT, related_name="covid_controls"
    )
    as_of = models.DateField("figures as of", null=True, blank=True)
    staff_tested_percent = models.PositiveSmallIntegerField(
        "staff tested (%)", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    prisoners_tested_percent = models.PositiveSmallIntegerField(
        "prisoners tested (%)", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    staff_vaccinated_percent = models.PositiveSmallIntegerField(
        "staff vaccinated (%)", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    prisoners_vaccinated_percent = models.PositiveSmallIntegerField(
        "prisoners vaccinated (%)", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    contact_tracing_lead = models.CharField(max_length=200, blank=True)
    contingency_plan_reviewed_on = models.DateField(
        "outbreak and contingency plan last reviewed", null=True, blank=True
    )

    class Meta:
        verbose_name_plural = "Covid controls"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(staff_tested_percent__lte=100)
                & models.Q(prisoners_tested_percent__lte=100)
                & models.Q(staff_vaccinated_percent__lte=100)
                & models.Q(prisoners_vaccinated_percent__lte=100),
                name="covid_coverage_at_most_100",
            )
        ]

    def __str__(self) -> str:
        return f"Covid controls of {self.establishment.name}"

    @property
    def scope_unit(self):
        return self.establishment


class PpeStock(VersionedModel):
    """Stock of one PPE item against what the establishment needs of it."""

    establishment = models.ForeignKey(
        "estate.Establishment", on_delete=models.PROTECT, related_name="ppe_stock"
    )
    item = models.CharField(max_length=30, choices=PpeItem.choices)
    in_stock = models.PositiveIntegerField("in stock")
    needed = models.PositiveIntegerField("needed")
    counted_on = models.DateField("counted on", null=True, blank=True)

    class Meta:
        ordering = ["establishment", "item"]
        constraints = [
            models.UniqueConstraint(fields=["establishment", "item"], name="one_stock_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} at {self.establishment.name}"

    @property
    def short_by(self) -> int:
        return max(0, self.needed - self.in_stock)

    @property
    def scope_unit(self):
        return self.establishment
