"""The spreadsheet round trip: export, edit offline, import; every bad file refused whole."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from recovery.audit.models import AuditEvent
from recovery.core.constants import Role
from recovery.core.errors import InvalidUpload, Problem
from recovery.core.scope import TEST_DATA
from recovery.estate.constants import EstablishmentType
from recovery.plans.actions import do_import_plan
from recovery.plans.constants import ResponseStatus
from recovery.plans.factories import answer, response_for, start_plan
from recovery.plans.models import Response
from recovery.plans.spreadsheet import COLUMNS, export_plan

STATUS = COLUMNS.index("Status") + 1
OPTION = COLUMNS.index("Option chosen") + 1
CONFIRMED = COLUMNS.index("Delivered as stipulated") + 1
OWNER = COLUMNS.index("Owner") + 1
APPROACH = COLUMNS.index("Approach") + 1
TARGET = COLUMNS.index("Target date") + 1
REASON = COLUMNS.index("Reason not applicable") + 1
# Rows of sheet "EDM 901": 2 is baseline 1.1 (limited), 3 is 1.2 (partial), 4 is 2.1,
# 5 is 2.2, 6 is 3.1 (desirable).


def _workbook(plan):
    return load_workbook(io.BytesIO(export_plan(plan)))


def _upload(workbook, name="plan.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _snapshot(plan):
    return list(
        Response.objects.filter(plan=plan)
        .order_by("pk")
        .values(
            "status",
            "owner",
            "approach",
            "target_date",
            "chosen_option",
            "compliance_confirmed",
            "not_applicable_reason",
            "version",
        )
    )


def _refused(plan, workbook_or_upload, *problems: Problem):
    before = _snapshot(plan)
    events = AuditEvent.objects.count()
    upload = (
        workbook_or_upload
        if isinstance(workbook_or_upload, SimpleUploadedFile)
        else _upload(workbook_or_upload)
    )
    with pytest.raises(InvalidUpload) as error:
        do_import_plan(plan, upload, acting_user=TEST_DATA)
    assert error.value.problems == list(problems)
    assert _snapshot(plan) == before
    assert AuditEvent.objects.count() == events
    return error.value


def test_export_is_laid_out_like_the_national_template(adult_plan):
    workbook = _workbook(adult_plan)
    assert workbook.sheetnames == ["Plan", "Lists", "EDM 901"]
    sheet = workbook["EDM 901"]
    assert [c.value for c in sheet[1]] == COLUMNS
    assert [c.value for c in sheet[3]][:8] == [
        "1. Area 1",
        "1.2",
        "Requirement 1.2 of EDM 901",
        3,
        "Partial",
        "Mandatory",
        "Video calls\nSocially distanced visits",
        "Not started",
    ]
    validations = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert validations["H2 H3 H4 H5 H6"] == "'Lists'!$A$1:$A$4"
    assert validations["J3"] == "'Lists'!$C$1:$C$2"
    assert validations["K2"] == "'Lists'!$B$1:$B$2"
    assert [workbook["Lists"].cell(row=r, column=3).value for r in (1, 2)] == [
        "Video calls",
        "Socially distanced visits",
    ]


def test_export_then_import_with_no_edits_changes_nothing(adult_plan):
    answer(
        response_for(adult_plan, "1.2"),
        status=ResponseStatus.IN_PROGRESS,
        chosen_option="Video calls",
        approach="=1+1 is not a formula",
        target_date=datetime.date(2021, 3, 31),
        owner="Head of Residence",
    )
    answer(response_for(adult_plan, "1.1"), status=ResponseStatus.MET, compliance_confirmed=True)
    answer(
        response_for(adult_plan, "3.1"),
        status=ResponseStatus.NOT_APPLICABLE,
        not_applicable_reason="No visits hall on site",
    )
    before = _snapshot(adult_plan)
    result = do_import_plan(adult_plan, _upload(_workbook(adult_plan)), acting_user=TEST_DATA)
    assert result.responses_changed == 0
    assert _snapshot(adult_plan) == before
    assert not AuditEvent.objects.filter(
        action="plans.update_response", summary__contains="spreadsheet"
    ).exists()


def test_an_answer_holding_a_vertical_tab_still_exports_with_the_loss_shown(adult_plan):
    # Word puts a vertical tab in for a manual line break; XML cannot hold one.
    answer(response_for(adult_plan, "2.1"), approach="Line one\x0bline two", owner="=SUM(A1)")

    sheet = _workbook(adult_plan)["EDM 901"]

    approach, owner = sheet.cell(row=4, column=APPROACH), sheet.cell(row=4, column=OWNER)
    assert approach.value == "Line one\N{REPLACEMENT CHARACTER}line two"
    assert (owner.value, owner.data_type) == ("=SUM(A1)", "s")


def test_import_applies_every_change_each_with_its_audit_event(adult_plan, person_with_role):
    editor = person_with_role(Role.ESTABLISHMENT_EDITOR)
    workbook = _workbook(adult_plan)
    sheet = workbook["EDM 901"]
    sheet.cell(row=2, column=STATUS, value="Met")
    sheet.cell(row=2, column=CONFIRMED, value="Yes")
    sheet.cell(row=3, column=OPTION, value="Video calls")
    sheet.cell(row=4, column=OWNER, value="Head of Security")
    sheet.cell(row=4, column=TARGET, value="30/04/2021")
    result = do_import_plan(adult_plan, _upload(workbook), acting_user=editor)
    assert result.responses_changed == 3
    assert response_for(adult_plan, "1.1").status == ResponseStatus.MET
    assert response_for(adult_plan, "1.2").chosen_option == "Video calls"
    row_21 = response_for(adult_plan, "2.1")
    assert (row_21.owner, row_21.target_date) == ("Head of Security", datetime.date(2021, 4, 30))
    events = AuditEvent.objects.filter(action="plans.update_response", actor=editor)
    assert events.count() == 3
    assert AuditEvent.objects.get(action="plans.import_plan").after["responses_changed"] == 3


def test_deleted_column_is_refused(adult_plan):
    workbook = _workbook(adult_plan)
    workbook["EDM 901"].delete_cols(STATUS)
    _refused(
        adult_plan,
        workbook,
        Problem("EDM 901", 1, "Status", "This column is missing. Keep every column as exported"),
    )


def test_renamed_sheet_is_refused(adult_plan):
    workbook = _workbook(adult_plan)
    workbook["EDM 901"].title = "Visits"
    _refused(
        adult_plan,
        workbook,
        Problem(
            "Visits",
            None,
            None,
            "This sheet is not part of the plan. Sheets must keep the "
            "names they were exported with: EDM 901",
        ),
        Problem(
            "EDM 901", None, None, "This sheet is missing. Do not rename or delete the EDM sheets"
        ),
    )


def test_status_that_does_not_exist_is_refused(adult_plan):
    workbook = _workbook(adult_plan)
    workbook["EDM 901"].cell(row=4, column=STATUS, value="Nearly done")
    _refused(
        adult_plan,
        workbook,
        Problem(
            "EDM 901",
            4,
            "Status",
            "'Nearly done' is not a status. Status must be Not started, In progress, Met or "
            "Not applicable",
        ),
    )


def test_not_applicable_on_a_mandatory_baseline_is_refused(adult_plan):
    workbook = _workbook(adult_plan)
    workbook["EDM 901"].cell(row=4, column=STATUS, value="Not applicable")
    workbook["EDM 901"].cell(row=4, column=REASON, value="No visits hall")
    _refused(
        adult_plan,
        workbook,
        Problem(
            "EDM 901",
            4,
            "Status",
            "Baseline 2.1 is mandatory, so it cannot be not applicable",
        ),
    )


def test_option_not_in_the_list_is_refused(adult_plan):
    workbook = _workbook(adult_plan)
    workbook["EDM 901"].cell(row=3, column=OPTION, value="Window visits")
    _refused(
        adult_plan,
        workbook,
        Problem(
            "EDM 901",
            3,
            "Option chosen",
            "Choose one of the options for baseline 1.2: Video calls; Socially distanced visits",
        ),
    )


def test_date_in_the_wrong_format_is_refused(adult_plan):
    workbook = _workbook(adult_plan)
    workbook["EDM 901"].cell(row=4, column=TARGET, value="04/31/2021")
    _refused(
        adult_plan,
        workbook,
        Problem(
            "EDM 901",
            4,
            "Target date",
            "'04/31/2021' is not a date. Enter the target date as a date, for example 31/03/2021",
        ),
    )


def test_every_problem_is_listed_and_good_rows_are_not_applied(adult_plan):
    workbook = _workbook(adult_plan)
    sheet = workbook["EDM 901"]
    sheet.cell(row=2, column=OWNER, value="Head of Security")  # fine on its own
    sheet.cell(row=4, column=STATUS, value="Done")
    sheet.cell(row=5, column=TARGET, value="next week")
    error = _refused(
        adult_plan,
        workbook,
        Problem(
            "EDM 901",
            4,
            "Status",
            "'Done' is not a status. Status must be Not started, "
            "In progress, Met or Not applicable",
        ),
        Problem(
            "EDM 901",
            5,
            "Target date",
            "'next week' is not a date. Enter the target date as a date, for example 31/03/2021",
        ),
    )
    assert error.message == "The file has 2 problems. Nothing has been changed."


def test_rows_for_another_establishments_plan_are_refused(small_estate, adult_plan):
    small_estate.establishment_2.establishment_type = EstablishmentType.CAT_C
    other_plan = start_plan(small_estate.establishment_2)
    workbook = _workbook(other_plan)
    workbook["EDM 901"].cell(row=4, column=OWNER, value="Head of Security")
    _refused(
        adult_plan,
        workbook,
        Problem(
            "Plan",
            1,
            "B",
            "This file is the plan of establishment EST2, not of HMP Ashgrove "
            "(EST1): upload it to its own plan",
        ),
    )


def test_fifty_megabyte_file_is_refused_before_it_is_read(adult_plan):
    upload = SimpleUploadedFile("plan.xlsx", b"\0" * (50 * 1024 * 1024))
    _refused(
        adult_plan,
        upload,
        Problem(
            "",
            None,
            None,
            "The file is larger than 10 MB.",
        ),
    )


def test_a_file_that_is_not_a_spreadsheet_is_refused(adult_plan):
    _refused(
        adult_plan,
        SimpleUploadedFile("plan.xlsx", b"not a zip"),
        Problem(
            "",
            None,
            None,
            "The file is not an Excel workbook (.xlsx). Save it as an .xlsx workbook and "
            "try again.",
        ),
    )


def test_row_changed_in_the_service_since_export_is_refused(adult_plan):
    workbook = _workbook(adult_plan)
    answer(response_for(adult_plan, "2.1"), owner="Head of Residence")
    workbook["EDM 901"].cell(row=4, column=OWNER, value="Head of Security")
    _refused(
        adult_plan,
        workbook,
        Problem(
            "EDM 901",
            4,
            None,
            "Baseline 2.1 was changed in the service after this file was "
            "exported. Export the plan again and make your changes in the new file",
        ),
    )


def test_unknown_baseline_number_is_refused(adult_plan):
    workbook = _workbook(adult_plan)
    workbook["EDM 901"].cell(row=4, column=2, value="9.9")
    _refused(
        adult_plan,
        workbook,
        Problem(
            "EDM 901",
            4,
            "Baseline",
            "There is no baseline 9.9 in EDM 901 version 1.0",
        ),
    )


def test_import_failing_half_way_writes_nothing(adult_plan, monkeypatch):
    from recovery.plans import actions

    workbook = _workbook(adult_plan)
    workbook["EDM 901"].cell(row=4, column=OWNER, value="Head of Security")
    workbook["EDM 901"].cell(row=5, column=OWNER, value="Head of Residence")
    before = _snapshot(adult_plan)
    real = actions.record_events

    def failing(events):
        # The answers have been updated in bulk by now; their events are written next.
        assert len(events) == 2
        real(events[:1])
        raise RuntimeError("database went away")

    monkeypatch.setattr(actions, "record_events", failing)
    with pytest.raises(RuntimeError):
        do_import_plan(adult_plan, _upload(workbook), acting_user=TEST_DATA)
    assert _snapshot(adult_plan) == before
    assert (
        not AuditEvent.objects.filter(action__startswith="plans.")
        .exclude(action="plans.start_plan")
        .exists()
    )
