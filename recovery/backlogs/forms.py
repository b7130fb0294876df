"""Forms of the catalogue, settings, Local Recovery Plan and return pages. They parse what a
person typed; the actions decide what may be stored (recovery.backlogs.actions), so a form and
the spreadsheet refuse alike."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core import signing

from recovery.backlogs.constants import Aggregation, BacklogArea, Direction, MetricUnit
from recovery.backlogs.models import Metric
from recovery.core.forms import VersionedForm, date_fields, date_initial, read_date
from recovery.estate.constants import EstablishmentType

RETURN_OPENED_SALT = "recovery.backlogs.forms.ReturnForm.opened"


def _shown(value: Decimal | None) -> str:
    """A stored figure as a person types it: 12, not 12.00; 3.5, not 3.50."""
    if value is None:
        return ""
    return f"{value.normalize():f}"


class MetricForm(VersionedForm):
    editable = (
        "code",
        "name",
        "description",
        "area",
        "unit",
        "direction",
        "aggregation",
        "weight_metric",
        "establishment_types",
        "national_target",
        "amber_weeks",
        "amber_percent",
        "standard",
    )

    code = forms.SlugField(
        label="Code",
        max_length=60,
        help_text="Lower-case letters, numbers and hyphens: the code spreadsheets use",
        error_messages={"invalid": "The code may hold lower-case letters, numbers and hyphens"},
    )
    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(label="What it counts", required=False, widget=forms.Textarea)
    area = forms.ChoiceField(label="Backlog area", choices=BacklogArea.choices)
    unit = forms.ChoiceField(label="Unit", choices=MetricUnit.choices)
    direction = forms.ChoiceField(label="Better when", choices=Direction.choices)
    aggregation = forms.ChoiceField(
        label="Added up across establishments as", choices=Aggregation.choices
    )
    weight_metric = forms.ModelChoiceField(
        label="Weighted by",
        queryset=Metric.objects.none(),
        required=False,
        empty_label="Nothing (each establishment counts once)",
        help_text="For a weighted mean: the metric whose figure weighs each establishment's, "
        "for example staff in post",
    )
    establishment_types = forms.MultipleChoiceField(
        label="Reported by",
        choices=EstablishmentType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave every box empty for every type of establishment",
    )
    national_target = forms.DecimalField(
        label="National target",
        required=False,
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": "The national target must be a number"},
    )
    amber_weeks = forms.IntegerField(
        label="Amber within (weeks after the target date)", min_value=0, max_value=520
    )
    amber_percent = forms.IntegerField(
        label="Amber without a target date: within (% of target)", min_value=0, max_value=100
    )
    standard = forms.BooleanField(
        label="Part of the regular return", required=False, help_text="Untick for data calls only"
    )

    def __init__(self, *args, metric: Metric | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        others = Metric.objects.filter(active=True).order_by("order", "name")
        if metric is not None and metric.pk:
            others = others.exclude(pk=metric.pk)
        self.fields["weight_metric"].queryset = others

    @classmethod
    def initial_for(cls, metric) -> dict:
        values = {name: getattr(metric, name) for name in cls.editable}
        values["weight_metric"] = metric.weight_metric_id
        values["establishment_types"] = list(metric.establishment_types or [])
        return values

    @classmethod
    def values_of(cls, metric) -> dict[str, Any]:
        return cls.initial_for(metric)

    def changes(self) -> dict:
        changes = super().changes()
        weight = changes["weight_metric"]
        changes["weight_metric"] = weight.pk if weight is not None else None
        return changes


class ReturnSettingsForm(VersionedForm):
    editable = (
        "period_days",
        "deadline_days",
        "release_delay_hours",
        "trend_window",
        "suppression_threshold",
    )
    period_days = forms.IntegerField(label="Period (days)", min_value=1, max_value=366)
    deadline_days = forms.IntegerField(
        label="Return due (days after the period ends)", min_value=0, max_value=60
    )
    release_delay_hours = forms.IntegerField(
        label="Figures released (hours after the return deadline)", min_value=0, max_value=720
    )
    trend_window = forms.IntegerField(
        label="Trend over the last (periods)", min_value=2, max_value=104
    )
    suppression_threshold = forms.IntegerField(
        label="Suppress counts below",
        min_value=0,
        max_value=100,
        help_text="Outside the establishment, counts from 1 to one less than this are shown as "
        "'fewer than'; 0 switches it off",
    )


class LrpLineForm(VersionedForm):
    editable = (
        "baseline_value",
        "baseline_on",
        "target_value",
        "target_date",
        "owner",
        "owner_name",
        "approach",
    )
    fields_of = {
        "baseline_on": ("baseline_day", "baseline_month", "baseline_year"),
        "target_date": ("target_day", "target_month", "target_year"),
    }

    baseline_value = forms.CharField(label="Baseline", required=False)
    target_value = forms.CharField(label="Local target", required=False)
    owner = forms.ChoiceField(
        label="Owner",
        required=False,
        help_text="Someone with an account who holds a role at this establishment",
        error_messages={"invalid_choice": "Choose someone who holds a role at this establishment"},
    )
    owner_name = forms.CharField(
        label="Or the owner's name or post",
        required=False,
        max_length=200,
        help_text="For someone without an account, for example Head of Healthcare",
    )
    approach = forms.CharField(label="Approach", required=False, widget=forms.Textarea)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "Nobody chosen")] + [
            (str(p.pk), p.get_full_name() or p.email) for p in people
        ]
        date_fields(self, "baseline", "Baseline as of")
        date_fields(self, "target", "Target date")

    @classmethod
    def initial_for(cls, line) -> dict:
        return {
            "baseline_value": _shown(line.baseline_value),
            "target_value": _shown(line.target_value),
            "owner": str(line.owner_id or ""),
            "owner_name": line.owner_name,
            "approach": line.approach,
            **date_initial("baseline", line.baseline_on),
            **date_initial("target", line.target_date),
        }

    @classmethod
    def values_of(cls, line) -> dict[str, Any]:
        return {
            "baseline_value": _shown(line.baseline_value),
            "baseline_on": line.baseline_on,
            "target_value": _shown(line.target_value),
            "target_date": line.target_date,
            "owner": str(line.owner_id or ""),
            "owner_name": line.owner_name,
            "approach": line.approach,
        }

    def clean(self):
        data = super().clean()
        data["baseline_on"] = read_date(self, "baseline", "the baseline date", required=False)
        data["target_date"] = read_date(self, "target", "the target date", required=False)
        return data

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            "baseline_value": (data.get("baseline_value") or "").strip() or None,
            "baseline_on": data.get("baseline_on"),
            "target_value": (data.get("target_value") or "").strip() or None,
            "target_date": data.get("target_date"),
            "owner": data.get("owner") or None,
            "owner_name": data.get("owner_name", ""),
            "approach": data.get("approach", ""),
        }


class ReturnForm(forms.Form):
    """All the establishment's metrics for one period: one box each (`m<metric id>`), the
    return's version, and a signed snapshot of the figures the form was opened with, so that
    after a stale refusal the figures the person changed can be told from the others."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            metric = line.metric
            self.fields[f"m{metric.pk}"] = forms.CharField(
                label=metric.name, required=False, max_length=40
            )

    @staticmethod
    def snapshot(lines) -> str:
        return signing.dumps(
            {str(line.metric.pk): _shown(line.value) for line in lines}, salt=RETURN_OPENED_SALT
        )

    @classmethod
    def opened_on(cls, page):
        initial = {f"m{line.metric.pk}": _shown(line.value) for line in page.lines}
        initial.update(version=page.version, opened=cls.snapshot(page.lines))
        return cls(initial=initial, lines=page.lines)

    def values(self) -> dict[int, str]:
        return {
            line.metric.pk: (self.cleaned_data.get(f"m{line.metric.pk}") or "").strip()
            for line in self.lines
        }

    def after_stale(self, page):
        """The form after a stale refusal: what the person changed kept, every other figure the
        current one; the current version and snapshot."""
        try:
            opened = signing.loads(self.cleaned_data.get("opened") or "", salt=RETURN_OPENED_SALT)
        except signing.BadSignature:
            opened = {}
        fresh = type(self).opened_on(page)
        initial = dict(fresh.initial)
        for metric_id, typed in self.values().items():
            if str(metric_id) in opened and typed != opened[str(metric_id)]:
                initial[f"m{metric_id}"] = typed
        return type(self)(initial=initial, lines=page.lines)


class ReturnsUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the returns spreadsheet",
        error_messages={
            "required": "Choose the spreadsheet to upload",
            "empty": "The selected file is empty",
        },
    )
