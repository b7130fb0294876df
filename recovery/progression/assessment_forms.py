"""Forms of the readiness assessment pages. They only parse what a person typed; the actions in
assessments.py decide what may change and say why not."""

from django import forms

from recovery.core.forms import VersionedForm
from recovery.progression.assessments import ATTESTED_FIELDS
from recovery.progression.constants import UnionPosition


def _text(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=False, widget=forms.Textarea)


class AttestationsForm(VersionedForm):
    """What the establishment attests, with the evidence it names (edited through the one
    door for versioned edits)."""

    editable = ATTESTED_FIELDS

    staffing = _text(
        "Staffing against the regime",
        "What shows there are enough staff to deliver the regime, for example the detailing",
    )
    risk_assessments = _text(
        "Local risk assessments", "Which risk assessments are complete and who signed them"
    )
    safe_systems = _text(
        "Safe systems of work", "Which safe systems of work are in place and when they were issued"
    )
    justification = _text(
        "Why go ahead with a prerequisite not met",
        "Needed only when a prerequisite is not met when you submit",
    )


class TransitionForm(forms.Form):
    """A step on the route: carries the version of the assessment it was opened at, so a
    decision taken on what has since changed is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def arguments(self) -> dict:
        """The action's keyword arguments from this form (beside the version)."""
        return {}


class SubmitForm(TransitionForm):
    justification = _text(
        "Why go ahead with a prerequisite not met",
        "Needed only when a prerequisite is not met",
    )

    def arguments(self) -> dict:
        return {"justification": self.cleaned_data["justification"]}


class ConsultForm(TransitionForm):
    position = forms.ChoiceField(
        label="The union's position",
        choices=UnionPosition.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the union's position",
            "invalid_choice": "Select the union's position",
        },
    )
    concerns = _text("The union's concerns", "Needed when the union has concerns")

    def arguments(self) -> dict:
        return {
            "position": self.cleaned_data["position"],
            "concerns": self.cleaned_data["concerns"],
        }


class EndorseForm(TransitionForm):
    comments = _text("Comments (optional)", "They go with the assessment to the national panel")

    def arguments(self) -> dict:
        return {"comments": self.cleaned_data["comments"]}


class ReturnForm(TransitionForm):
    reasons = _text("Why it is returned", "The establishment sees these reasons")

    def arguments(self) -> dict:
        return {"reasons": self.cleaned_data["reasons"]}


class WithdrawForm(TransitionForm):
    reason = _text("Why it is withdrawn (optional)")

    def arguments(self) -> dict:
        return {"reason": self.cleaned_data["reason"]}
