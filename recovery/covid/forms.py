"""Forms of the Covid controls pages. They parse what a person typed; the actions decide what
may be stored (recovery.covid.checks), so a form, the spreadsheet and the API refuse alike.
Dates are three boxes (day, month, year), as GOV.UK asks."""

from django import forms

from recovery.core.forms import VersionedForm, date_fields, date_initial, read_date
from recovery.covid.checks import CONTROLS_FIELDS, COVERAGE_FIELDS, COVERAGE_LABELS


def _count_field(label: str, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        error_messages={"invalid": f"{label} must be a whole number"},
        **kwargs,
    )


class DeclareOutbreakForm(forms.Form):
    cases_staff = _count_field("Staff cases", required=False, help_text="Leave empty if not known")
    cases_prisoners = _count_field(
        "Prisoner cases", required=False, help_text="Leave empty if not known"
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_fields(self, "declared", "Date declared")

    def clean(self):
        data = super().clean()
        data["declared_on"] = read_date(
            self, "declared", "the date the outbreak was declared", required=True
        )
        return data


class EndOutbreakForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_fields(self, "ended", "Date ended")

    def clean(self):
        data = super().clean()
        data["ended_on"] = read_date(self, "ended", "the date the outbreak ended", required=True)
        return data


class ControlsForm(VersionedForm):
    """Coverage, contact-tracing lead and plan review: through the one edit door."""

    editable = CONTROLS_FIELDS
    fields_of = {
        "as_of": ("as_of_day", "as_of_month", "as_of_year"),
        "contingency_plan_reviewed_on": ("reviewed_day", "reviewed_month", "reviewed_year"),
    }

    staff_tested_percent = _count_field(COVERAGE_LABELS["staff_tested_percent"], required=False)
    prisoners_tested_percent = _count_field(
        COVERAGE_LABELS["prisoners_tested_percent"], required=False
    )
    staff_vaccinated_percent = _count_field(
        COVERAGE_LABELS["staff_vaccinated_percent"], required=False
    )
    prisoners_vaccinated_percent = _count_field(
        COVERAGE_LABELS["prisoners_vaccinated_percent"], required=False
    )
    contact_tracing_lead = forms.CharField(
        label="Contact-tracing lead",
        help_text="The person who leads contact tracing",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date_fields(self, "as_of", "Figures as of")
        date_fields(self, "reviewed", "Outbreak and contingency plan last reviewed")

    @classmethod
    def initial_for(cls, controls) -> dict:
        return {
            **{name: getattr(controls, name) for name in COVERAGE_FIELDS},
            "contact_tracing_lead": controls.contact_tracing_lead,
            **date_initial("as_of", controls.as_of),
            **date_initial("reviewed", controls.contingency_plan_reviewed_on),
        }

    def clean(self):
        data = super().clean()
        data["as_of"] = read_date(self, "as_of", "the date of the figures", required=False)
        data["contingency_plan_reviewed_on"] = read_date(
            self, "reviewed", "the date the plan was last reviewed", required=False
        )
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            **{name: data.get(name) for name in COVERAGE_FIELDS},
            "contact_tracing_lead": (data.get("contact_tracing_lead") or "").strip(),
            "as_of": data.get("as_of"),
            "contingency_plan_reviewed_on": data.get("contingency_plan_reviewed_on"),
        }


# A domain error's field -> the form field it is shown against.
CONTROLS_ERROR_FIELDS = {"as_of": "as_of_day", "contingency_plan_reviewed_on": "reviewed_day"}


class PpeForm(forms.Form):
    """Every PPE item on one form: stock and need, with the version each was read at."""

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"{line.item}_in_stock"] = _count_field(
                f"{line.label} in stock", required=False
            )
            self.fields[f"{line.item}_needed"] = _count_field(
                f"{line.label} needed", required=False
            )
            self.fields[f"{line.item}_version"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, min_value=0
            )
        date_fields(self, "counted", "Counted on")

    @staticmethod
    def initial_for(lines) -> dict:
        initial = {}
        for line in lines:
            initial[f"{line.item}_in_stock"] = line.in_stock
            initial[f"{line.item}_needed"] = line.needed
            initial[f"{line.item}_version"] = line.version
        return initial

    def rows(self):
        """(label, stock field, need field, version field) for each item, for the template."""
        return [
            (
                line,
                self[f"{line.item}_in_stock"],
                self[f"{line.item}_needed"],
                self[f"{line.item}_version"],
            )
            for line in self.lines
        ]

    def clean(self):
        data = super().clean()
        data["counted_on"] = read_date(
            self, "counted", "the date the stock was counted", required=False
        )
        for line in self.lines:
            stock, needed = data.get(f"{line.item}_in_stock"), data.get(f"{line.item}_needed")
            if (stock is None) != (needed is None) and not self.errors.get(f"{line.item}_in_stock"):
                empty = f"{line.item}_in_stock" if stock is None else f"{line.item}_needed"
                self.add_error(empty, f"Enter both the stock and the need of {line.label}")
        return data

    def counts(self):
        from recovery.covid.actions import PpeCount

        data = self.cleaned_data
        found = []
        for line in self.lines:
            stock, needed = data.get(f"{line.item}_in_stock"), data.get(f"{line.item}_needed")
            if stock is None and needed is None:
                continue
            version = data.get(f"{line.item}_version")
            found.append(PpeCount(line.item, stock, needed, version if version is not None else 0))
        return found


class CovidUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the Covid controls spreadsheet",
        error_messages={
            "required": "Choose the spreadsheet to upload",
            "empty": "The selected file is empty",
        },
    )
