"""Forms of the framework library pages. They only parse what a person sent; the actions
decide what may change."""

from django import forms

from recovery.frameworks.actions import STAGE_FIELDS
from recovery.frameworks.constants import TagColour

MAX_EDM_FILE_BYTES = 512 * 1024


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


class StageForm(forms.Form):
    editable = STAGE_FIELDS

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
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

    @classmethod
    def initial_for(cls, stage) -> dict:
        return {"version": stage.version, **{name: getattr(stage, name) for name in STAGE_FIELDS}}

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.editable}


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
