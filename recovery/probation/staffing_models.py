"""The staffing hierarchy (the roadmap's "Staffing"): for each PDU and each week (starting on a
Monday), the staff hours its work needs and the hours available from each rung of the
hierarchy. Which hours cover the need is worked out, never stored (recovery.probation.staffing:
the rungs are used in the roadmap's order).

- `StaffingWeek`: one PDU's week. Editable by the PDU's head (stale edits refused); the audit
  trail keeps every change, who made it and when."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from recovery.core.models import VersionedModel
from recovery.probation.staffing_constants import RUNGS

__all__ = ["StaffingWeek"]


def _hours(label: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=1,
        default=Decimal("0.0"),
        validators=[MinValueValidator(0)],
    )


class StaffingWeek(VersionedModel):
    """A PDU's week: the hours needed and the hours each rung of the staffing hierarchy can
    give. `week_start` is always a Monday."""

    pdu = models.ForeignKey(
        "estate.OrganisationUnit", on_delete=models.PROTECT, related_name="staffing_weeks"
    )
    week_start = models.DateField("week starting")
    hours_needed = _hours("hours needed")
    existing_staff_hours = _hours("hours from existing staff")
    overtime_hours = _hours("hours from overtime")
    agency_hours = _hours("hours from agency staff")
    redeployment_hours = _hours("hours from redeployment")
    returners_hours = _hours("hours from returners")
    other_departments_hours = _hours("hours from other government departments")
    third_sector_hours = _hours("hours from the third sector")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["pdu", "-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["pdu", "week_start"], name="one_staffing_week"),
            models.CheckConstraint(
                condition=models.Q(hours_needed__gte=0)
                & models.Q(existing_staff_hours__gte=0)
                & models.Q(overtime_hours__gte=0)
                & models.Q(agency_hours__gte=0)
                & models.Q(redeployment_hours__gte=0)
                & models.Q(returners_hours__gte=0)
                & models.Q(other_departments_hours__gte=0)
                & models.Q(third_sector_hours__gte=0),
                name="staffing_hours_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["week_start"], name="staffing_week_start")]

    def __str__(self) -> str:
        return f"Staffing of {self.pdu.name}, week starting {self.week_start:%-d %B %Y}"

    @property
    def scope_unit(self):
        return self.pdu

    def available(self) -> dict:
        return {r.key: getattr(self, r.field) for r in RUNGS}
