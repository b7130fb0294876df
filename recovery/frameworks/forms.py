"""Forms of the framework library pages. They only parse what a person sent; the actions
decide what may change."""

from django import forms

from recovery.core.forms import VersionedForm, read_date
from recovery.estate.constants import EstablishmentType
from recovery.frameworks.actions import STAGE_FIELDS
from recovery.frameworks.constants import (
    AUTONOMY_MEANINGS,
    WEIGHTING_MEANINGS,
    WEIGHTINGS,
    Autonomy,
    TagColour,
)
from recovery.frameworks.edm_file import BASELINE_KEYS, MAX_EDM_FILE_BYTES, baseline_values


class EdmUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload an EDM file",
        help_text="A YAML file (.yaml) in the library's format, up to 512 KB",
        error_messages={"required": "Select an EDM file to upload"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_EDM_FILE_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 512 KB")
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise forms.ValidationError("The selected file must be a YAML text file") from error


class StageForm(VersionedForm):
    editable = STAGE_FIELDS

    name = forms.CharField(
        label="Name",
        max_length=60,
        error_messages={
            "required": "Enter a name for the stage",
            "max_length": "The name must be 60 characters or fewer",
        },
    )
    colour = forms.ChoiceField(
        label="Colour",
        choices=TagColour.choices,
        error_messages={
            "required": "Choose a colour from the list",
            "invalid_choice": "Choose a colour from the list",
        },
    )
    meaning = forms.CharField(
        label="What it means",
        help_text="In plain English, for people who read the stage ladder",
        widget=forms.Textarea,
        error_messages={"required": "Say what the stage means"},
    )

    visits = forms.CharField(
        label="What it means for visits (optional)",
        help_text="For families and friends, shown on the public status page",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=500,
        error_messages={"max_length": "Say it in 500 characters or fewer"},
    )
    education = forms.CharField(
        label="What it means for education (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=500,
        error_messages={"max_length": "Say it in 500 characters or fewer"},
    )
    work = forms.CharField(
        label="What it means for work (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=500,
        error_messages={"max_length": "Say it in 500 characters or fewer"},
    )
    rotl = forms.CharField(
        label="What it means for release on temporary licence (ROTL) (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=500,
        error_messages={"max_length": "Say it in 500 characters or fewer"},
    )

    @classmethod
    def initial_for(cls, stage) -> dict:
        return {"version": stage.version, **{name: getattr(stage, name) for name in STAGE_FIELDS}}


class RegimeElementForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=120,
        error_messages={
            "required": "Enter a name for the regime element",
            "max_length": "The name must be 120 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description (optional)", widget=forms.Textarea, required=False
    )


# --- Building a draft -------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class DraftDetailsForm(VersionedForm):
    """A draft's details. Each field is one key of the EDM file; the file's own rules are then
    checked by the action (a version number's form, a known stage and element...)."""

    # The file keys it edits; the issue date is three boxes.
    editable = ("title", "issued", "stage", "element", "applies_to", "introduction")
    fields_of = {"issued": ("issued_day", "issued_month", "issued_year")}
    # The file key each field gives, for showing the file's rules against the field.
    field_for_key = {
        "title": "title",
        "issued": "issued_day",
        "stage": "stage",
        "element": "element",
        "applies_to": "applies_to",
        "introduction": "introduction",
    }

    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter the title",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    issued_day = forms.CharField(label="Issue date", required=False)
    issued_month = forms.CharField(required=False)
    issued_year = forms.CharField(required=False)
    element = forms.ChoiceField(
        label="Regime element",
        error_messages={
            "required": "Choose the regime element",
            "invalid_choice": "Choose the regime element",
        },
    )
    stage = forms.ChoiceField(
        label="Stage",
        error_messages={"required": "Choose the stage", "invalid_choice": "Choose the stage"},
    )
    applies_to = forms.MultipleChoiceField(
        label="Which types of establishment does it apply to?",
        choices=EstablishmentType.choices,
        error_messages={
            "required": "Choose at least one type of establishment it applies to",
            "invalid_choice": "Choose the types of establishment from the list",
        },
    )
    introduction = forms.CharField(
        label="Introduction (optional)",
        help_text="What the EDM is for",
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args, elements, stages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element"].choices = [("", "Choose a regime element")] + [
            (e.code, e.name) for e in elements
        ]
        self.fields["stage"].choices = [(str(s.number), f"{s.number}: {s.name}") for s in stages]

    @classmethod
    def values_of(cls, version) -> dict:
        return {
            "title": version.title,
            "issued": version.issued,
            "stage": version.stage.number,
            "element": version.element.code,
            "applies_to": sorted(version.applies_to),
            "introduction": version.introduction,
        }

    @classmethod
    def initial_for(cls, version) -> dict:
        return {
            "version": version.version,
            "title": version.title,
            "issued_day": version.issued.day,
            "issued_month": version.issued.month,
            "issued_year": version.issued.year,
            "element": version.element.code,
            "stage": str(version.stage.number),
            "applies_to": list(version.applies_to),
            "introduction": version.introduction,
        }

    def clean(self):
        data = super().clean()
        data["issued"] = read_date(self, "issued", "the issue date", required=True)
        return data

    def details(self) -> dict:
        """The details as the file's keys."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "issued": data["issued"],
            "stage": int(data["stage"]),
            "element": data["element"],
            "applies_to": sorted(data["applies_to"]),
            "introduction": data["introduction"],
        }

    def changes(self) -> dict:
        return self.details()


class NewDraftForm(DraftDetailsForm):
    field_for_key = {**DraftDetailsForm.field_for_key, "number": "number", "version": "edm_version"}

    number = forms.IntegerField(
        label="EDM number",
        help_text="The number it is known by, for example 18",
        min_value=1,
        error_messages={
            "required": "Enter the EDM number",
            "invalid": "The EDM number must be a whole number, like 18",
            "min_value": "The EDM number must be 1 or more",
        },
    )
    edm_version = forms.CharField(
        label="Version",
        help_text="As printed, for example 1.0",
        max_length=20,
        error_messages={
            "required": "Enter the version, for example 1.0",
            "max_length": "The version must be 20 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new draft has no lock yet, nor values it was opened with.
        del self.fields["version"], self.fields["opened"]
        self.order_fields(["number", "edm_version", "title"])

    def details(self) -> dict:
        return {
            "number": self.cleaned_data["number"],
            "version": self.cleaned_data["edm_version"],
            **super().details(),
        }


class NewVersionForm(forms.Form):
    field_for_key = {"version": "edm_version"}

    edm_version = forms.CharField(
        label="Version number of the new version",
        help_text="Higher than any version of this EDM, for example 1.1 or 2.0",
        max_length=20,
        error_messages={
            "required": "Enter the version number of the new version",
            "max_length": "The version must be 20 characters or fewer",
        },
    )


class AreaForm(VersionedForm):
    editable = ("number", "title")
    field_for_key = {"number": "number", "title": "title"}

    number = forms.CharField(
        label="Area number",
        help_text="As printed, for example 1",
        max_length=20,
        error_messages={
            "required": "Enter the area number",
            "max_length": "The area number must be 20 characters or fewer",
        },
    )
    title = forms.CharField(
        label="Title",
        help_text="The area or process, for example Start of sentence",
        max_length=200,
        error_messages={
            "required": "Enter the title of the area",
            "max_length": "The title must be 200 characters or fewer",
        },
    )


class BaselineForm(VersionedForm):
    """One baseline. Each field is one key of the file; the file's rules (a weighting for a
    mandatory baseline, options for partial autonomy only...) are checked by the action."""

    # The file keys it edits, and the area it belongs to.
    editable = ("area", *BASELINE_KEYS)
    fields_of = {"id": ("identifier",)}
    field_for_key = {
        "number": "number",
        "id": "identifier",
        "text": "text",
        "weighting": "weighting",
        "mandatory": "mandatory",
        "autonomy": "autonomy",
        "options": "options",
        "comments": "comments",
        "sources": "sources",
    }

    area = forms.ChoiceField(
        label="Area",
        error_messages={"required": "Choose the area", "invalid_choice": "Choose the area"},
    )
    number = forms.CharField(
        label="Baseline number",
        help_text="As printed, for example 3.1",
        max_length=20,
        error_messages={
            "required": "Enter the baseline number",
            "max_length": "The baseline number must be 20 characters or fewer",
        },
    )
    identifier = forms.CharField(
        label="Stable id (optional)",
        help_text="Matches this requirement across versions of the EDM. Leave it blank to use "
        "the number.",
        max_length=60,
        required=False,
        error_messages={"max_length": "The stable id must be 60 characters or fewer"},
    )
    text = forms.CharField(
        label="Requirement",
        widget=forms.Textarea,
        error_messages={"required": "Enter the requirement"},
    )
    mandatory = forms.ChoiceField(
        label="Is it mandatory or desirable?",
        choices=[("mandatory", "Mandatory"), ("desirable", "Desirable")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the baseline is mandatory or desirable",
            "invalid_choice": "Choose whether the baseline is mandatory or desirable",
        },
    )
    weighting = forms.ChoiceField(
        label="Weighting",
        choices=[
            *((str(w), f"{w}. {WEIGHTING_MEANINGS[w]}") for w in sorted(WEIGHTINGS, reverse=True)),
            ("", "No weighting (a desirable baseline only)"),
        ],
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose a weighting of 1, 2 or 3"},
    )
    autonomy = forms.ChoiceField(
        label="Autonomy",
        choices=[(a.value, f"{a.label}: {AUTONOMY_MEANINGS[a].lower()}") for a in Autonomy],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the autonomy",
            "invalid_choice": "Choose the autonomy",
        },
    )
    options = forms.CharField(
        label="Delivery options",
        help_text="One a line: at least two for partial autonomy; none otherwise",
        widget=forms.Textarea,
        required=False,
    )
    comments = forms.CharField(label="Comments (optional)", widget=forms.Textarea, required=False)
    sources = forms.CharField(
        label="Sources (optional)",
        help_text="Where the requirement comes from, one a line",
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(str(a.pk), f"{a.number}. {a.title}") for a in areas]

    @classmethod
    def values_of(cls, baseline) -> dict:
        return baseline_values(baseline, baseline.area_id)

    @classmethod
    def initial_for(cls, baseline) -> dict:
        return {
            "area": str(baseline.area_id),
            "number": baseline.number,
            "identifier": baseline.identifier,
            "text": baseline.text,
            "mandatory": "mandatory" if baseline.mandatory else "desirable",
            "weighting": "" if baseline.weighting is None else str(baseline.weighting),
            "autonomy": baseline.autonomy,
            "options": "\n".join(baseline.options),
            "comments": baseline.comments,
            "sources": "\n".join(baseline.sources),
        }

    def baseline(self) -> dict:
        """The baseline as the file's keys."""
        data = self.cleaned_data
        return {
            "number": data["number"],
            "id": data["identifier"],
            "text": data["text"],
            "weighting": int(data["weighting"]) if data["weighting"] else None,
            "mandatory": data["mandatory"] == "mandatory",
            "autonomy": data["autonomy"],
            "options": _lines(data["options"]),
            "comments": data["comments"],
            "sources": _lines(data["sources"]),
        }

    def changes(self) -> dict:
        return {"area": self.cleaned_data["area"], **self.baseline()}


class RemoveForm(forms.Form):
    """Confirming a removal: it only carries the refusal, if there is one (the lock version is
    read from the page as sent)."""

    field_for_key: dict = {}
