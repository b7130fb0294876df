"""Loading the estate from a spreadsheet through the UI: administrators only."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst

from recovery.core.errors import InvalidUpload
from recovery.core.problem_report import problem_context, problem_download
from recovery.core.views import require_permission
from recovery.core.xlsx import xlsx_response
from recovery.estate.actions import do_import_estate
from recovery.estate.importer import export_sheets, template_sheets


class EstateImportForm(forms.Form):
    file = forms.FileField(
        label="Upload an estate workbook",
        error_messages={
            "required": "Select an estate workbook (.xlsx)",
            "empty": "The selected file is empty",
        },
    )


@require_permission("estate.import_estate")
def import_estate(request):
    if (report := problem_download(request)) is not None:
        return report
    download = request.GET.get("download")
    if download == "template":
        return xlsx_response("estate-template.xlsx", template_sheets())
    if download == "estate":
        return xlsx_response("estate.xlsx", export_sheets())

    posted = request.method == "POST"
    form = EstateImportForm(request.POST, request.FILES) if posted else EstateImportForm()
    problems, problems_text, shown = [], "", {}
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = do_import_estate(upload, acting_user=request.user, source=upload.name)
        except InvalidUpload as error:
            shown = problem_context(request, error)
            problems, problems_text = shown["upload_problems"], error.message
        else:
            messages.success(request, summary.describe())
            return redirect("estate:import")
    return render(
        request,
        "estate/import.html",
        {
            "form": form,
            "upload_problems": problems,
            **shown,
            "problem_lines": [capfirst(str(p)) for p in problems],
            "problems_text": problems_text,
            "upload_hint": "An Excel workbook (.xlsx) no larger than "
            f"{settings.MAX_UPLOAD_BYTES / (1024 * 1024):g} MB",
            "breadcrumbs": [("Home", reverse("home")), ("Load the estate", None)],
            "template_url": reverse("estate:import") + "?download=template",
            "export_url": reverse("estate:import") + "?download=estate",
        },
    )
