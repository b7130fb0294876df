"""The national and group stage pages: the stage picture on any date, filtered by group and
type, with a drill-down to each group and establishment and the same figures as a
spreadsheet. Reads come from national.py."""

from datetime import date

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from recovery.core.constants import UnitKind
from recovery.core.forms import PARTS, read_date
from recovery.core.views import scoped_get_or_404
from recovery.core.xlsx import xlsx_response
from recovery.estate.models import OrganisationUnit
from recovery.progression.national import (
    TYPE_CHOICES,
    Filters,
    groups_beneath,
    picture_sheets,
    stage_picture,
)
from recovery.progression.rules import VIEW_GROUP, VIEW_NATIONAL


class AsAtForm(forms.Form):
    """The date of the picture (day, month, year; today when left empty) and the filters. A
    date given as `?on=YYYY-MM-DD` (the spreadsheet link, a bookmark) is read too."""

    on_day = forms.CharField(required=False, max_length=2)
    on_month = forms.CharField(required=False, max_length=2)
    on_year = forms.CharField(required=False, max_length=4)
    on = forms.CharField(required=False, max_length=10)
    group = forms.MultipleChoiceField(label="Prison group", required=False)
    type = forms.MultipleChoiceField(label="Type", required=False, choices=TYPE_CHOICES)

    def __init__(self, *args, groups: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = groups

    def clean(self):
        data = super().clean()
        if not data.get("on") or any(data.get(f"on_{part}") for part in PARTS):
            data["date"] = read_date(self, "on", "the date", required=False)
        else:
            try:
                data["date"] = date.fromisoformat(data["on"])
            except ValueError:
                self.add_error("on_day", "Enter the date as a day, month and year")
        if data.get("date") and data["date"] > timezone.localdate():
            self.add_error("on_day", "The date must be today or in the past")
            data["date"] = None
        return data

    def chosen(self) -> tuple[date, Filters]:
        """The date asked for (today if none, or if it was wrong) and the filters; a value not
        on offer (an old bookmark) is ignored."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        on = data.get("date") or timezone.localdate()
        return on, Filters(
            groups=tuple(data.get("group") or ()), types=tuple(data.get("type") or ())
        )


def _chosen(request, groups):
    """The form, the date and the filters of a request. A group or type not on offer is
    dropped rather than refused (the page still answers)."""
    params = request.GET.copy()
    offered_groups = {code for code, _ in groups}
    offered_types = {value for value, _ in TYPE_CHOICES}
    params.setlist("group", [g for g in params.getlist("group") if g in offered_groups])
    params.setlist("type", [t for t in params.getlist("type") if t in offered_types])
    form = AsAtForm(params, groups=groups)
    form.is_valid()
    return form, *form.chosen()


def _render(request, unit, *, title: str, groups, is_national: bool, filename: str):
    form, on, filters = _chosen(request, groups)
    picture = stage_picture(unit, on, filters)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(f"{filename}-{on.isoformat()}.xlsx", picture_sheets(picture))
    return render(
        request,
        "progression/national/picture.html",
        {
            "title": title,
            "unit": unit,
            "picture": picture,
            "form": form,
            "is_national": is_national,
            "group_choices": groups if is_national else [],
            "type_choices": TYPE_CHOICES,
            "is_today": on == timezone.localdate(),
            "breadcrumbs": [("Home", "/")],
        },
    )


@require_GET
def national(request):
    nation = scoped_get_or_404(
        request.user,
        VIEW_NATIONAL,
        OrganisationUnit.objects.filter(kind=UnitKind.NATION),
        parent__isnull=True,
    )
    return _render(
        request,
        nation,
        title="Stages across the country",
        groups=groups_beneath(nation),
        is_national=True,
        filename="stages-national",
    )


@require_GET
def group(request, code: str):
    unit = scoped_get_or_404(
        request.user,
        VIEW_GROUP,
        OrganisationUnit.objects.filter(kind=UnitKind.PRISON_GROUP),
        code=code,
    )
    return _render(
        request,
        unit,
        title=f"Stages in {unit.name}",
        groups=[],
        is_national=False,
        filename=f"stages-{unit.code}",
    )
