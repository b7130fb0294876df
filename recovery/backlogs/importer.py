"""Reading an establishment's returns from a spreadsheet: parse and check everything, change
nothing (`read_returns_workbook`, called by `do_import_returns`); and the template to start from.

One sheet, "Returns", one row per figure (several metrics and periods at once), headings in the
first row in any order and case:

    Establishment code | Period start | Metric code | Metric | Value | Note

- Establishment code: the establishment whose upload page it is; any other is a problem of
  its row (an upload meant for another establishment is refused whole).
- Period start: the first day of a return period (a date cell, or 30/11/2026 or 2026-11-30),
  not in the future nor before the first return period.
- Metric code: a metric the establishment reports (the template lists them). "Metric" (the
  name) is there for people to read and is not checked; it may be left out.
- Value: a number, 0 or more; a percentage at most 100; people and cases whole numbers. An empty
  Value sends nothing for that metric and period (the template has a row for every metric).
- No two rows for the same metric and period.

Every problem is reported with sheet, row, column and reason; if there is any, InvalidUpload is
raised and nothing is written."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from recovery.backlogs.actions import check_value, period_problem
from recovery.backlogs.constants import MetricUnit
from recovery.backlogs.models import Metric, ReturnSettings
from recovery.backlogs.queries import by_area, latest_period, metrics_reported_by
from recovery.core.errors import InvalidUpload, Problem
from recovery.core.imports import ABSENT, Column, ProblemList, SheetSpec, UploadedWorkbook, text
from recovery.core.xlsx import Sheet
from recovery.estate.models import Establishment

RETURNS = "Returns"
CODE, PERIOD, METRIC_CODE, METRIC, VALUE, NOTE = (
    "Establishment code",
    "Period start",
    "Metric code",
    "Metric",
    "Value",
    "Note",
)
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
NOTE_MAX = 500


def _code(cell: Any) -> str:
    return text(cell).upper()


def _date(cell: Any) -> datetime.date:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    given = text(cell)
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(given, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{given}' is not a date. Use a date cell or 30/11/2026")


def _number(cell: Any) -> Decimal | str:
    """A figure before its metric is known: a number cell, or text that must read as one."""
    if isinstance(cell, datetime.date | datetime.datetime | datetime.time):
        raise ValueError("This cell holds a date: enter the figure as a number")
    if isinstance(cell, bool):
        raise ValueError(f"'{cell}' is not a number")
    if isinstance(cell, int | float):
        return Decimal(str(cell))
    given = text(cell)
    try:
        return check_value(Metric(unit=MetricUnit.HOURS), given)
    except ValueError as error:
        if "negative" in str(error):
            raise ValueError("The figure cannot be negative") from error
        raise ValueError(f"'{given}' is not a number: enter a figure such as 12") from error


SPEC = SheetSpec(
    RETURNS,
    (
        Column(CODE, key="code", parse=_code, plain=True, max_length=20),
        Column(PERIOD, key="period_start", parse=_date),
        Column(
            METRIC_CODE,
            key="metric_code",
            parse=lambda c: text(c).lower(),
            plain=True,
            max_length=60,
        ),
        Column(METRIC, key="metric_name", parse=text, required=False, empty="", optional=True),
        Column(VALUE, key="value", parse=_number, required=False),
        Column(
            NOTE,
            key="note",
            parse=text,
            required=False,
            empty="",
            max_length=NOTE_MAX,
            optional=True,
        ),
    ),
    max_rows=20_000,
)


@dataclass
class ReturnRow:
    """One checked figure of the file."""

    period_start: datetime.date
    metric: Metric
    value: Decimal
    note: str


def read_returns_workbook(file, *, establishment: Establishment) -> list[ReturnRow]:
    """Read and check a returns workbook for `establishment`. Raises InvalidUpload listing every
    problem; reads the database, writes nothing."""
    problems = ProblemList()
    settings = ReturnSettings.current()
    today = timezone.localdate()
    reported = {m.code: m for m in metrics_reported_by(establishment)}
    known = set(Metric.objects.values_list("code", flat=True))
    rows: list[ReturnRow] = []
    seen: dict[tuple[str, datetime.date], int] = {}
    with UploadedWorkbook.open(file) as workbook:
        if workbook.find(RETURNS) is None:
            names = ", ".join(workbook.sheetnames)
            problems.add(
                RETURNS,
                None,
                None,
                f"The file has no sheet called {RETURNS} (it has: {names}). Download the "
                "template and enter the figures on its Returns sheet.",
            )
        for row in workbook.read(SPEC, problems, required=False):
            values = row.values

            def problem(column: str, reason: str, number=row.number) -> None:
                problems.add(RETURNS, number, column, reason)

            code = values.get("code")
            if code is not None and code != establishment.code.upper():
                problem(
                    CODE,
                    f"This page loads the returns of {establishment.name} "
                    f"({establishment.code}) only",
                )
            period = values.get("period_start")
            if period is not None:
                if period > today:
                    problem(
                        PERIOD,
                        f"{period:%-d %B %Y} is in the future: a return can only be sent for "
                        "a period that has started",
                    )
                    period = None
                elif reason := period_problem(period, settings, today=today):
                    problem(PERIOD, reason)
                    period = None
            metric_code = values.get("metric_code")
            metric = reported.get(metric_code) if metric_code else None
            if metric_code and metric is None:
                problem(
                    METRIC_CODE,
                    f"{establishment.name} does not report the metric {metric_code}"
                    if metric_code in known
                    else f"There is no metric with the code {metric_code}: use a code from the "
                    "template",
                )
            value = values.get("value")
            if metric is not None and period is not None:
                key = (metric.code, period)
                if key in seen:
                    problem(
                        METRIC_CODE,
                        f"{metric.code} for the period from {period:%-d %B %Y} is already on "
                        f"row {seen[key]}: give each metric one row for each period",
                    )
                    continue
                seen[key] = row.number
            if metric is not None and isinstance(value, Decimal):
                try:
                    value = check_value(metric, value)
                except ValueError as error:
                    problem(VALUE, str(error))
                    continue
            if row.ok and metric is not None and period is not None and value is not None:
                note = values.get("note")
                rows.append(
                    ReturnRow(period, metric, value, "" if note in (None, ABSENT) else note)
                )
    problems.raise_if_any(order=_order)
    if not rows:
        raise InvalidUpload(
            [
                Problem(
                    RETURNS,
                    None,
                    None,
                    "The sheet has no figures: enter at least one value. Nothing was loaded.",
                )
            ]
        )
    return rows


def _order(problem: Problem) -> tuple[int, int]:
    headings = SPEC.headings
    column = headings.index(problem.column) if problem.column in headings else len(headings)
    return problem.row or 0, column


# --- The template -------------------------------------------------------------------------------


def template_sheets(establishment: Establishment, periods: list[datetime.date] | None = None):
    """A Returns sheet with one row for every metric the establishment reports in each of
    `periods` (by default the period asked for now), values empty; and a guidance sheet listing
    the metrics."""
    settings = ReturnSettings.current()
    periods = periods or [latest_period(settings=settings)]
    metrics = metrics_reported_by(establishment)
    rows = [
        [establishment.code, period, m.code, m.name, None, ""]
        for period in periods
        for m in metrics
    ]
    guidance = []
    for area in by_area(metrics):
        for m in area.metrics:
            guidance.append(
                [
                    area.label,
                    m.code,
                    m.name,
                    MetricUnit(m.unit).label,
                    m.get_direction_display(),
                    m.description,
                ]
            )
    rules = [
        ["(all)", CODE, "Your establishment's code only", "", "", ""],
        ["(all)", PERIOD, "The first day of a return period, not in the future", "", "", ""],
        [
            "(all)",
            VALUE,
            "0 or more; percentages at most 100; people and cases whole numbers; "
            "empty sends nothing",
            "",
            "",
            "",
        ],
        [
            "(all)",
            "(rows)",
            "One row for each metric and period; add rows for more periods",
            "",
            "",
            "",
        ],
    ]
    return [
        Sheet(RETURNS, SPEC.headings, rows),
        Sheet(
            "Metrics",
            ["Area", "Metric code", "Metric", "Unit", "Better when", "What it counts"],
            rules + guidance,
        ),
    ]
