"""The forms of an establishment's progression page: recording its first stage, confirming,
dismissing and ratifying a move back, and the three steps of a progress review. Each names
the object it acts on in a hidden field; the view finds it within the establishment."""

from django import forms

from recovery.progression.constants import ReviewOutcome

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"]


class ObjectForm(forms.Form):
    """A form about one object on the page: its id in a hidden field, and ids of its inputs
    made unique on a page that shows several of the same form."""

    object_field = ""

    def __init__(self, *args, key: str = "", **kwargs):
        kwargs.setdefault("auto_id", f"{key}-%s" if key else "id_%s")
        super().__init__(*args, **kwargs)


class RecordStageForm(forms.Form):
    stage = forms.TypedChoiceField(
        label="Stage", coerce=int, error_messages={"required": "Choose the stage"}
    )
    effective_from = forms.DateField(
        label="At this stage since",
        help_text="For example, 23/3/2026",
        input_formats=DATE_FORMATS,
        error_messages={
            "required": "Enter the date it has been at this stage since",
            "invalid": "Enter a real date, for example 23/3/2026",
        },
    )
    reason = forms.CharField(
        label="Why (the decision or record it comes from)",
        widget=forms.Textarea,
        error_messages={"required": "Say where this stage comes from"},
    )

    def __init__(self, *args, stages=(), **kwargs):
        kwargs.setdefault("auto_id", "record-%s")
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(s.number, f"Stage {s.number}: {s.name}") for s in stages]


class ConfirmMoveForm(ObjectForm):
    change = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea)


class DismissMoveForm(ObjectForm):
    change = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why the move is not needed",
        widget=forms.Textarea,
        error_messages={"required": "Say why the move is not needed"},
    )


class RatifyForm(ObjectForm):
    change = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="Ratification note (optional)", required=False, widget=forms.Textarea
    )


class ReportProgressForm(forms.Form):
    report = forms.CharField(
        label="How the establishment is progressing at its stage",
        widget=forms.Textarea,
        error_messages={"required": "Say how the establishment is progressing"},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "report-%s")
        super().__init__(*args, **kwargs)


class ForwardProgressForm(ObjectForm):
    review = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    pgd_view = forms.CharField(
        label="Your view of the report",
        widget=forms.Textarea,
        error_messages={"required": "Give your view of the report"},
    )


class DecideProgressForm(ObjectForm):
    review = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label="Decision",
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose progress, remain, slow or regress"},
    )
    reasons = forms.CharField(
        label="Reasons",
        widget=forms.Textarea,
        error_messages={"required": "Give the reasons for the decision"},
    )
