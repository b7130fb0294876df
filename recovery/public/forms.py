"""Forms of the public app: the search of the public list (GET, works without JavaScript) and
the Governor's note."""

from django import forms

from recovery.core.forms import VersionedForm
from recovery.public.models import NOTE_MAX_LENGTH


class StatusSearchForm(forms.Form):
    name = forms.CharField(
        label="Prison name",
        required=False,
        max_length=100,
        error_messages={"max_length": "Enter 100 characters or fewer"},
    )
    stage = forms.TypedChoiceField(label="Stage", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, ladder: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "Any stage")] + [
            (s["number"], f"Stage {s['number']}: {s['name']}") for s in ladder
        ]
        self.fields["stage"].error_messages["invalid_choice"] = "Choose a stage from the list"

    def has_filters(self) -> bool:
        return bool(self.cleaned_data["name"].strip() or self.cleaned_data["stage"] is not None)

    def filters(self) -> dict:
        return {"name": self.cleaned_data["name"], "stage": self.cleaned_data["stage"]}


class NoteForm(VersionedForm):
    editable = ("text",)

    text = forms.CharField(
        label="Note for families and visitors",
        help_text=(
            "Shown to everyone on your prison's public status page, for example how to book "
            "a visit. Plain text; do not name anyone. Leave it empty to show no note."
        ),
        widget=forms.Textarea,
        required=False,
        max_length=NOTE_MAX_LENGTH,
        error_messages={"max_length": f"The note must be {NOTE_MAX_LENGTH} characters or fewer"},
    )
