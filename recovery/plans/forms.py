"""Forms of the plan pages. They only parse what a person typed; the actions decide what may
change (recovery.plans.checks holds the rules every door shares)."""

import datetime

from django import forms

from recovery.core.forms import VersionedForm
from recovery.frameworks.constants import Autonomy
from recovery.plans.checks import RESPONSE_FIELDS
from recovery.plans.constants import ResponseStatus


class StartPlanForm(forms.Form):
    stage = forms.TypedChoiceField(
        label="Target stage",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the stage the plan is for",
            "invalid_choice": "Select the stage the plan is for",
        },
    )

    def __init__(self, *args, stages: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = stages


class ResponseForm(VersionedForm):
    # The model fields this form edits; the target date is three boxes (day, month, year).
    editable = RESPONSE_FIELDS
    fields_of = {"target_date": ("target_day", "target_month", "target_year")}

    status = forms.ChoiceField(
        label="Status",
        choices=ResponseStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the status of this baseline",
            "invalid_choice": "Select the status of this baseline",
        },
    )
    not_applicable_reason = forms.CharField(
        label="Why it does not apply", required=False, widget=forms.Textarea
    )
    chosen_option = forms.ChoiceField(
        label="Option chosen",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select one of the options listed"},
    )
    compliance_confirmed = forms.BooleanField(
        label="We deliver this baseline as stipulated", required=False
    )
    approach = forms.CharField(
        label="Approach",
        help_text="How the establishment will meet this baseline",
        required=False,
        widget=forms.Textarea,
    )
    owner = forms.CharField(
        label="Owner",
        help_text="The person or function responsible",
        required=False,
        max_length=200,
        error_messages={"max_length": "Owner must be 200 characters or fewer"},
    )
    assignee = forms.ChoiceField(
        label="Assigned to",
        help_text="Someone with an account who holds a role at this establishment",
        required=False,
        error_messages={"invalid_choice": "Select someone who holds a role at this establishment"},
    )
    target_day = forms.CharField(required=False)
    target_month = forms.CharField(required=False)
    target_year = forms.CharField(required=False)

    def __init__(self, *args, baseline, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.baseline = baseline
        self.fields["assignee"].choices = [("", "Nobody")] + [(str(p.pk), str(p)) for p in people]
        if baseline.mandatory:
            self.fields["status"].choices = [
                c for c in ResponseStatus.choices if c[0] != ResponseStatus.NOT_APPLICABLE
            ]
        self.fields["chosen_option"].choices = [(o, o) for o in baseline.options or []]
        if baseline.autonomy != Autonomy.PARTIAL:
            del self.fields["chosen_option"]
        if baseline.autonomy != Autonomy.LIMITED:
            del self.fields["compliance_confirmed"]

    @classmethod
    def initial_for(cls, response) -> dict:
        target = response.target_date
        return {
            "version": response.version,
            "status": response.status,
            "not_applicable_reason": response.not_applicable_reason,
            "chosen_option": response.chosen_option,
            "compliance_confirmed": response.compliance_confirmed,
            "approach": response.approach,
            "owner": response.owner,
            "assignee": str(response.assignee_id or ""),
            "target_day": target.day if target else "",
            "target_month": target.month if target else "",
            "target_year": target.year if target else "",
        }

    def clean(self):
        data = super().clean()
        parts = [(data.get(f"target_{p}") or "").strip() for p in ("day", "month", "year")]
        data["target_date"] = None
        if any(parts):
            if not all(parts):
                missing = [n for n, v in zip(("day", "month", "year"), parts, strict=True) if not v]
                self.add_error("target_day", f"Target date must include a {' and '.join(missing)}")
            else:
                try:
                    day, month, year = (int(p) for p in parts)
                    if year < 1000:
                        raise ValueError
                    data["target_date"] = datetime.date(year, month, day)
                except ValueError:
                    self.add_error("target_day", "Target date must be a real date")
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {
            "status": data["status"],
            "not_applicable_reason": data.get("not_applicable_reason", ""),
            "approach": data.get("approach", ""),
            "owner": data.get("owner", ""),
            "assignee": data.get("assignee") or None,
            "target_date": data.get("target_date"),
            # Saving the answer is the review a changed baseline asked for.
            "needs_review": False,
        }
        if "chosen_option" in self.fields:
            changes["chosen_option"] = data.get("chosen_option", "")
        if "compliance_confirmed" in self.fields:
            changes["compliance_confirmed"] = data.get("compliance_confirmed", False)
        return changes


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Upload a document",
        error_messages={"required": "Choose a file to upload", "empty": "The file is empty"},
    )


class LinkForm(forms.Form):
    url = forms.CharField(
        label="Web address", max_length=500, error_messages={"required": "Enter a web address"}
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Note", widget=forms.Textarea, error_messages={"required": "Write the note"}
    )


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the plan spreadsheet",
        error_messages={"required": "Choose the spreadsheet to upload"},
    )
