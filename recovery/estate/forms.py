"""Forms of the estate pages: the filter panel of the establishments list and the two edit
forms. They only parse what a person typed; the actions decide what may change."""

import datetime

from django import forms

from recovery.core.forms import VersionedForm
from recovery.estate.actions import ESTABLISHMENT_FIELDS, OFFICE_FIELDS
from recovery.estate.constants import (
    Category,
    EstablishmentStatus,
    EstablishmentType,
    Operator,
    ordered_categories,
)
from recovery.estate.queries import EstablishmentFilters

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]
INCLUDE_CLOSED = "yes"  # the value of the "Include closed establishments" checkbox


class EstablishmentFilterForm(forms.Form):
    group = forms.MultipleChoiceField(label="Prison group", required=False)
    type = forms.MultipleChoiceField(
        label="Type", required=False, choices=EstablishmentType.choices
    )
    category = forms.MultipleChoiceField(label="Category", required=False, choices=Category.choices)
    operator = forms.MultipleChoiceField(
        label="Public or private", required=False, choices=Operator.choices
    )
    q = forms.CharField(label="Name or code", required=False, max_length=100, strip=True)
    include_closed = forms.BooleanField(label="Include closed establishments", required=False)

    def __init__(self, *args, groups: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = groups

    def filters(self) -> EstablishmentFilters:
        """What was chosen; a value that is not on offer (an old bookmark) is ignored."""
        data = self.data
        offered = {
            name: {str(v) for v, _ in self.fields[name].choices}
            for name in ("group", "type", "category", "operator")
        }

        def chosen(name: str) -> tuple[str, ...]:
            return tuple(v for v in data.getlist(name) if v in offered[name])

        return EstablishmentFilters(
            groups=chosen("group"),
            types=chosen("type"),
            categories=chosen("category"),
            operators=chosen("operator"),
            text=(data.get("q") or "").strip()[:100],
            include_closed=data.get("include_closed") == INCLUDE_CLOSED,
        )


class EstablishmentForm(VersionedForm):
    editable = ESTABLISHMENT_FIELDS

    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={
            "required": "Enter the establishment's name",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    status = forms.ChoiceField(
        label="Status",
        choices=EstablishmentStatus.choices,
        widget=forms.RadioSelect,
        help_text=(
            "A closed establishment keeps its history and plans but leaves national counts, "
            "totals and default lists"
        ),
        error_messages={
            "required": "Select whether the establishment is open or closed",
            "invalid_choice": "Select whether the establishment is open or closed",
        },
    )
    establishment_type = forms.ChoiceField(
        label="Type",
        choices=EstablishmentType.choices,
        error_messages={
            "required": "Select the type of establishment",
            "invalid_choice": "Select the type of establishment",
        },
    )
    categories = forms.MultipleChoiceField(
        label="Categories",
        help_text="Select every category the establishment holds, or none if not set",
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select categories from the list"},
    )
    operator = forms.ChoiceField(
        label="Public or private",
        choices=Operator.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the establishment is public or private",
            "invalid_choice": "Select whether the establishment is public or private",
        },
    )
    operational_capacity = forms.IntegerField(
        label="Operational capacity",
        help_text="The number of people the establishment can hold safely; leave empty if "
        "not known",
        required=False,
        min_value=1,
        max_value=100_000,
        error_messages={
            "invalid": "Operational capacity must be a whole number, like 600",
            "min_value": "Operational capacity must be 1 or more",
            "max_value": "Operational capacity must be 100000 or fewer",
        },
    )
    population = forms.IntegerField(
        label="Population",
        help_text="The number of people held there now; leave empty if not known",
        required=False,
        min_value=0,
        max_value=100_000,
        error_messages={
            "invalid": "Population must be a whole number, like 550",
            "min_value": "Population must be 0 or more",
            "max_value": "Population must be 100000 or fewer",
        },
    )

    def clean_categories(self) -> list[str]:
        return ordered_categories(self.cleaned_data["categories"])

    @classmethod
    def initial_for(cls, establishment) -> dict:
        return {
            **{name: getattr(establishment, name) for name in ESTABLISHMENT_FIELDS},
            "version": establishment.version,
        }


class OfficeForm(VersionedForm):
    editable = OFFICE_FIELDS

    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={
            "required": "Enter the office's name",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    interview_rooms = forms.IntegerField(
        label="Interview rooms",
        help_text="Rooms where a supervision appointment can take place",
        min_value=0,
        max_value=1000,
        error_messages={
            "required": "Enter the number of interview rooms",
            "invalid": "Interview rooms must be a whole number, like 6",
            "min_value": "Interview rooms must be 0 or more",
            "max_value": "Interview rooms must be 1000 or fewer",
        },
    )
    opens_at = forms.TimeField(
        label="Opens at",
        help_text="Use the 24-hour clock, for example 09:00",
        input_formats=TIME_FORMATS,
        error_messages={
            "required": "Enter the time the office opens",
            "invalid": "Enter the time the office opens in the 24-hour clock, like 09:00",
        },
    )
    closes_at = forms.TimeField(
        label="Closes at",
        help_text="Use the 24-hour clock, for example 17:30",
        input_formats=TIME_FORMATS,
        error_messages={
            "required": "Enter the time the office closes",
            "invalid": "Enter the time the office closes in the 24-hour clock, like 17:30",
        },
    )
    days_open = forms.IntegerField(
        label="Days open a week",
        min_value=1,
        max_value=7,
        error_messages={
            "required": "Enter the number of days the office is open a week",
            "invalid": "Days open a week must be a whole number from 1 to 7",
            "min_value": "Days open a week must be a whole number from 1 to 7",
            "max_value": "Days open a week must be a whole number from 1 to 7",
        },
    )

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", "The closing time must be after the opening time")
        return cleaned

    @classmethod
    def initial_for(cls, office) -> dict:
        def hhmm(value: datetime.time) -> str:
            return f"{value:%H:%M}"

        return {
            "name": office.name,
            "interview_rooms": office.interview_rooms,
            "opens_at": hhmm(office.opens_at),
            "closes_at": hhmm(office.closes_at),
            "days_open": office.days_open,
            "version": office.version,
        }
