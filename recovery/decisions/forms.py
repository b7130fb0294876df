"""Forms of the decision log. They parse what a person typed; the actions decide what may be
kept (recovery.decisions.checks). Dates are three boxes (day, month, year), as GOV.UK asks."""

from typing import Any

from django import forms

from recovery.core.forms import VersionedForm, date_fields, date_initial, read_date
from recovery.decisions.checks import (
    CONTENT_FIELDS,
    baseline_label,
    baselines_to_choose,
    deciders_of,
    metrics_to_choose,
)
from recovery.decisions.constants import ConcernKind, EntryStatus, Priority


def _text(label: str, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea, **kwargs)


class DecisionForm(forms.Form):
    """What a decision says. `establishment` gives the people who may be named as deciding."""

    title = forms.CharField(label="Title", required=False)
    decision = _text("Decision", required=False, help_text="What was decided")
    rationale = _text("Rationale", required=False, help_text="Why")
    options_considered = _text(
        "Options considered", required=False, help_text="The other options and why not them"
    )
    risks_accepted = _text(
        "Risks accepted", required=False, help_text="What could go wrong, and why it is accepted"
    )
    concerns_kind = forms.ChoiceField(
        label="What does the decision concern?",
        choices=ConcernKind.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    priority = forms.ChoiceField(
        label="Recovery priority",
        choices=[("", "Choose a priority"), *Priority.choices],
        required=False,
    )
    metric_id = forms.ChoiceField(label="Backlog", required=False)
    baseline_id = forms.ChoiceField(label="EDM baseline", required=False)
    concerns_other = forms.CharField(label="Something else: what it concerns", required=False)
    decided_by_id = forms.ChoiceField(label="Decided by", required=False)

    def __init__(self, *args, establishment, **kwargs):
        super().__init__(*args, **kwargs)
        self.establishment = establishment
        self.fields["metric_id"].choices = [("", "Choose a backlog")] + [
            (m.pk, m.name) for m in metrics_to_choose()
        ]
        self.fields["baseline_id"].choices = [("", "Choose a baseline")] + [
            (b.pk, f"{baseline_label(b)}: {b.text[:80]}") for b in baselines_to_choose()
        ]
        self.fields["decided_by_id"].choices = [("", "Choose a person")] + [
            (p.pk, p.get_full_name() or p.email) for p in deciders_of(establishment)
        ]
        date_fields(self, "decided", "Date decided")

    @classmethod
    def initial_for(cls, obj) -> dict:
        return {
            **{name: getattr(obj, name) for name in CONTENT_FIELDS if name != "decided_on"},
            **date_initial("decided", obj.decided_on),
        }

    def clean(self):
        data = super().clean()
        data["decided_on"] = read_date(
            self, "decided", "the date the decision was made", required=True
        )
        return data

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data.get("title") or "",
            "decision": data.get("decision") or "",
            "rationale": data.get("rationale") or "",
            "options_considered": data.get("options_considered") or "",
            "risks_accepted": data.get("risks_accepted") or "",
            "concerns_kind": data.get("concerns_kind") or "",
            "priority": data.get("priority") or "",
            "metric_id": int(data["metric_id"]) if data.get("metric_id") else None,
            "baseline_id": int(data["baseline_id"]) if data.get("baseline_id") else None,
            "concerns_other": data.get("concerns_other") or "",
            "decided_by_id": int(data["decided_by_id"]) if data.get("decided_by_id") else None,
            "decided_on": data.get("decided_on"),
        }


class DraftEditForm(VersionedForm, DecisionForm):
    """A draft's edit form, through the one edit door (a stale edit is refused)."""

    editable = tuple(name for name in CONTENT_FIELDS if name != "decided_by_name")
    fields_of = {"decided_on": ("decided_day", "decided_month", "decided_year")}

    @classmethod
    def initial_for(cls, obj) -> dict:
        return DecisionForm.initial_for(obj)

    def changes(self) -> dict[str, Any]:
        return DecisionForm.changes(self)


class VersionOnlyForm(forms.Form):
    """A confirmation (record, delete) naming the version the person saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# A domain error's field -> the form field it is shown against.
ERROR_FIELDS = {"decided_on": "decided_day"}


class LogFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any"), *EntryStatus.choices], required=False
    )
    concerns = forms.ChoiceField(label="Concerns", required=False)
    q = forms.CharField(label="Search title, decision and rationale", required=False)

    def __init__(self, *args, concern_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concerns"].choices = [("", "Anything"), *concern_choices]
        date_fields(self, "from", "Decided from")
        date_fields(self, "to", "Decided up to")

    def clean(self):
        data = super().clean()
        data["decided_from"] = read_date(self, "from", "the first date", required=False)
        data["decided_to"] = read_date(self, "to", "the last date", required=False)
        return data
