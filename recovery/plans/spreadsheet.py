"""The plan as a spreadsheet laid out like the national RRP template, and back again.

One sheet per EDM ("EDM 18"): the baseline as the EDM prints it (area, number, requirement,
weighting, autonomy, mandatory, options), then the establishment's answer (status, reason,
option, delivered as stipulated, approach, owner, target date) and the row version the answer
had when exported. A "Plan" sheet says whose plan it is; a hidden "Lists" sheet feeds the
drop-down lists. Reading checks every row before anything is written and reports every problem
with its sheet, row and column."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from recovery.core.errors import DomainError
from recovery.core.imports import Column, ProblemList, SheetSpec, Unique, UploadedWorkbook
from recovery.core.xlsx import add_sheet, safe_text, save_workbook, write_cell
from recovery.frameworks.constants import Autonomy
from recovery.plans.checks import LABELS, check_response, status_list
from recovery.plans.constants import ResponseStatus
from recovery.plans.models import Plan, PlanEdm, Response

PLAN_SHEET = "Plan"
LISTS_SHEET = "Lists"
REFERENCE_COLUMNS = [
    "Area",
    "Baseline",
    "Requirement",
    "Weighting",
    "Autonomy",
    "Mandatory",
    "Options",
]
ANSWER_COLUMNS = [
    "Status",
    "Reason not applicable",
    "Option chosen",
    "Delivered as stipulated",
    "Approach",
    "Owner",
    "Target date",
    "Row version",
]
COLUMNS = REFERENCE_COLUMNS + ANSWER_COLUMNS
FIELD_COLUMN = {
    "status": "Status",
    "not_applicable_reason": "Reason not applicable",
    "chosen_option": "Option chosen",
    "compliance_confirmed": "Delivered as stipulated",
    "approach": "Approach",
    "owner": "Owner",
    "target_date": "Target date",
}
YES, NO = "Yes", "No"
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
STATUS_BY_LABEL = {label.lower(): value for value, label in ResponseStatus.choices}
STATUS_BY_LABEL.update({value: value for value in ResponseStatus.values})


def sheet_name(edm_number: int) -> str:
    return f"EDM {edm_number}"


def _plan_parts(plan: Plan) -> tuple[list[PlanEdm], list[Response]]:
    plan_edms = list(
        PlanEdm.objects.filter(plan=plan).select_related("edm_version__edm").order_by("edm__number")
    )
    responses = list(
        Response.objects.filter(plan=plan, archived_at__isnull=True)
        .select_related("baseline__area")
        .order_by("baseline__area__position", "baseline__position")
    )
    for response in responses:
        # Every answer shares the one plan (and its establishment and stage): without this,
        # each answer an import changes would fetch them again (three queries a row).
        response.plan = plan
    return plan_edms, responses


def export_plan(plan: Plan) -> bytes:
    """The plan as an .xlsx file, every cell written by the core export writer (text stays
    text, whatever it starts with or holds)."""
    plan_edms, responses = _plan_parts(plan)
    by_version: dict[int, list[Response]] = {}
    for response in responses:
        by_version.setdefault(response.baseline.edm_version_id, []).append(response)

    workbook = Workbook()
    cover = workbook.active
    cover.title = PLAN_SHEET
    establishment = plan.establishment
    for row, (key, value) in enumerate(
        [
            ("Establishment code", establishment.code),
            ("Establishment", establishment.name),
            ("Target stage", plan.stage.number),
            ("Exported", datetime.datetime.now().strftime("%d/%m/%Y %H:%M")),
        ],
        start=1,
    ):
        write_cell(cover, row, 1, key).font = Font(bold=True)
        write_cell(cover, row, 2, value)
    write_cell(
        cover,
        6,
        1,
        "Fill in the answer columns of each EDM sheet (Status to Target date). "
        "Do not rename sheets, delete columns or change the Row version.",
    )
    cover.column_dimensions["A"].width = 22
    cover.column_dimensions["B"].width = 40

    lists = add_sheet(workbook, LISTS_SHEET)
    statuses = [label for _, label in ResponseStatus.choices]
    for i, label in enumerate(statuses, start=1):
        write_cell(lists, i, 1, label)
    write_cell(lists, 1, 2, YES)
    write_cell(lists, 2, 2, NO)
    lists.sheet_state = "hidden"
    lists_name = quote_sheetname(LISTS_SHEET)
    next_list_column = 3

    col = {name: i for i, name in enumerate(COLUMNS, start=1)}
    for plan_edm in plan_edms:
        version = plan_edm.edm_version
        ws = add_sheet(workbook, sheet_name(version.edm.number))
        for name, i in col.items():
            write_cell(ws, 1, i, name).font = Font(bold=True)
        status_dv = DataValidation(
            type="list",
            formula1=f"{lists_name}!$A$1:$A${len(statuses)}",
            allow_blank=False,
            showErrorMessage=True,
            error=f"Status must be {status_list()}",
        )
        yes_no_dv = DataValidation(
            type="list",
            formula1=f"{lists_name}!$B$1:$B$2",
            allow_blank=True,
        )
        ws.add_data_validation(status_dv)
        ws.add_data_validation(yes_no_dv)
        for row, response in enumerate(by_version.get(version.pk, []), start=2):
            baseline = response.baseline
            values = {
                "Area": f"{baseline.area.number}. {baseline.area.title}",
                "Baseline": baseline.number,
                "Requirement": baseline.text,
                "Weighting": baseline.weighting,
                "Autonomy": baseline.get_autonomy_display(),
                "Mandatory": "Mandatory" if baseline.mandatory else "Desirable",
                "Options": "\n".join(baseline.options or []),
                "Status": response.get_status_display(),
                "Reason not applicable": response.not_applicable_reason,
                "Option chosen": response.chosen_option,
                "Delivered as stipulated": (
                    (YES if response.compliance_confirmed else NO)
                    if baseline.autonomy == Autonomy.LIMITED
                    else ""
                ),
                "Approach": response.approach,
                "Owner": response.owner,
                "Target date": response.target_date,
                "Row version": response.version,
            }
            for name, value in values.items():
                cell = write_cell(ws, row, col[name], value if value != "" else None)
                if name in ("Requirement", "Approach", "Options"):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                if name == "Target date" and value:
                    cell.number_format = "DD/MM/YYYY"
            status_dv.add(ws.cell(row=row, column=col["Status"]))
            if baseline.autonomy == Autonomy.LIMITED:
                yes_no_dv.add(ws.cell(row=row, column=col["Delivered as stipulated"]))
            if baseline.autonomy == Autonomy.PARTIAL and baseline.options:
                letter = get_column_letter(next_list_column)
                for i, option in enumerate(baseline.options, start=1):
                    write_cell(lists, i, next_list_column, option)
                next_list_column += 1
                option_dv = DataValidation(
                    type="list",
                    formula1=f"{lists_name}!${letter}$1:${letter}${len(baseline.options)}",
                    allow_blank=True,
                    showErrorMessage=True,
                    error=safe_text(f"Choose one of the options for baseline {baseline.number}"),
                )
                ws.add_data_validation(option_dv)
                option_dv.add(ws.cell(row=row, column=col["Option chosen"]))
        widths = {
            "Area": 24,
            "Baseline": 10,
            "Requirement": 60,
            "Options": 30,
            "Approach": 50,
            "Reason not applicable": 30,
            "Option chosen": 30,
            "Target date": 14,
        }
        for name, i in col.items():
            ws.column_dimensions[get_column_letter(i)].width = widths.get(name, 16)
        ws.column_dimensions[get_column_letter(col["Row version"])].hidden = True
        ws.freeze_panes = "C2"
    return save_workbook(workbook)


# --- Reading an upload --------------------------------------------------------------------
#
# Through the import engine (recovery.core.imports): the upload guards, rows streamed whatever
# size a sheet records for itself, formulas and error values refused, every problem of every
# row reported. Answers missing from the file are left as they are and named in a notice.


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _column(heading: str, key: str, **kwargs) -> Column:
    return Column(heading, key=key, parse=_text, required=False, empty="", **kwargs)


EDM_SHEET_COLUMNS = (
    *(Column(heading, key=heading, required=False) for heading in REFERENCE_COLUMNS),
    _column("Status", "status"),
    _column("Reason not applicable", "not_applicable_reason"),
    _column("Option chosen", "chosen_option"),
    _column("Delivered as stipulated", "compliance_confirmed"),
    _column("Approach", "approach"),
    _column("Owner", "owner", plain=True),
    Column("Target date", key="target_date", required=False),
    _column("Row version", "row_version"),
)
MISSING_COLUMN = "This column is missing. Keep every column as exported"


def edm_sheet_spec(name: str) -> SheetSpec:
    """What an EDM sheet of the plan holds: every column as exported, one row per baseline."""
    columns = tuple(
        Column(c.heading, key="number", parse=_text, required=False)
        if c.heading == "Baseline"
        else c
        for c in EDM_SHEET_COLUMNS
    )
    return SheetSpec(
        name,
        columns,
        unique=(Unique("Baseline", "Baseline {value} appears twice (also on row {row})"),),
        missing_column=MISSING_COLUMN,
    )


@dataclass
class RowChange:
    response: Response
    changes: dict[str, Any]


@dataclass
class PlanUpload:
    """What an upload changes (only rows that change something), and the answers it does not
    mention at all (left as they are), as (sheet, baseline number)."""

    changes: list[RowChange]
    missing: list[tuple[str, str]]


def _check_cover(workbook: UploadedWorkbook, plan: Plan, problems: ProblemList) -> None:
    name = workbook.find(PLAN_SHEET)
    if name is None:
        problems.add(
            PLAN_SHEET,
            None,
            None,
            "This sheet is missing: it says whose "
            "plan the file is. Export the plan again and fill in that file",
        )
        return
    found: dict[str, tuple[int, Any]] = {}
    for number, cells in workbook.cells(name):
        if number > 5:
            break
        by_column = {column: value for column, value, _ in cells}
        found.setdefault(_text(by_column.get(1)), (number, by_column.get(2)))
    code_row, code = found.get("Establishment code", (1, None))
    establishment = plan.establishment
    if _text(code) != establishment.code:
        problems.add(
            PLAN_SHEET,
            code_row,
            "B",
            f"This file is the plan of establishment {_text(code) or '(none)'}, not of "
            f"{establishment.name} ({establishment.code}): upload it to its own plan",
        )
    stage_row, stage = found.get("Target stage", (3, None))
    if _text(stage) != str(plan.stage.number):
        problems.add(
            PLAN_SHEET,
            stage_row,
            "B",
            f"This file is the plan for stage {_text(stage) or '(none)'}, not for stage "
            f"{plan.stage.number}",
        )


def _import_parts(plan: Plan) -> tuple[list[PlanEdm], list[Response]]:
    """What reading an upload needs: the plan's EDM versions and its live answers with their
    baselines (not the texts and areas an export prints)."""
    plan_edms = list(
        PlanEdm.objects.filter(plan=plan).select_related("edm_version__edm").order_by("edm__number")
    )
    responses = list(
        Response.objects.filter(plan=plan, archived_at__isnull=True)
        .select_related("baseline")
        .defer("baseline__text", "baseline__comments", "baseline__sources")
    )
    for response in responses:
        response.plan = plan  # one plan object for all: no query per changed answer
    return plan_edms, responses


def read_plan_upload(plan: Plan, upload) -> PlanUpload:
    """The changes an uploaded spreadsheet makes to `plan`'s answers, every row checked.
    Raises InvalidUpload with every problem found; returns only rows that change something,
    and names the answers the file leaves out."""
    with UploadedWorkbook.open(upload) as workbook:
        return _read_workbook(workbook, plan)


def _read_workbook(workbook: UploadedWorkbook, plan: Plan) -> PlanUpload:
    problems = ProblemList()
    _check_cover(workbook, plan, problems)
    plan_edms, responses = _import_parts(plan)
    by_version: dict[int, dict[str, Response]] = {}
    for response in responses:
        by_version.setdefault(response.baseline.edm_version_id, {})[response.baseline.number] = (
            response
        )
    expected_sheets = {sheet_name(pe.edm_version.edm.number): pe for pe in plan_edms}
    known = {name.casefold() for name in [*expected_sheets, PLAN_SHEET, LISTS_SHEET]}
    for name in workbook.sheetnames:
        if name.strip().casefold() not in known:
            problems.add(
                name,
                None,
                None,
                "This sheet is not part of the plan. Sheets must keep the names they were "
                f"exported with: {', '.join(expected_sheets)}",
            )
    changes: list[RowChange] = []
    missing: list[tuple[str, str]] = []
    for name, plan_edm in expected_sheets.items():
        if workbook.find(name) is None:
            problems.add(
                name, None, None, "This sheet is missing. Do not rename or delete the EDM sheets"
            )
            continue
        sheet_responses = by_version.get(plan_edm.edm_version_id, {})
        seen: set[str] = set()
        changes.extend(_read_sheet(workbook, name, plan_edm, sheet_responses, problems, seen))
        missing.extend((name, number) for number in sheet_responses if number not in seen)
    problems.raise_if_any()
    return PlanUpload(changes, missing)


def _read_sheet(
    workbook: UploadedWorkbook,
    name: str,
    plan_edm: PlanEdm,
    responses: dict[str, Response],
    problems: ProblemList,
    seen: set[str],
) -> Iterable[RowChange]:
    version = plan_edm.edm_version
    result: list[RowChange] = []
    for row in workbook.read(edm_sheet_spec(name), problems):
        values = row.values
        row_number = row.number

        def problem(column: str | None, reason: str, row_number=row_number) -> None:
            problems.add(name, row_number, column, reason)

        number = values["number"] or ""
        response = responses.get(number)
        if response is None:
            if row.ok:
                problem(
                    "Baseline",
                    f"There is no baseline {number or '(empty)'} in EDM "
                    f"{version.edm.number} version {version.version_number}",
                )
            continue
        seen.add(number)
        if not row.ok:
            continue
        baseline = response.baseline
        row_problems = problems.total

        status_text = values["status"]
        status = STATUS_BY_LABEL.get(status_text.lower())
        if status is None:
            problem(
                "Status",
                f"'{status_text}' is not a status. Status must be {status_list()}"
                if status_text
                else f"Status must be {status_list()}",
            )
        confirmed_text = values["compliance_confirmed"]
        confirmed = {YES.lower(): True, NO.lower(): False, "": False}.get(confirmed_text.lower())
        if confirmed is None:
            problem(
                "Delivered as stipulated",
                f"'{confirmed_text}' is not an answer: write Yes, No or leave it empty",
            )
        try:
            target = _date(values["target_date"])
        except ValueError as error:
            problem(
                "Target date",
                f"'{error}' is not a date. Enter the target date as a date, for example 31/03/2021",
            )
            target = None
        version_text = values["row_version"]
        if not version_text.isdigit() or len(version_text) > 9:
            problem("Row version", "The row version must stay as exported")
        if problems.total > row_problems:
            continue

        proposed = {
            "status": status,
            "not_applicable_reason": values["not_applicable_reason"],
            "chosen_option": values["chosen_option"],
            "compliance_confirmed": confirmed,
            "approach": values["approach"],
            "owner": values["owner"],
            "target_date": target,
        }
        current = {f: getattr(response, f) for f in proposed}
        if proposed == current:
            continue  # the row as the service has it: nothing to check or write
        try:
            cleaned = check_response(baseline, current, proposed)
        except DomainError as error:
            problem(FIELD_COLUMN.get(error.field or ""), error.message)
            continue
        differing = {k: v for k, v in cleaned.items() if current.get(k) != v}
        if not differing:
            continue
        if int(version_text) != response.version:
            problem(
                None,
                f"Baseline {number} was changed in the service after this file was "
                "exported. Export the plan again and make your changes in the new file",
            )
            continue
        result.append(RowChange(response=response, changes=differing))
    return result


__all__ = ["COLUMNS", "LABELS", "PlanUpload", "RowChange", "export_plan", "read_plan_upload"]
