"""The national panel's forms: opening a sitting, deciding an assessment, ratifying a move.
They turn what a person typed into values (with errors in words they can act on); the rules
of a decision are the action's (panel.py)."""

from django import forms

from recovery.core.forms import read_date
from recovery.progression import panel
from recovery.progression.panel_queries import open_sittings

DECISION_CHOICES = [
    ("approve", "Approve commencement"),
    ("defer", "Defer"),
    ("reject", "Reject"),
]


class OpenSittingForm(forms.Form):
    sits_on_day = forms.CharField(label="Date of the sitting", required=False)
    sits_on_month = forms.CharField(required=False)
    sits_on_year = forms.CharField(required=False)
    members = forms.MultipleChoiceField(
        label="Members sitting",
        help_text="Members of the central panel who sit.",
        error_messages={"required": "Choose the members of the panel who sit"},
    )
    title = forms.CharField(
        label="Title (optional)",
        required=False,
        max_length=200,
        help_text="For example, “Weekly sitting”.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in panel.central_panel_people()}
        self.fields["members"].choices = [
            (pk, p.get_full_name() or p.email) for pk, p in self.people.items()
        ]

    def clean(self):
        data = super().clean()
        data["sits_on"] = read_date(self, "sits_on", "the date of the sitting", required=True)
        data["member_people"] = [self.people[pk] for pk in data.get("members") or []]
        return data


class DecideForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    decision = forms.ChoiceField(
        label="Decision",
        choices=DECISION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve, defer or reject"},
    )
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea,
        required=False,
        help_text="Required to defer or reject; they go to the Governor and the PGD.",
    )
    commencement_day = forms.CharField(label="Commencement date", required=False)
    commencement_month = forms.CharField(required=False)
    commencement_year = forms.CharField(required=False)
    panel_order = forms.IntegerField(
        label="Order among the sites approved in this sitting (optional)",
        required=False,
        help_text="Leave blank for the next place.",
        error_messages={"invalid": "Enter the order as a whole number, like 2"},
    )
    sitting = forms.ChoiceField(label="Sitting", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_sittings = {str(s.pk): s for s in open_sittings()}
        self.fields["sitting"].choices = [("", "Not in a sitting")] + [
            (pk, str(s)) for pk, s in self.open_sittings.items()
        ]
        self.fields["sitting"].error_messages["invalid_choice"] = (
            "Choose an open sitting: that one is closed or does not exist"
        )

    def clean(self):
        data = super().clean()
        data["commencement_date"] = read_date(
            self, "commencement", "the commencement date", required=False
        )
        data["sitting_obj"] = self.open_sittings.get(data.get("sitting") or "")
        return data

    def decision_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "decision": data["decision"],
            "reasons": data.get("reasons") or "",
            "commencement_date": data.get("commencement_date"),
            "panel_order": data.get("panel_order"),
            "sitting": data.get("sitting_obj"),
            "expected_version": data["version"],
        }


class RatifyForm(forms.Form):
    change = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="Note (optional)", widget=forms.Textarea, required=False)
