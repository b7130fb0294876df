"""Forms of the probation pages. They parse what a person typed; the actions decide what may be
stored (recovery.probation.checks). Dates are three boxes (day, month, year), as GOV.UK asks."""

from django import forms

from recovery.core.forms import VersionedForm, date_fields, date_initial, read_date
from recovery.probation.actions import CAPACITY_FIELDS
from recovery.probation.constants import (
    OFFICE_RISK_CHECKS,
    WEEKDAYS,
    IndividualRiskOutcome,
    OfficeRiskOutcome,
    RequestKind,
)


def _whole(label: str, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        error_messages={
            "invalid": f"{label} must be a whole number",
            "required": f"Enter {label[0].lower() + label[1:]}",
        },
        **kwargs,
    )


def _reasons(label: str, what: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": f"Give the reasons for {what}"},
    )


class NoticeMixin:
    """Staff told, takes effect, exceptional with its reason: the two weeks' notice."""

    def add_notice_fields(self) -> None:
        date_fields(self, "staff_told", "Date staff were told")
        date_fields(self, "takes_effect", "Date it takes effect")
        self.fields["exceptional"] = forms.BooleanField(
            label="Exceptional: staff are given less than two weeks' notice", required=False
        )
        self.fields["exceptional_reason"] = forms.CharField(
            label="Why it is exceptional", widget=forms.Textarea, required=False
        )

    def read_notice(self, data: dict, *, staff_told_required: bool) -> None:
        data["staff_told_on"] = read_date(
            self, "staff_told", "the date staff were told", required=staff_told_required
        )
        data["takes_effect_on"] = read_date(
            self, "takes_effect", "the date it takes effect", required=True
        )


class GatewayForm(NoticeMixin, forms.Form):
    step = forms.TypedChoiceField(
        label="Step opened",
        choices=[(2, "Step 2"), (3, "Step 3")],
        coerce=int,
        error_messages={"required": "Choose the step ministers opened"},
    )
    reasons = _reasons("Ministers' reasons", "the gateway decision")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_fields(self, "decided", "Date ministers decided")
        self.add_notice_fields()

    def clean(self):
        data = super().clean()
        data["decided_on"] = read_date(self, "decided", "the date ministers decided", required=True)
        self.read_notice(data, staff_told_required=True)
        return data


class AskForm(forms.Form):
    unit = forms.ChoiceField(label="For", error_messages={"required": "Choose who it is for"})
    kind = forms.ChoiceField(
        label="What you ask for",
        choices=RequestKind.choices,
        error_messages={"required": "Choose what you are asking for"},
    )
    reasons = _reasons("Your reasons", "the request")

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, u.name) for u in units]


class DecideForm(NoticeMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("agree", "Agree"), ("refuse", "Refuse")],
        error_messages={"required": "Choose whether you agree or refuse"},
    )
    reasons = _reasons("Reasons", "the decision")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_notice_fields()

    def clean(self):
        data = super().clean()
        agree = data.get("decision") == "agree"
        data["staff_told_on"] = read_date(
            self, "staff_told", "the date staff were told", required=False
        )
        data["takes_effect_on"] = read_date(
            self, "takes_effect", "the date it takes effect", required=agree
        )
        return data


class CapacityForm(VersionedForm):
    """An office's capacity: through the one edit door."""

    editable = CAPACITY_FIELDS

    usable_rooms = _whole("Interview rooms usable with 2 m distancing", min_value=0, max_value=200)
    appointment_minutes = _whole("Appointment length (minutes)", min_value=5, max_value=480)
    cleaning_minutes = _whole(
        "Cleaning gap after each appointment (minutes)", min_value=0, max_value=240
    )
    max_on_site = _whole("Maximum people on site at once", min_value=0, max_value=2000)
    extended_opens_at = forms.TimeField(
        label="Extended hours: opens at",
        required=False,
        error_messages={"invalid": "Enter the opening time like 07:30"},
    )
    extended_closes_at = forms.TimeField(
        label="Extended hours: closes at",
        required=False,
        error_messages={"invalid": "Enter the closing time like 19:30"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for day in WEEKDAYS:
            self.fields[f"staff_{day}"] = _whole(
                f"Staff available on {day.capitalize()}", min_value=0, max_value=500
            )

    def staff_fields(self):
        return [self[f"staff_{day}"] for day in WEEKDAYS]

    def changes(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.editable}


class OfficeRiskForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=OfficeRiskOutcome.choices,
        error_messages={"required": "Choose the outcome of the assessment"},
    )
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_fields(self, "assessed", "Date of the assessment")
        for name, label in OFFICE_RISK_CHECKS.items():
            self.fields[name] = forms.BooleanField(label=label, required=False)

    def check_fields(self):
        return [self[name] for name in OFFICE_RISK_CHECKS]

    def clean(self):
        data = super().clean()
        data["assessed_on"] = read_date(
            self, "assessed", "the date of the assessment", required=True
        )
        return data


class IndividualRiskForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=IndividualRiskOutcome.choices,
        error_messages={"required": "Choose the outcome of the assessment"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_fields(self, "completed", "Date it was completed")

    def clean(self):
        data = super().clean()
        data["completed_on"] = read_date(
            self, "completed", "the date it was completed", required=True
        )
        return data


class SettingsForm(VersionedForm):
    editable = ("risk_assessment_valid_days",)
    risk_assessment_valid_days = _whole(
        "Office risk assessments stay current for (days)", min_value=1, max_value=366
    )


class GovernmentStepForm(VersionedForm):
    editable = ("starts_on", "summary")
    fields_of = {"starts_on": ("starts_day", "starts_month", "starts_year")}

    summary = forms.CharField(label="What it is", widget=forms.Textarea, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_fields(self, "starts", "Starts on")

    @classmethod
    def initial_for(cls, obj) -> dict:
        return {"summary": obj.summary, **date_initial("starts", obj.starts_on)}

    def clean(self):
        data = super().clean()
        data["starts_on"] = read_date(self, "starts", "the date it starts", required=False)
        return data

    def changes(self) -> dict:
        return {
            "starts_on": self.cleaned_data.get("starts_on"),
            "summary": self.cleaned_data.get("summary") or "",
        }
