"""The form the centre sends a data call with. It reads what was typed; the action
(recovery.backlogs.datacalls.do_create_data_call) decides what may be sent."""

import datetime

from django import forms
from django.utils import timezone

from recovery.backlogs.constants import DataCallKind
from recovery.backlogs.models import Metric
from recovery.core.constants import UnitKind
from recovery.core.forms import date_fields, read_date
from recovery.estate.constants import EstablishmentType
from recovery.estate.models import OrganisationUnit

# Where an action's refusal about a value is shown on the form.
ERROR_FIELDS = {
    "period": "period_day",
    "deadline": "deadline_day",
    "establishments": "groups",
}


class DataCallForm(forms.Form):
    title = forms.CharField(label="Title", required=False)
    description = forms.CharField(
        label="What you are asking for and why", required=False, widget=forms.Textarea
    )
    kind = forms.ChoiceField(
        label="Kind of call", choices=DataCallKind.choices, initial=DataCallKind.STANDARD
    )
    metrics = forms.MultipleChoiceField(
        label="Metrics",
        required=False,
        help_text="Leave empty for a standard return: every metric of the standard return.",
    )
    groups = forms.MultipleChoiceField(
        label="Prison groups",
        required=False,
        help_text="Leave empty for every group.",
    )
    types = forms.MultipleChoiceField(
        label="Types of establishment",
        required=False,
        choices=EstablishmentType.choices,
        help_text="Leave empty for every type.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metrics"].choices = [
            (str(pk), name)
            for pk, name in Metric.objects.filter(active=True).values_list("pk", "name")
        ]
        self.fields["groups"].choices = list(
            OrganisationUnit.objects.filter(kind=UnitKind.PRISON_GROUP)
            .order_by("name")
            .values_list("code", "name")
        )
        date_fields(self, "period", "Period")
        date_fields(self, "deadline", "Deadline")

    def clean(self):
        data = super().clean()
        data["period_start"] = read_date(self, "period", "a day in the period", required=True)
        day = read_date(self, "deadline", "the deadline", required=True)
        data["deadline"] = (
            timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))
            if day
            else None
        )
        return data

    def chosen_metrics(self) -> list[Metric]:
        ids = [int(pk) for pk in self.cleaned_data.get("metrics") or []]
        metrics = Metric.objects.filter(active=True).select_related("weight_metric")
        if ids:
            return list(metrics.filter(pk__in=ids))
        if self.cleaned_data.get("kind") == DataCallKind.STANDARD:
            return list(metrics.filter(standard=True))
        return []
