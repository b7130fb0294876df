"""The form of a PDU's week in the staffing hierarchy: the hours needed and the hours each rung
can give, through the one edit door (recovery.core.edits). It parses what a person typed; the
action decides what may be stored (recovery.probation.staffing_actions)."""

from decimal import Decimal

from django import forms

from recovery.core.forms import VersionedForm
from recovery.probation.staffing_actions import STAFFING_FIELDS
from recovery.probation.staffing_constants import HOURS_PLACES, MAX_HOURS, RUNGS


def hours_text(value: Decimal | None) -> str:
    """Hours as a person would type them: 40, 37.5."""
    if value is None:
        return ""
    return f"{Decimal(value).quantize(HOURS_PLACES):f}".removesuffix(".0")


def _hours(label: str, what: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=MAX_HOURS,
        max_digits=6,
        decimal_places=1,
        widget=forms.TextInput,
        error_messages={
            "required": f"Enter {what}, or 0",
            "invalid": f"{label} must be a number, like 37.5",
            "min_value": f"{label} cannot be negative: enter 0 or more",
            "max_value": f"{label} must be {MAX_HOURS:,} or fewer",
            "max_digits": f"{label} must be {MAX_HOURS:,} or fewer",
            "max_whole_digits": f"{label} must be {MAX_HOURS:,} or fewer",
            "max_decimal_places": f"{label} can have one decimal place at most, like 37.5",
        },
    )


class StaffingWeekForm(VersionedForm):
    editable = STAFFING_FIELDS

    hours_needed = _hours("Hours needed", "the staff hours the week's work needs")
    notes = forms.CharField(
        label="Notes (optional)", widget=forms.Textarea, required=False, max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for rung in RUNGS:
            self.fields[rung.field] = _hours(
                rung.label, f"the hours available from {rung.label.lower()}"
            )
            self.fields[rung.field].help_text = rung.roadmap

    def rung_fields(self):
        return [self[r.field] for r in RUNGS]

    @classmethod
    def initial_for(cls, obj) -> dict:
        return {
            **{name: hours_text(getattr(obj, name)) for name in STAFFING_FIELDS[:-1]},
            "notes": obj.notes,
        }

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            **{name: data.get(name).quantize(HOURS_PLACES) for name in STAFFING_FIELDS[:-1]},
            "notes": (data.get("notes") or "").strip(),
        }
