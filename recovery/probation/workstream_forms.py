"""Forms of the Recovery Programme Board's pages. They parse what a person typed; the actions
(recovery.probation.workstream_actions) decide what may be stored. Dates are three boxes."""

from django import forms

from recovery.core.forms import VersionedForm, date_fields, date_initial, read_date
from recovery.probation.workstream_models import WorkstreamRag

RAG_CHOICES = WorkstreamRag.choices


def _text(label: str, *, required: bool = True, area: bool = False, max_length=300, what=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea if area else forms.TextInput,
        error_messages={
            "required": f"Enter {what or label[0].lower() + label[1:]}",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
        },
    )


def _rag(label: str, what: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=RAG_CHOICES, error_messages={"required": f"Choose {what}"}
    )


class LeadForm(VersionedForm):
    editable = ("lead",)
    lead = _text("Lead", required=False, max_length=200)


class UpdateForm(forms.Form):
    rag = _rag("RAG status", "the RAG status")
    summary = _text("Summary for the Board", area=True, max_length=5000, what="a summary")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_fields(self, "reported", "Reported on")

    def clean(self):
        data = super().clean()
        data["reported_on"] = read_date(self, "reported", "the date of the update", required=True)
        return data


class _MilestoneFields:
    def add_date(self) -> None:
        date_fields(self, "due", "Due on")

    def read_due(self, data: dict) -> None:
        data["due_on"] = read_date(self, "due", "the date it is due", required=True)


class MilestoneForm(_MilestoneFields, forms.Form):
    title = _text("Milestone", what="the milestone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_date()

    def clean(self):
        data = super().clean()
        self.read_due(data)
        return data


class MilestoneEditForm(_MilestoneFields, VersionedForm):
    editable = ("title", "due_on")
    fields_of = {"due_on": ("due_day", "due_month", "due_year")}
    title = _text("Milestone", what="the milestone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_date()

    @classmethod
    def initial_for(cls, obj) -> dict:
        return {"title": obj.title, **date_initial("due", obj.due_on)}

    def clean(self):
        data = super().clean()
        self.read_due(data)
        return data

    def changes(self) -> dict:
        return {"title": self.cleaned_data.get("title"), "due_on": self.cleaned_data.get("due_on")}


class MilestoneDoneForm(VersionedForm):
    editable = ("done_on",)
    fields_of = {"done_on": ("done_day", "done_month", "done_year")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_fields(self, "done", "Done on")

    @classmethod
    def initial_for(cls, obj) -> dict:
        return date_initial("done", obj.done_on)

    def clean(self):
        data = super().clean()
        data["done_on"] = read_date(self, "done", "the date it was done", required=True)
        return data

    def changes(self) -> dict:
        return {"done_on": self.cleaned_data.get("done_on")}


class _IssueFields(forms.Form):
    title = _text("Issue", what="the issue")
    detail = _text("Detail (optional)", required=False, area=True, max_length=5000)
    rag = _rag("Severity", "how severe the issue is")
    owner = _text("Owner (optional)", required=False, max_length=200)


class IssueForm(_IssueFields):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_fields(self, "raised", "Raised on")

    def clean(self):
        data = super().clean()
        data["raised_on"] = read_date(self, "raised", "the date it was raised", required=True)
        return data


class IssueEditForm(VersionedForm, _IssueFields):
    editable = ("title", "detail", "rag", "owner")

    def changes(self) -> dict:
        return {name: self.cleaned_data.get(name) or "" for name in self.editable}


class IssueCloseForm(VersionedForm):
    editable = ("resolution", "closed_on")
    fields_of = {"closed_on": ("closed_day", "closed_month", "closed_year")}
    resolution = _text("How it was resolved", area=True, max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_fields(self, "closed", "Closed on")

    @classmethod
    def initial_for(cls, obj) -> dict:
        return {"resolution": obj.resolution, **date_initial("closed", obj.closed_on)}

    def clean(self):
        data = super().clean()
        data["closed_on"] = read_date(self, "closed", "the date it was closed", required=True)
        return data

    def changes(self) -> dict:
        return {
            "resolution": self.cleaned_data.get("resolution") or "",
            "closed_on": self.cleaned_data.get("closed_on"),
        }
