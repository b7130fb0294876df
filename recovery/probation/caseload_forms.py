"""Forms of the caseload and allocation pages."""

from django import forms


class CaseloadUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the caseload (.xlsx or CSV)",
        error_messages={
            "required": "Choose the caseload file to upload",
            "empty": "The selected file is empty",
        },
    )


class WaveForm(forms.Form):
    limit = forms.IntegerField(
        label="Most cases to move in this wave (optional)",
        help_text="Leave empty to fill every free face-to-face place. Keep waves small.",
        required=False,
        min_value=1,
        max_value=100_000,
        error_messages={
            "invalid": "Enter the number of cases as a whole number, such as 20",
            "min_value": "A wave moves at least one case",
            "max_value": "Enter a number of cases no larger than 100,000",
        },
    )


class ReviewForm(forms.Form):
    notes = forms.CharField(
        label="What did the review of the wave find?",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Say what the review of the wave found"},
    )
